"""All-or-nothing writes where the pipeline really writes, and loads that re-send rows (issue 19, tests that can fail).

* the ingest commits each batch with ``Store.write_many``: a batch that fails half way leaves nothing;
* the Neo4j load writes a group of new articles (article, mentions, evidence) in one transaction:
  a group that fails at its last statement leaves nothing in Neo4j;
* a load that re-sends every row (articles left unsealed, as an interrupted load leaves them)
  changes nothing: MERGE, not CREATE.
"""

from __future__ import annotations

import sqlite3

import pytest
from graphdata import build_fixture_store, expected_graph, extra_extraction, fixture_extractions, neo4j_graph

from graphbuild.errors import Neo4jError
from graphbuild.models import Entity, Evidence, Extraction, Relation
from graphbuild.sinks import cypher as cy
from graphbuild.sinks.neo4j import Neo4jConfig, load_store
from graphbuild.store import Store


def _config(db) -> Neo4jConfig:
    return Neo4jConfig(uri=db.uri, user=db.user, password=db.password, database=db.database)


def _rows(path, table: str) -> int:
    con = sqlite3.connect(path)
    try:
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        con.close()


def test_a_batch_that_fails_half_way_leaves_nothing(tmp_path):
    """Two good articles then a bad one in ONE ``write_many`` (the pipeline's batch write): none is stored."""
    good = fixture_extractions()[:2]
    seed = extra_extraction()
    bad = Extraction(seed.article, seed.entities + (Entity("country:ZZZ", "Country", "Zedland"),), seed.mentions,
                     seed.relations + (Relation("country:ZZZ", "NOT_A_TYPE", "country:RUS", "asserted",
                                                Evidence(seed.article.id, "s", 0, 1, "r", 1.0)),))
    db = tmp_path / "g.db"
    with Store(db) as store:
        store.write(fixture_extractions()[5])  # committed before: must survive untouched
        with pytest.raises(ValueError, match="unknown relation type 'NOT_A_TYPE'"):
            store.write_many([*good, bad])
        assert [a.id for a in store.articles()] == ["nato-summit"]
        assert store.stats()["relations"] == 6 and store.stats()["evidence"] == 6
    for table, n in (("articles", 1), ("relations", 6)):
        assert _rows(db, table) == n, table
    con = sqlite3.connect(db)
    assert con.execute("SELECT count(*) FROM entities WHERE id = 'country:ZZZ'").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM mentions WHERE article_id != 'nato-summit'").fetchone()[0] == 0
    con.close()


@pytest.mark.neo4j
def test_a_group_of_new_articles_that_fails_leaves_nothing_in_neo4j(neo4j_db, tmp_path, monkeypatch):
    """The evidence statement of a group fails (after its articles and mentions were sent in the same
    transaction): Neo4j must hold none of the group's articles or mentions."""
    from graphbuild.sinks.neo4j import writer

    real = writer._columnar

    def failing(statement, rows):
        if statement is cy.EVIDENCE_CREATE:
            return "UNWIND $rows AS row RETURN 1 / (size($rows) - size($rows))", {"rows": [1]}
        return real(statement, rows)

    monkeypatch.setattr(writer, "_columnar", failing)
    store = build_fixture_store(tmp_path / "g.db")
    with pytest.raises(Neo4jError):
        load_store(store, _config(neo4j_db), batch_size=100_000)  # one group: all six articles
    records, _, _ = neo4j_db.driver.execute_query(
        "RETURN COUNT { MATCH (a:Article) } AS articles, COUNT { MATCH ()-[:MENTIONS]->() } AS mentions",
        database_=neo4j_db.database)
    assert [tuple(r.values()) for r in records] == [(0, 0)]
    monkeypatch.setattr(writer, "_columnar", real)
    load_store(store, _config(neo4j_db))
    assert neo4j_graph(neo4j_db.driver) == expected_graph(store)


@pytest.mark.neo4j
def test_a_load_that_resends_every_row_changes_nothing(neo4j_db, tmp_path):
    """Unsealed articles (what an interrupted load leaves) make the next load send their articles,
    mentions, evidence and every relation again: the graph, its counts and its element ids stay."""
    store = build_fixture_store(tmp_path / "g.db")
    load_store(store, _config(neo4j_db))
    expected = expected_graph(store)
    assert neo4j_graph(neo4j_db.driver) == expected
    ids, _, _ = neo4j_db.driver.execute_query(
        "MATCH (n) RETURN elementId(n) AS id UNION ALL MATCH ()-[r]->() RETURN elementId(r) AS id",
        database_=neo4j_db.database)
    neo4j_db.driver.execute_query("MATCH (a:Article) REMOVE a.sha256", database_=neo4j_db.database)
    neo4j_db.driver.execute_query("MATCH (e:Entity {id: 'country:RUS'}) SET e.aliases = []",
                                  database_=neo4j_db.database)
    report = load_store(store, _config(neo4j_db))
    assert (report.articles_changed, report.entities_written) == (6, 1)
    assert report.relations_written == 29  # every relation re-sent ...
    assert report.relationships_created == report.nodes_created == 0  # ... and nothing created twice
    assert neo4j_graph(neo4j_db.driver) == expected
    again, _, _ = neo4j_db.driver.execute_query(
        "MATCH (n) RETURN elementId(n) AS id UNION ALL MATCH ()-[r]->() RETURN elementId(r) AS id",
        database_=neo4j_db.database)
    assert sorted(r["id"] for r in again) == sorted(r["id"] for r in ids)


@pytest.mark.neo4j
def test_the_comparison_sees_a_duplicated_relationship(neo4j_db, tmp_path):
    """The helper every Neo4j test compares with counts each relationship: a second MEETS edge between
    the same two nodes (same properties) must make the graphs differ."""
    store = build_fixture_store(tmp_path / "g.db")
    load_store(store, _config(neo4j_db))
    expected = expected_graph(store)
    neo4j_db.driver.execute_query(
        "MATCH (s:Entity {id: 'person:kim-jong-un'})-[r:MEETS]->(o:Entity {id: 'person:vladimir-putin'}) "
        "CREATE (s)-[r2:MEETS]->(o) SET r2 = properties(r)", database_=neo4j_db.database)
    got = neo4j_graph(neo4j_db.driver)
    assert got != expected
    assert got["duplicates"] == [("relation", ("MEETS", "person:kim-jong-un", "person:vladimir-putin"))]
    assert got["counts"]["relationships"] == expected["counts"]["relationships"] + 1
