"""Extraction on a real Spark ``local[2]`` (loopback, no UI): the same lake as in process, row for row; the
same store through ``store import``; a bad line and an article past its time limit in ``problems``; a re-run
replaces its ingest date.

One Spark session for the module; its Python workers build their extractor once and keep it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graphbuild.cli import app
from graphbuild.lake import read_manifest, read_partition
from graphbuild.sources.jsonl import article_from_record
from storedump import dump

pytestmark = [pytest.mark.spark, pytest.mark.model]

runner = CliRunner()
DAY = "2026-12-01"

#: Invented news about the fixture gazetteer's actors (tests/fixtures/gazetteer/middle-earth.jsonl).
ARTICLES = [
    {"id": "me-1", "title": "Arnor and Gondor meet", "date": "2026-11-30", "source": "Palantir Wire",
     "text": "Elessar Telcontar, the king of Arnor, met Gondor's envoy in Annuminas on Monday. "
             "Arnor agreed to supply swords to Gondor, officials said."},
    {"id": "me-2", "title": "Council sanctions", "date": "2026-11-30", "url": "https://example.invalid/me-2",
     "text": "The White Council imposed sanctions on Gondor. Gondor threatened to attack Arnor if the "
             "Council did not lift them."},
    {"title": "No id here", "date": "2026-12-01",
     "text": "Arnorian troops attacked a border post, Gondor said. Elessar denied that Arnor attacked anyone."},
    {"id": "me-4", "text": "Gondor may cooperate with the Council of the Wise, Elessar Telcontar said in "
                           "Minas Tirith."},
    {"id": "me-5", "date": "2026-12-01", "text": "Gondorian and Arnorian ministers met again. They signed a "
                                                  "trade agreement."},
]


@pytest.fixture(scope="module")
def spark():
    from graphbuild.spark import get_session

    session = get_session({"spark.master": "local[2]", "spark.sql.shuffle.partitions": "2"}, "graphbuild-tests")
    yield session
    session.stop()


def _corpus(path: Path, articles: list[dict], bad_line: bool = False) -> Path:
    lines = [json.dumps(a) for a in articles]
    if bad_line:
        lines.insert(2, '{"text": ')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_spark_writes_the_in_process_lake_and_the_same_store(spark, repo_root, tmp_path):
    gaz = str(repo_root / "tests" / "fixtures" / "gazetteer" / "middle-earth.jsonl")
    # (an article failing extraction is a problems row: tested on extract() below; a text over the
    # model's limit is no longer one, long articles are extracted in parts)
    corpus = _corpus(tmp_path / "corpus.jsonl", ARTICLES, bad_line=True)
    common = [str(corpus), "--gazetteer", gaz, "--batch-size", "2", "--ingest-date", DAY, "--json"]
    local = runner.invoke(app, ["ingest", *common, "--lake", str(tmp_path / "local"), "--workers", "1"])
    # the Spark lake named by URI: written by Spark, its manifest and partitions read through pyarrow.fs
    spark_uri = (tmp_path / "spark").as_uri()
    on_spark = runner.invoke(app, ["ingest", *common, "--lake", spark_uri, "--engine", "spark",
                                   "--spark-conf", "spark.master=local[2]"])
    assert local.exit_code == on_spark.exit_code == 1, on_spark.output  # the bad line
    local_out, spark_out = json.loads(local.stdout), json.loads(on_spark.stdout)
    assert spark_out["extraction"] == "spark local[2]" and local_out["extraction"] == "in-process"
    assert spark_out["rows"] == local_out["rows"]
    assert spark_out["rows"]["articles"] == 5 and spark_out["rows"]["relations"] > 5
    assert spark_out["problems"] == local_out["problems"] == [
        {"origin": f"{corpus}:3", "reason": local_out["problems"][0]["reason"]}]
    assert on_spark.stderr.splitlines()[-1].startswith(f"error: {corpus}:3: ")

    # the same rows, computed by the same functions: ids, hashes, offsets, aliases, relations
    lake_local, lake_spark = read_partition(tmp_path / "local", DAY), read_partition(tmp_path / "spark", DAY)
    assert lake_spark == lake_local
    assert [p["origin"] for p in lake_spark["problems"]] == [f"{corpus}:3"]
    assert {e["id"] for e in lake_spark["entities"]} >= {"country:ARN", "country:GDR", "org:white-council",
                                                         "person:elessar-telcontar"}
    assert read_manifest(tmp_path / "spark")["partitions"][DAY]["engine"] == "spark"

    # the Spark lake imported into a store equals ingesting the corpus directly
    assert read_manifest(spark_uri) == read_manifest(tmp_path / "spark")
    res = runner.invoke(app, ["store", "import", "--lake", spark_uri, "--db", str(tmp_path / "s.db")])
    assert res.exit_code == 0, res.output
    # (the "done when": a plain `ingest corpus --db` with its default workers; the fixture gazetteer and
    # the lake's batch size are the only options)
    res = runner.invoke(app, ["ingest", str(corpus), "--gazetteer", gaz, "--batch-size", "2",
                              "--db", str(tmp_path / "d.db")])
    assert res.exit_code == 1
    assert dump(tmp_path / "s.db") == dump(tmp_path / "d.db")
    stats = [runner.invoke(app, ["stats", "--json", "--db", str(tmp_path / db)]).stdout for db in ("s.db", "d.db")]
    assert stats[0] == stats[1] and json.loads(stats[0])["articles"] == 5

    # a re-run of the ingest date replaces it (the same lake, named by its path this time)
    rerun = _corpus(tmp_path / "rerun.jsonl", ARTICLES[:2])
    res = runner.invoke(app, ["ingest", str(rerun), "--gazetteer", gaz, "--batch-size", "2", "--ingest-date", DAY,
                              "--lake", str(tmp_path / "spark"), "--engine", "spark", "--json"])
    assert res.exit_code == 0, res.output
    again = read_partition(tmp_path / "spark", DAY)
    assert [a["id"] for a in again["articles"]] == ["me-1", "me-2"] and again["problems"] == []
    assert again["relations"] == [r for r in lake_local["relations"] if r["article_id"] in ("me-1", "me-2")]


def test_extract_takes_any_dataframe_of_jsonl_columns(spark, repo_root):
    from graphbuild import spark as gbs

    gaz = repo_root / "tests" / "fixtures" / "gazetteer" / "middle-earth.jsonl"
    rows = [{"id": None, "title": None, "text": ARTICLES[2]["text"], "date": "1 December 2026"},
            {"id": "no-text", "title": "Empty", "text": "  ", "date": None}]
    df = spark.createDataFrame(rows, schema="id STRING, title STRING, text STRING, date STRING")
    out = gbs.extract(df, gazetteer=[gaz], batch_size=2)
    articles = [r.asDict() for r in out.table("articles").collect()]
    expected = article_from_record({"text": ARTICLES[2]["text"], "date": "1 December 2026"}, "x")
    assert [(a["id"], a["title"], a["date"], a["sha256"]) for a in articles] == [
        (expected.id, expected.title, expected.date, expected.sha256)]
    problems = [r.asDict() for r in out.table("problems").collect()]
    assert [(p["article_id"], p["origin"], p["reason"]) for p in problems] == [("no-text", "no-text", "'text' is empty")]
    with pytest.raises(gbs.SparkError, match="no such lake table|unknown lake table 'nodes'"):
        out.table("nodes")


def test_an_article_past_the_time_limit_is_a_problem_row_not_a_failed_task(spark):
    from graphbuild import spark as gbs

    df = spark.createDataFrame([{"id": "slow", "text": ARTICLES[0]["text"] * 20}], schema="id STRING, text STRING")
    out = gbs.extract(df, time_limit=0.001)
    assert [r.asDict() | {"seq": None} for r in out.table("problems").collect()] == [
        {"seq": None, "article_id": "slow", "origin": "slow",
         "reason": "extraction of this article stopped after 0.001 s (the per-article time limit); "
                   "please report this article as a bug"}]
    assert out.table("articles").count() == 0
