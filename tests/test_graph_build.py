"""The fast graph builds give exactly the graph of ``aggregate_relations``, the one aggregation every sink shares.

``build_graph`` reads raw rows (with evidence) or SQL aggregates (``evidence=False``)
for speed on big stores; these tests pin both to the reference aggregation, over
date windows and when evidence rows of one relation disagree on CAMEO code and weight.
"""

from __future__ import annotations

import networkx as nx
import pytest
from randomcorpus import build_random_store

from graphbuild.graph import aggregate_relations, build_graph

WINDOWS = [(None, None), ("2024-01-01", None), (None, "2024-06-30"), ("2024-03-01", "2024-09-30")]


def reference_graph(store, since, until) -> nx.MultiDiGraph:
    """The graph straight from :func:`aggregate_relations` over :meth:`Store.relations`."""
    g = nx.MultiDiGraph()
    for ent in store.entities():
        g.add_node(ent.id, type=ent.type, name=ent.name, aliases=list(ent.aliases), iso3=ent.iso3)
    for e in aggregate_relations(store.relations(since=since, until=until)):
        g.add_edge(e.subject, e.object, key=e.predicate, type=e.predicate, modality=e.modality,
                   modalities=list(e.modalities), count=e.count, first_date=e.first_date, last_date=e.last_date,
                   cameo=e.cameo, weight=e.weight, article_ids=list(e.article_ids), confidence=e.confidence,
                   items=list(e.items), inferred=e.inferred,
                   evidence=[{"article_id": r.evidence.article_id, "sentence": r.evidence.sentence,
                              "start": r.evidence.start, "end": r.evidence.end, "rule": r.evidence.rule,
                              "confidence": r.evidence.confidence, "modality": r.modality, "date": r.article_date}
                             for r in e.evidence])
    return g


def as_lists(g: nx.MultiDiGraph, evidence: bool = True):
    edges = [(u, v, k, {a: x for a, x in d.items() if evidence or a != "evidence"})
             for u, v, k, d in g.edges(keys=True, data=True)]
    return list(g.nodes(data=True)), edges


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    st = build_random_store(tmp_path_factory.mktemp("g") / "r.db", n=300)
    # one relation whose evidence rows disagree on CAMEO code and weight (rules changed between ingests)
    key = st._db.execute("SELECT subject, predicate, object FROM relations GROUP BY subject, predicate, object"
                         " HAVING COUNT(*) > 2 LIMIT 1").fetchone()
    st._db.execute("UPDATE relations SET cameo = '999', weight = 9.5 WHERE id = (SELECT MAX(id) FROM relations"
                   " WHERE subject = ? AND predicate = ? AND object = ?)", key)
    yield st
    st.close()


@pytest.mark.parametrize("since,until", WINDOWS)
def test_graph_with_evidence_is_the_reference_graph(store, since, until):
    assert as_lists(build_graph(store, since=since, until=until)) == as_lists(reference_graph(store, since, until))


@pytest.mark.parametrize("since,until", WINDOWS)
def test_graph_without_evidence_is_the_reference_graph_less_its_evidence(store, since, until):
    fast = build_graph(store, since=since, until=until, evidence=False)
    assert all("evidence" not in d for _, _, d in fast.edges(data=True))
    assert as_lists(fast) == as_lists(reference_graph(store, since, until), evidence=False)
    assert fast.number_of_edges() > 50
