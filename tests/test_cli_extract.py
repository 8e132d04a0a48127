"""`graphbuild extract` and `graphbuild eval` through the CLI with the real model."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from graphbuild.cli import app

pytestmark = pytest.mark.model
runner = CliRunner()


def test_eval_on_a_small_gold_file_exact_scores(repo_root):
    gold = repo_root / "tests" / "fixtures" / "eval" / "mini_gold.jsonl"
    res = runner.invoke(app, ["eval", str(gold), "--json"])
    assert res.exit_code == 0, res.stderr
    rep = json.loads(res.stdout)
    assert rep["entities"]["f1"] == 1.0
    assert (rep["relations"]["precision"], rep["relations"]["recall"]) == (1.0, 0.875)
    assert rep["modality_accuracy"] == 1.0 and rep["modality_matched"] == 7
    assert rep["false_positives"] == []
    assert [(f["subject"], f["predicate"], f["object"]) for f in rep["false_negatives"]] == [
        ("Iran", "THREATENS", "Canada")]  # "threatened to retaliate": the target is left implicit
    assert rep["per_predicate"]["SUPPLIES_ARMS_TO"]["f1"] == 1.0
    table = runner.invoke(app, ["eval", str(gold)])
    assert "modality accuracy: 1.000 over 7 matched relations" in table.stdout
    assert "False negatives (1)" in table.stdout


def test_extract_json_is_gold_format_one_line_per_article(repo_root, tmp_path, monkeypatch):
    monkeypatch.setenv("GRAPHBUILD_SCORER", "none")  # the rule's own confidence (the model's is tested below)
    gold = repo_root / "tests" / "fixtures" / "eval" / "mini_gold.jsonl"
    res = runner.invoke(app, ["extract", str(gold), "--json"])
    assert res.exit_code == 0, res.stderr
    lines = res.stdout.strip().splitlines()
    assert len(lines) == 2
    first = json.loads(lines[0])
    assert (first["id"], first["title"], first["date"]) == ("m1", "Talks in Lima", "2025-01-10")
    arms = next(r for r in first["relations"] if r["predicate"] == "SUPPLIES_ARMS_TO")
    assert arms == {
        "subject": "Chile", "predicate": "SUPPLIES_ARMS_TO", "object": "Peru", "modality": "possible",
        "evidence": "Chile could supply Peru with drones.", "start": 97, "end": 133, "rule": "arms.verb",
        "confidence": 0.7, "inferred": False, "items": ["drones"], "cameo": "072", "weight": 8.3,
        "subject_id": "country:CHL", "object_id": "country:PER",
        # the article's own voice, no date in the sentence (issue 15's optional fields)
        "claimed_by": "", "event_date": "", "date_precision": "", "contested": False,
        "claims": [{"claimed_by": "", "claimant": "", "modality": "possible", "event_date": "",
                    "date_precision": "", "evidence": "Chile could supply Peru with drones.", "start": 97, "end": 133}],
    }
    text = json.loads((gold.read_text().splitlines()[0]))["text"]
    assert text[arms["start"]:arms["end"]] == arms["evidence"]
    chile = next(e for e in first["entities"] if e["id"] == "country:CHL")
    assert chile == {"name": "Chile", "type": "Country", "aliases": ["Chilean"], "id": "country:CHL", "iso3": "CHL"}


def test_extract_explain_shows_rules_and_drops(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text("Notes\n\nIran threatened to retaliate. Canada sent aid.\n", encoding="utf-8")
    res = runner.invoke(app, ["extract", str(src), "--json", "--explain"])
    out = json.loads(res.stdout)
    assert {"sentence": 1, "kind": "dropped", "rule": "threatens.verb",
            "detail": "'threatened': missing object"} in out["explain"]
    table = runner.invoke(app, ["extract", str(src), "--explain"])
    assert "explain" in table.stdout and "threatens.verb" in table.stdout


def test_extract_bad_input_exit_1_others_still_extracted(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("T\n\nFrance condemned Iran.\n", encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01binary")
    res = runner.invoke(app, ["extract", str(good), str(bad), "--json"])
    assert res.exit_code == 1
    assert res.stderr.strip() == f"error: {bad}: binary file"
    (line,) = res.stdout.strip().splitlines()
    assert [(r["subject"], r["predicate"], r["object"]) for r in json.loads(line)["relations"]] == [
        ("France", "CRITICIZES", "Iran")]


def test_the_packaged_scorer_decides_by_default_and_explain_gives_its_score(repo_root, monkeypatch):
    monkeypatch.delenv("GRAPHBUILD_SCORER", raising=False)
    gold = repo_root / "tests" / "fixtures" / "eval" / "mini_gold.jsonl"
    res = runner.invoke(app, ["extract", str(gold), "--json", "--explain"])
    assert res.exit_code == 0, res.stderr
    first = json.loads(res.stdout.strip().splitlines()[0])
    arms = next(r for r in first["relations"] if r["predicate"] == "SUPPLIES_ARMS_TO")
    assert arms["rule"] == "arms.verb" and 0.0 < arms["confidence"] <= 1.0  # the model's probability
    scored = [n for n in first["explain"] if n["kind"] == "scored" and n["rule"] == "arms.verb"]
    assert scored and "p=" in scored[0]["detail"]
