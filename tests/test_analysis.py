"""``graphbuild analyze`` and :mod:`graphbuild.analysis` on the hand-built fixture corpus."""

from __future__ import annotations

import json

import networkx as nx
import pytest
from graphdata import build_fixture_store
from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python
from randomcorpus import build_random_store
from typer.testing import CliRunner

from graphbuild.analysis import (
    centrality,
    communities,
    ego_network,
    find_paths,
    overview,
    relation_types,
    weighted_pagerank,
)
from graphbuild.cli import app
from graphbuild.errors import InputError
from graphbuild.graph import build_graph
from graphbuild.ontology import SYMMETRIC
from graphbuild.store import DateWindow


@pytest.fixture(scope="module")
def graph(tmp_path_factory):
    with build_fixture_store(tmp_path_factory.mktemp("an") / "g.db") as store:
        return build_graph(store)


def test_pagerank_matches_networkx_with_evidence_count_weights(graph):
    directed = nx.DiGraph()
    directed.add_nodes_from(graph)
    for u, v, k, d in graph.edges(keys=True, data=True):
        for a, b in ((u, v), (v, u)) if k in SYMMETRIC else ((u, v),):
            w = directed.get_edge_data(a, b, {"weight": 0})["weight"]
            directed.add_edge(a, b, weight=w + d["count"])
    expected = _pagerank_python(directed, weight="weight", tol=1e-10, max_iter=500)
    ours = weighted_pagerank(graph, tol=1e-10, max_iter=500)
    assert ours.keys() == expected.keys()
    assert all(abs(ours[n] - expected[n]) < 1e-8 for n in ours)


def test_centrality_per_type(graph):
    central = centrality(graph, top=2)
    assert list(central) == ["Person", "Country", "Organization", "Location"]  # weapons have no relations
    assert [s.id for s in central["Country"]] == ["country:RUS", "country:UKR"]
    rus = central["Country"][0]
    assert (rus.degree, rus.evidence) == (15, 16)
    assert rus.betweenness == max(s.betweenness for scores in centrality(graph, top=50).values() for s in scores)
    by_degree = centrality(graph, top=3, by="degree")["Person"]
    assert [s.degree for s in by_degree] == sorted((s.degree for s in by_degree), reverse=True)
    with pytest.raises(ValueError):
        centrality(graph, by="fame")


def test_communities_are_seeded_and_cover_every_related_actor(graph):
    first = communities(graph, seed=7)
    assert first == communities(graph, seed=7)
    members = [m["id"] for c in first for m in c.members]
    assert sorted(members) == sorted(n for n in graph if graph.degree(n))
    assert [c.size for c in first] == sorted((c.size for c in first), reverse=True)
    mali = next(c for c in first if any(m["id"] == "country:MLI" for m in c.members))
    assert {m["id"] for m in mali.members} >= {"country:MLI", "org:wagner-group"}


def test_communities_on_a_bigger_graph_are_stable(tmp_path):
    with build_random_store(tmp_path / "r.db") as store:
        g = build_graph(store)
    assert communities(g, seed=42) == communities(g, seed=42)


def test_relation_types(graph):
    counts = {r.type: r for r in relation_types(graph)}
    assert counts["MEETS"].relations == 4 and counts["MEETS"].evidence == 6
    assert counts["SUPPLIES_ARMS_TO"].modalities == {"asserted": 2, "promised": 1, "possible": 0, "denied": 1}
    assert sum(r.relations for r in counts.values()) == graph.number_of_edges()


def test_ego_network(graph):
    ego = ego_network(graph, "the KREMLIN")
    assert ego.id == "country:RUS" and ego.relations == 15
    arms_in = next(g for g in ego.groups if (g.type, g.direction, g.modality) == ("SUPPLIES_ARMS_TO", "in", "asserted"))
    assert arms_in.counterparts == ["North Korea"] and arms_in.evidence == 2
    assert (ego.balance.cooperative, ego.balance.hostile, ego.balance.stance) == (44.4, -22.8, "friendly")
    assert ego.counterparts[0].name == "North Korea" and ego.counterparts[0].balance.net == 24.6
    ukraine = next(c for c in ego.counterparts if c.id == "country:UKR")
    assert ukraine.balance.net == -16.4 and ukraine.balance.stance == "hostile"


def test_ego_network_errors(graph):
    with pytest.raises(InputError, match=r"^no actor matches 'Atlantis'; "):
        ego_network(graph, "Atlantis")


def test_paths(graph):
    paths = find_paths(graph, "Kim", "xi")
    assert [p.text for p in paths] == ["Kim Jong-un -[MEETS]- Vladimir Putin -[MEETS]- Xi Jinping"]
    assert paths[0].relations == ["MEETS", "MEETS"] and paths[0].hops == 2
    assert len(find_paths(graph, "Zelensky", "Kim", limit=2)) == 2


def test_date_window():
    assert DateWindow.parse(None, None) == DateWindow()
    assert DateWindow.parse("2024-03-05", "2024-03-05") == DateWindow("2024-03-05", "2024-03-05")
    with pytest.raises(InputError, match=r"^--until 2024-02-30: expected a date"):
        DateWindow.parse(None, "2024-02-30")


def test_overview_respects_the_date_window(tmp_path):
    with build_fixture_store(tmp_path / "g.db") as store:
        g = build_graph(store, DateWindow.parse("2023", "2023-12"))
    o = overview(g, top=3)
    assert o.evidence == 8 + 3 + 4  # the three 2023 articles, 2023-12-29 included by "2023-12"
    assert {r.type for r in o.relation_types} >= {"ATTACKS", "SANCTIONS"}
    assert "COOPERATES_WITH" not in {r.type for r in o.relation_types}


def test_analyze_command_json(fixture_db):
    result = CliRunner().invoke(app, ["analyze", "--json", "--top", "2"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [s["name"] for s in data["overview"]["central"]["Country"]] == ["Russia", "Ukraine"]
    assert data["overview"]["communities"] and data["overview"]["relation_types"][0]["type"] == "MEETS"
    result = CliRunner().invoke(app, ["analyze", "--actor", "kim", "--path", "Kim", "Xi", "--until", "2023-12",
                                      "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert "overview" not in data and data["actor"]["id"] == "person:kim-jong-un"
    assert data["actor"]["relations"] == 2 and data["paths"]["paths"] == []  # Xi met Putin in 2024


def test_analyze_command_tables(fixture_db):
    result = CliRunner().invoke(app, ["analyze", "--top", "3"])
    assert result.exit_code == 0, result.output
    for title in ("Most central Country actors", "Communities (Louvain)", "Relation types"):
        assert title in result.stdout
    result = CliRunner().invoke(app, ["analyze", "--actor", "Russia", "--path", "Kim", "xi"])
    assert result.exit_code == 0, result.output
    assert "Russia (country:RUS, Country): 15 relations" in result.stdout
    assert "Kim Jong-un -[MEETS]- Vladimir Putin -[MEETS]- Xi Jinping" in result.stdout


@pytest.mark.parametrize(("args", "message"), [
    (["--actor", "Atlantis"], "error: no actor matches 'Atlantis'; give an id (country:RUS), an ISO3 code, a name "
                              "or an alias (`graphbuild stats` counts them)\n"),
    (["--since", "2024-13"], "error: --since 2024-13: expected a date YYYY-MM-DD (or YYYY-MM, YYYY)\n"),
])
def test_analyze_command_errors(fixture_db, args, message):
    result = CliRunner().invoke(app, ["analyze", *args])
    assert result.exit_code == 1
    assert result.stderr == message


def test_analyze_command_usage(fixture_db):
    assert CliRunner().invoke(app, ["analyze", "--by", "fame"]).exit_code == 2
    assert CliRunner().invoke(app, ["analyze", "--top", "0"]).exit_code == 2
