"""Property: any string as a name, alias, title, id or evidence sentence round-trips EXACTLY
through the embedded store -> the generated Cypher script (run statement by statement on
the real server) -> Neo4j, and through ``graphbuild load``; labels and relationship types
come only from the closed lists whatever the strings."""

from __future__ import annotations

import io

import pytest
from graphdata import expected_graph, neo4j_graph
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_cypher_script import _run_script
from test_hostile_inputs import ALLOWED_LABELS, ALLOWED_TYPES, _labels_and_types
from typer.testing import CliRunner

from graphbuild.cli import app
from graphbuild.models import Article, Entity, Evidence, Extraction, Mention, Relation
from graphbuild.ontology import ENTITY_TYPES, RELATION_TYPES
from graphbuild.sinks import cypher as cy
from graphbuild.store import Store

runner = CliRunner()

#: Any Unicode text a store and Bolt can carry (lone surrogates have no UTF-8 form; readers refuse them).
ANY_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
NASTY = st.sampled_from(["'})", "`", "\\", "//", "/*", "*/", "\n", "\r\n", "\x00", "\u200f", "\u202e", "🚀",
                         "👩\u200d💻", ";\n", "$rows", "\\u0041", "'", '"', "\u2028", "\ufeff"])
HOSTILE = st.lists(st.one_of(ANY_TEXT, NASTY), max_size=6).map("".join)


@st.composite
def extractions(draw) -> Extraction:
    """One article with two hostile entities, a hostile alias each and one relation with a hostile sentence."""
    article_id = draw(HOSTILE.filter(bool))
    title, sentence = draw(HOSTILE), draw(HOSTILE)
    text = title + "\n\n" + sentence
    entities = []
    for n in range(2):
        etype = draw(st.sampled_from(ENTITY_TYPES))
        name, alias = draw(HOSTILE), draw(HOSTILE)
        entities.append(Entity(f"x{n}:{draw(HOSTILE)}", etype, name, (alias,) if alias != name else (),
                               draw(st.none() | HOSTILE) if etype == "Country" else None))
    if entities[0].id == entities[1].id:
        entities.pop()
    predicate = draw(st.sampled_from(RELATION_TYPES))
    start = len(title) + 2
    relation = Relation(entities[0].id, predicate, entities[-1].id, "asserted",
                        Evidence(article_id, sentence, start, start + len(sentence), "prop", 0.5))
    article = Article(article_id, text, title, "2024-03-05", draw(st.none() | HOSTILE), draw(st.none() | HOSTILE),
                      origin="prop")
    mentions = tuple(Mention(e.id, e.name, 0, len(e.name)) for e in entities)
    return Extraction(article, tuple(entities), mentions, (relation,))


def _wipe(driver) -> None:
    """Empty the graph between examples (the schema stays: every statement is IF NOT EXISTS)."""
    driver.execute_query("MATCH (n) DETACH DELETE n", database_="neo4j")


def _assert_exact(got: dict, ex: Extraction) -> None:
    """The strings of the example itself, as Neo4j returns them."""
    art = got["articles"][ex.article.id]
    assert art["title"] == ex.article.title
    assert art.get("url") == ex.article.url and art.get("source") == ex.article.source
    for ent in ex.entities:
        node = got["entities"][ent.id]
        assert node["name"] == ent.name
        assert set(node["aliases"]) == set(ent.aliases) - {ent.name}
        assert node.get("iso3") == ent.iso3
        assert [label for label in node["labels"] if label not in cy.RANK_LABELS] == sorted([cy.ENTITY, ent.type])
    (evidence,) = got["evidence"].values()
    assert evidence["sentence"] == ex.relations[0].evidence.sentence
    assert evidence["article_id"] == ex.article.id


@pytest.mark.neo4j
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ex=extractions())
def test_any_strings_round_trip_through_store_script_and_load(neo4j_db, tmp_path_factory, ex):
    db = tmp_path_factory.mktemp("prop") / "p.db"
    with Store(db) as store:
        store.write(ex)
        (stored,) = store.articles()
        assert (stored.id, stored.title, stored.text) == (ex.article.id, ex.article.title, ex.article.text)
        expected = expected_graph(store)
        script = io.StringIO()
        cy.write_script(store, script)

    # 1. the generated script, statement by statement
    _wipe(neo4j_db.driver)
    _run_script(neo4j_db.driver, script.getvalue())
    got = neo4j_graph(neo4j_db.driver)
    assert got == expected
    _assert_exact(got, ex)
    labels, types = _labels_and_types(neo4j_db.driver)
    assert labels <= ALLOWED_LABELS and types <= ALLOWED_TYPES

    # 2. graphbuild load (the driver path)
    _wipe(neo4j_db.driver)
    args = ["load", "--uri", neo4j_db.uri, "--db", str(db), "--json"]
    if neo4j_db.password:
        args += ["--user", neo4j_db.user, "--password", neo4j_db.password]
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    got = neo4j_graph(neo4j_db.driver)
    assert got == expected
    _assert_exact(got, ex)
