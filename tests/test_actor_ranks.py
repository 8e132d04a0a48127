"""PageRank, degree and community on entity nodes (issue 16, item 4): ``graphbuild load``, the Cypher
script and the admin-import CSV write ``analyze``'s numbers, and the actors with the highest PageRank
get the ``Top10`` / ``Top100`` labels the Browser style draws bigger.

The invented graph: a star Ardor-Dunmere, Ardor-Velmar (MEETS, symmetric), a pair Ada Fenn ->
Bo Karr (SUPPORTS), and Ostland, mentioned but in no relation.  Its PageRank (damping 0.85,
dangling actors spread evenly) solves by hand: with c = 0.025 / 0.59625, Ostland = Ada = c,
Bo = 1.85 c, Dunmere = Velmar = 5.135 c and Ardor = 9.730 c (stored: the iteration, rounded).
"""

from __future__ import annotations

import re

import pytest

from graphbuild.analysis.scores import actor_ranks
from graphbuild.graph import build_graph
from graphbuild.models import Article, Entity, Evidence, Extraction, Mention, Relation
from graphbuild.sinks import cypher as cy
from graphbuild.sinks.browser import style_path
from graphbuild.sinks.neo4j import Neo4jConfig, load_store
from graphbuild.store import Store

ARDOR = Entity("country:ARD", "Country", "Ardor", (), "ARD")
DUNMERE = Entity("country:DUN", "Country", "Dunmere", (), "DUN")
VELMAR = Entity("country:VEL", "Country", "Velmar", (), "VEL")
OSTLAND = Entity("country:OST", "Country", "Ostland", (), "OST")
ADA = Entity("person:ada-fenn", "Person", "Ada Fenn")
BO = Entity("person:bo-karr", "Person", "Bo Karr")

C = 0.025 / 0.59625
BY_HAND = {"country:ARD": 2.7 / 0.2775 * C, "country:DUN": C + 0.425 * 2.7 / 0.2775 * C,
           "country:VEL": C + 0.425 * 2.7 / 0.2775 * C, "country:OST": C, "person:ada-fenn": C,
           "person:bo-karr": 1.85 * C}
#: What every writer must store: ``analyze``'s PageRank rounded to 6 places, degree, community, labels.
EXPECTED = {
    "country:ARD": (0.407956, 2, 1, ["Country", "Entity", "Top10"]),
    "country:DUN": (0.215309, 1, 1, ["Country", "Entity", "Top10"]),
    "country:VEL": (0.215309, 1, 1, ["Country", "Entity", "Top10"]),
    "person:bo-karr": (0.077568, 1, 2, ["Entity", "Person", "Top10"]),
    "person:ada-fenn": (0.041929, 1, 2, ["Entity", "Person", "Top10"]),
    "country:OST": (0.041929, 0, None, ["Country", "Entity"]),
}


def _extraction(aid: str, sentence: str, entities: list[Entity], relations: list[tuple[str, str, str]]) -> Extraction:
    mentions = tuple(Mention(e.id, e.name, sentence.index(e.name), sentence.index(e.name) + len(e.name))
                     for e in entities)
    return Extraction(
        Article(aid, sentence, f"Title {aid}", "2024-05-01", f"https://example.org/{aid}", "Invented"),
        tuple(entities), tuple(sorted(mentions, key=lambda m: m.start)),
        tuple(Relation(s, p, o, "asserted", Evidence(aid, sentence, 0, len(sentence), "rule-x", 0.9))
              for s, p, o in relations))


def build_ranked_store(path) -> Store:
    store = Store(path)
    store.write(_extraction("a1", "Ardor met Dunmere and Velmar; Ostland stayed away.",
                            [ARDOR, DUNMERE, VELMAR, OSTLAND],
                            [("country:ARD", "MEETS", "country:DUN"), ("country:ARD", "MEETS", "country:VEL")]))
    store.write(_extraction("a2", "Ada Fenn backed Bo Karr.", [ADA, BO],
                            [("person:ada-fenn", "SUPPORTS", "person:bo-karr")]))
    return store


def _scores(driver) -> dict:
    records, _, _ = driver.execute_query(
        "MATCH (n:Entity) RETURN n.id AS id, n.pagerank AS pr, n.degree AS d, n.community AS c, labels(n) AS l")
    return {r["id"]: (r["pr"], r["d"], r["c"], sorted(r["l"])) for r in records}


def test_the_analysis_gives_the_hand_computed_pagerank(tmp_path):
    with build_ranked_store(tmp_path / "r.db") as store:
        ranks = actor_ranks(build_graph(store, evidence=False))
    assert {i: (r.pagerank, r.degree, r.community) for i, r in ranks.items()} == {
        i: e[:3] for i, e in EXPECTED.items()}
    assert all(abs(ranks[i].pagerank - BY_HAND[i]) < 2e-6 for i in BY_HAND)  # the iteration's stopping error
    assert [i for i, r in sorted(ranks.items(), key=lambda kv: kv[1].rank or 99)] == [
        "country:ARD", "country:DUN", "country:VEL", "person:bo-karr", "person:ada-fenn", "country:OST"]
    assert ranks["country:OST"].rank is None


def test_rows_of_the_script_and_the_csv_carry_the_scores(tmp_path):
    from graphbuild.sinks.export import write_import_csv

    with build_ranked_store(tmp_path / "r.db") as store:
        report = write_import_csv(store, tmp_path / "csv")
    assert report.nodes["entities_Country.csv"] == 4
    lines = (tmp_path / "csv" / "entities_Country.csv").read_text().splitlines()
    assert lines[0] == ("id:ID(Entity),:LABEL,name,aliases:string[],iso3,keys:string[],pagerank:float,degree:int,"
                        "community:int")
    by_id = {line.split(",")[0]: line.split(",") for line in lines[1:]}
    assert by_id["country:ARD"][1] == "Entity;Country;Top10" and by_id["country:ARD"][6:] == ["0.407956", "2", "1"]
    assert by_id["country:OST"][1] == "Entity;Country" and by_id["country:OST"][6:] == ["0.041929", "0", ""]


@pytest.mark.neo4j
def test_load_writes_pagerank_degree_community_and_rank_labels(neo4j_db, tmp_path):
    config = Neo4jConfig(uri=neo4j_db.uri, user=neo4j_db.user, password=neo4j_db.password)
    with build_ranked_store(tmp_path / "r.db") as store:
        load_store(store, config, driver=neo4j_db.driver)
        assert _scores(neo4j_db.driver) == EXPECTED
        again = load_store(store, config, driver=neo4j_db.driver)  # nothing moved: nothing written
        assert not again.changed and again.entities_written == 0
        # A new relation moves every score; a reload writes the new ones (and only the entities that moved).
        store.write(_extraction("a3", "Ostland criticized Ardor.", [OSTLAND, ARDOR],
                                [("country:OST", "CRITICIZES", "country:ARD")]))
        report = load_store(store, config, driver=neo4j_db.driver)
        wanted = actor_ranks(build_graph(store, evidence=False))
    got = _scores(neo4j_db.driver)
    assert {i: (r.pagerank, r.degree, r.community) for i, r in wanted.items()} == {i: g[:3] for i, g in got.items()}
    assert got["country:OST"][1:] == (1, 1, ["Country", "Entity", "Top10"])  # now in the star's community
    assert report.entities_written == sum(1 for i in got if got[i] != EXPECTED[i])


@pytest.mark.neo4j
def test_the_cypher_script_writes_the_same_scores(neo4j_db, tmp_path):
    import io

    from test_cypher_script import _run_script

    with build_ranked_store(tmp_path / "r.db") as store:
        out = io.StringIO()
        cy.write_script(store, out)
    _run_script(neo4j_db.driver, out.getvalue())
    assert _scores(neo4j_db.driver) == EXPECTED


def test_the_style_sizes_top_actors_after_the_type_rules():
    """Browser styles by label only (a later matching rule wins): the rank rules come last, bigger."""
    style = style_path().read_text(encoding="utf-8")
    rules = re.findall(r"^(node(?:\.\w+)?) \{([^}]*)\}", style, flags=re.M)
    names = [name for name, _ in rules]
    diameter = {name: int(re.search(r"diameter: (\d+)px", body).group(1)) for name, body in rules
                if "diameter" in body}
    assert names[-2:] == ["node.Top100", "node.Top10"]
    widest_type = max(v for k, v in diameter.items() if k not in ("node.Top100", "node.Top10"))
    assert widest_type < diameter["node.Top100"] < diameter["node.Top10"]


def test_the_bench_script_runs(repo_root, tmp_path):
    """bench/actor_ranks.py on the invented store (so it cannot rot): one row with the three parts."""
    import subprocess
    import sys

    build_ranked_store(tmp_path / "r.db").close()
    results = tmp_path / "RESULTS.md"
    done = subprocess.run([sys.executable, "bench/actor_ranks.py", "--db", str(tmp_path / "r.db"), "--append",
                           str(results)], cwd=repo_root, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "r.db: 6 entities, 3 relations; graph" in done.stderr
    row = results.read_text().splitlines()[-1]
    assert "| PageRank, degree and community of every entity" in row and "Louvain" in row
