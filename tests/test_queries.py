"""Every saved query on the real server against the fixture corpus, with the exact expected rows;
the catalogue, its header format and the ``query`` command."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from graphdata import build_fixture_store
from typer.testing import CliRunner

from graphbuild.cli import app
from graphbuild.errors import InputError
from graphbuild.ontology import RELATION_TYPES, SYMMETRIC
from graphbuild.queries import QueryParam, bind_params, load_catalogue, parse_query
from graphbuild.sinks.neo4j import Neo4jConfig, load_store, run_query

QUERY_NAMES = {"meetings", "arms_flows", "cooperation_network", "shortest_paths", "actor", "timeline", "evidence",
               "new_relations", "dyads", "contested"}

# (query, --param values, exact rows), checked by hand against tests/graphdata.py.
CASES = [
    ('meetings', [], [
        ['person:kim-jong-un', 'Kim Jong-un', 'person:vladimir-putin', 'Vladimir Putin', 3, 2, 'asserted', ['asserted', 'possible'], '2023-09-13', '2024-07-10', False],
        ['person:kim-jong-un', 'Kim Jong-un', 'person:sergei-shoigu', 'Sergei Shoigu', 1, 1, 'asserted', ['asserted'], '2024-05-18', '2024-05-18', False],
        ['country:PRK', 'North Korea', 'country:RUS', 'Russia', 1, 1, 'asserted', ['asserted'], '2023-09-13', '2023-09-13', True],
        ['person:vladimir-putin', 'Vladimir Putin', 'person:xi-jinping', 'Xi Jinping', 1, 1, 'asserted', ['asserted'], '2024-03-05', '2024-03-05', False],
    ]),
    ('meetings', ['actor=PUTIN', 'limit=1'], [
        ['person:vladimir-putin', 'Vladimir Putin', 'person:kim-jong-un', 'Kim Jong-un', 3, 2, 'asserted', ['asserted', 'possible'], '2023-09-13', '2024-07-10', False],
    ]),
    ('arms_flows', ['actor=rus'], [
        ['in', 'country:PRK', 'North Korea', 'country:RUS', 'Russia', ['artillery ammunition', 'ballistic missiles'], 'asserted', ['asserted', 'possible'], 2, '2023-09-13', '2023-10-20'],
        ['in', 'country:CHN', 'China', 'country:RUS', 'Russia', ['drones'], 'denied', ['denied'], 1, '2024-03-05', '2024-03-05'],
        ['out', 'country:RUS', 'Russia', 'country:MLI', 'Mali', ['drones', 'anti-tank missiles'], 'asserted', ['asserted'], 1, '2024-05-18', '2024-05-18'],
    ]),
    ('arms_flows', ['actor=North Korea', 'direction=out'], [
        ['out', 'country:PRK', 'North Korea', 'country:RUS', 'Russia', ['artillery ammunition', 'ballistic missiles'], 'asserted', ['asserted', 'possible'], 2, '2023-09-13', '2023-10-20'],
    ]),
    ('arms_flows', ['actor=ukraine', 'direction=in'], [
        ['in', 'country:USA', 'United States', 'country:UKR', 'Ukraine', ['anti-tank missiles'], 'promised', ['promised'], 1, '2024-07-10', '2024-07-10'],
    ]),
    ('cooperation_network', ['actor=Russia'], [
        ['country:PRK', 'North Korea', 'Country', ['MEETS', 'SUPPLIES_ARMS_TO', 'SUPPORTS'], 2, 24.6, '2023-09-13', '2023-10-20'],
        ['country:CHN', 'China', 'Country', ['COOPERATES_WITH', 'SIGNS_AGREEMENT_WITH'], 1, 11.5, '2024-03-05', '2024-03-05'],
        ['country:MLI', 'Mali', 'Country', ['SUPPLIES_ARMS_TO'], 1, 8.3, '2024-05-18', '2024-05-18'],
    ]),
    ('cooperation_network', ['actor=country:UKR'], [
        ['country:USA', 'United States', 'Country', ['COOPERATES_WITH', 'SUPPLIES_ARMS_TO'], 1, 11.8, '2024-07-10', '2024-07-10'],
    ]),
    ('shortest_paths', ['from=Kim', 'to=xi'], [
        [2, 'Kim Jong-un -[MEETS]- Vladimir Putin -[MEETS]- Xi Jinping', ['Kim Jong-un', 'Vladimir Putin', 'Xi Jinping'], ['MEETS', 'MEETS']],
    ]),
    ('shortest_paths', ['from=Zelensky', 'to=kim jong-un', 'limit=3'], [
        [4, 'Volodymyr Zelensky -[LEADER_OF]-> Ukraine -[CRITICIZES]-> Russia <-[LEADER_OF]- Vladimir Putin -[MEETS]- Kim Jong-un', ['Volodymyr Zelensky', 'Ukraine', 'Russia', 'Vladimir Putin', 'Kim Jong-un'], ['LEADER_OF', 'CRITICIZES', 'LEADER_OF', 'MEETS']],
        [4, 'Volodymyr Zelensky -[LEADER_OF]-> Ukraine -[CRITICIZES]-> Russia <-[LOCATED_IN]- Vostochny Cosmodrome <-[VISITS]- Kim Jong-un', ['Volodymyr Zelensky', 'Ukraine', 'Russia', 'Vostochny Cosmodrome', 'Kim Jong-un'], ['LEADER_OF', 'CRITICIZES', 'LOCATED_IN', 'VISITS']],
        [4, 'Volodymyr Zelensky -[LEADER_OF]-> Ukraine -[CRITICIZES]-> Russia <-[REPRESENTS]- Sergei Shoigu -[MEETS]- Kim Jong-un', ['Volodymyr Zelensky', 'Ukraine', 'Russia', 'Sergei Shoigu', 'Kim Jong-un'], ['LEADER_OF', 'CRITICIZES', 'REPRESENTS', 'MEETS']],
    ]),
    ('actor', ['actor=Kim'], [
        ['person:kim-jong-un', 'Kim Jong-un', 'MEETS', 'both', 'person:sergei-shoigu', 'Sergei Shoigu', 'Person', 'asserted', 1, 1, '2024-05-18', '2024-05-18', False],
        ['person:kim-jong-un', 'Kim Jong-un', 'MEETS', 'both', 'person:vladimir-putin', 'Vladimir Putin', 'Person', 'asserted', 3, 2, '2023-09-13', '2024-07-10', False],
        ['person:kim-jong-un', 'Kim Jong-un', 'VISITS', 'out', 'loc:vostochny-cosmodrome', 'Vostochny Cosmodrome', 'Location', 'asserted', 1, 1, '2023-09-13', '2023-09-13', False],
    ]),
    ('actor', ['actor=the kremlin'], [
        ['country:RUS', 'Russia', 'ATTACKS', 'out', 'country:UKR', 'Ukraine', 'Country', 'asserted', 1, 1, '2023-12-29', '2023-12-29', False],
        ['country:RUS', 'Russia', 'COOPERATES_WITH', 'both', 'country:CHN', 'China', 'Country', 'promised', 1, 1, '2024-03-05', '2024-03-05', False],
        ['country:RUS', 'Russia', 'CRITICIZES', 'in', 'country:UKR', 'Ukraine', 'Country', 'asserted', 1, 1, '2023-12-29', '2023-12-29', False],
        ['country:RUS', 'Russia', 'CRITICIZES', 'in', 'country:USA', 'United States', 'Country', 'asserted', 1, 1, '2024-07-10', '2024-07-10', False],
        ['country:RUS', 'Russia', 'LEADER_OF', 'in', 'person:vladimir-putin', 'Vladimir Putin', 'Person', 'asserted', 1, 1, '2023-09-13', '2023-09-13', False],
        ['country:RUS', 'Russia', 'LOCATED_IN', 'in', 'loc:vostochny-cosmodrome', 'Vostochny Cosmodrome', 'Location', 'asserted', 1, 1, '2023-09-13', '2023-09-13', False],
        ['country:RUS', 'Russia', 'MEETS', 'both', 'country:PRK', 'North Korea', 'Country', 'asserted', 1, 1, '2023-09-13', '2023-09-13', True],
        ['country:RUS', 'Russia', 'REPRESENTS', 'in', 'person:sergei-shoigu', 'Sergei Shoigu', 'Person', 'asserted', 1, 1, '2024-05-18', '2024-05-18', False],
        ['country:RUS', 'Russia', 'SIGNS_AGREEMENT_WITH', 'both', 'country:CHN', 'China', 'Country', 'asserted', 1, 1, '2024-03-05', '2024-03-05', False],
        ['country:RUS', 'Russia', 'SUPPLIES_ARMS_TO', 'in', 'country:CHN', 'China', 'Country', 'denied', 1, 1, '2024-03-05', '2024-03-05', False],
        ['country:RUS', 'Russia', 'SUPPLIES_ARMS_TO', 'in', 'country:PRK', 'North Korea', 'Country', 'asserted', 2, 2, '2023-09-13', '2023-10-20', False],
        ['country:RUS', 'Russia', 'SUPPLIES_ARMS_TO', 'out', 'country:MLI', 'Mali', 'Country', 'asserted', 1, 1, '2024-05-18', '2024-05-18', False],
        ['country:RUS', 'Russia', 'SUPPORTS', 'out', 'country:PRK', 'North Korea', 'Country', 'promised', 1, 1, '2023-09-13', '2023-09-13', False],
        ['country:RUS', 'Russia', 'THREATENS', 'out', 'org:nato', 'NATO', 'Organization', 'asserted', 1, 1, '2024-07-10', '2024-07-10', False],
        ['country:RUS', 'Russia', 'THREATENS', 'out', 'country:UKR', 'Ukraine', 'Country', 'possible', 1, 1, '2023-12-29', '2023-12-29', False],
    ]),
    ('timeline', ['actor=kim'], [
        ['2023-09-13', 'MEETS', 'both', 'Vladimir Putin', 'Vladimir Putin met Kim Jong-un at the Vostochny Cosmodrome on Wednesday.', 'asserted', 'person:vladimir-putin', 'putin-kim-vostochny', 'published'],
        ['2023-09-13', 'VISITS', 'out', 'Vostochny Cosmodrome', 'Vladimir Putin met Kim Jong-un at the Vostochny Cosmodrome on Wednesday.', 'asserted', 'loc:vostochny-cosmodrome', 'putin-kim-vostochny', 'published'],
        ['2023-09-13', 'MEETS', 'both', 'Vladimir Putin', 'Kim and Putin held talks for four hours.', 'asserted', 'person:vladimir-putin', 'putin-kim-vostochny', 'published'],
        ['2024-05-18', 'MEETS', 'both', 'Sergei Shoigu', 'Sergei Shoigu met Kim Jong-un in Pyongyang\x00 on Friday \u200f(quote: "\'})").', 'asserted', 'person:sergei-shoigu', 'wagner-mali', 'published'],
        ['2024-07-10', 'MEETS', 'both', 'Vladimir Putin', 'Putin may meet Kim again later this year.', 'possible', 'person:vladimir-putin', 'nato-summit', 'published'],
    ]),
    ('timeline', ['actor=Kim', 'since=2023-09-14', 'until=2024-05'], [
        ['2024-05-18', 'MEETS', 'both', 'Sergei Shoigu', 'Sergei Shoigu met Kim Jong-un in Pyongyang\x00 on Friday \u200f(quote: "\'})").', 'asserted', 'person:sergei-shoigu', 'wagner-mali', 'published'],
    ]),
    ('evidence', ['subject=kim', 'object=putin'], [
        ['2023-09-13', 'MEETS', 'asserted', 'Vladimir Putin met Kim Jong-un at the Vostochny Cosmodrome on Wednesday.', 'Putin and Kim meet at Vostochny Cosmodrome', 'Krone', "https://example.org/krone/putin-kim?a=1&b='2'", 'putin-kim-vostochny', 'person:kim-jong-un', 'person:vladimir-putin', 0, 72, 'meet-svo', 0.9],
        ['2023-09-13', 'MEETS', 'asserted', 'Kim and Putin held talks for four hours.', 'Putin and Kim meet at Vostochny Cosmodrome', 'Krone', "https://example.org/krone/putin-kim?a=1&b='2'", 'putin-kim-vostochny', 'person:kim-jong-un', 'person:vladimir-putin', 132, 172, 'talks-hold', 0.8],
        ['2024-07-10', 'MEETS', 'possible', 'Putin may meet Kim again later this year.', 'NATO summit in Washington', 'AP', 'https://example.org/ap/nato', 'nato-summit', 'person:kim-jong-un', 'person:vladimir-putin', 184, 225, 'meet-may', 0.6],
    ]),
    ('evidence', ['subject=rus', 'object=prk'], [
        ['2023-09-13', 'MEETS', 'asserted', 'Vladimir Putin met Kim Jong-un at the Vostochny Cosmodrome on Wednesday.', 'Putin and Kim meet at Vostochny Cosmodrome', 'Krone', "https://example.org/krone/putin-kim?a=1&b='2'", 'putin-kim-vostochny', 'country:PRK', 'country:RUS', 0, 72, 'lift-leaders', 0.9],
        ['2023-09-13', 'SUPPORTS', 'promised', 'Putin said Russia would help North Korea build satellites.', 'Putin and Kim meet at Vostochny Cosmodrome', 'Krone', "https://example.org/krone/putin-kim?a=1&b='2'", 'putin-kim-vostochny', 'country:RUS', 'country:PRK', 73, 131, 'help-would', 0.7],
    ]),
    ('evidence', ['subject=PRK', 'object=Russia', 'type=supplies_arms_to'], [
        ['2023-09-13', 'SUPPLIES_ARMS_TO', 'possible', 'Analysts say Pyongyang may supply artillery shells to Moscow.', 'Putin and Kim meet at Vostochny Cosmodrome', 'Krone', "https://example.org/krone/putin-kim?a=1&b='2'", 'putin-kim-vostochny', 'country:PRK', 'country:RUS', 173, 234, 'supply-may', 0.65],
        ['2023-10-20', 'SUPPLIES_ARMS_TO', 'asserted', 'North Korea has shipped artillery ammunition and ballistic missiles to Russia, the IISS said.', '"Shells for Moscow": Pyongyang\'s arms \'flow\' \\ C:\\reports\\n — IISS 🚀', 'IISS \\ Reuters', 'https://example.org/iiss/shells?q="arms"', 'pyongyang-shells', 'country:PRK', 'country:RUS', 0, 93, 'ship-to', 0.85],
    ]),
    ('evidence', ['subject=RUS', 'object=PRK', 'type=SUPPLIES_ARMS_TO'], [
    ]),
    ('new_relations', ['since=2024'], [
        ['country:RUS', 'Russia', 'Country', 7, ['COOPERATES_WITH', 'CRITICIZES', 'REPRESENTS', 'SIGNS_AGREEMENT_WITH', 'SUPPLIES_ARMS_TO', 'THREATENS'], 0],
        ['country:CHN', 'China', 'Country', 5, ['COOPERATES_WITH', 'LOCATED_IN', 'REPRESENTS', 'SIGNS_AGREEMENT_WITH', 'SUPPLIES_ARMS_TO'], 0],
        ['person:sergei-shoigu', 'Sergei Shoigu', 'Person', 3, ['MEETS', 'REPRESENTS', 'VISITS'], 0],
        ['country:UKR', 'Ukraine', 'Country', 3, ['COOPERATES_WITH', 'MEMBER_OF', 'SUPPLIES_ARMS_TO'], 0],
        ['country:USA', 'United States', 'Country', 3, ['COOPERATES_WITH', 'CRITICIZES', 'SUPPLIES_ARMS_TO'], 0],
        ['country:MLI', 'Mali', 'Country', 2, ['SUPPLIES_ARMS_TO', 'SUPPORTS'], 0],
        ['org:nato', 'NATO', 'Organization', 2, ['MEMBER_OF', 'THREATENS'], 0],
        ['person:kim-jong-un', 'Kim Jong-un', 'Person', 1, ['MEETS'], 0],
        ['country:PRK', 'North Korea', 'Country', 1, ['VISITS'], 0],
        ['loc:site-x-return-1-q-end', 'Site `X` \'}) RETURN 1 // "Q" \\ end', 'Location', 1, ['LOCATED_IN'], 0],
        ['person:vladimir-putin', 'Vladimir Putin', 'Person', 1, ['MEETS'], 0],
        ['org:wagner-group', 'Wagner Group', 'Organization', 1, ['SUPPORTS'], 0],
        ['person:wang-yi', 'Wang Yi', 'Person', 1, ['REPRESENTS'], 0],
        ['person:xi-jinping', 'Xi Jinping', 'Person', 1, ['MEETS'], 0],
    ]),
    ('new_relations', ['since=2023-09', 'until=2023-12', 'limit=3'], [
        ['country:RUS', 'Russia', 'Country', 8, ['ATTACKS', 'CRITICIZES', 'LEADER_OF', 'LOCATED_IN', 'MEETS', 'SUPPLIES_ARMS_TO', 'SUPPORTS', 'THREATENS'], 0],
        ['country:PRK', 'North Korea', 'Country', 5, ['CRITICIZES', 'MEETS', 'SANCTIONS', 'SUPPLIES_ARMS_TO', 'SUPPORTS'], 0],
        ['country:UKR', 'Ukraine', 'Country', 4, ['ATTACKS', 'CRITICIZES', 'LEADER_OF', 'THREATENS'], 0],
    ]),
    ('dyads', [], [
        ['country:PRK', 'North Korea', 'country:RUS', 'Russia', 24.6, 0.0, 24.6, 'friendly', ['MEETS', 'SUPPLIES_ARMS_TO', 'SUPPORTS']],
        ['country:RUS', 'Russia', 'country:UKR', 'Ukraine', 0.0, -16.4, -16.4, 'hostile', ['ATTACKS', 'CRITICIZES', 'THREATENS']],
        ['country:UKR', 'Ukraine', 'country:USA', 'United States', 11.8, 0.0, 11.8, 'friendly', ['COOPERATES_WITH', 'SUPPLIES_ARMS_TO']],
        ['country:CHN', 'China', 'country:RUS', 'Russia', 11.5, 0.0, 11.5, 'friendly', ['COOPERATES_WITH', 'SIGNS_AGREEMENT_WITH']],
        ['country:PRK', 'North Korea', 'country:USA', 'United States', 0.0, -10.0, -10.0, 'hostile', ['CRITICIZES', 'SANCTIONS']],
        ['country:MLI', 'Mali', 'country:RUS', 'Russia', 8.3, 0.0, 8.3, 'friendly', ['SUPPLIES_ARMS_TO']],
        ['country:MLI', 'Mali', 'org:wagner-group', 'Wagner Group', 7.0, 0.0, 7.0, 'friendly', ['SUPPORTS']],
        ['country:RUS', 'Russia', 'org:nato', 'NATO', 0.0, -4.4, -4.4, 'hostile', ['THREATENS']],
        ['person:kim-jong-un', 'Kim Jong-un', 'person:vladimir-putin', 'Vladimir Putin', 2.0, 0.0, 2.0, 'friendly', ['MEETS']],
        ['country:RUS', 'Russia', 'country:USA', 'United States', 0.0, -2.0, -2.0, 'hostile', ['CRITICIZES']],
        ['country:PRK', 'North Korea', 'person:sergei-shoigu', 'Sergei Shoigu', 1.9, 0.0, 1.9, 'friendly', ['VISITS']],
        ['loc:vostochny-cosmodrome', 'Vostochny Cosmodrome', 'person:kim-jong-un', 'Kim Jong-un', 1.9, 0.0, 1.9, 'friendly', ['VISITS']],
        ['person:kim-jong-un', 'Kim Jong-un', 'person:sergei-shoigu', 'Sergei Shoigu', 1.0, 0.0, 1.0, 'friendly', ['MEETS']],
        ['person:vladimir-putin', 'Vladimir Putin', 'person:xi-jinping', 'Xi Jinping', 1.0, 0.0, 1.0, 'friendly', ['MEETS']],
    ]),
    ('dyads', ['stance=hostile', 'limit=3'], [
        ['country:RUS', 'Russia', 'country:UKR', 'Ukraine', 0.0, -16.4, -16.4, 'hostile', ['ATTACKS', 'CRITICIZES', 'THREATENS']],
        ['country:PRK', 'North Korea', 'country:USA', 'United States', 0.0, -10.0, -10.0, 'hostile', ['CRITICIZES', 'SANCTIONS']],
        ['country:RUS', 'Russia', 'org:nato', 'NATO', 0.0, -4.4, -4.4, 'hostile', ['THREATENS']],
    ]),
    ('dyads', ['stance=friendly', 'limit=4'], [
        ['country:PRK', 'North Korea', 'country:RUS', 'Russia', 24.6, 0.0, 24.6, 'friendly', ['MEETS', 'SUPPLIES_ARMS_TO', 'SUPPORTS']],
        ['country:UKR', 'Ukraine', 'country:USA', 'United States', 11.8, 0.0, 11.8, 'friendly', ['COOPERATES_WITH', 'SUPPLIES_ARMS_TO']],
        ['country:CHN', 'China', 'country:RUS', 'Russia', 11.5, 0.0, 11.5, 'friendly', ['COOPERATES_WITH', 'SIGNS_AGREEMENT_WITH']],
        ['country:MLI', 'Mali', 'country:RUS', 'Russia', 8.3, 0.0, 8.3, 'friendly', ['SUPPLIES_ARMS_TO']],
    ]),
    # the six articles' only denial (China's drones) has no other claimant: nothing is contested
    # (test_offline_queries.py has the contested claim of graphdata.claims_extraction, on both backends)
    ('contested', [], []),
]


@pytest.fixture
def loaded(neo4j_db, tmp_path):
    """The fixture corpus loaded into an empty database; yields its Neo4jConfig."""
    config = Neo4jConfig(uri=neo4j_db.uri, user=neo4j_db.user, password=neo4j_db.password)
    with build_fixture_store(tmp_path / "g.db") as store:
        load_store(store, config)
    return config


@pytest.mark.neo4j
@pytest.mark.parametrize(("name", "args", "rows"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_saved_query_rows(loaded, name, args, rows):
    query = load_catalogue()[name]
    result = run_query(loaded, query.text, bind_params(query, args))
    assert tuple(result.columns) == query.columns
    assert result.rows == rows


@pytest.mark.neo4j
def test_the_documented_evidence_query(loaded, tmp_path):
    """README's one evidence query: the articles and exact sentences behind one relationship."""
    from graphbuild.sinks.cypher import EVIDENCE_QUERY

    params = {"subject": "country:PRK", "object": "country:RUS", "type": "SUPPLIES_ARMS_TO"}
    result = run_query(loaded, EVIDENCE_QUERY, params)
    assert result.columns == ["article_id", "title", "date", "url", "sentence", "start", "end", "modality", "rule",
                              "confidence"]
    with build_fixture_store(tmp_path / "again.db") as store:
        expected = [
            [r.evidence.article_id, a["title"], a["date"], a["url"], r.evidence.sentence, r.evidence.start,
             r.evidence.end, r.modality, r.evidence.rule, r.evidence.confidence]
            for r in store.evidence() if (r.subject, r.predicate, r.object) == ("country:PRK", "SUPPLIES_ARMS_TO",
                                                                                  "country:RUS")
            for a in store.article_rows() if a["id"] == r.evidence.article_id
        ]
    assert len(expected) == 2 and result.rows == expected


def test_the_documented_header_example_parses(repo_root):
    doc = (repo_root / "README.md").read_text(encoding="utf-8")
    text = doc.split("```cypher\n// name: top_suppliers\n", 1)[1].split("```", 1)[0]
    query = parse_query(Path("top_suppliers.cypher"), "// name: top_suppliers\n" + text)
    assert query.columns == ("supplier", "recipients")
    assert bind_params(query, []) == {"limit": 10}


def test_every_query_has_a_case():
    assert {c[0] for c in CASES} == set(load_catalogue()) == QUERY_NAMES


# -- the catalogue ------------------------------------------------------------------
def test_catalogue_headers():
    for query in load_catalogue().values():
        assert query.description and "\n" not in query.description
        assert query.columns and len(set(query.columns)) == len(query.columns)
        for param in query.params:
            assert f"${param.name}" in query.text, (query.name, param.name)
            assert param.help
        for used in set(re.findall(r"\$(\w+)", query.text)):
            assert query.param(used), f"{query.name} uses ${used} without declaring it"


def test_queries_name_only_ontology_types(repo_root):
    structural = {"MENTIONS", "IN_ARTICLE", "HAS_SUBJECT", "HAS_OBJECT", "SUPPLIES_ITEM"}
    browser = load_catalogue(repo_root / "cypher" / "browser")
    for query in [*load_catalogue().values(), *browser.values()]:
        body = "\n".join(line for line in query.text.splitlines() if not line.lstrip().startswith("//"))
        for name in re.findall(r"\b[A-Z][A-Z_]{3,}\b", body):
            if name in {"WHERE", "MATCH", "RETURN", "ORDER", "LIMIT", "CASE", "WHEN", "THEN", "ELSE", "COLLECT",
                        "WITH", "DESC", "NULL", "DISTINCT", "UNWIND", "OPTIONAL", "TRUE", "FALSE", "CALL",
                        "YIELD", "UNION", "COUNT", "USING", "SCAN"}:
                continue
            assert name in RELATION_TYPES or name in structural, (query.name, name)
        # The symmetric types spelled in the queries are exactly the ontology's.
        for group in re.findall(r"IN \[('[A-Z_]+'(?:, '[A-Z_]+')*)\]", body):
            assert set(re.findall(r"'([A-Z_]+)'", group)) == SYMMETRIC, query.name


def test_param_conversion():
    assert QueryParam("n", "int", 1, False, "h").convert("42") == 42
    assert QueryParam("x", "float", 1.0, False, "h").convert("2.5") == 2.5
    assert QueryParam("b", "bool", False, False, "h").convert("Yes") is True
    assert QueryParam("d", "date", None, False, "h").convert("2024-02-29") == "2024-02-29"
    assert QueryParam("d", "date", None, False, "h").convert("2024-02") == "2024-02"
    assert QueryParam("d", "date", None, False, "h").convert("") is None
    assert QueryParam("s", "in|out", "in", False, "h").convert("out") == "out"
    assert QueryParam("t", "relation", None, False, "h").convert("supplies_arms_to") == "SUPPLIES_ARMS_TO"
    assert QueryParam("s", "string", None, True, "h").convert(" keeps spaces ") == " keeps spaces "


@pytest.mark.parametrize(("args", "message"), [
    (["limit=abc"], "--param limit=abc: expected int"),
    (["limit"], "--param 'limit': expected key=value"),
    (["=3"], "--param '=3': expected key=value"),
    (["foo=1"], "query 'new_relations' has no parameter 'foo' (parameters: since, until, limit)"),
    ([], "query 'new_relations' needs --param since=<date> (first day of the range (inclusive))"),
    (["since=2024-13-01"], "--param since=2024-13-01: expected a date YYYY-MM-DD (or YYYY-MM, YYYY)"),
    (["since=yesterday"], "--param since=yesterday: expected a date YYYY-MM-DD (or YYYY-MM, YYYY)"),
])
def test_bad_params(args, message):
    with pytest.raises(InputError) as info:
        bind_params(load_catalogue()["new_relations"], args)
    assert str(info.value) == message


def test_bad_choice_and_relation():
    with pytest.raises(InputError, match=r"^--param direction=sideways: expected one of in, out, both$"):
        bind_params(load_catalogue()["arms_flows"], ["actor=RUS", "direction=sideways"])
    with pytest.raises(InputError, match=r"^--param type=LOVES: expected one of MEETS, VISITS, "):
        bind_params(load_catalogue()["evidence"], ["subject=a", "object=b", "type=LOVES"])


def test_defaults_are_filled_in():
    assert bind_params(load_catalogue()["dyads"], []) == {"stance": "both", "limit": 25}
    assert bind_params(load_catalogue()["meetings"], ["actor=Kim"]) == {"actor": "Kim", "limit": 50}


@pytest.mark.parametrize(("text", "message"), [
    ("// param: x int = 1 - h\n// columns: a\nRETURN 1", "q.cypher:1: missing `// description: ...` header line"),
    ("// description: d\nRETURN 1", "q.cypher:1: missing `// columns: a, b, ...` header line"),
    ("// description: d\n// columns: a\n// param: x widget - h\nRETURN 1",
     "q.cypher:3: unknown parameter type 'widget' (use string, int, float, bool, date, relation or a|b|c)"),
    ("// description: d\n// columns: a\n// param: x int\nRETURN 1",
     "q.cypher:3: expected `// param: NAME TYPE [= DEFAULT] - HELP`, got 'x int'"),
    ("// description: d\n// columns: a\n// param: x int = z - h\nRETURN 1",
     "q.cypher:3: bad default: --param x=z: expected int"),
    ("// name: other\n// description: d\n// columns: a\nRETURN 1",
     "q.cypher:1: query name 'other' must equal the file name and be lower_snake_case"),
])
def test_bad_headers(text, message):
    with pytest.raises(InputError) as info:
        parse_query(Path("q.cypher"), text)
    assert str(info.value) == message


def test_catalogue_dir_from_env(tmp_path, monkeypatch):
    (tmp_path / "hello.cypher").write_text("// description: Say hi.\n// columns: greeting\nRETURN 'hi' AS greeting\n")
    monkeypatch.setenv("GRAPHBUILD_QUERIES", str(tmp_path))
    assert list(load_catalogue()) == ["hello"]
    monkeypatch.setenv("GRAPHBUILD_QUERIES", str(tmp_path / "missing"))
    with pytest.raises(InputError, match="no saved-query folder"):
        load_catalogue()


# -- the command ----------------------------------------------------------------------
def test_query_list():
    result = CliRunner().invoke(app, ["query", "--list"])
    assert result.exit_code == 0, result.output
    for query in load_catalogue().values():
        assert query.name in result.stdout
        for param in query.params:
            assert f"{param.name}:" in result.stdout
    result = CliRunner().invoke(app, ["query", "--list", "--json"])
    data = json.loads(result.stdout)
    assert [q["name"] for q in data] == sorted(QUERY_NAMES)
    arms = next(q for q in data if q["name"] == "arms_flows")
    assert arms["params"] == [
        {"name": "actor", "type": "string", "required": True, "default": None,
         "help": "id, ISO3 code, name, alias or surname of an actor (case and accents ignored)"},
        {"name": "direction", "type": "in|out|both", "required": False, "default": "both",
         "help": "in: what it receives, out: what it supplies"},
    ]
    assert arms["description"] == "Arms flows into or out of a country (or any actor), with the weapons and the modality."


@pytest.mark.neo4j
def test_query_command_json_and_table(loaded, monkeypatch):
    monkeypatch.setenv("NEO4J_URI", loaded.uri)
    result = CliRunner().invoke(app, ["query", "arms_flows", "--param", "actor=RUS", "-p", "direction=out", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["params"] == {"actor": "RUS", "direction": "out"}
    assert data["rows"] == [{
        "direction": "out", "supplier_id": "country:RUS", "supplier": "Russia", "recipient_id": "country:MLI",
        "recipient": "Mali", "items": ["drones", "anti-tank missiles"], "modality": "asserted",
        "modalities": ["asserted"], "times": 1, "first_date": "2024-05-18", "last_date": "2024-05-18"}]
    result = CliRunner().invoke(app, ["query", "meetings", "-p", "actor=xi"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("meetings (1 rows, neo4j)\n")


@pytest.mark.parametrize(("args", "message"), [
    (["query", "nope"], "error: unknown query 'nope'; `graphbuild query --list` shows the saved queries\n"),
    (["query", "dyads", "-p", "stance=angry"], "error: --param stance=angry: expected one of hostile, friendly, both\n"),
    (["query", "timeline"], "error: query 'timeline' needs --param actor=<string> "
                            "(id, ISO3 code, name, alias or surname of an actor (case and accents ignored))\n"),
])
def test_query_command_errors(args, message):
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1
    assert result.stderr == message


def test_query_command_needs_a_name():
    result = CliRunner().invoke(app, ["query"])
    assert result.exit_code == 2


@pytest.mark.neo4j
def test_query_on_a_database_without_the_lookup_index(neo4j_db, monkeypatch):
    """A database not loaded by this version has no `entity_lookup`: the query command creates it."""
    monkeypatch.setenv("NEO4J_URI", neo4j_db.uri)
    if neo4j_db.password:
        monkeypatch.setenv("NEO4J_PASSWORD", neo4j_db.password)
    result = CliRunner().invoke(app, ["query", "actor", "-p", "actor=Russia", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["rows"] == []
    records, _, _ = neo4j_db.driver.execute_query("SHOW FULLTEXT INDEXES YIELD name, state")
    assert [(r["name"], r["state"]) for r in records] == [("entity_lookup", "ONLINE")]
