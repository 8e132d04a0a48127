"""bench/identity_share.py runs on a tiny corpus and leaves the store it ingested (no timing asserted)."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys

import pytest

pytestmark = pytest.mark.model


def test_identity_share_runs_and_ingests(repo_root, tmp_path):
    db = tmp_path / "s.db"
    res = subprocess.run([sys.executable, "bench/identity_share.py", str(db), "seeds/"], cwd=repo_root,
                         capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr
    assert re.search(r"identity \d+\.\d% of the ingest", res.stderr), res.stderr
    con = sqlite3.connect(db)
    try:
        assert con.execute("SELECT COUNT(*) FROM articles").fetchone()[0] >= 1
        assert con.execute("SELECT COUNT(*) FROM names").fetchone()[0] > 0
    finally:
        con.close()


def test_identity_share_without_files_says_how_to_run_it(repo_root):
    res = subprocess.run([sys.executable, "bench/identity_share.py"], cwd=repo_root, capture_output=True, text=True)
    assert res.returncode == 2 and "python bench/identity_share.py DB FILE..." in res.stderr
