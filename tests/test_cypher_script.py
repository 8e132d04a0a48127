"""The generated Cypher: schema drift, literal escaping and the whole script run on the real server."""

from __future__ import annotations

import io
import re

import pytest
from graphdata import NASTY_NAME, NASTY_TITLE, build_fixture_store, expected_graph, neo4j_graph
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from graphbuild.cli import app
from graphbuild.sinks import cypher as cy
from graphbuild.sinks.neo4j import Neo4jConfig, load_store

NASTY_STRINGS = [
    "", "plain", "O'Hara", 'say "hi"', "back\\slash", "\\'", "'\\", "ends with \\", "`tick` ``double``",
    "'}) RETURN 1 //", "*/ /* -- ;\n", "line\nbreak\r\nwindows\ttab", "nul\x00inside", "\x00", "\x07\x1b[31m",
    "emoji 🚀🇰🇵 👩‍👩‍👧", "rtl \u200f mark \u202e override \u2066 isolate", "zero\u200bwidth\ufeffbom",
    "line\u2028sep\u2029para", "עברית ومرحبا", "\U000e0041 tag char", "\U0010fffd private plane", "ŝ̷ ̸combining",
    NASTY_NAME, NASTY_TITLE, "a;\nCREATE (x) //", "\\u0041 not an escape", "$param {map: 1}",
]


def _statements(script: str) -> list[str]:
    """Split a script like cypher-shell does: on ';' at the end of a line; drop comment lines."""
    out = []
    for chunk in script.split(";\n"):
        body = "\n".join(line for line in chunk.splitlines() if not line.startswith("//")).strip()
        if body:
            out.append(body)
    return out


def _run_script(driver, script: str) -> dict[str, int]:
    totals = {"nodes_created": 0, "relationships_created": 0, "nodes_deleted": 0, "relationships_deleted": 0}
    with driver.session(database="neo4j") as session:
        for statement in _statements(script):
            counters = session.run(statement).consume().counters
            for key in totals:
                totals[key] += getattr(counters, key)
    return totals


def _script(store, **kwargs) -> str:
    buf = io.StringIO()
    cy.write_script(store, buf, **kwargs)
    return buf.getvalue()


# -- schema ---------------------------------------------------------------------
def test_schema_file_is_generated_from_the_ontology(repo_root):
    assert (repo_root / "cypher" / "schema.cypher").read_text(encoding="utf-8") == cy.schema_text(), (
        "cypher/schema.cypher drifted from the ontology; regenerate it with "
        "`graphbuild cypher --schema > cypher/schema.cypher`"
    )


def test_schema_command_prints_the_schema(tmp_path):
    from typer.testing import CliRunner

    from graphbuild.cli import app

    res = CliRunner().invoke(app, ["cypher", "--schema"])
    assert res.exit_code == 0 and res.stdout == cy.schema_text()
    res = CliRunner().invoke(app, ["cypher", "--schema", "-o", str(tmp_path / "schema.cypher")])
    assert res.exit_code == 0 and res.stderr == f"wrote {tmp_path / 'schema.cypher'} (the schema)\n"
    assert (tmp_path / "schema.cypher").read_text(encoding="utf-8") == cy.schema_text()


def test_schema_covers_every_label_and_relation_type():
    from graphbuild.ontology import ENTITY_TYPES, RELATION_TYPES

    text = cy.schema_text()
    for label in (*ENTITY_TYPES, "Entity", "Article", "Evidence"):
        assert f"FOR (n:`{label}`) REQUIRE n.id IS UNIQUE" in text
    for rel_type in RELATION_TYPES:
        assert f"FOR ()-[r:`{rel_type}`]-() ON (r.key)" in text


@pytest.mark.neo4j
def test_schema_applies_and_reapplies(neo4j_db):
    with neo4j_db.driver.session(database="neo4j") as session:
        for statement in _statements(cy.schema_text()):
            session.run(statement).consume()
        for statement in _statements(cy.schema_text()):
            counters = session.run(statement).consume().counters
            assert counters.constraints_added == counters.indexes_added == 0
        names = {r["name"] for r in session.run("SHOW CONSTRAINTS YIELD name")}
        names |= {r["name"] for r in session.run("SHOW INDEXES YIELD name")}
    declared = set(re.findall(r"CREATE (?:CONSTRAINT|INDEX) (\w+) IF NOT EXISTS", cy.schema_text()))
    assert declared <= names


# -- literals -------------------------------------------------------------------
def test_literals_escape_what_could_end_a_string_or_hide():
    assert cy.cypher_literal("a'b\\c\nd\x00e\u200f") == "'a\\'b\\\\c\\nd\\u0000e\\u200f'"
    assert cy.cypher_literal("\U000e0041") == "'\\udb40\\udc41'"  # no \U in Cypher: surrogate pair
    assert cy.cypher_literal("🚀") == "'🚀'"
    assert cy.cypher_literal([1, -2.5, None, True, False, []]) == "[1, -2.5, null, true, false, []]"
    assert cy.cypher_literal({"a": 1, "odd key": "x"}) == "{a: 1, `odd key`: 'x'}"
    assert cy.cypher_literal(1e-05) == "1e-05"
    for bad in (float("nan"), float("inf")):
        with pytest.raises(ValueError):
            cy.cypher_literal(bad)
    with pytest.raises(TypeError):
        cy.cypher_literal(object())


def test_statement_forms_share_one_body():
    stmt = cy.RELATION_UPSERT["MEETS"]
    assert stmt.parameterised() == "UNWIND $rows AS row\n" + stmt.body
    assert stmt.inline([{"a": 1}]).endswith("] AS row\n" + stmt.body)


@pytest.mark.neo4j
def test_nasty_literals_round_trip_exactly(neo4j_db):
    values = [*NASTY_STRINGS, 0, -1, 2**62, 0.1, -0.0, 1e-300, 1.7976931348623157e308, True, None, [], ["a", None],
              {"k": NASTY_NAME, "l": [1.5, "x"]}]
    records, _, _ = neo4j_db.driver.execute_query(
        "UNWIND " + cy.cypher_literal([{"v": v} for v in values]) + " AS row RETURN row.v AS v", database_="neo4j")
    assert [r["v"] for r in records] == values


@pytest.mark.neo4j
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(st.characters(exclude_categories=("Cs",))), min_size=1, max_size=8))
def test_any_text_round_trips(neo4j_db, texts):
    records, _, _ = neo4j_db.driver.execute_query(
        "RETURN " + cy.cypher_literal(texts) + " AS v", database_="neo4j")
    assert records[0]["v"] == texts


# -- the script on the real server -----------------------------------------------
@pytest.mark.neo4j
def test_script_builds_the_same_graph_as_the_store(neo4j_db, tmp_path):
    store = build_fixture_store(tmp_path / "g.db")
    script = _script(store, batch_size=4)
    totals = _run_script(neo4j_db.driver, script)
    expected = expected_graph(store)
    got = neo4j_graph(neo4j_db.driver)
    # Counts first (clear failure messages), then every property of every node and relationship.
    for part in expected:
        assert len(got[part]) == len(expected[part]), part
    assert totals["nodes_created"] == len(expected["entities"]) + len(expected["articles"]) + len(expected["evidence"])
    assert got == expected
    # The nasty strings came back exactly.
    assert got["entities"]["loc:site-x-return-1-q-end"]["name"] == NASTY_NAME
    assert got["articles"]["pyongyang-shells"]["title"] == NASTY_TITLE
    assert any("\x00" in e["sentence"] and "\u200f" in e["sentence"] for e in got["evidence"].values())
    # Running it again changes nothing.
    again = _run_script(neo4j_db.driver, script)
    assert again == dict.fromkeys(again, 0)
    assert neo4j_graph(neo4j_db.driver) == expected


@pytest.mark.neo4j
def test_script_and_driver_load_give_identical_graphs(neo4j_db, tmp_path):
    store = build_fixture_store(tmp_path / "g.db")
    _run_script(neo4j_db.driver, _script(store))
    from_script = neo4j_graph(neo4j_db.driver)
    neo4j_db.driver.execute_query("MATCH (n) DETACH DELETE n", database_="neo4j")
    load_store(store, Neo4jConfig(uri=neo4j_db.uri, user=neo4j_db.user, password=neo4j_db.password))
    assert neo4j_graph(neo4j_db.driver) == from_script


def test_script_reuses_the_driver_statements_verbatim(tmp_path):
    store = build_fixture_store(tmp_path / "g.db")
    bodies = {s.body for s in (*cy.ENTITY_UPSERT.values(), *cy.RELATION_UPSERT.values(), cy.ARTICLE_UPSERT,
                               cy.MENTIONS_UPSERT, cy.EVIDENCE_UPSERT)}
    data = [s for s in _statements(_script(store, batch_size=3)) if s.startswith("UNWIND [")]
    assert data
    for statement in data:
        assert statement.split("\n] AS row\n", 1)[1] in bodies
    schema = [s for s in _statements(_script(store)) if not s.startswith("UNWIND [")]
    assert schema == [*cy.schema_statements(), cy.AWAIT_INDEXES]


def test_script_batches_and_reports(tmp_path):
    store = build_fixture_store(tmp_path / "g.db")
    buf = io.StringIO()
    report = cy.write_script(store, buf, batch_size=5)
    stats = store.stats()
    assert (report.entities, report.articles, report.relations, report.evidence) == (
        stats["entities"], stats["articles"], stats["relations"], stats["evidence"])
    assert report.statements == len(_statements(buf.getvalue()))
    for statement in _statements(buf.getvalue()):
        if statement.startswith("UNWIND ["):
            assert statement.count("\n  {") <= 5
    with pytest.raises(ValueError):
        cy.write_script(store, io.StringIO(), batch_size=0)


def test_empty_store_gives_a_schema_only_script(tmp_path):
    from graphbuild.store import Store

    with Store(tmp_path / "empty.db") as store:
        assert _statements(_script(store)) == [*cy.schema_statements(), cy.AWAIT_INDEXES]


# -- the command ------------------------------------------------------------------
def test_cypher_command_writes_the_script(tmp_path):
    db = tmp_path / "g.db"
    store = build_fixture_store(db)
    expected = _script(store)
    store.close()
    runner = CliRunner()
    out = tmp_path / "out" / "graph.cypher"
    result = runner.invoke(app, ["cypher", "--db", str(db), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == expected
    assert result.stderr.startswith(f"wrote {out} (")
    result = runner.invoke(app, ["cypher", "--db", str(db)])
    assert result.exit_code == 0
    assert result.stdout == expected
