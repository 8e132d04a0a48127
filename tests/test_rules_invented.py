"""Rule engine with invented states and leaders from a user gazetteer (tests the rules, not world knowledge).

Runs the real model; the actors come from ``tests/fixtures/gazetteer/middle-earth.jsonl``
passed the way a user passes ``--gazetteer``.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from graphbuild.cli import app
from graphbuild.evaluate import extraction_to_gold
from graphbuild.extract.engine import Extractor
from graphbuild.models import Article

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def extractor(repo_root_module) -> Extractor:
    return Extractor([repo_root_module / "tests" / "fixtures" / "gazetteer" / "middle-earth.jsonl"], scorer=None)


@pytest.fixture(scope="module")
def repo_root_module():
    from pathlib import Path

    return Path(__file__).resolve().parent.parent


def triples(extractor, text):
    gold = extraction_to_gold(extractor.extract(Article(id="t", text=text)))
    return {(r["subject"], r["predicate"], r["object"], r["modality"]) for r in gold["relations"] if not r["inferred"]}


@pytest.mark.parametrize("text,expected", [
    ("Arnor could supply Gondor with drones.", {("Arnor", "SUPPLIES_ARMS_TO", "Gondor", "possible")}),
    ("Gondor was invaded by Arnor.", {("Arnor", "ATTACKS", "Gondor", "asserted")}),
    ("Arnorian officials condemned Gondor.", {("Arnor", "CRITICIZES", "Gondor", "asserted")}),
    ("Annuminas has denied sanctioning Gondor.", {("Arnor", "SANCTIONS", "Gondor", "denied")}),
    ("The Tower Hall pledged to support Gondor.", {("Arnor", "SUPPORTS", "Gondor", "promised")}),
    ("Arnor joined the White Council.", {("Arnor", "MEMBER_OF", "White Council", "asserted")}),
    ("Arnorian King Elessar Telcontar visited Minas Tirith.",
     {("Elessar Telcontar", "LEADER_OF", "Arnor", "asserted"),
      ("Elessar Telcontar", "VISITS", "Minas Tirith", "asserted")}),
])
def test_invented_actors(extractor, text, expected):
    assert triples(extractor, text) == expected


def test_user_gazetteer_through_the_cli(repo_root_module, tmp_path):
    src = tmp_path / "a.txt"
    src.write_text("Arnor and Gondor\n\nArnor signed a trade agreement with Gondor.\n", encoding="utf-8")
    gaz = repo_root_module / "tests" / "fixtures" / "gazetteer" / "middle-earth.jsonl"
    res = CliRunner().invoke(app, ["extract", str(src), "--json", "--gazetteer", str(gaz)])
    assert res.exit_code == 0, res.stderr
    out = json.loads(res.stdout)
    assert {(e["name"], e["id"], e.get("iso3")) for e in out["entities"]} == {
        ("Arnor", "country:ARN", "ARN"), ("Gondor", "country:GDR", "GDR")}
    assert [(r["subject"], r["predicate"], r["object"]) for r in out["relations"]] == [
        ("Arnor", "SIGNS_AGREEMENT_WITH", "Gondor")]


def test_bad_user_gazetteer_is_one_line(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"type": "Country"}\n', encoding="utf-8")
    src = tmp_path / "a.txt"
    src.write_text("Text.\n", encoding="utf-8")
    res = CliRunner().invoke(app, ["extract", str(src), "--gazetteer", str(bad)])
    assert res.exit_code == 1
    assert res.stderr.startswith(f"error: {bad}:1:") and res.stderr.count("\n") == 1
