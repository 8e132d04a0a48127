"""The README quick start on the seed article, with the real model: ingest, stats, export."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from typer.testing import CliRunner

from graphbuild.cli import app

pytestmark = pytest.mark.model
runner = CliRunner()


def test_quickstart_on_seeds(repo_root, tmp_path):
    db = tmp_path / "g.db"
    res = runner.invoke(app, ["ingest", str(repo_root / "seeds"), "--db", str(db)])
    assert res.exit_code == 0, res.stderr
    assert "Entities found" in res.stdout and "Vladimir Putin" in res.stdout and "country:PRK" in res.stdout
    stats = json.loads(runner.invoke(app, ["stats", "--db", str(db), "--json"]).stdout)
    assert stats["articles"] == 1 and stats["entities_by_type"]["Person"] >= 3
    assert stats["relations"] >= 10
    out = tmp_path / "g.graphml"
    res = runner.invoke(app, ["export", "--format", "graphml", "-o", str(out), "--db", str(db)])
    assert res.exit_code == 0
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    root = ET.parse(out).getroot()
    assert len(root.findall(".//g:node", ns)) == stats["entities"]
    # ingesting again is a no-op
    again = json.loads(runner.invoke(app, ["ingest", str(repo_root / "seeds"), "--db", str(db), "--json"]).stdout)
    assert again["articles"]["unchanged"] == 1 and again["relations"] == 0
