"""The saved questions answered offline (embedded store + networkx) give the same rows as Neo4j.

For every saved query: the same columns and rows, value types included, on both
backends, on the hand-built fixture corpus (tests/graphdata.py) and on a seeded
random corpus of 200 articles (tests/randomcorpus.py), the Neo4j side on the real
test server.  Offline-only: the exact rows of tests/test_queries.py, and the
``query`` command choosing its backend.
"""

from __future__ import annotations

import json
import random

import pytest
from graphdata import build_fixture_store, claims_extraction
from randomcorpus import ACTORS, build_random_store
from test_queries import CASES, QUERY_NAMES
from typer.testing import CliRunner

from graphbuild.cli import app
from graphbuild.errors import InputError
from graphbuild.graph.stance import cypher_round
from graphbuild.queries.offline import OFFLINE_QUERIES, OfflineData, run_offline
from graphbuild.queries import bind_params, load_catalogue, parse_query
from graphbuild.sinks.neo4j import Neo4jConfig, load_store, run_query


def _typed(value):
    """Values with their types, so 1 != 1.0 != True in comparisons."""
    if isinstance(value, list):
        return ["list", [_typed(v) for v in value]]
    return [type(value).__name__, value]


# -- the parameter sets asked of each corpus ------------------------------------------
def _small_args() -> dict[str, list[list[str]]]:
    args: dict[str, list[list[str]]] = {name: [] for name in QUERY_NAMES}
    for name, a, _rows in CASES:
        args[name].append(a)
    args["meetings"] += [["actor=Russia"], ["actor=nobody"], ["limit=0"]]
    args["arms_flows"] += [["actor=Mali", "direction=in"], ["actor=china"]]
    args["cooperation_network"] += [["actor=Kim", "limit=1"], ["actor=Wagner"]]
    args["shortest_paths"] += [["from=Mali", "to=NATO"], ["from=Russia", "to=russia"], ["from=IISS", "to=Kim"]]
    args["actor"] += [["actor=Mali"], ["actor=nobody"]]
    args["timeline"] += [["actor=RUS", "until=2023-12-28"], ["actor=Washington", "since=2024"]]
    args["evidence"] += [["subject=china", "object=rus", "type=COOPERATES_WITH"], ["subject=USA", "object=ukr"]]
    args["new_relations"] += [["since=2023-10-20", "until=2024-05-18"], ["since=2025"]]
    args["dyads"] += [["stance=both", "limit=100"], ["stance=friendly", "limit=0"]]
    args["contested"] += [[], ["limit=1"]]
    args["timeline"] += [["actor=Togo"], ["actor=Togo", "since=2024-05-08"], ["actor=bfa", "until=2024-04"]]
    return args


def _random_args() -> dict[str, list[list[str]]]:
    rng = random.Random(11)
    entities = sorted(ACTORS.values(), key=lambda e: e.id)
    names = [e.name for e in entities] + ["the Council", "arnorian", "GON", "Rangers"]
    countries = [e for e in entities if e.type == "Country"]
    args: dict[str, list[list[str]]] = {name: [] for name in QUERY_NAMES}
    args["meetings"] = [[], ["limit=500"], ["actor=the council"], ["actor=ARN", "limit=3"]] + [
        [f"actor={n}"] for n in rng.sample(names, 6)]
    args["arms_flows"] = [[f"actor={c.iso3.lower()}", f"direction={d}"] for c in countries
                          for d in ("in", "out", "both")] + [["actor=the Council"]]
    args["cooperation_network"] = [[f"actor={n}", "limit=500"] for n in names] + [["actor=GON", "limit=3"]]
    args["shortest_paths"] = [[f"from={a}", f"to={b}", "limit=1000"] for a, b in
                              (rng.sample(names, 2) for _ in range(25))]
    args["shortest_paths"] += [["from=Minas Tirith", "to=Mordor", "limit=1000"], ["from=Minas Tirith",
                               "to=Isengard"], ["from=the Council", "to=Helm's Deep", "limit=5"]]
    args["actor"] = [[f"actor={n}"] for n in names]
    args["timeline"] = [[f"actor={n}"] for n in names] + [
        ["actor=Gondor", "since=2023-02", "until=2023-11"], ["actor=the Council", "until=2022"],
        ["actor=Aragorn", "since=2024-06-15"]]
    args["evidence"] = [[f"subject={a}", f"object={b}"] for a, b in (rng.sample(names, 2) for _ in range(40))]
    args["evidence"] += [["subject=Arnor", "object=Gondor", f"type={t}"] for t in ("MEETS", "ATTACKS", "SANCTIONS")]
    args["evidence"] += [["subject=the Council", "object=the council"]]
    args["new_relations"] = [["since=2022", "limit=100"], ["since=2023-05", "until=2023-09", "limit=100"],
                             ["since=2024-12-01"], ["since=2022-01-01", "until=2022-01"]]
    args["dyads"] = [["stance=both", "limit=1000"], ["stance=hostile", "limit=1000"],
                     ["stance=friendly", "limit=1000"], []]
    args["contested"] = [["limit=1000"], ["limit=3"]]
    return args


SMALL_ARGS = _small_args()
RANDOM_ARGS = _random_args()


def _compare(config: Neo4jConfig, data: OfflineData, name: str, arg_sets: list[list[str]]) -> int:
    query = load_catalogue()[name]
    rows_seen = 0
    for args in arg_sets:
        params = bind_params(query, args)
        on_neo4j = run_query(config, query.text, params)
        offline = run_offline(data, query, params)
        assert offline.columns == on_neo4j.columns == list(query.columns)
        assert offline.rows == on_neo4j.rows, (name, args)
        assert _typed(offline.rows) == _typed(on_neo4j.rows), (name, args)
        rows_seen += len(offline.rows)
    return rows_seen


def test_every_saved_query_has_an_offline_twin_and_test_arguments():
    assert set(OFFLINE_QUERIES) == set(load_catalogue()) == QUERY_NAMES
    for name, query in load_catalogue().items():
        assert OFFLINE_QUERIES[name].columns == query.columns
        assert SMALL_ARGS[name] and RANDOM_ARGS[name]


@pytest.mark.neo4j
@pytest.mark.parametrize("name", sorted(QUERY_NAMES))
def test_same_rows_on_the_fixture_corpus(neo4j_db, tmp_path, name):
    config = Neo4jConfig(uri=neo4j_db.uri, user=neo4j_db.user, password=neo4j_db.password)
    with build_fixture_store(tmp_path / "g.db") as store:
        store.write(claims_extraction())  # a contested claim, event dates, an anonymous source
        load_store(store, config, driver=neo4j_db.driver)
        data = OfflineData.from_store(store)
    assert _compare(config, data, name, SMALL_ARGS[name]) > 0


@pytest.mark.neo4j
@pytest.mark.parametrize("name", sorted(QUERY_NAMES))
def test_same_rows_on_a_random_corpus(neo4j_db, tmp_path, name):
    config = Neo4jConfig(uri=neo4j_db.uri, user=neo4j_db.user, password=neo4j_db.password)
    with build_random_store(tmp_path / "r.db") as store:
        load_store(store, config, driver=neo4j_db.driver)
        data = OfflineData.from_store(store)
    # Enough rows that the comparison means something.
    assert _compare(config, data, name, RANDOM_ARGS[name]) >= 10


# -- offline only -----------------------------------------------------------------------
@pytest.fixture(scope="module")
def fixture_data(tmp_path_factory):
    with build_fixture_store(tmp_path_factory.mktemp("offline") / "g.db") as store:
        return OfflineData.from_store(store)


@pytest.mark.parametrize(("name", "args", "rows"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_offline_exact_rows(fixture_data, name, args, rows):
    query = load_catalogue()[name]
    result = run_offline(fixture_data, query, bind_params(query, args))
    assert result.columns == list(query.columns)
    assert result.rows == rows


CONTESTED_ROWS = [
    ['SUPPLIES_ARMS_TO', 'country:TGO', 'Togo', 'country:BFA', 'Burkina Faso', 'asserted', 'country:GHA', 'Ghana',
     '2024-05-07', 'event', 'ghana-togo-arms',
     'On Tuesday, Ghana said Togo had delivered armoured vehicles to Burkina Faso, which Lomé denied.'],
    ['SUPPLIES_ARMS_TO', 'country:TGO', 'Togo', 'country:BFA', 'Burkina Faso', 'denied', 'country:TGO', 'Togo',
     '2024-05-07', 'event', 'ghana-togo-arms',
     'On Tuesday, Ghana said Togo had delivered armoured vehicles to Burkina Faso, which Lomé denied.'],
]


def test_contested_exact_rows_offline(tmp_path):
    """Both sides of the one contested relation; the uncontested visit and the six articles give none."""
    with build_fixture_store(tmp_path / "g.db") as store:
        query = load_catalogue()["contested"]
        assert run_offline(store, query, bind_params(query, [])).rows == []
        store.write(claims_extraction())
        assert run_offline(store, query, bind_params(query, [])).rows == CONTESTED_ROWS
        assert run_offline(store, query, bind_params(query, ["limit=1"])).rows == CONTESTED_ROWS[:1]
        timeline = load_catalogue()["timeline"]
        rows = run_offline(store, timeline, bind_params(timeline, ["actor=Togo"])).rows
    # the event dates, not the article's 2024-05-10: last month, and the Tuesday before
    assert [(r[0], r[1], r[5], r[8]) for r in rows] == [
        ('2024-04', 'VISITS', 'asserted', 'event'),
        ('2024-05-07', 'SUPPLIES_ARMS_TO', 'asserted', 'event'),
        ('2024-05-07', 'SUPPLIES_ARMS_TO', 'denied', 'event'),
    ]


@pytest.mark.neo4j
def test_contested_exact_rows_on_neo4j(neo4j_db, tmp_path):
    config = Neo4jConfig(uri=neo4j_db.uri, user=neo4j_db.user, password=neo4j_db.password)
    with build_fixture_store(tmp_path / "g.db") as store:
        store.write(claims_extraction())
        load_store(store, config, driver=neo4j_db.driver)
    query = load_catalogue()["contested"]
    assert run_query(config, query.text, bind_params(query, [])).rows == CONTESTED_ROWS
    assert run_query(config, query.text, {"limit": 200.0}).rows == CONTESTED_ROWS  # as Browser's :params sends it
    records, _, _ = neo4j_db.driver.execute_query(
        "MATCH (:Entity {id: 'country:TGO'})-[r]->(:Entity {id: 'country:BFA'})"
        " RETURN type(r) AS t, r.contested AS c, r.articles AS a, r.outlets AS o, r.corroboration AS x,"
        " r.first_date AS f, r.dated_by AS d ORDER BY t")
    assert [list(r.values()) for r in records] == [
        ["SUPPLIES_ARMS_TO", True, 1, 1, 0.8, "2024-05-07", "event"],
        ["VISITS", False, 1, 1, 0.7, "2024-04", "event"]]
    records, _, _ = neo4j_db.driver.execute_query(
        "MATCH (ev:Evidence {article_id: 'ghana-togo-arms'}) RETURN ev.predicate AS p, ev.modality AS m,"
        " ev.claimed_by AS c, ev.event_date AS d, ev.date_precision AS x ORDER BY p, m")
    assert [list(r.values()) for r in records] == [
        ["SUPPLIES_ARMS_TO", "asserted", "country:GHA", "2024-05-07", "day"],
        ["SUPPLIES_ARMS_TO", "denied", "country:TGO", "2024-05-07", "day"],
        ["VISITS", "asserted", "Western officials", "2024-04", "month"]]


def test_offline_paths_stop_at_six_hops(tmp_path):
    with build_random_store(tmp_path / "r.db") as store:
        data = OfflineData.from_store(store)
    query = load_catalogue()["shortest_paths"]
    rows = run_offline(data, query, bind_params(query, ["from=Minas Tirith", "to=Eriador"])).rows
    assert rows == [[5, "Minas Tirith -[LOCATED_IN]-> Helm's Deep -[LOCATED_IN]-> Osgiliath -[LOCATED_IN]-> "
                        "Barad-dur -[LOCATED_IN]-> Isengard -[LOCATED_IN]-> Eriador",
                     ["Minas Tirith", "Helm's Deep", "Osgiliath", "Barad-dur", "Isengard", "Eriador"],
                     ["LOCATED_IN"] * 5]]
    hops = set()
    for country in (e for e in ACTORS.values() if e.type == "Country"):
        found = run_offline(data, query, bind_params(query, ["from=Minas Tirith", f"to={country.name}"])).rows
        hops.add(found[0][0] if found else None)
    assert 6 in hops and hops <= {5, 6, None}  # 7 hops away: no path, as *..6 in Cypher


def test_cypher_round():
    assert cypher_round(24.599999999999998) == 24.6
    assert cypher_round(0.125) == 0.13 and cypher_round(-0.125) == -0.13
    assert cypher_round(1.005) == 1.01  # Neo4j rounds the decimal text, Python's round() gives 1.0


def test_query_without_offline_twin(tmp_path, monkeypatch, fixture_data):
    (tmp_path / "hello.cypher").write_text("// description: Say hi.\n// columns: greeting\nRETURN 'hi' AS greeting\n")
    query = parse_query(tmp_path / "hello.cypher")
    with pytest.raises(InputError, match=r"^query 'hello' has no offline implementation; run it on Neo4j"):
        run_offline(fixture_data, query, {})
    changed = parse_query(tmp_path / "meetings.cypher",
                          "// description: d\n// columns: a, b\nMATCH (n) RETURN 1 AS a, 2 AS b")
    with pytest.raises(InputError, match=r"meetings.cypher: columns a, b differ from the offline"):
        run_offline(fixture_data, changed, {})


# -- the command ----------------------------------------------------------------------------
def test_query_command_offline_without_neo4j(fixture_db):
    result = CliRunner().invoke(app, ["query", "arms_flows", "-p", "actor=RUS", "-p", "direction=out", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["backend"] == "offline"
    assert data["rows"] == [{
        "direction": "out", "supplier_id": "country:RUS", "supplier": "Russia", "recipient_id": "country:MLI",
        "recipient": "Mali", "items": ["drones", "anti-tank missiles"], "modality": "asserted",
        "modalities": ["asserted"], "times": 1, "first_date": "2024-05-18", "last_date": "2024-05-18"}]
    result = CliRunner().invoke(app, ["query", "meetings", "-p", "actor=xi"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("meetings (1 rows, offline)\n")


def test_query_table_is_capped_json_is_not(fixture_db, monkeypatch):
    """A big answer prints its first rows as a table and says so; --json always has every row."""
    from graphbuild import cli_neo4j

    full = json.loads(CliRunner().invoke(app, ["query", "dyads", "--json"]).stdout)["rows"]
    assert len(full) > 2
    monkeypatch.setattr(cli_neo4j, "_QUERY_ROWS", 2)
    result = CliRunner().invoke(app, ["query", "dyads"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"dyads: the first 2 of {len(full)} rows (offline; all with --json)\n")
    assert len(json.loads(CliRunner().invoke(app, ["query", "dyads", "--json"]).stdout)["rows"]) == len(full)


def test_query_command_offline_even_with_neo4j_configured(fixture_db, monkeypatch):
    monkeypatch.setenv("NEO4J_URI", "bolt://127.0.0.1:1")
    result = CliRunner().invoke(app, ["query", "dyads", "-p", "limit=1", "--backend", "offline", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["rows"][0]["net"] == 24.6


def test_query_command_chooses_neo4j_when_configured(fixture_db, monkeypatch):
    monkeypatch.setenv("NEO4J_URI", "bolt://127.0.0.1:1")
    result = CliRunner().invoke(app, ["query", "dyads"])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: cannot reach Neo4j at bolt://127.0.0.1:1: ")
    monkeypatch.delenv("NEO4J_URI")
    result = CliRunner().invoke(app, ["query", "dyads", "--backend", "neo4j", "--uri", "bolt://127.0.0.1:1"])
    assert result.exit_code == 1 and "cannot reach Neo4j at bolt://127.0.0.1:1" in result.stderr
    result = CliRunner().invoke(app, ["query", "dyads", "--uri", "bolt://127.0.0.1:1"])
    assert result.exit_code == 1 and "cannot reach Neo4j at bolt://127.0.0.1:1" in result.stderr


@pytest.mark.neo4j
def test_query_command_neo4j_names_its_backend(neo4j_db, fixture_db, monkeypatch):
    config = Neo4jConfig(uri=neo4j_db.uri, user=neo4j_db.user, password=neo4j_db.password)
    with build_fixture_store(fixture_db.parent / "n.db") as store:
        load_store(store, config, driver=neo4j_db.driver)
    monkeypatch.setenv("NEO4J_URI", neo4j_db.uri)
    result = CliRunner().invoke(app, ["query", "meetings", "-p", "actor=xi"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("meetings (1 rows, neo4j)\n")
    offline = CliRunner().invoke(app, ["query", "meetings", "-p", "actor=xi", "--backend", "offline", "--json"])
    online = CliRunner().invoke(app, ["query", "meetings", "-p", "actor=xi", "--json"])
    assert json.loads(online.stdout)["backend"] == "neo4j"
    assert json.loads(offline.stdout)["rows"] == json.loads(online.stdout)["rows"]


def test_query_command_bad_backend(fixture_db):
    result = CliRunner().invoke(app, ["query", "dyads", "--backend", "postgres"])
    assert result.exit_code == 2
