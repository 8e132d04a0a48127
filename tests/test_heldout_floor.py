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


def test_heldout_scores_do_not_regress(repo_root):
    gold = repo_root / "tests" / "fixtures" / "eval" / "heldout.jsonl"
    res = CliRunner().invoke(app, ["eval", str(gold), "--json"])
    assert res.exit_code == 0, res.stderr
    rep = json.loads(res.stdout)
    assert rep["entities"]["f1"] >= 0.90
    assert rep["relations"]["precision"] >= 0.90
    assert rep["relations"]["f1"] >= 0.72
    assert rep["modality_accuracy"] >= 0.90
