"""Neo4j Browser as a workbench, on the real server and the fixture corpus: saved queries run as
pasted (parameters set the way Browser sets them), actors found as people type them, every query
entering through an index, readable relationship properties, Evidence one hop from its actors,
and the ``:play`` guide (well-formed, every query in it compiles) with its server."""

from __future__ import annotations

import html.parser
import re
import urllib.request
from pathlib import Path

import pytest
from graphdata import NASTY_TITLE, build_fixture_store
from test_queries import CASES
from typer.testing import CliRunner

from graphbuild.cli import app
from graphbuild.ontology import RELATION_TYPES
from graphbuild.queries import bind_params, load_catalogue
from graphbuild.queries.offline import run_offline
from graphbuild.sinks import browser
from graphbuild.sinks.neo4j import Neo4jConfig, load_store, run_query

#: Questions over the whole graph: no actor to start from, so no index to enter through.
WHOLE_GRAPH = {"dyads", "overview", "meetings", "contested"}
#: Questions entered by a range seek on a relationship property, one index per relation type.
BY_RELATIONSHIP_RANGE = {"new_relations": "first_date"}
SCANS = ("NodeByLabelScan", "AllNodesScan", "RelationshipTypeScan", "ValueHashJoin", "CartesianProduct")


def _all_queries():
    return {**load_catalogue(browser.browser_query_dir()), **load_catalogue()}


@pytest.fixture(scope="module")
def loaded(neo4j_server, tmp_path_factory):
    """The fixture corpus loaded once into an emptied database (the tests here only read); yields
    (config, driver, store path)."""
    from conftest import _empty_database
    from neo4j import GraphDatabase

    config = Neo4jConfig(uri=neo4j_server.uri, user=neo4j_server.user, password=neo4j_server.password)
    driver = GraphDatabase.driver(neo4j_server.uri, auth=neo4j_server.auth)
    path = tmp_path_factory.mktemp("browser") / "g.db"
    try:
        _empty_database(driver)
        with build_fixture_store(path) as store:
            load_store(store, config, driver=driver)
        yield config, driver, path
    finally:
        driver.close()


def _floats(params: dict) -> dict:
    """What Browser sends for ``:params {limit: 50}``: every number a float (JavaScript has no integers)."""
    return {k: float(v) if isinstance(v, int) and not isinstance(v, bool) else v for k, v in params.items()}


def browser_params(driver, line: str) -> dict:
    """The parameters a ``:params {...}`` line sets: Browser evaluates the map with Cypher, numbers as floats."""
    assert line.startswith(":params {"), line
    records, _, _ = driver.execute_query(f"RETURN {line.removeprefix(':params').strip()} AS m")
    return _floats(records[0]["m"])


def _ops(plan) -> list[str]:
    out = [plan["operatorType"].split("@")[0]]
    for child in plan.get("children", []):
        out += _ops(child)
    return out


def _leaves(plan) -> list[tuple[str, str]]:
    """(operator, details) of every leaf of a plan: where its rows come from."""
    if not plan.get("children"):
        return [(plan["operatorType"].split("@")[0], plan.get("args", {}).get("Details", ""))]
    return [leaf for child in plan["children"] for leaf in _leaves(child)]


# -- the query files -------------------------------------------------------------------------
def test_every_query_file_has_a_title_and_a_params_line_setting_every_parameter():
    for name, query in _all_queries().items():
        assert query.title.startswith("graphbuild · ") and ":" not in query.title, name
        assert query.text.splitlines()[0] == f"// {query.title}", name  # Browser names the favourite after it
        keys = re.findall(r"(\w+):", query.browser.removeprefix(":params"))
        assert query.browser.startswith(":params {") and keys == [p.name for p in query.params], name
        for param in query.params:  # optional ones set to null
            if not param.required and param.default is None:
                assert f"{param.name}: null" in query.browser, name


@pytest.mark.neo4j
@pytest.mark.parametrize("name", sorted(_all_queries()))
def test_every_query_runs_as_pasted_with_its_params_line(loaded, name):
    config, driver, db = loaded
    query = _all_queries()[name]
    params = browser_params(driver, query.browser)
    result = run_query(config, query.text, params, driver=driver)
    # the six articles hold no contested claim: its rows, also with the float of a :params line,
    # are tested on the claims article (test_offline_queries.py::test_contested_exact_rows_on_neo4j)
    assert tuple(result.columns) == query.columns and (result.rows or name == "contested"), name
    if name in load_catalogue():  # a table query: the offline backend's rows for the same values
        exact = {k: int(v) if isinstance(v, float) else v for k, v in params.items()}
        from graphbuild.store import Store

        with Store(db) as store:
            assert result.rows == run_offline(store, query, exact).rows, name


@pytest.mark.neo4j
def test_saved_queries_give_the_same_rows_with_float_and_omitted_params(loaded):
    """``:params {limit: 50}`` sends 50.0; an optional parameter left null takes its default."""
    config, driver, _db = loaded
    for name, args, rows in CASES:
        query = load_catalogue()[name]
        given = {a.partition("=")[0] for a in args}
        params = _floats(bind_params(query, args))
        assert run_query(config, query.text, params, driver=driver).rows == rows, (name, args)
        omitted = {k: (None if k not in given and not query.param(k).required else v) for k, v in params.items()}
        assert run_query(config, query.text, omitted, driver=driver).rows == rows, (name, args, "omitted")


@pytest.mark.neo4j
@pytest.mark.parametrize(("typed", "actor_id"), [
    ("PUTIN", "person:vladimir-putin"),               # an alias, any case
    ("shoigu", "person:sergei-shoigu"),               # a surname
    ("zelenskiy", "person:volodymyr-zelensky"),       # a misspelling
    ("Xí Jinpíng", "person:xi-jinping"),              # stray accents
    ("kim jong un", "person:kim-jong-un"),            # no hyphen
    ("the Kremlin", "country:RUS"),                   # a seat of power
    ("COUNTRY:rus", "country:RUS"),                   # an id, any case
    ("(Russia)", "country:RUS"),                      # full-text syntax is not a syntax error
])
def test_actor_lookup_forgives_how_people_type_a_name(loaded, typed, actor_id):
    config, driver, _db = loaded
    rows = run_query(config, load_catalogue()["actor"].text, {"actor": typed}, driver=driver).rows
    assert {r[0] for r in rows} == {actor_id}


@pytest.mark.neo4j
def test_an_unknown_or_empty_actor_gives_no_rows(loaded):
    config, driver, _db = loaded
    for typed in ("Atlantis", "", "  ", "~*?"):
        assert run_query(config, load_catalogue()["actor"].text, {"actor": typed}, driver=driver).rows == []


@pytest.mark.neo4j
@pytest.mark.parametrize("name", sorted(_all_queries()))
def test_every_query_enters_through_an_index(loaded, name):
    _config, driver, _db = loaded
    query = _all_queries()[name]
    params = {p.name: None for p in query.params}
    _, summary, _ = driver.execute_query("EXPLAIN " + query.text, params)
    ops = _ops(summary.plan)
    assert "AllNodesScan" not in ops
    if name == "dyads":  # the ten weighted relation types' own scan, not every entity's relationships
        assert [op for op, _ in _leaves(summary.plan)] == ["DirectedUnionRelationshipTypesScan"], ops
    if name in WHOLE_GRAPH:
        return
    if name in BY_RELATIONSHIP_RANGE:  # one range seek per relation type, on its own index, and no scan
        prop = BY_RELATIONSHIP_RANGE[name]
        leaves = _leaves(summary.plan)
        # Neo4j shortens repeated operator names in a plan ('...ionshipIndexSeekByRange')
        assert all(op.endswith("ionshipIndexSeekByRange") for op, _ in leaves), leaves
        seeks = [re.fullmatch(rf"RANGE INDEX \(s\)-\[r:(\w+)\({prop}\)\]->\(o\) WHERE {prop} >= \$since", d)
                 for _, d in leaves]
        assert None not in seeks and sorted(m.group(1) for m in seeks) == sorted(RELATION_TYPES), leaves
        assert not [op for op in ops if any(scan in op for scan in SCANS)], (name, ops)
        return
    assert ops[-1] in ("ProcedureCall", "NodeIndexSeek", "NodeUniqueIndexSeek") or "ProcedureCall" in ops, ops
    assert not [op for op in ops if any(scan in op for scan in SCANS)], (name, ops)
    if name == "evidence":  # the sentences by the rel_key index, not a join over every Evidence
        assert "NodeIndexSeek" in ops


# -- what a click shows ------------------------------------------------------------------------
@pytest.mark.neo4j
def test_relationships_carry_their_sentence_label_item_names_and_cameo_label(loaded):
    _config, driver, _db = loaded
    records, _, _ = driver.execute_query(
        "MATCH (s:Entity)-[r:SUPPLIES_ARMS_TO]->(o:Entity) RETURN s.id AS s, o.id AS o, properties(r) AS p")
    props = {(r["s"], r["o"]): r["p"] for r in records}
    prk = props[("country:PRK", "country:RUS")]
    assert {k: prk[k] for k in ("label", "modality", "example", "example_title", "example_date",
                                "example_article_id", "items", "item_names", "cameo", "cameo_label")} == {
        "label": "SUPPLIES_ARMS_TO", "modality": "asserted",
        "example": "North Korea has shipped artillery ammunition and ballistic missiles to Russia, the IISS said.",
        "example_title": NASTY_TITLE, "example_date": "2023-10-20", "example_article_id": "pyongyang-shells",
        "items": ["weapon:artillery-ammunition", "weapon:ballistic-missiles"],
        "item_names": ["artillery ammunition", "ballistic missiles"],
        "cameo": "072", "cameo_label": "provide military aid"}
    chn = props[("country:CHN", "country:RUS")]
    assert (chn["label"], chn["example"], chn["item_names"]) == (
        "SUPPLIES_ARMS_TO · denied", "Chinese Foreign Minister Wang Yi said Beijing has not supplied drones to Russia.",
        ["drones"])
    records, _, _ = driver.execute_query(
        "MATCH ()-[r]->() WHERE NOT type(r) IN ['MENTIONS', 'IN_ARTICLE', 'HAS_SUBJECT', 'HAS_OBJECT'] "
        "RETURN count(r) AS n, count(r.label) AS labelled")
    assert records[0]["n"] == records[0]["labelled"] > 0  # every edge has a caption
    records, _, _ = driver.execute_query(
        "MATCH (s:Entity)-[x:SUPPLIES_ITEM]->(w:Weapon) RETURN s.name AS s, w.name AS w, x.label AS label "
        "ORDER BY s, w")
    assert [tuple(r.values()) for r in records] == [
        ("China", "drones", "SUPPLIES_ITEM · denied"),
        ("North Korea", "artillery ammunition", "SUPPLIES_ITEM"),
        ("North Korea", "ballistic missiles", "SUPPLIES_ITEM"),
        ("Russia", "anti-tank missiles", "SUPPLIES_ITEM"),
        ("Russia", "drones", "SUPPLIES_ITEM"),
        ("United States", "anti-tank missiles", "SUPPLIES_ITEM · promised")]


@pytest.mark.neo4j
def test_evidence_is_one_hop_from_its_actors(loaded):
    _config, driver, db = loaded
    from graphbuild.store import Store

    with Store(db) as store:
        expected = sorted(r.sentence for r in store.evidence() if "person:kim-jong-un" in (r.subject, r.object))
    records, _, _ = driver.execute_query(
        "MATCH (:Entity {id: 'person:kim-jong-un'})<-[:HAS_SUBJECT|HAS_OBJECT]-(ev:Evidence) "
        "RETURN ev.sentence AS s ORDER BY s")
    assert [r["s"] for r in records] == expected and len(expected) >= 4
    records, _, _ = driver.execute_query(
        "MATCH (s:Entity)<-[:HAS_SUBJECT]-(ev:Evidence)-[:HAS_OBJECT]->(o:Entity) "
        "RETURN count(*) AS linked, sum(CASE WHEN ev.subject = s.id AND ev.object = o.id THEN 1 ELSE 0 END) AS right")
    assert records[0]["linked"] == records[0]["right"] > 0


# -- the guide ----------------------------------------------------------------------------------
class _Guide(html.parser.HTMLParser):
    """Checks that every tag closes in order; collects the runnable blocks and the slides."""

    VOID = {"br", "hr", "img", "meta", "link", "input"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.runnable: list[str] = []
        self.slides = 0
        self._in_pre = False

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        self.stack.append(tag)
        self.slides += tag == "slide"
        self._in_pre = tag == "pre" and "runnable" in (dict(attrs).get("class") or "")
        if self._in_pre:
            self.runnable.append("")

    def handle_endtag(self, tag):
        assert self.stack and self.stack.pop() == tag, f"</{tag}> closes nothing open"
        self._in_pre = False

    def handle_data(self, data):
        if self._in_pre:
            self.runnable[-1] += data


def _parse_guide(text: str) -> _Guide:
    guide = _Guide()
    guide.feed(text)
    guide.close()
    assert guide.stack == []
    return guide


def test_guide_is_well_formed_with_a_slide_per_question():
    text = browser.guide_html(style_url="http://localhost:7480/style.grass")
    guide = _parse_guide(text)
    assert text.startswith('<article class="guide">')
    assert guide.slides == len(browser.slides()) + 2  # a title slide and the properties slide
    assert ":style http://localhost:7480/style.grass" in guide.runnable
    for on, name, _meaning in browser.PROPERTIES:
        assert f"<td>{name}</td>" in text.replace("&#x27;", "'"), (on, name)


@pytest.mark.neo4j
def test_every_query_in_the_guide_compiles(loaded):
    _config, driver, _db = loaded
    guide = _parse_guide(browser.guide_html())
    queries = [q for q in guide.runnable if not q.startswith(":")]
    assert len(queries) == sum(len(s.queries) for s in browser.slides())
    for text in queries:
        params = {name: None for name in re.findall(r"\$(\w+)", text)}
        driver.execute_query("EXPLAIN " + text, params)  # raises on a syntax or semantic error
    for line in (q for q in guide.runnable if q.startswith(":params")):
        browser_params(driver, line)


def test_guide_server_answers_with_cors():
    server, base = browser.serve("localhost", 0)
    try:
        with urllib.request.urlopen(f"{base}/graphbuild.html", timeout=10) as resp:
            assert resp.headers["Access-Control-Allow-Origin"] == "*"
            body = resp.read().decode("utf-8")
        assert f":style {base}/style.grass" in body
        with urllib.request.urlopen(f"{base}/style.grass", timeout=10) as resp:
            assert resp.read() == browser.style_path().read_bytes()
        preflight = urllib.request.Request(f"{base}/graphbuild.html", method="OPTIONS")
        with urllib.request.urlopen(preflight, timeout=10) as resp:
            assert resp.status == 204 and resp.headers["Access-Control-Allow-Origin"] == "*"
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(f"{base}/secret", timeout=10)
        assert err.value.code == 404
    finally:
        server.shutdown()
        server.server_close()


def test_browser_command_writes_the_guide_and_the_style(tmp_path):
    result = CliRunner().invoke(app, ["browser", "--write", str(tmp_path / "out"), "--json"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["graphbuild.html", "style.grass"]
    _parse_guide((tmp_path / "out" / "graphbuild.html").read_text(encoding="utf-8"))


def test_browser_command_on_a_busy_port_says_so(tmp_path):
    server, base = browser.serve("localhost", 0)
    port = int(base.rsplit(":", 1)[1])
    try:
        result = CliRunner().invoke(app, ["browser", "--port", str(port)])
    finally:
        server.shutdown()
        server.server_close()
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: http://localhost:{port}: cannot serve the guide: ")
    assert result.stderr.count("\n") == 1


def test_guide_names_a_missing_query_file(tmp_path):
    from graphbuild.errors import InputError

    with pytest.raises(InputError, match="guide slide 'A way in': no saved query overview"):
        browser.slides({})


def test_readme_documents_every_relationship_property(repo_root):
    from graphbuild.sinks.cypher import ENTITY_PROPERTIES, RANK_LABELS, RELATION_PROPERTIES

    doc = (repo_root / "README.md").read_text(encoding="utf-8")
    for name in RELATION_PROPERTIES + ENTITY_PROPERTIES + RANK_LABELS:
        assert f"`{name}`" in doc, name
    assert "graphbuild browser" in doc and "client.allow_telemetry" in doc
    for name in load_catalogue(browser.browser_query_dir()):
        assert f"`{name}`" in doc, name
    assert Path(browser.style_path()).is_file()


def test_test_server_conf_turns_browser_telemetry_off_and_can_open_the_guide(neo4j_launcher, tmp_path):
    home = neo4j_launcher.prepare_home(tmp_path / "home")
    conf = (home / "conf" / "neo4j.conf").read_text().splitlines()
    assert "client.allow_telemetry=false" in conf and not any(c.startswith("browser.post_connect_cmd") for c in conf)
    command = browser.browser_commands("http://localhost:7480")["post_connect_cmd"]
    neo4j_launcher._write_conf(home, 1, 2, False, command.split("=", 1)[1])
    assert command in (home / "conf" / "neo4j.conf").read_text().splitlines()
