"""``load``: the store pushed into the real Neo4j, idempotent and incremental; connection and auth errors."""

from __future__ import annotations

import json
import socket

import pytest
from graphdata import (
    build_fixture_store,
    changed_extraction,
    expected_graph,
    extra_extraction,
    fixture_extractions,
    neo4j_graph,
)
from typer.testing import CliRunner

from graphbuild.cli import app
from graphbuild.errors import Neo4jError
from graphbuild.sinks import cypher as cy
from graphbuild.sinks.neo4j import LoadReport, Neo4jConfig, connect, load_store
from graphbuild.store import Store

N_SCHEMA = len(cy.schema_statements())
N_CONSTRAINTS = sum(1 for s in cy.schema_statements() if s.startswith("CREATE CONSTRAINT"))


def _config(db) -> Neo4jConfig:
    return Neo4jConfig(uri=db.uri, user=db.user, password=db.password, database=db.database)


def _element_ids(driver) -> set[str]:
    records, _, _ = driver.execute_query(
        "MATCH (n) RETURN elementId(n) AS id UNION ALL MATCH ()-[r]->() RETURN elementId(r) AS id", database_="neo4j")
    return {r["id"] for r in records}


def _nothing_written(report: LoadReport) -> bool:
    return (not report.changed and report.batches == 0
            and report.nodes_updated == report.relationships_updated == 0)


@pytest.mark.neo4j
def test_first_load_equals_the_store(neo4j_db, tmp_path):
    store = build_fixture_store(tmp_path / "g.db")
    report = load_store(store, _config(neo4j_db), batch_size=7)
    expected = expected_graph(store)
    assert neo4j_graph(neo4j_db.driver) == expected
    assert report.articles_new == 6 and report.articles_changed == report.articles_unchanged == 0
    assert report.constraints_added == N_CONSTRAINTS
    assert report.indexes_added == N_SCHEMA - N_CONSTRAINTS
    assert report.nodes_created == len(expected["entities"]) + len(expected["articles"]) + len(expected["evidence"])
    assert report.relationships_created == (
        len(expected["relations"]) + len(expected["mentions"]) + len(expected["in_article"])
        + len(expected["about"]) + len(expected["items"]))
    assert report.nodes_updated == report.relationships_updated == 0
    assert report.nodes_deleted == report.relationships_deleted == 0
    assert report.relations_written == len(expected["relations"])
    assert report.batches > len(cy.RELATION_TYPES)  # batch_size=7 splits the evidence and mentions


@pytest.mark.neo4j
def test_loading_twice_changes_nothing(neo4j_db, tmp_path):
    store = build_fixture_store(tmp_path / "g.db")
    load_store(store, _config(neo4j_db))
    before, ids = neo4j_graph(neo4j_db.driver), _element_ids(neo4j_db.driver)
    report = load_store(store, _config(neo4j_db))
    assert _nothing_written(report), report
    assert report.articles_unchanged == 6 and report.articles_new == report.articles_changed == 0
    assert neo4j_graph(neo4j_db.driver) == before
    assert _element_ids(neo4j_db.driver) == ids


@pytest.mark.neo4j
def test_a_new_article_adds_only_what_is_new(neo4j_db, tmp_path):
    store = build_fixture_store(tmp_path / "g.db")
    load_store(store, _config(neo4j_db))
    ids_before = _element_ids(neo4j_db.driver)
    old_entities = expected_graph(store)["entities"]
    store.write(extra_extraction())
    report = load_store(store, _config(neo4j_db))
    expected = expected_graph(store)
    assert neo4j_graph(neo4j_db.driver) == expected
    assert ids_before <= _element_ids(neo4j_db.driver)  # nothing was recreated
    # The new article: 1 Article node, 2 Evidence nodes; 1 new relation (PRK SIGNS_AGREEMENT_WITH RUS),
    # its mentions and 2 IN_ARTICLE links; the Putin-Kim MEETS edge gets new aggregates.
    new_mentions = sum(1 for (a, _e) in expected["mentions"] if a == "kim-putin-pyongyang")
    assert (report.articles_new, report.articles_changed, report.articles_unchanged) == (1, 0, 6)
    # The only entities written are those whose PageRank, degree, community or rank label moved.
    moved = {i for i, e in expected["entities"].items() if old_entities[i] != e}
    assert moved and all({k: v for k, v in e.items() if k not in ("pagerank", "degree", "community", "labels")}
                         == {k: v for k, v in old_entities[i].items()
                             if k not in ("pagerank", "degree", "community", "labels")}
                         for i, e in expected["entities"].items())
    assert report.nodes_created == 3 and report.nodes_updated == len(moved) and report.nodes_deleted == 0
    assert report.relationships_created == 1 + new_mentions + 2 + 2 * 2  # relation, mentions, evidence + its links
    assert report.relationships_updated == 1 and report.relationships_deleted == 0
    assert report.entities_written == len(moved)
    meets = neo4j_graph(neo4j_db.driver)["relations"][("MEETS", "person:kim-jong-un", "person:vladimir-putin")]
    assert meets["count"] == 4 and meets["last_date"] == "2024-08-02"
    assert _nothing_written(load_store(store, _config(neo4j_db)))


@pytest.mark.neo4j
def test_a_changed_article_replaces_its_old_evidence(neo4j_db, tmp_path):
    store = build_fixture_store(tmp_path / "g.db")
    load_store(store, _config(neo4j_db))
    old = neo4j_graph(neo4j_db.driver)
    old_ev = {i for i, e in old["evidence"].items() if e["article_id"] == "pyongyang-shells"}
    store.write(changed_extraction())
    report = load_store(store, _config(neo4j_db))
    got = neo4j_graph(neo4j_db.driver)
    assert got == expected_graph(store)
    assert (report.articles_new, report.articles_changed, report.articles_unchanged) == (0, 1, 5)
    new_ev = {i for i, e in got["evidence"].items() if e["article_id"] == "pyongyang-shells"}
    assert len(old_ev) == 3 and len(new_ev) == 2 and not old_ev & new_ev  # every sentence moved: all replaced
    assert report.evidence_deleted == 3 and report.evidence_written == 2
    text = changed_extraction().article.text
    assert all(got["evidence"][i]["sentence"] in text for i in new_ev)
    # The sanctions were only in the old version: relation gone; ballistic missiles: entity gone.
    assert ("SANCTIONS", "country:USA", "country:PRK") not in got["relations"]
    assert "weapon:ballistic-missiles" not in got["entities"]
    assert report.relations_deleted == 1 and report.entities_deleted == 1
    arms = got["relations"][("SUPPLIES_ARMS_TO", "country:PRK", "country:RUS")]
    assert arms["items"] == ["weapon:artillery-ammunition"] and arms["last_date"] == "2023-10-21"
    assert got["articles"]["pyongyang-shells"]["sha256"] == changed_extraction().article.sha256
    assert _nothing_written(load_store(store, _config(neo4j_db)))


@pytest.mark.neo4j
def test_articles_missing_from_the_store_are_removed(neo4j_db, tmp_path):
    full = build_fixture_store(tmp_path / "full.db")
    load_store(full, _config(neo4j_db))
    with Store(tmp_path / "part.db") as part:
        for ex in fixture_extractions():
            if ex.article.id != "kyiv-strikes":
                part.write(ex)
        report = load_store(part, _config(neo4j_db))
        assert report.articles_removed == 1 and report.articles_unchanged == 5
        assert neo4j_graph(neo4j_db.driver) == expected_graph(part)


@pytest.mark.neo4j
@pytest.mark.parametrize("stop_after", [1, 3, 6, 9])
def test_an_interrupted_load_is_finished_by_the_next(neo4j_db, tmp_path, stop_after):
    store = build_fixture_store(tmp_path / "g.db")
    load_store(store, _config(neo4j_db))
    store.write(changed_extraction())
    store.write(extra_extraction())
    calls = []

    def crash(done: int, total: int) -> None:
        calls.append(done)
        if len(calls) > stop_after:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        load_store(store, _config(neo4j_db), batch_size=1, progress=crash)
    load_store(store, _config(neo4j_db))
    assert neo4j_graph(neo4j_db.driver) == expected_graph(store)


@pytest.mark.neo4j
def test_article_ids_limit_the_load(neo4j_db, tmp_path):
    store = build_fixture_store(tmp_path / "g.db")
    report = load_store(store, _config(neo4j_db), article_ids=["beijing-talks"])
    assert report.articles_new == 1
    got = neo4j_graph(neo4j_db.driver)
    assert set(got["articles"]) == {"beijing-talks"}
    assert {e["article_id"] for e in got["evidence"].values()} == {"beijing-talks"}
    assert got["entities"] == expected_graph(store)["entities"]
    load_store(store, _config(neo4j_db))
    assert neo4j_graph(neo4j_db.driver) == expected_graph(store)


@pytest.mark.neo4j
def test_progress_counts_every_row(neo4j_db, tmp_path):
    store = build_fixture_store(tmp_path / "g.db")
    seen: list[tuple[int, int]] = []
    load_store(store, _config(neo4j_db), batch_size=10, progress=lambda d, t: seen.append((d, t)))
    total = seen[0][1]
    assert seen[0] == (0, total) and seen[-1] == (total, total)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_bad_batch_size(tmp_path):
    with pytest.raises(ValueError):
        load_store(build_fixture_store(tmp_path / "g.db"), Neo4jConfig(), batch_size=0)


# -- the command -----------------------------------------------------------------
@pytest.mark.neo4j
def test_load_command_json_and_env(neo4j_db, tmp_path, monkeypatch):
    db = tmp_path / "g.db"
    store = build_fixture_store(db)
    expected = expected_graph(store)
    store.close()
    monkeypatch.setenv("NEO4J_URI", neo4j_db.uri)
    if neo4j_db.password:
        monkeypatch.setenv("NEO4J_PASSWORD", neo4j_db.password)
    runner = CliRunner()
    result = runner.invoke(app, ["load", "--db", str(db), "--json", "--batch-size", "3"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["uri"] == neo4j_db.uri and data["articles_new"] == 6
    assert data["nodes_created"] == len(expected["entities"]) + len(expected["articles"]) + len(expected["evidence"])
    assert neo4j_graph(neo4j_db.driver) == expected
    result = runner.invoke(app, ["load", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert f"Loaded into {neo4j_db.uri} (database neo4j)" in result.stdout
    assert "nothing to change" in result.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_connection_refused_is_one_line_without_the_password(tmp_path, monkeypatch):
    port = _free_port()
    monkeypatch.setenv("NEO4J_PASSWORD", "env-secret-hunter2")
    for args in (["--uri", f"bolt://127.0.0.1:{port}"], ["--uri", f"bolt://127.0.0.1:{port}", "--password", "flag-secret-42"]):
        result = CliRunner().invoke(app, ["load", "--db", str(tmp_path / "g.db"), *args])
        assert result.exit_code == 1
        assert result.stderr == (f"error: cannot reach Neo4j at bolt://127.0.0.1:{port}: connection refused; "
                                 "start it with `docker compose up -d` or set NEO4J_URI\n")
        assert result.stdout == ""
        assert "secret" not in result.output and "Traceback" not in result.output


def test_bad_uri_is_one_line(tmp_path):
    result = CliRunner().invoke(app, ["load", "--db", str(tmp_path / "g.db"), "--uri", "http://localhost:7474"])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: cannot use NEO4J_URI 'http://localhost:7474': ")
    assert result.stderr.count("\n") == 1


def test_config_from_options_env_and_defaults(monkeypatch):
    assert Neo4jConfig.resolve(env={}) == Neo4jConfig("bolt://localhost:7687", "neo4j", None, "neo4j")
    env = {"NEO4J_URI": "neo4j://h:1", "NEO4J_USER": "u", "NEO4J_PASSWORD": "p", "NEO4J_DATABASE": "d"}
    assert Neo4jConfig.resolve(env=env) == Neo4jConfig("neo4j://h:1", "u", "p", "d")
    assert Neo4jConfig.resolve("bolt://x:2", "v", "q", "e", env=env) == Neo4jConfig("bolt://x:2", "v", "q", "e")
    assert "p" not in repr(Neo4jConfig.resolve(env=env)).replace("neo4j", "")
    monkeypatch.setenv("NEO4J_URI", "bolt://from-env:7687")
    assert Neo4jConfig.resolve().uri == "bolt://from-env:7687"


# -- authentication on ------------------------------------------------------------
AUTH_PASSWORD = "right-horse-battery-9"


@pytest.fixture(scope="module")
def auth_server(neo4j_launcher):
    """A second throwaway server with authentication on (initial password changed by the launcher)."""
    server = neo4j_launcher.start(auth=True, password=AUTH_PASSWORD)
    try:
        yield server
    finally:
        server.stop()


@pytest.mark.neo4j
def test_wrong_password_is_one_line_without_the_password(auth_server, tmp_path, monkeypatch):
    uri = auth_server.bolt_uri
    monkeypatch.setenv("NEO4J_URI", uri)
    monkeypatch.setenv("NEO4J_PASSWORD", "wrong-secret-hunter2")
    result = CliRunner().invoke(app, ["load", "--db", str(tmp_path / "g.db")])
    assert result.exit_code == 1
    assert result.stderr == (f"error: Neo4j at {uri} refused the credentials for user 'neo4j'; "
                             "set NEO4J_PASSWORD\n")
    assert "secret" not in result.output and "Traceback" not in result.output
    monkeypatch.delenv("NEO4J_PASSWORD")
    result = CliRunner().invoke(app, ["query", "meetings"])
    assert result.exit_code == 1
    assert result.stderr == f"error: Neo4j at {uri} needs a password for user 'neo4j'; set NEO4J_PASSWORD\n"


@pytest.mark.neo4j
def test_right_password_loads(auth_server, tmp_path, monkeypatch):
    db = tmp_path / "g.db"
    store = build_fixture_store(db)
    monkeypatch.setenv("NEO4J_URI", auth_server.bolt_uri)
    monkeypatch.setenv("NEO4J_PASSWORD", AUTH_PASSWORD)
    result = CliRunner().invoke(app, ["load", "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    assert AUTH_PASSWORD not in result.output
    driver = connect(Neo4jConfig.resolve())
    try:
        assert neo4j_graph(driver) == expected_graph(store)
        with pytest.raises(Neo4jError, match=r"has no database 'nope'; set NEO4J_DATABASE"):
            connect(Neo4jConfig.resolve(database="nope"))
    finally:
        driver.close()
