"""``graphbuild export --format csv`` imported for real with ``neo4j-admin database import full``.

The command the export prints (``CsvReport.import_command``) runs against the
provisioned Neo4j jars (``org.neo4j.cli.AdminTool``) into a throwaway home; a
server started on that home must then hold the same graph ``graphbuild load``
writes into the ``neo4j_db`` test database from the same store.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import time

import pytest
from graphdata import NASTY_NAME, NASTY_TITLE, build_fixture_store
from neo4j import GraphDatabase

from graphbuild.graph.model import aggregate_relations
from graphbuild.ontology import ENTITY_TYPES, RELATION_TYPES
from graphbuild.sinks import cypher as cy
from graphbuild.sinks.export import write_import_csv
from graphbuild.sinks.neo4j import Neo4jConfig, load_store

pytestmark = pytest.mark.neo4j

IMPORT_TIMEOUT = 300

NODES = "MATCH (n) RETURN labels(n) AS labels, properties(n) AS props"
RELATIONSHIPS = ("MATCH (a)-[r]->(b) RETURN a.id AS start, type(r) AS type, b.id AS end, "
                 "properties(r) AS props")


def _admin_import(launcher, home, command: str) -> subprocess.CompletedProcess:
    """Run ``command`` (as ``import_command()`` prints it) with the jars' AdminTool on ``home``."""
    args = shlex.split(command.replace("\\\n", " "))  # as a shell reads it: line continuations, quotes
    assert args[:4] == ["neo4j-admin", "database", "import", "full"], command
    jvm = [o for o in launcher.JVM_OPTIONS if o.startswith(("--add-opens", "-D"))]
    java = [launcher._java(), "-Xmx512m", *jvm, f"-Djava.io.tmpdir={home / 'tmp'}",
            "-cp", f"{launcher.lib_dir()}/*", "org.neo4j.cli.AdminTool", *args[1:]]
    env = {**os.environ, "NEO4J_HOME": str(home), "NEO4J_CONF": str(home / "conf")}
    done = subprocess.run(java, env=env, cwd=home, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          timeout=IMPORT_TIMEOUT)
    assert done.returncode == 0, (f"neo4j-admin import failed (exit {done.returncode}):\n"
                                  + "\n".join((done.stdout + done.stderr).splitlines()[-60:]))
    return done


def _dump(driver, database: str = "neo4j"):
    """Every node (labels, properties) and relationship (ends, type, properties), sorted."""
    with driver.session(database=database) as session:
        nodes = sorted((tuple(sorted(r["labels"])), r["props"]["id"], _canon(r["props"]))
                       for r in session.run(NODES))
        rels = sorted((r["start"], r["type"], r["end"], _canon(r["props"])) for r in session.run(RELATIONSHIPS))
    return nodes, rels


def _canon(props: dict) -> tuple:
    """Hashable, order-free properties; the value's Python type is part of it (int vs float vs str).

    Empty arrays are left out: ``load`` writes ``[]`` (no aliases, no items) but
    neo4j-admin cannot import an empty array (an empty cell, even ``""``, is no
    property); ``load`` reads a missing array as ``[]``, so both are the same graph to it.
    """
    return tuple(sorted((k, type(v).__name__, tuple(v) if isinstance(v, list) else v)
                        for k, v in props.items() if v != []))


def test_admin_import_equals_load(tmp_path, neo4j_launcher, neo4j_db):
    store_path = tmp_path / "g.db"
    with build_fixture_store(store_path) as store:
        report = write_import_csv(store, tmp_path / "csv")
        entities = list(store.entities())
        edges = list(aggregate_relations(store.evidence()))
        n_articles = len(list(store.article_rows()))
        n_mentions = len(list(store.article_entities()))
        load_store(store, Neo4jConfig(uri=neo4j_db.uri, user=neo4j_db.user, password=neo4j_db.password),
                   driver=neo4j_db.driver)
    n_evidence = sum(e.count for e in edges)
    loaded_nodes, loaded_rels = _dump(neo4j_db.driver)

    neo4j_launcher.provision(quiet=True)
    home = neo4j_launcher.prepare_home(tmp_path / "home")
    command = report.import_command(prefix=f"{tmp_path / 'csv'}/")
    t0 = time.monotonic()
    done = _admin_import(neo4j_launcher, home, command)
    assert "IMPORT DONE" in done.stdout, done.stdout[-2000:]
    import_seconds = time.monotonic() - t0

    server = neo4j_launcher.start(home=home)
    try:
        with GraphDatabase.driver(server.bolt_uri, auth=server.auth) as driver:
            imported_nodes, imported_rels = _dump(driver)
            with driver.session(database="neo4j") as session:
                labels = {r["label"]: r["n"] for r in session.run(
                    "MATCH (n) UNWIND labels(n) AS label RETURN label, count(*) AS n")}
                types = {r["type"]: r["n"] for r in session.run(
                    "MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS n")}
                rus = session.run("MATCH (n:Entity {id: 'country:RUS'}) RETURN n").single(strict=True)["n"]
                site = session.run("MATCH (n:Location {id: 'loc:site-x-return-1-q-end'}) RETURN n.name AS name"
                                   ).single(strict=True)["name"]
                shells = session.run("MATCH (a:Article {id: 'pyongyang-shells'}) RETURN a.title AS t"
                                     ).single(strict=True)["t"]
                prk = session.run(
                    "MATCH (:Entity {id: 'country:PRK'})-[r:SUPPLIES_ARMS_TO]->(:Entity {id: 'country:RUS'}) "
                    "RETURN r").single(strict=True)["r"]
                sentences = [r["s"] for r in session.run("MATCH (ev:Evidence) RETURN ev.sentence AS s")]
                wang = session.run("MATCH (n:Entity {id: 'person:wang-yi'}) RETURN n").single(strict=True)["n"]
            # The export's promise: a `graphbuild load` after the import has no data to send.
            with build_fixture_store(store_path) as store:
                again = load_store(store, Neo4jConfig(uri=server.bolt_uri), driver=driver)
    finally:
        server.stop()
    print(f"neo4j-admin import: {import_seconds:.1f} s\n{command}")

    # Counts per label and per type, against the store.
    assert labels.get(cy.ENTITY) == len(entities)
    for label in ENTITY_TYPES:
        assert labels.get(label, 0) == sum(e.type == label for e in entities) == report.nodes[
            f"entities_{label}.csv"], label
    assert labels.get(cy.ARTICLE) == n_articles == report.nodes["articles.csv"]
    assert labels.get(cy.EVIDENCE) == n_evidence == report.nodes["evidence.csv"]
    for rel_type in RELATION_TYPES:
        assert types.get(rel_type, 0) == sum(e.predicate == rel_type for e in edges), rel_type
    assert types.get(cy.MENTIONS) == n_mentions
    assert types.get(cy.IN_ARTICLE) == n_evidence

    # Typed properties and hostile strings survive the CSV round trip.
    assert list(rus["aliases"]) == ["Moscow", "Russian", "the Kremlin"] and rus["iso3"] == "RUS"
    assert site == NASTY_NAME and shells == NASTY_TITLE
    assert type(prk["count"]) is int and prk["count"] == 2
    assert type(prk["weight"]) is float and prk["weight"] == pytest.approx(8.3)
    assert list(prk["modalities"]) == ["asserted", "possible"] and prk["inferred"] is False
    assert list(prk["items"]) == ["weapon:artillery-ammunition", "weapon:ballistic-missiles"]
    assert any("\n" in s for s in sentences) and any("\x00" in s for s in sentences)
    assert 'Washington condemned Pyongyang\'s "reckless" transfers.' in sentences
    assert "iso3" not in wang
    assert "aliases" not in wang  # empty array: no property (see _canon)
    # Only the schema (constraints, indexes: README runs cypher/schema.cypher after the import) is new.
    data = {k: v for k, v in again.as_dict().items()
            if k in ("nodes_created", "nodes_deleted", "relationships_created", "relationships_deleted",
                     "properties_set", "labels_added", "batches")}
    assert set(data.values()) == {0}, again.as_dict()

    # And the whole graph equals what `graphbuild load` writes (constraints aside).
    assert len(imported_nodes) == len(loaded_nodes) and len(imported_rels) == len(loaded_rels)
    assert imported_nodes == loaded_nodes
    assert imported_rels == loaded_rels
