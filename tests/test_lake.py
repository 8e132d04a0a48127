"""The Parquet lake: ``ingest --lake`` (in process and ``--workers``), ``store import --lake`` equal to a
direct ingest, ingest dates replaced on a re-run, failures kept as ``problems`` rows, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graphbuild.cli import app
from graphbuild.lake import LakeWriter, import_lake, lake_dates, outcome_rows, read_manifest, read_partition
from graphbuild.models import Article, Entity, Evidence, Extraction, InputProblem, Mention, Relation
from graphbuild.pipeline import ingest_to_lake
from graphbuild.store import Store
from storedump import dump

runner = CliRunner()


def _invoke(*args: str):
    res = runner.invoke(app, [*args])
    return res


@pytest.mark.model
def test_lake_then_store_import_equals_a_direct_ingest(repo_root, tmp_path):
    corpus = repo_root / "tests" / "fixtures" / "eval" / "heldout.jsonl"  # 10 articles
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": 3}\n', encoding="utf-8")
    lakes = {}
    for workers in ("1", "2"):
        lake = tmp_path / f"lake{workers}"
        res = _invoke("ingest", str(corpus), str(bad), "--lake", str(lake), "--workers", workers, "--batch-size", "2",
                      "--ingest-date", "2026-12-01", "--json")
        assert res.exit_code == 1, res.output  # the bad line
        out = json.loads(res.stdout)
        assert out["extraction"] == ("in-process" if workers == "1" else "2 workers")
        assert out["rows"]["articles"] == 10 and out["rows"]["relations"] > 100
        assert out["problems"] == [{"origin": f"{bad}:1", "reason": "'text' must be a string"}]
        lakes[workers] = read_partition(lake, "2026-12-01")
    assert lakes["1"] == lakes["2"]  # the workers write the same lake row for row
    assert [a["seq"] for a in lakes["1"]["articles"]] == list(range(10))
    assert lakes["1"]["problems"] == [{"seq": 10, "article_id": None, "origin": f"{bad}:1",
                                       "reason": "'text' must be a string"}]

    res = _invoke("store", "import", "--lake", str(tmp_path / "lake1"), "--db", str(tmp_path / "lake.db"), "--json")
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["articles"] == {"new": 10, "replaced": 0, "unchanged": 0, "failed": 1}
    res = _invoke("ingest", str(corpus), "--db", str(tmp_path / "direct.db"), "--workers", "1", "--batch-size", "2")
    assert res.exit_code == 0, res.output
    assert dump(tmp_path / "lake.db") == dump(tmp_path / "direct.db")
    stats = [_invoke("stats", "--json", "--db", str(tmp_path / db)).stdout for db in ("lake.db", "direct.db")]
    assert stats[0] == stats[1]
    # importing again changes nothing: every article is unchanged
    res = _invoke("store", "import", "--lake", str(tmp_path / "lake1"), "--db", str(tmp_path / "lake.db"), "--json")
    assert json.loads(res.stdout)["articles"] == {"new": 0, "replaced": 0, "unchanged": 10, "failed": 1}
    assert dump(tmp_path / "lake.db") == dump(tmp_path / "direct.db")


def _ex(art: Article, country: str = "Arnor") -> Extraction:
    aid, text = art.id, art.text
    cid = f"country:{country[:3].upper()}"
    ev = Evidence(aid, text, 0, len(text), "meet", 0.75, "Western officials", "2024-01", "month")
    return Extraction(art, (Entity(cid, "Country", country, (f"Kingdom of {country}",), country[:3].upper()),
                            Entity("country:GDR", "Country", "Gondor")),
                      (Mention(cid, country, 0, len(country)),),
                      (Relation("country:GDR", "MEETS", cid, "asserted", ev, ("weapon:sword",), True),))


class _Fake:
    """An extractor double: fails on articles whose text says so, else returns a fixed extraction."""

    def extract_many(self, articles):
        articles = list(articles)
        for a in articles:
            if "poison" in a.text:
                raise RuntimeError("poisoned article")
        return iter(_ex(a) for a in articles)


def _write_day(lake: Path, day: str, items) -> dict:
    with LakeWriter(lake, day, batch_size=2) as writer:
        report = ingest_to_lake(items, writer, _Fake(), batch_size=2)
        counts = writer.commit()
    return {"counts": counts, "problems": [str(p) for p in report.problems]}


def test_rows_round_trip_and_failures_become_problem_rows(tmp_path):
    lake = tmp_path / "lake"
    arts = [Article("a1", "Gondor met Arnor.", "A1", "2024-01-02", None, "wire", "a1.txt"),
            Article("a2", "poison", origin="a2.txt"),
            InputProblem("x.jsonl:3", "invalid JSON"), Article("a3", "Arnor again.", origin="a3.txt")]
    out = _write_day(lake, "2026-12-01", arts)
    assert out["problems"] == ["a2.txt: extraction failed: RuntimeError: poisoned article", "x.jsonl:3: invalid JSON"]
    assert out["counts"] == {"articles": 2, "entities": 4, "aliases": 6, "mentions": 2, "relations": 2,
                             "problems": 2}
    rows = read_partition(lake, "2026-12-01")
    assert rows["problems"] == [
        {"seq": 1, "article_id": "a2", "origin": "a2.txt", "reason": "extraction failed: RuntimeError: poisoned article"},
        {"seq": 2, "article_id": None, "origin": "x.jsonl:3", "reason": "invalid JSON"}]
    assert rows["relations"][0] == {
        "seq": 0, "article_id": "a1", "position": 0, "subject": "country:ARN", "predicate": "MEETS",
        "object": "country:GDR", "modality": "asserted", "sentence": "Gondor met Arnor.", "start": 0, "end": 17,
        "rule": "meet", "confidence": 0.75, "items": ["weapon:sword"], "inferred": True, "cameo": "04",
        "weight": rows["relations"][0]["weight"], "claimed_by": "Western officials", "event_date": "2024-01",
        "date_precision": "month"}
    assert rows["aliases"][:2] == [{"seq": 0, "article_id": "a1", "entity_id": "country:ARN", "alias": "Arnor"},
                                   {"seq": 0, "article_id": "a1", "entity_id": "country:ARN",
                                    "alias": "Kingdom of Arnor"}]
    manifest = read_manifest(lake)
    assert manifest["format"] == 1 and manifest["model"].startswith("en_core_web_sm")
    assert manifest["partitions"]["2026-12-01"]["rows"] == out["counts"]
    assert manifest["partitions"]["2026-12-01"]["engine"] == "in-process"
    # the store gets exactly what writing the extractions directly gives
    with Store(tmp_path / "lake.db") as store:
        report = import_lake(lake, store)
    assert [(r.article_id, r.status) for r in report.results] == [("a1", "new"), ("a3", "new")]
    assert len(report.problems) == 2
    with Store(tmp_path / "direct.db") as store:
        store.write_many([_ex(arts[0])])
        store.write_many([_ex(arts[3])])
    assert dump(tmp_path / "lake.db") == dump(tmp_path / "direct.db")


def test_a_rerun_of_one_ingest_date_replaces_it_and_since_selects_dates(tmp_path):
    lake = tmp_path / "lake"
    _write_day(lake, "2026-12-01", [Article("a1", "Gondor met Arnor."), Article("a2", "Arnor again.")])
    _write_day(lake, "2026-12-02", [Article("b1", "Day two.")])
    _write_day(lake, "2026-12-01", [Article("a9", "Only this one now.")])  # the re-run of day 1
    assert lake_dates(lake) == ["2026-12-01", "2026-12-02"]
    assert [a["id"] for a in read_partition(lake, "2026-12-01")["articles"]] == ["a9"]
    assert len(read_partition(lake, "2026-12-01")["entities"]) == 2
    assert not (lake / "_staging").exists()
    with Store(tmp_path / "g.db") as store:
        import_lake(lake, store, since="2026-12-02")
        assert [a.id for a in store.articles()] == ["b1"]
        import_lake(lake, store)
        assert [a.id for a in store.articles()] == ["a9", "b1"]


def test_a_failed_write_leaves_the_lake_as_it_was(tmp_path):
    lake = tmp_path / "lake"
    _write_day(lake, "2026-12-01", [Article("a1", "Gondor met Arnor.")])
    with pytest.raises(RuntimeError):
        with LakeWriter(lake, "2026-12-01") as writer:
            writer.add(outcome_rows(0, Article("z", "Z"), _ex(Article("z", "Z"))))
            raise RuntimeError("interrupted")
    assert [a["id"] for a in read_partition(lake, "2026-12-01")["articles"]] == ["a1"]
    assert sorted(p.name for p in lake.iterdir()) == ["_graphbuild.json", "aliases", "articles", "entities",
                                                      "mentions", "problems", "relations"]


def test_lake_errors_are_one_line(tmp_path):
    res = _invoke("store", "import", "--lake", str(tmp_path / "nope"), "--db", str(tmp_path / "g.db"))
    assert res.exit_code == 1
    assert res.stderr == f"error: {tmp_path / 'nope'}: not a graphbuild lake (no articles table)\n"
    assert not (tmp_path / "g.db").exists()
    res = _invoke("ingest", "x.txt", "--lake", str(tmp_path / "l"), "--ingest-date", "2026-02-30")
    assert res.exit_code == 1
    assert res.stderr == "error: ingest date '2026-02-30' is not a valid YYYY-MM-DD date\n"
    res = _invoke("ingest", "x.txt", "--engine", "spark")
    assert res.exit_code == 2 and "give --lake DIR" in res.output
    res = _invoke("ingest", "x.txt", "--lake", str(tmp_path / "l"), "--db", str(tmp_path / "g.db"))
    assert res.exit_code == 2 and "graphbuild store import --lake DIR" in res.output
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "articles").mkdir()
    (tmp_path / "old" / "_graphbuild.json").write_text('{"format": 99}')
    res = _invoke("store", "import", "--lake", str(tmp_path / "old"))
    assert res.exit_code == 1
    assert res.stderr == (f"error: {tmp_path / 'old' / '_graphbuild.json'}: lake format 99 is not supported "
                          "(expected 1)\n")


def test_missing_pyspark_says_how_to_install_it(monkeypatch):
    import builtins

    from graphbuild import spark

    real_import = builtins.__import__

    def no_pyspark(name, *args, **kwargs):
        if name == "pyspark":
            raise ImportError("No module named 'pyspark'", name="pyspark")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pyspark)
    res = _invoke("ingest", "x.jsonl", "--engine", "spark", "--lake", "lake")
    assert res.exit_code == 1
    assert res.stderr == ("error: --engine spark needs pyspark and pyarrow (pyspark is not installed); "
                          "install them with: pip install 'graphbuild[spark]'\n")
    assert spark.PYSPARK_HINT == "pip install 'graphbuild[spark]'"
