"""The bulk path on Spark: a lake's graph (identity resolved in the driver, relations aggregated in the workers)
written as the ``neo4j-admin`` CSV set equals ``graphbuild export --format csv`` of a store filled from the same
lake, file for file and row for row (real ``local[2]``, loopback, no UI).

The lake holds two ingest dates: the six fixture articles, then one new article, a changed version of one
(the old version must not count) and an unchanged re-ingest (the first copy counts), plus invented articles whose
lone surnames and shared spellings identity resolution merges into one person across articles.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from graphdata import ENTITIES, _Doc, changed_extraction, extra_extraction, fixture_extractions
from typer.testing import CliRunner

from graphbuild.cli import app
from graphbuild.spark_graph import read_csv_set
from graphbuild.lake import LakeWriter, import_lake, outcome_rows
from graphbuild.models import Entity
from graphbuild.sinks.export import write_import_csv
from graphbuild.store import Store

pytestmark = pytest.mark.spark

runner = CliRunner()
DAY1, DAY2 = "2026-12-01", "2026-12-02"


def _lone_surname_articles():
    """Articles naming Putin by surname only and Shoigu by a variant: the store merges both into one node each.

    Their two invented entities join graphdata's ENTITIES only while the articles are built."""
    extra = {"person:putin": Entity("person:putin", "Person", "Putin", ()),
             "person:sergey-shoigu": Entity("person:sergey-shoigu", "Person", "Sergey Shoigu", ("Shoigu",))}
    ENTITIES.update(extra)
    try:
        return [
            _Doc("putin-lone", "Putin meets Xi", "2024-05-16", "Xinhua", None,
                 ["Putin met Xi in Beijing.", "China and Russia signed a deal."], ["country:CHN"],
                 [("person:putin", "MEETS", "person:xi-jinping", "asserted", 0, "meet-svo", 0.9),
                  ("person:putin", "LEADER_OF", "country:RUS", "asserted", 0, "leader", 0.7),
                  # claimed by the lone surname: the claimant follows identity like the ends
                  ("country:RUS", "SIGNS_AGREEMENT_WITH", "country:CHN", "promised", 1, "sign", 0.8, [], False,
                   ("person:putin", "", ""))]).build(),
            _Doc("shoigu-variant", "Sergey Shoigu in Pyongyang", None, None, None,
                 ["Sergey Shoigu visited North Korea.", "Putin praised the visit."], [],
                 [("person:sergey-shoigu", "VISITS", "country:PRK", "asserted", 0, "visit", 0.85),
                  ("person:putin", "SUPPORTS", "person:sergey-shoigu", "possible", 1, "praise", 0.5)]).build(),
        ]
    finally:
        for key in extra:
            del ENTITIES[key]


def _flat(output: str) -> str:
    """CLI output with the error box's borders and line breaks taken out."""
    return " ".join(output.replace("│", " ").split())


def _write_day(lake: Path, day: str, extractions) -> None:
    with LakeWriter(lake, day) as writer:
        for seq, ex in enumerate(extractions):
            writer.add(outcome_rows(seq, ex.article, ex))
        writer.commit()


@pytest.fixture(scope="module")
def lake(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("graph") / "lake"
    first = fixture_extractions()
    _write_day(root, DAY1, [*first, _lone_surname_articles()[0]])
    _write_day(root, DAY2, [extra_extraction(), changed_extraction(), first[0], _lone_surname_articles()[1]])
    return root


@pytest.fixture(scope="module")
def spark():
    from graphbuild.spark import get_session

    session = get_session({"spark.master": "local[2]", "spark.sql.shuffle.partitions": "2"}, "graphbuild-graph-tests")
    yield session
    session.stop()


def _files(directory: Path) -> dict[str, tuple[list[str], list[list[str]]]]:
    """Every CSV file of a set: header and rows (sorted: the order of rows means nothing to neo4j-admin)."""
    out = {}
    for path in sorted(directory.glob("*.csv")):
        with open(path, encoding="utf-8", newline="") as fh:
            header, *rows = list(csv.reader(fh))
        out[path.name] = (header, sorted(rows))
    return out


def _group_of(name: str) -> str:
    """The Spark set's group of a store export file: ``entities_Country.csv`` -> ``entities``."""
    stem = name.removesuffix(".csv")
    return stem.split("_")[0] if stem.startswith(("entities_", "relations_")) else stem


def _store_groups(directory: Path) -> dict[str, tuple[list[str], list[list[str]]]]:
    """The store export's files merged by group (files of one group share their header)."""
    out: dict[str, tuple[list[str], list[list[str]]]] = {}
    for name, (header, rows) in _files(directory).items():
        group = _group_of(name)
        if group in out:
            assert out[group][0] == header, name
            out[group][1].extend(rows)
        else:
            out[group] = (header, list(rows))
    return {g: (h, sorted(r)) for g, (h, r) in sorted(out.items())}


def _merged_counts(counts: dict[str, int]) -> dict[str, int]:
    out: dict[str, int] = {}
    for name, n in counts.items():
        out[_group_of(name)] = out.get(_group_of(name), 0) + n
    return out


def test_spark_import_files_equal_the_store_export(spark, lake, tmp_path):
    from graphbuild.spark_graph import build_graph, write_import_csv as spark_csv

    with Store(tmp_path / "g.db") as store:
        import_lake(lake, store)
        expected = write_import_csv(store, tmp_path / "store-csv")
        merged = {e.id for e in store.entities()}
        revised = [a["id"] for a in store.article_rows() if "+r" in a["sha256"]]
    assert "person:putin" not in merged and "person:vladimir-putin" in merged  # the lone surname merged
    assert revised == []  # (a revised article would carry sha256+r<n> in the store: see spark_graph's docstring)

    graph = build_graph(spark, lake)
    report = spark_csv(graph, tmp_path / "spark-csv")
    assert report.nodes == _merged_counts(expected.nodes)
    assert report.relationships == _merged_counts(expected.relationships)
    got, want = read_csv_set(tmp_path / "spark-csv"), _store_groups(tmp_path / "store-csv")
    assert list(got) == list(want) == ["articles", "entities", "evidence", "has_object", "has_subject", "in_article",
                                       "mentions", "relations", "supplies_item"]
    for name in want:
        assert got[name] == want[name], name
    # each group: one header file and the part files Spark's executors wrote (the entities' one from the driver)
    parts = {g.name: sorted(p.name for p in g.iterdir() if not p.name.startswith((".", "_"))) for g in
             (tmp_path / "spark-csv").iterdir()}
    assert parts["entities"] == ["header.csv", "part-00000-driver.csv"]
    assert all(names[0] == "header.csv" and len(names) >= 2 and all(n.startswith("part-") for n in names[1:])
               for names in parts.values()), parts
    assert graph.articles_read == 9  # six, one new, one putin-lone (day 1), one shoigu (day 2); versions counted once
    # the changed article's new title, and the lone surname's evidence under the full name
    articles = {r[0]: r for r in got["articles"][1]}
    assert articles["pyongyang-shells"][2].endswith("(updated)")
    header, rows = got["relations"]
    meets = [r for r in rows if r[2] == "MEETS" and "putin-lone" in r[header.index("article_ids:string[]")].split(";")]
    assert [(r[0], r[1]) for r in meets] == [("person:vladimir-putin", "person:xi-jinping")]
    header, rows = got["evidence"]
    signed = [r for r in rows if r[header.index("article_id")] == "putin-lone" and r[header.index("predicate")]
              == "SIGNS_AGREEMENT_WITH"]
    assert [r[header.index("claimed_by")] for r in signed] == ["person:vladimir-putin"]


def test_a_slice_of_the_lake_equals_the_store_of_that_slice(spark, lake, tmp_path):
    from graphbuild.spark_graph import build_graph, write_import_csv as spark_csv

    with Store(tmp_path / "d2.db") as store:
        import_lake(lake, store, since=DAY2)
        write_import_csv(store, tmp_path / "store-csv")
    spark_csv(build_graph(spark, lake, since=DAY2), tmp_path / "spark-csv")
    assert read_csv_set(tmp_path / "spark-csv") == _store_groups(tmp_path / "store-csv")


def test_export_from_a_lake_through_the_cli(lake, tmp_path, spark, monkeypatch):
    monkeypatch.chdir(tmp_path)  # -o relative to the working directory
    res = runner.invoke(app, ["export", "--format", "csv", "-o", "csv", "--lake", str(lake),
                              "--until", DAY1, "--spark-conf", "spark.master=local[2]"])
    assert res.exit_code == 0, res.output
    assert "neo4j-admin database import full" in res.stdout
    with Store(tmp_path / "g.db") as store:
        import_lake(lake, store, until=DAY1)
        write_import_csv(store, tmp_path / "store-csv")
    assert read_csv_set(tmp_path / "csv") == _store_groups(tmp_path / "store-csv")
    assert f"'--nodes=/import/articles/header.csv,/import/articles/part-.*csv'" in res.stdout
    again = runner.invoke(app, ["export", "--format", "csv", "-o", str(tmp_path / "csv"), "--lake", str(lake),
                                "--until", DAY1, "--spark-conf", "spark.master=local[2]"])
    assert again.exit_code == 1
    assert again.stderr.strip().splitlines()[-1] == f"error: cannot write {tmp_path / 'csv'}: not empty (the Spark " \
                                                    "CSV set is written into a new or empty directory)"
    bad = runner.invoke(app, ["export", "--format", "json", "--lake", str(lake)])
    assert bad.exit_code == 2 and "--lake builds the neo4j-admin CSV set" in _flat(bad.output)
    missing = runner.invoke(app, ["export", "--format", "csv", "-o", str(tmp_path / "x"), "--lake",
                                  str(tmp_path / "nolake")])
    assert missing.exit_code == 1
    assert missing.stderr.strip().splitlines()[-1] == f"error: {tmp_path / 'nolake'}: not a graphbuild lake " \
                                                      "(no articles table)"
    assert not (tmp_path / "x").exists()


@pytest.mark.neo4j
def test_spark_import_files_load_into_neo4j_and_equal_graphbuild_load(spark, lake, tmp_path, neo4j_launcher,
                                                                      neo4j_db):
    """The Spark-built files through a real ``neo4j-admin database import full`` hold the graph that
    ``graphbuild load`` writes from a store of the same lake: every node and relationship, with its properties;
    a ``graphbuild load`` after the import has nothing to send."""
    from graphbuild.sinks.neo4j import Neo4jConfig, load_store
    from graphbuild.spark_graph import build_graph, write_import_csv as spark_csv
    from neo4j import GraphDatabase
    from test_admin_import import _admin_import, _dump

    report = spark_csv(build_graph(spark, lake), tmp_path / "csv")
    with Store(tmp_path / "g.db") as store:
        import_lake(lake, store)
        load_store(store, Neo4jConfig(uri=neo4j_db.uri, user=neo4j_db.user, password=neo4j_db.password),
                   driver=neo4j_db.driver)
    loaded_nodes, loaded_rels = _dump(neo4j_db.driver)

    neo4j_launcher.provision(quiet=True)
    home = neo4j_launcher.prepare_home(tmp_path / "home")
    done = _admin_import(neo4j_launcher, home, report.import_command(prefix=f"{tmp_path / 'csv'}/"))
    assert "IMPORT DONE" in done.stdout, done.stdout[-2000:]
    server = neo4j_launcher.start(home=home)
    try:
        with GraphDatabase.driver(server.bolt_uri, auth=server.auth) as driver:
            imported_nodes, imported_rels = _dump(driver)
            with Store(tmp_path / "g.db") as store:
                again = load_store(store, Neo4jConfig(uri=server.bolt_uri), driver=driver)
    finally:
        server.stop()
    assert len(imported_nodes) == len(loaded_nodes) > 40 and len(imported_rels) == len(loaded_rels) > 100
    assert imported_nodes == loaded_nodes
    assert imported_rels == loaded_rels
    data = {k: v for k, v in again.as_dict().items()
            if k in ("nodes_created", "nodes_deleted", "relationships_created", "relationships_deleted",
                     "properties_set", "labels_added", "batches")}
    assert set(data.values()) == {0}, again.as_dict()


@pytest.mark.neo4j
def test_a_day_two_delta_from_spark_loads_like_a_full_load_and_twice_changes_nothing(spark, lake, tmp_path,
                                                                                       neo4j_db):
    """Day 1 in Neo4j, then day 2's delta built on Spark and applied by ``graphbuild load``'s own plan: the graph
    equals a full load of days 1 + 2 once the scores are recomputed from the whole graph; the same delta again
    writes nothing."""
    from graphdata import expected_graph, neo4j_graph

    from graphbuild.sinks.neo4j import Neo4jConfig, load_store
    from graphbuild.spark_delta import build_delta, rescore

    config = Neo4jConfig(uri=neo4j_db.uri, user=neo4j_db.user, password=neo4j_db.password,
                         database=neo4j_db.database)
    with Store(tmp_path / "day1.db") as store:
        import_lake(lake, store, until=DAY1)
        first = load_store(store, config)
    with Store(tmp_path / "full.db") as full:
        import_lake(lake, full)
        want = expected_graph(full)
    delta = build_delta(spark, lake, DAY2)
    # new: the extra article and shoigu-variant; changed: pyongyang-shells; the unchanged re-ingest is not in it
    assert delta.article_ids == sorted(["kim-putin-pyongyang", "pyongyang-shells", "shoigu-variant"])
    applied = load_store(delta, config, article_ids=delta.article_ids)
    assert first.articles_new == 7
    assert (applied.articles_new, applied.articles_changed, applied.articles_removed) == (2, 1, 0)
    assert applied.relations_written > 0 and applied.relations_deleted == 1  # shells lost its sanctions sentence
    # the delta alone keeps day 1's scores (it holds part of the graph): everything else already equals a full load
    stale = neo4j_graph(neo4j_db.driver)
    assert _unscored(stale) == _unscored(want)
    moved = sorted(k for k, e in want["entities"].items() if stale["entities"][k] != e)
    assert len(moved) > 10 and "person:vladimir-putin" in moved
    scored = rescore(config, delta.entity_list)
    assert scored.entities_written == len(moved)
    assert neo4j_graph(neo4j_db.driver) == want
    # the same increment again, through the CLI (load, then rescore): nothing to write
    args = ["--uri", neo4j_db.uri, "--database", neo4j_db.database]
    if neo4j_db.password:
        args += ["--user", neo4j_db.user, "--password", neo4j_db.password]
    res = runner.invoke(app, ["load", *args, "--lake", str(lake), "--since", DAY2, "--json",
                              "--spark-conf", "spark.master=local[2]"])
    assert res.exit_code == 0, res.output
    again = json.loads(res.stdout)
    assert again["articles_unchanged"] == 3 and again["batches"] == 0 and again["entities_written"] == 0
    assert {again[k] for k in ("nodes_created", "nodes_deleted", "relationships_created", "relationships_deleted",
                               "properties_set", "labels_added")} == {0}
    assert neo4j_graph(neo4j_db.driver) == want
    bad = runner.invoke(app, ["load", *args, "--lake", str(lake)])
    assert bad.exit_code == 2 and "needs both --lake DIR and --since D" in _flat(bad.output)


def _unscored(graph: dict) -> dict:
    """A graph dump without the actor scores (properties and rank labels)."""
    out = dict(graph)
    out["entities"] = {k: {**{p: v for p, v in e.items() if p not in ("pagerank", "degree", "community")},
                           "labels": [x for x in e["labels"] if x not in ("Top10", "Top100")]}
                       for k, e in graph["entities"].items()}
    return out


@pytest.mark.neo4j
def test_a_delta_revises_older_articles_whose_ids_the_new_names_move(spark, tmp_path, neo4j_db):
    """Day 1 names only 'Putin'; day 2 brings 'Vladimir Putin': the store merges them and revises the day-1
    article. The delta carries that article too (sha256 marked), so Neo4j loses the lone-surname node and its
    relation, and equals a full load of both days, scores included (the revision marks aside)."""
    from graphdata import expected_graph, neo4j_graph

    from graphbuild.sinks.neo4j import Neo4jConfig, load_store
    from graphbuild.spark_delta import build_delta, load_delta

    ENTITIES["person:putin"] = Entity("person:putin", "Person", "Putin", ())
    try:
        lone = _Doc("lone-1", "Putin meets Xi", "2024-05-16", None, None, ["Putin met Xi in Beijing."], [],
                    [("person:putin", "MEETS", "person:xi-jinping", "asserted", 0, "meet-svo", 0.9)]).build()
    finally:
        del ENTITIES["person:putin"]
    full = _Doc("full-2", "Vladimir Putin in China", "2024-05-17", None, None,
                ["Vladimir Putin visited China."], [],
                [("person:vladimir-putin", "VISITS", "country:CHN", "asserted", 0, "visit", 0.8)]).build()
    lake = tmp_path / "lake"
    _write_day(lake, DAY1, [lone])
    _write_day(lake, DAY2, [full])
    config = Neo4jConfig(uri=neo4j_db.uri, user=neo4j_db.user, password=neo4j_db.password,
                         database=neo4j_db.database)
    with Store(tmp_path / "day1.db") as store:
        import_lake(lake, store, until=DAY1)
        load_store(store, config)
    delta = build_delta(spark, lake, DAY2)
    assert delta.article_ids == ["full-2", "lone-1"] and delta.revised == ["lone-1"]
    assert delta.article_map["lone-1"]["sha256"].startswith(lone.article.sha256 + "+r")
    applied = load_delta(delta, config)
    assert (applied.articles_new, applied.articles_changed) == (1, 1)
    assert applied.entities_deleted == 1 and applied.relations_deleted == 1  # person:putin and its MEETS
    again = load_delta(delta, config)
    assert not again.changed and again.batches == 0

    def unmarked(graph: dict) -> dict:
        for row in graph["articles"].values():
            row["sha256"] = row["sha256"].split("+r")[0]
        return graph

    with Store(tmp_path / "full.db") as both:  # day by day, as the daily job fills a store: day 2 revises lone-1
        import_lake(lake, both, until=DAY1)
        import_lake(lake, both, since=DAY2)
        assert [a["sha256"] for a in both.article_rows() if a["id"] == "lone-1"] == [lone.article.sha256 + "+r1"]
        want = unmarked(expected_graph(both))
    got = unmarked(neo4j_graph(neo4j_db.driver))
    assert "person:putin" not in got["entities"] and "person:vladimir-putin" in got["entities"]
    assert got["entities"]["person:vladimir-putin"]["degree"] == 2  # the MEETS moved to it, and its new VISITS
    assert got == want


def test_the_rank_graph_of_edge_rows_is_the_store_graph_and_scores_alike(tmp_path):
    """``_ranks`` and ``rescore`` build their graph from edge rows (Spark's edge table, Neo4j's relationships) through
    ``graph.nx.edge_attrs``: the same nodes, edges and attributes as the store's graph, so the same scores."""
    from graphdata import build_fixture_store

    from graphbuild.graph.model import edges
    from graphbuild.graph.nx import build_graph as nx_graph
    from graphbuild.sinks import cypher as cy
    from graphbuild.spark_graph import rank_graph
    from graphbuild.analysis.scores import actor_ranks

    with build_fixture_store(tmp_path / "g.db") as store:
        entities = list(store.entities())
        names = {e.id: e.name for e in entities}
        articles = {a["id"]: a for a in store.article_rows()}
        rows = [{"predicate": e.predicate, **cy.edge_row(e, names, articles)} for e in edges(store, examples=True)]
        want = nx_graph(store, evidence=False)
        want_ranks = cy.entity_ranks(store)
    got = rank_graph(entities, reversed(rows))  # any order of rows: added in (subject, type, object) order
    assert len(rows) > 20
    assert list(got.nodes(data=True)) == list(want.nodes(data=True))
    assert list(got.edges(keys=True, data=True)) == list(want.edges(keys=True, data=True))
    assert actor_ranks(got) == want_ranks and any(r.rank == 1 for r in want_ranks.values())
