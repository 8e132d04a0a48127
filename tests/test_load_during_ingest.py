"""``load`` while an ingest commits: one read snapshot per load, against the real Neo4j.

A load reads the store in several steps (article ids and hashes, entities, the new
articles' rows, the touched relations).  Without one snapshot for all of them, an
article committed between two steps is half seen (the old code crashed with a KeyError
or loaded a graph the store never held).  With it, every load mirrors one state of the
store and the next load brings the rest.
"""

from __future__ import annotations

import json
import threading
import time

import pytest
from graphdata import build_fixture_store, expected_graph, extra_extraction, neo4j_graph
from randomcorpus import random_extractions
from typer.testing import CliRunner

from graphbuild.cli import app
from graphbuild.models import Extraction
from graphbuild.pipeline import ingest
from graphbuild.sinks.neo4j import Neo4jConfig, load_store
from graphbuild.store import Store

pytestmark = pytest.mark.neo4j


def _config(db) -> Neo4jConfig:
    return Neo4jConfig(uri=db.uri, user=db.user, password=db.password, database=db.database)


def _dangling(driver) -> list:
    """Relations naming an article Neo4j does not hold, and articles missing the evidence the relations count.

    After every load both are empty: the load wrote one state of the store.  A load that read the
    relations after an article was committed, but the articles before, leaves some.
    """
    records, _, _ = driver.execute_query(
        "MATCH (:Entity)-[r]->(:Entity) UNWIND r.article_ids AS aid "
        "OPTIONAL MATCH (a:Article {id: aid}) WITH r, aid, a WHERE a IS NULL RETURN type(r), aid "
        "UNION ALL MATCH (s:Entity)-[r]->(o:Entity) "
        "OPTIONAL MATCH (ev:Evidence {rel_key: r.key}) WITH r, count(ev) AS n WHERE n <> r.count "
        "RETURN type(r) AS `type(r)`, r.key AS aid", database_="neo4j")
    return [tuple(r.values()) for r in records]


def _relationship_count(driver) -> int:
    records, _, _ = driver.execute_query("MATCH ()-[r]->() RETURN count(r) AS n", database_="neo4j")
    return records[0]["n"]


class _Given:
    """An extractor that returns prepared extractions (what is under test is the store and the load).

    ``pause`` seconds per article stand for the model's work, so that commits spread over the loads.
    """

    def __init__(self, extractions: list[Extraction], pause: float = 0.0) -> None:
        self._by_id = {ex.article.id: ex for ex in extractions}
        self._pause = pause

    def extract_many(self, articles):
        for article in articles:
            time.sleep(self._pause)
            yield self._by_id[article.id]


def test_an_article_committed_in_the_middle_of_a_load_waits_for_the_next(neo4j_db, tmp_path):
    db = tmp_path / "g.db"
    build_fixture_store(db).close()
    before = tmp_path / "before.db"
    build_fixture_store(before).close()
    store = Store(db)
    original = store.article_sizes
    committed = []

    def commit_then_read(ids):
        if not committed:  # another process's ingest commits between the load's first reads and the rest
            with Store(db) as other:
                committed.extend(other.write_many([extra_extraction()]))
        return original(ids)

    store.article_sizes = commit_then_read
    try:
        report = load_store(store, _config(neo4j_db))
    finally:
        store.article_sizes = original
    assert [r.status for r in committed] == ["new"]
    assert report.articles_new == 6
    with Store(before) as as_it_was:
        assert neo4j_graph(neo4j_db.driver) == expected_graph(as_it_was)
    # the next load brings the article that arrived meanwhile
    report = load_store(store, _config(neo4j_db))
    assert (report.articles_new, report.articles_unchanged) == (1, 6)
    assert neo4j_graph(neo4j_db.driver) == expected_graph(store)
    store.close()


def test_loads_running_while_an_ingest_commits_batch_after_batch(neo4j_db, tmp_path):
    db = tmp_path / "g.db"
    Store(db).close()
    extractions = random_extractions(30, seed=11)
    failures: list[BaseException] = []

    def run_ingest() -> None:
        try:
            with Store(db) as writer:
                ingest([ex.article for ex in extractions], writer, _Given(extractions, 0.1), batch_size=3)
        except BaseException as exc:  # noqa: BLE001 - reported by the test thread
            failures.append(exc)

    thread = threading.Thread(target=run_ingest)
    loads = []
    with Store(db) as store:
        entities = store.entities

        def slow_entities():
            time.sleep(0.3)  # widen the gap between the load's reads: a commit (one every 0.3 s) lands inside it
            return entities()

        load_store(store, _config(neo4j_db))  # the schema first: the loads during the ingest are quick
        store.entities = slow_entities
        thread.start()
        while thread.is_alive() or not loads:
            loads.append(load_store(store, _config(neo4j_db), batch_size=50))
            assert _dangling(neo4j_db.driver) == [], f"load {len(loads)} wrote a state the store never had"
        thread.join()
        assert failures == []
        loads.append(load_store(store, _config(neo4j_db)))
        expected = expected_graph(store)
    assert sum(r.articles_new for r in loads) == len(extractions)
    assert neo4j_graph(neo4j_db.driver) == expected
    # every relationship counted, evidence links and supplied items included: no duplicate either
    assert _relationship_count(neo4j_db.driver) == expected["counts"]["relationships"]


# -- 7. the URI printed by load --json has no password ------------------------------------------
def test_load_json_prints_the_uri_without_the_password(neo4j_db, tmp_path, monkeypatch):
    db = tmp_path / "g.db"
    build_fixture_store(db).close()
    scheme, rest = neo4j_db.uri.split("://", 1)
    secret = neo4j_db.password or "uRi-s3cret-pw"
    monkeypatch.setenv("NEO4J_URI", f"{scheme}://{neo4j_db.user}:{secret}@{rest}")
    result = CliRunner().invoke(app, ["load", "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["uri"] == neo4j_db.uri
    assert secret not in result.output
    result = CliRunner().invoke(app, ["load", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert f"Loaded into {neo4j_db.uri} (database neo4j)" in result.stdout
    assert secret not in result.output
