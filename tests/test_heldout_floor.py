"""Regression floor on our own held-out gold set (tests/fixtures/eval/heldout.jsonl).

Ten synthetic wire-style articles written and annotated independently of the rules
(other regions and conflicts than the dev set). The floors sit a little under the
scores measured when they were set, so a change that loses generality fails here.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from graphbuild.cli import app

pytestmark = pytest.mark.model


@pytest.mark.parametrize("scorer,floors", [
    # the rules alone (set when the floor was made; precision 0.90 -> 0.89 when "X thanked Y for its
    # support" was added: "Goita thanked Putin for Moscow's support to Mali" gives Putin SUPPORTS Mali,
    # which the text states but this gold file gives as Russia SUPPORTS Mali only)
    ("none", {"entities": 0.90, "precision": 0.89, "f1": 0.74, "modality": 0.90}),
    # the default pipeline with the packaged scorer: it adds relations the rules miss (F1 0.770 vs
    # 0.768 when set) at some precision (0.859 vs 0.902)
    ("", {"entities": 0.90, "precision": 0.83, "f1": 0.74, "modality": 0.90}),
])
def test_heldout_scores_do_not_regress(repo_root, monkeypatch, scorer, floors):
    if scorer:
        monkeypatch.setenv("GRAPHBUILD_SCORER", scorer)
    else:
        monkeypatch.delenv("GRAPHBUILD_SCORER", raising=False)
    gold = repo_root / "tests" / "fixtures" / "eval" / "heldout.jsonl"
    res = CliRunner().invoke(app, ["eval", str(gold), "--json"])
    assert res.exit_code == 0, res.stderr
    rep = json.loads(res.stdout)
    assert rep["entities"]["f1"] >= floors["entities"]
    assert rep["relations"]["precision"] >= floors["precision"]
    assert rep["relations"]["f1"] >= floors["f1"]
    assert rep["modality_accuracy"] >= floors["modality"]
