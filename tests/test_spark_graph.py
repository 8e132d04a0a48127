"""The bulk path on Spark: a lake's graph (identity resolved in the driver, relations aggregated in the workers)
written as the ``neo4j-admin`` CSV set equals ``graphbuild export --format csv`` of a store filled from the same
lake, file for file and row for row (real ``local[2]``, loopback, no UI).

The lake holds two ingest dates: the six fixture articles, then one new article, a changed version of one
(the old version must not count) and an unchanged re-ingest (the first copy counts), plus invented articles whose
lone surnames and shared spellings identity resolution merges into one person across articles.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from graphdata import ENTITIES, _Doc, changed_extraction, extra_extraction, fixture_extractions
from typer.testing import CliRunner

from graphbuild.cli import app
from graphbuild.lake import LakeWriter, import_lake, outcome_rows
from graphbuild.models import Entity
from graphbuild.sinks.export import write_import_csv
from graphbuild.store import Store

pytestmark = pytest.mark.spark

runner = CliRunner()
DAY1, DAY2 = "2026-12-01", "2026-12-02"


def _lone_surname_articles():
    """Articles naming Putin by surname only and Shoigu by a variant: the store merges both into one node each."""
    ENTITIES.setdefault("person:putin", Entity("person:putin", "Person", "Putin", ()))
    ENTITIES.setdefault("person:sergey-shoigu", Entity("person:sergey-shoigu", "Person", "Sergey Shoigu",
                                                       ("Shoigu",)))
    return [
        _Doc("putin-lone", "Putin meets Xi", "2024-05-16", "Xinhua", None,
             ["Putin met Xi in Beijing.", "China and Russia signed a deal."], ["country:CHN"],
             [("person:putin", "MEETS", "person:xi-jinping", "asserted", 0, "meet-svo", 0.9),
              ("person:putin", "LEADER_OF", "country:RUS", "asserted", 0, "leader", 0.7),
              ("country:RUS", "SIGNS_AGREEMENT_WITH", "country:CHN", "promised", 1, "sign", 0.8)]).build(),
        _Doc("shoigu-variant", "Sergey Shoigu in Pyongyang", None, None, None,
             ["Sergey Shoigu visited North Korea.", "Putin praised the visit."], [],
             [("person:sergey-shoigu", "VISITS", "country:PRK", "asserted", 0, "visit", 0.85),
              ("person:putin", "SUPPORTS", "person:sergey-shoigu", "possible", 1, "praise", 0.5)]).build(),
    ]


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
    assert report.nodes == expected.nodes and report.relationships == expected.relationships
    assert report.import_command() == expected.import_command()
    got, want = _files(tmp_path / "spark-csv"), _files(tmp_path / "store-csv")
    assert list(got) == list(want)
    for name in want:
        assert got[name] == want[name], name
    assert graph.articles_read == 9  # six, one new, one putin-lone (day 1), one shoigu (day 2); versions counted once
    # the changed article's new title, and the lone surname's evidence under the full name
    articles = {r[0]: r for r in got["articles.csv"][1]}
    assert articles["pyongyang-shells"][2].endswith("(updated)")
    header, rows = got["relations_MEETS.csv"]
    meets = [r for r in rows if "putin-lone" in r[header.index("article_ids:string[]")].split(";")]
    assert [(r[0], r[1]) for r in meets] == [("person:vladimir-putin", "person:xi-jinping")]


def test_a_slice_of_the_lake_equals_the_store_of_that_slice(spark, lake, tmp_path):
    from graphbuild.spark_graph import build_graph, write_import_csv as spark_csv

    with Store(tmp_path / "d2.db") as store:
        import_lake(lake, store, since=DAY2)
        write_import_csv(store, tmp_path / "store-csv")
    spark_csv(build_graph(spark, lake, since=DAY2), tmp_path / "spark-csv")
    assert _files(tmp_path / "spark-csv") == _files(tmp_path / "store-csv")


def test_export_from_a_lake_through_the_cli(lake, tmp_path, spark):
    res = runner.invoke(app, ["export", "--format", "csv", "-o", str(tmp_path / "csv"), "--lake", str(lake),
                              "--until", DAY1, "--spark-conf", "spark.master=local[2]"])
    assert res.exit_code == 0, res.output
    assert "neo4j-admin database import full" in res.stdout
    with Store(tmp_path / "g.db") as store:
        import_lake(lake, store, until=DAY1)
        write_import_csv(store, tmp_path / "store-csv")
    assert _files(tmp_path / "csv") == _files(tmp_path / "store-csv")
    bad = runner.invoke(app, ["export", "--format", "json", "--lake", str(lake)])
    assert bad.exit_code == 2 and "--lake builds the neo4j-admin CSV set" in bad.output
    missing = runner.invoke(app, ["export", "--format", "csv", "-o", str(tmp_path / "x"), "--lake",
                                  str(tmp_path / "nolake")])
    assert missing.exit_code == 1
    assert missing.stderr.strip().splitlines()[-1] == f"error: {tmp_path / 'nolake'}: not a graphbuild lake " \
                                                      "(no articles table)"
    assert not (tmp_path / "x").exists()
