"""The hostile input corpus (``tests/hostile/corpus.py``) through the real ``graphbuild ingest``.

For every input: no crash, one clear line where it is unusable, everything else
stored exactly (ids, texts, titles, evidence offsets); then the store loads into
the real Neo4j (driver and script) with labels and types only from the closed lists.
"""

from __future__ import annotations

import io
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from graphdata import expected_graph, neo4j_graph
from hostile.corpus import HOSTILE_SENTENCES, MAX_BYTES, build
from test_cypher_script import _run_script
from typer.testing import CliRunner

from graphbuild.cli import app
from graphbuild.ontology import ENTITY_TYPES, RELATION_TYPES
from graphbuild.sinks import cypher as cy
from graphbuild.store import Store

runner = CliRunner()

ALLOWED_LABELS = {cy.ENTITY, cy.ARTICLE, cy.EVIDENCE, *ENTITY_TYPES, *cy.RANK_LABELS}
ALLOWED_TYPES = {*cy.STRUCTURAL_TYPES, *RELATION_TYPES}


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    """The corpus ingested once with the real extractor: (corpus, store path, CLI result)."""
    root = tmp_path_factory.mktemp("hostile")
    corpus = build(root / "in")
    db = root / "hostile.db"
    res = runner.invoke(app, ["ingest", str(corpus.root), "--db", str(db), "--max-bytes", str(MAX_BYTES), "--json"])
    return corpus, db, res


def _check_problem_lines(stderr: str, corpus) -> None:
    lines = sorted(stderr.splitlines())
    expected = corpus.problem_lines()
    assert len(lines) == len(expected), "\n".join(lines)
    for got, want in zip(lines, expected):
        if want.endswith("("):  # feedparser's own wording follows
            assert got.startswith(want) and got.endswith(")"), got
        else:
            assert got == want


def test_every_unusable_input_is_one_clear_line(ingested):
    corpus, _, res = ingested
    assert res.exit_code == 1, res.output
    assert "Traceback" not in res.output
    _check_problem_lines(res.stderr, corpus)


def test_everything_usable_is_stored_exactly(ingested):
    corpus, db, res = ingested
    out = json.loads(res.stdout)
    assert out["articles"] == {"new": len(corpus.articles), "replaced": 0, "unchanged": 0,
                               "failed": len(corpus.problems)}
    with Store(db) as store:
        stored = {a.id: a for a in store.articles()}
        assert {i: a.text for i, a in stored.items()} == corpus.articles
        for aid, title in corpus.titles.items():
            assert stored[aid].title == title
        relations = list(store.evidence())
        mentions = list(store.mentions())
    # Offsets are exact in the hostile texts: every sentence and mention is where it says.
    for rel in relations:
        ev = rel.evidence
        assert stored[ev.article_id].text[ev.start:ev.end] == ev.sentence
    for aid, m in mentions:
        assert stored[aid].text[m.start:m.end] == m.text
    # The hostile sentences gave relations, and their evidence kept every character.
    sentences = {r.evidence.sentence for r in relations}
    for hostile in HOSTILE_SENTENCES:
        assert any(hostile in s or s in hostile for s in sentences), hostile
    assert sqlite3.connect(db).execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_ingesting_again_changes_nothing_and_reports_the_same_lines(ingested, tmp_path):
    corpus, db, _ = ingested
    copy = tmp_path / "again.db"
    shutil.copy(db, copy)
    with Store(copy) as store:
        before = store.stats()
    res = runner.invoke(app, ["ingest", str(corpus.root), "--db", str(copy), "--max-bytes", str(MAX_BYTES), "--json"])
    assert res.exit_code == 1
    assert json.loads(res.stdout)["articles"] == {"new": 0, "replaced": 0, "unchanged": len(corpus.articles),
                                                  "failed": len(corpus.problems)}
    _check_problem_lines(res.stderr, corpus)
    with Store(copy) as store:
        assert store.stats() == before


def _labels_and_types(driver) -> tuple[set[str], set[str]]:
    labels, _, _ = driver.execute_query("CALL db.labels() YIELD label RETURN label", database_="neo4j")
    types, _, _ = driver.execute_query(
        "CALL db.relationshipTypes() YIELD relationshipType RETURN relationshipType", database_="neo4j")
    return {r[0] for r in labels}, {r[0] for r in types}


@pytest.mark.neo4j
def test_hostile_store_loads_exactly_with_closed_labels(ingested, neo4j_db, tmp_path):
    _, db, _ = ingested
    args = ["--uri", neo4j_db.uri, "--db", str(db)]
    if neo4j_db.password:
        args += ["--user", neo4j_db.user, "--password", neo4j_db.password]
    res = runner.invoke(app, ["load", *args, "--json", "--batch-size", "7"])
    assert res.exit_code == 0, res.output
    with Store(db) as store:
        expected = expected_graph(store)
        script = io.StringIO()
        cy.write_script(store, script, batch_size=5)
    assert expected["relations"] and expected["evidence"]
    got = neo4j_graph(neo4j_db.driver)
    assert got == expected
    labels, types = _labels_and_types(neo4j_db.driver)
    assert labels <= ALLOWED_LABELS and types <= ALLOWED_TYPES, (labels, types)
    # The generated script, run statement by statement, builds the very same graph.
    neo4j_db.driver.execute_query("MATCH (n) DETACH DELETE n", database_="neo4j")
    _run_script(neo4j_db.driver, script.getvalue())
    assert neo4j_graph(neo4j_db.driver) == expected
    labels, types = _labels_and_types(neo4j_db.driver)
    assert labels <= ALLOWED_LABELS and types <= ALLOWED_TYPES, (labels, types)


def test_symlink_loops_are_created_at_test_time_only(repo_root):
    hostile = Path(repo_root) / "tests" / "hostile"
    assert not any(p.is_symlink() for p in hostile.rglob("*"))
