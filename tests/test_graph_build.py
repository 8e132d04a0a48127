"""Every target's rows equal the specification, :func:`aggregate_relations`, with no server needed.

The library reads relations one way (SQL aggregates in the store, finished into
``GraphEdge``s by :func:`graphbuild.graph.model.edge_from`) and renders them per target:
networkx attributes, Neo4j / Cypher-script rows (the load and the script share them),
admin-import CSV and evidence rows.  These tests fold the raw evidence rows in plain
Python (the spec) and compare every target with it, over date windows, selected keys
(the incremental load), evidence rows that disagree on CAMEO code and weight, and
relations whose sentences give different modalities.
"""

from __future__ import annotations

import csv
import io

import networkx as nx
import pytest
from randomcorpus import build_random_store

from graphbuild.graph import aggregate_relations, build_graph, edge_attrs, edges
from graphbuild.sinks import cypher as cy
from graphbuild.sinks.export import ARRAY_DELIMITER, write_import_csv
from graphbuild.store import DateWindow

WINDOWS = [DateWindow(), DateWindow("2024-01-01"), DateWindow(until="2024-06-30"),
           DateWindow("2024-03-01", "2024-09-30"), DateWindow.parse("2024-02", "2024-03")]


def reference_graph(store, window: DateWindow) -> nx.MultiDiGraph:
    """The graph straight from :func:`aggregate_relations` over :meth:`Store.evidence`, attributes spelled out."""
    g = nx.MultiDiGraph()
    for ent in store.entities():
        g.add_node(ent.id, type=ent.type, name=ent.name, aliases=list(ent.aliases), iso3=ent.iso3)
    for e in aggregate_relations(store.evidence(window)):
        g.add_edge(e.subject, e.object, key=e.predicate, type=e.predicate, modality=e.modality,
                   modalities=list(e.modalities), count=e.count, first_date=e.first_date, last_date=e.last_date,
                   cameo=e.cameo, weight=e.weight, article_ids=list(e.article_ids), confidence=e.confidence,
                   items=list(e.items), inferred=e.inferred, contested=e.contested, articles=e.articles,
                   outlets=e.outlets, corroboration=e.corroboration, dated_by=e.dated_by,
                   evidence=[{"article_id": r.evidence.article_id, "sentence": r.evidence.sentence,
                              "start": r.evidence.start, "end": r.evidence.end, "rule": r.evidence.rule,
                              "confidence": r.evidence.confidence, "modality": r.modality, "date": r.article_date,
                              "claimed_by": r.claimed_by, "event_date": r.event_date,
                              "date_precision": r.date_precision, "source": r.source}
                             for r in e.evidence])
    return g


def as_lists(g: nx.MultiDiGraph, evidence: bool = True):
    edges_ = [(u, v, k, {a: x for a, x in d.items() if evidence or a != "evidence"})
              for u, v, k, d in g.edges(keys=True, data=True)]
    return list(g.nodes(data=True)), edges_


def readable(store) -> tuple[dict, dict]:
    """What an edge row names things with: entity names and article rows by id."""
    return {e.id: e.name for e in store.entities()}, {a["id"]: a for a in store.article_rows()}


def spec_rows(store, window: DateWindow = DateWindow()) -> list[dict]:
    return [cy.edge_row(e, *readable(store)) for e in aggregate_relations(store.evidence(window))]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    st = build_random_store(tmp_path_factory.mktemp("g") / "r.db", n=300)
    db = st._db  # the test forges what an older ingest could have left
    keys = db.execute("SELECT subject, predicate, object FROM relations GROUP BY subject, predicate, object"
                      " HAVING COUNT(*) > 2 ORDER BY subject, predicate, object LIMIT 2").fetchall()
    # rows of one relation disagree on CAMEO code and weight (rules changed between ingests)
    db.execute("UPDATE relations SET cameo = '999', weight = 9.5 WHERE id = (SELECT MAX(id) FROM relations"
               " WHERE subject = ? AND predicate = ? AND object = ?)", keys[0])
    # sentences of another give different modalities
    db.execute("UPDATE relations SET modality = 'denied' WHERE id = (SELECT MIN(id) FROM relations"
               " WHERE subject = ? AND predicate = ? AND object = ?)", keys[1])
    db.execute("UPDATE relations SET modality = 'possible' WHERE id = (SELECT MAX(id) FROM relations"
               " WHERE subject = ? AND predicate = ? AND object = ?)", keys[1])
    # claims: the denied row is another claimant's (a contested relation); some sentences carry their
    # own event date (first/last dates come from them); two outlets share articles (corroboration)
    db.execute("UPDATE relations SET claimed_by = 'country:ZZZ' WHERE modality = 'denied'")
    db.execute("UPDATE relations SET claimed_by = 'officials', event_date = '2023-12-31', date_precision = 'day'"
               " WHERE id % 7 = 0")
    db.execute("UPDATE relations SET event_date = '2024-02', date_precision = 'month' WHERE id % 11 = 0")
    db.execute("UPDATE articles SET source = CASE WHEN rowid % 3 = 0 THEN 'Wire A' WHEN rowid % 3 = 1"
               " THEN 'Wire B' ELSE NULL END")
    db.commit()
    yield st
    st.close()


def test_the_store_holds_the_cases_the_parity_tests_need(store):
    ref = list(aggregate_relations(store.evidence()))
    assert len(ref) > 50
    assert any(len(e.modalities) > 1 for e in ref)
    assert any(e.items for e in ref)
    assert any(e.cameo == "999" for e in ref) or any(len({r.cameo for r in e.evidence}) > 1 for e in ref)
    assert len({r.article_date for e in ref for r in e.evidence}) > 10
    assert any(e.contested for e in ref) and any(e.dated_by == "mixed" for e in ref)
    assert any(e.outlets < e.articles for e in ref)


@pytest.mark.parametrize("window", WINDOWS, ids=str)
def test_graph_with_evidence_is_the_reference_graph(store, window):
    assert as_lists(build_graph(store, window)) == as_lists(reference_graph(store, window))


@pytest.mark.parametrize("window", WINDOWS, ids=str)
def test_graph_without_evidence_is_the_reference_graph_less_its_evidence(store, window):
    fast = build_graph(store, window, evidence=False)
    assert all("evidence" not in d for _, _, d in fast.edges(data=True))
    assert as_lists(fast) == as_lists(reference_graph(store, window), evidence=False)


@pytest.mark.parametrize("window", WINDOWS, ids=str)
def test_neo4j_and_script_rows_are_the_spec_rows(store, window):
    assert [cy.edge_row(e, *readable(store)) for e in edges(store, window, examples=True)] == spec_rows(store, window)
    no_examples = [cy.edge_row(e) for e in edges(store, window)]
    assert {r["example"] for r in no_examples} == {None}
    with_evidence = list(edges(store, window, evidence=True))
    assert [cy.edge_row(e, *readable(store)) for e in with_evidence] == spec_rows(store, window)
    assert [e.evidence for e in with_evidence] == [e.evidence for e in aggregate_relations(store.evidence(window))]


@pytest.mark.parametrize("how_many", [3, 10_000])
def test_rows_of_selected_keys_as_the_incremental_load_reads_them(store, how_many):
    """A few keys are looked up one by one, many in one pass: both give the spec's rows of those keys."""
    ref = spec_rows(store)
    keys = [tuple(r["key"].split("|")) for r in ref][::7][:how_many] + [("country:NOPE", "MEETS", "country:NONE")]
    wanted = {"|".join(k) for k in keys}
    got = [cy.edge_row(e, *readable(store)) for e in edges(store, keys=keys, examples=True)]
    assert got == [r for r in ref if r["key"] in wanted]


def test_evidence_rows_have_the_same_ids_however_they_are_read(store):
    """By relation (script), by article (load, CSV), one article alone (incremental load): the same rows."""
    by_key = list(cy.evidence_rows(store.evidence()))
    spec = list(cy.evidence_rows(r for e in aggregate_relations(store.evidence()) for r in e.evidence))
    article_ids = [a["id"] for a in store.article_rows()]
    by_article = list(cy.evidence_rows(store.evidence(article_ids=article_ids)))
    alone = [row for aid in article_ids[::5] for row in cy.evidence_rows(store.evidence(article_ids=[aid]))]
    assert by_key == spec
    assert sorted(by_article, key=lambda r: r["id"]) == sorted(by_key, key=lambda r: r["id"])
    assert len({r["id"] for r in by_key}) == len(by_key)
    assert {r["id"] for r in alone} <= {r["id"] for r in by_key}
    assert len(alone) == sum(1 for r in by_key if r["article_id"] in set(article_ids[::5]))


def test_admin_import_csv_holds_the_spec_rows(store, tmp_path):
    write_import_csv(store, tmp_path / "csv")
    got = []
    for path in sorted((tmp_path / "csv").glob("relations_*.csv")):
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
        header = [h.split(":")[0] or h for h in rows[0]]
        for row in rows[1:]:
            d = dict(zip(header, row))
            got.append((d[":START_ID(Entity)"], d[":TYPE"], d[":END_ID(Entity)"], d["key"], d["modality"], d["count"],
                        d["article_ids"], d["items"], d["weight"], d["cameo"]))
    want = [(r["subject"], r["key"].split("|")[1], r["object"], r["key"], r["modality"], str(r["count"]),
             ARRAY_DELIMITER.join(r["article_ids"]), ARRAY_DELIMITER.join(r["items"]), str(r["weight"]),
             r["cameo"] or "") for r in spec_rows(store)]
    assert sorted(got, key=lambda t: t[1]) == sorted(want, key=lambda t: t[1])


def test_cypher_script_holds_the_spec_rows(store):
    out = io.StringIO()
    cy.write_script(store, out, batch_size=100_000)
    text = out.getvalue()
    for row in spec_rows(store):
        assert cy.cypher_literal(row) in text
    for row in cy.evidence_rows(store.evidence()):
        assert cy.cypher_literal(row) in text


def test_nx_attributes_are_one_function_of_the_edge(store):
    e = next(edges(store, evidence=True))
    attrs = edge_attrs(e)
    assert attrs["type"] == e.predicate and len(attrs["evidence"]) == e.count
    assert "evidence" not in edge_attrs(e, evidence=False)
