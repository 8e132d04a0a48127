"""``graphbuild entities``: list, search, merge, split, rename, alias add; the identity file; Neo4j follows."""

from __future__ import annotations

import io
import json

import pytest
from typer.testing import CliRunner

from graphbuild.cli import app
from graphbuild.store import Store
from identity_helpers import article, ent, snapshot

runner = CliRunner()
ARNOR, GONDOR = ent("Country", "Arnor"), ent("Country", "Gondor")


def docs() -> list:
    return [
        article("a1", [ent("Person", "Borin"), ARNOR], [("Borin", "VISITS", "Arnor")]),
        article("a2", [ent("Person", "Aldo Borin"), GONDOR], [("Aldo Borin", "LEADER_OF", "Gondor")]),
        article("a3", [ent("Person", "Kim Sol Hwan"), ARNOR], [("Kim Sol Hwan", "MEETS", "Arnor")]),
        article("a4", [ent("Person", "Kim Yeon Ah"), GONDOR], [("Kim Yeon Ah", "MEETS", "Gondor")]),
        article("a5", [ent("Person", "Kim"), ARNOR, GONDOR], [("Kim", "CRITICIZES", "Arnor")]),
        article("a6", [ent("Person", "The Old Bear"), GONDOR], [("The Old Bear", "VISITS", "Gondor")]),
    ]


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "graphbuild.db"  # the store GRAPHBUILD_DB names in every test
    with Store(path) as store:
        store.write_many(docs())
    return path


def run(*args: str):
    return runner.invoke(app, ["entities", *args])


def test_list_and_search_with_counts_and_articles(db):
    res = run("list", "--type", "Person", "--json")
    assert res.exit_code == 0, res.output
    rows = {r["id"]: r for r in json.loads(res.stdout)}
    assert set(rows) == {"person:aldo-borin", "person:kim-sol-hwan", "person:kim-yeon-ah", "person:kim",
                         "person:the-old-bear"}
    assert rows["person:aldo-borin"]["articles"] == 2
    assert rows["person:aldo-borin"]["extracted_ids"] == ["person:aldo-borin", "person:borin"]
    assert rows["person:kim"]["ambiguous"] is True
    res = run("list", "--ambiguous", "--json")
    assert [r["id"] for r in json.loads(res.stdout)] == ["person:kim"]
    res = run("search", "aldo borrin", "--json")
    found = json.loads(res.stdout)
    assert res.exit_code == 0 and found[0]["id"] == "person:aldo-borin" and found[0]["article_ids"] == ["a1", "a2"]
    res = run("search", "Kim", "--json")
    assert res.exit_code == 0 and {"person:kim", "person:kim-sol-hwan", "person:kim-yeon-ah"} <= {
        r["id"] for r in json.loads(res.stdout)}
    res = run("search", "Kim")
    assert res.exit_code == 0 and res.stdout.startswith("Entities like 'Kim'")
    res = run("search", "Zzyzx")
    assert res.exit_code == 0 and res.stdout == "" and "no entity is named like 'Zzyzx'" in res.stderr
    assert run("list", "--type", "Dragon").exit_code == 1


def test_merge_survives_reingest_and_split_undoes_it(db, tmp_path):
    res = run("merge", "person:aldo-borin", "person:the-old-bear", "--json")
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["articles_revised"] == 1
    ident = tmp_path / "graphbuild.identity.yaml"
    assert "person:the-old-bear: person:aldo-borin" in ident.read_text()
    with Store(db) as store:  # the article is ingested again, changed: the decision holds
        store.write(article("a6", [ent("Person", "The Old Bear"), ARNOR], [("The Old Bear", "VISITS", "Arnor")]))
    assert ("a6", "person:aldo-borin", "VISITS", "country:ARN") in snapshot(db)["relations"]
    res = run("split", "person:aldo-borin")
    assert res.exit_code == 0, res.output
    assert "split person:aldo-borin into person:borin, person:the-old-bear" in res.stderr
    ids = {e[0] for e in snapshot(db)["entities"]}
    assert {"person:borin", "person:the-old-bear", "person:aldo-borin"} <= ids
    res = run("split", "person:aldo-borin")
    assert res.exit_code == 1 and res.stderr.strip() == "error: person:aldo-borin: one extracted name only, nothing to split"


def test_rename_and_alias(db):
    assert run("rename", "person:kim-sol-hwan", "Marshal Kim Sol Hwan").exit_code == 0
    assert run("alias", "add", "person:kim-yeon-ah", "Kim").exit_code == 0  # every lone "Kim" is her
    snap = snapshot(db)
    ents = {e[0]: e for e in snap["entities"]}
    assert ents["person:kim-sol-hwan"][2] == "Marshal Kim Sol Hwan"
    assert "person:kim" not in ents
    assert ("a5", "person:kim-yeon-ah", "CRITICIZES", "country:ARN") in snap["relations"]
    res = run("list", "--json")
    row = next(r for r in json.loads(res.stdout) if r["id"] == "person:kim-yeon-ah")
    assert "Kim" in row["aliases"]


def test_bad_ids_and_types_are_one_line(db):
    res = run("merge", "person:aldo-borin", "person:nobody-here")
    assert res.exit_code == 1 and res.stderr.count("\n") == 1 and "person:nobody-here: no such entity" in res.stderr
    res = run("merge", "person:aldo-borin", "country:ARN")
    assert res.exit_code == 1 and "only entities of one type merge" in res.stderr
    res = run("rename", "bogus", "X")
    assert res.exit_code == 1 and "'bogus' is not an entity id" in res.stderr


def test_a_broken_identity_file_is_one_line(db, tmp_path):
    (tmp_path / "graphbuild.identity.yaml").write_text("merge: [1, 2\n", encoding="utf-8")
    res = run("list")
    assert res.exit_code == 1 and res.stderr.startswith(f"error: {tmp_path / 'graphbuild.identity.yaml'}: invalid YAML")


@pytest.mark.neo4j
def test_a_merge_reaches_neo4j_by_load_and_by_script(db, neo4j_db, tmp_path):
    from graphdata import expected_graph, neo4j_graph
    from test_cypher_script import _run_script

    from graphbuild.sinks import cypher as cy
    from graphbuild.sinks.neo4j import Neo4jConfig, load_store

    config = Neo4jConfig(uri=neo4j_db.uri, user=neo4j_db.user, password=neo4j_db.password,
                         database=neo4j_db.database)
    with Store(db) as store:
        load_store(store, config)
    assert run("merge", "person:aldo-borin", "person:the-old-bear").exit_code == 0
    with Store(db) as store:
        report = load_store(store, config)
        assert report.articles_changed == 1 and report.entities_deleted == 1
        assert neo4j_graph(neo4j_db.driver) == expected_graph(store)
        assert _nothing_changed(load_store(store, config))
    # a database an older script loaded: the new script deletes the merged node and its evidence
    neo4j_db.driver.execute_query("MATCH (n) DETACH DELETE n", database_="neo4j")
    assert run("split", "person:aldo-borin").exit_code == 0
    with Store(db) as store:
        old = io.StringIO()
        cy.write_script(store, old)
    _run_script(neo4j_db.driver, old.getvalue())
    assert run("merge", "person:aldo-borin", "person:the-old-bear", "person:borin").exit_code == 0
    with Store(db) as store:
        new = io.StringIO()
        cy.write_script(store, new)
        _run_script(neo4j_db.driver, new.getvalue())
        graph = neo4j_graph(neo4j_db.driver)
        assert graph == expected_graph(store)
    assert "person:the-old-bear" not in repr(graph) and "person:borin'" not in repr(graph)


def _nothing_changed(report) -> bool:
    return not report.changed and report.nodes_updated == report.relationships_updated == 0
