"""bench/make_store.py and bench/offline_speed.py on a tiny store (no timing asserted: speed is measured in bench/)."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys

import pytest

pytestmark = pytest.mark.model


def run(repo_root, *args: str) -> str:
    res = subprocess.run([sys.executable, *args], cwd=repo_root, capture_output=True, text=True, timeout=900)
    assert res.returncode == 0, res.stderr
    return res.stdout


def content(db) -> list[list[tuple]]:
    """Every table's rows in a fixed order, ``ingested_at`` (the wall clock) left out."""
    con = sqlite3.connect(db)
    try:
        return [
            con.execute("SELECT id, title, date, url, source, origin, sha256, text FROM articles ORDER BY id")
            .fetchall(),
            con.execute("SELECT * FROM entities ORDER BY id").fetchall(),
            con.execute("SELECT * FROM aliases ORDER BY entity_id, alias, article_id").fetchall(),
            con.execute("SELECT * FROM mentions ORDER BY article_id, start, entity_id, end").fetchall(),
            con.execute("SELECT * FROM relations ORDER BY id").fetchall(),
        ]
    finally:
        con.close()


def test_make_store_is_deterministic_and_consistent(repo_root, tmp_path):
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    out_a = run(repo_root, "bench/make_store.py", "--articles", "30", "--out", str(a), "--base", "4", "--seed", "3")
    out_b = run(repo_root, "bench/make_store.py", "--articles", "30", "--out", str(b), "--base", "4", "--seed", "3")
    counts = re.search(r"store: (\d+) articles, (\d+) entities \((\d+) persons\), (\d+) relations, (\d+) evidence rows",
                       out_a)
    assert counts and counts.group(1) == "30" and int(counts.group(5)) > 0, out_a
    assert "extracted 4 base articles" in out_a and "wrote 30 articles" in out_a
    assert out_a.splitlines()[1] == out_b.splitlines()[1]
    rows = content(a)
    assert rows == content(b)
    # Offsets still point at the (rewritten) text: mentions and evidence sentences are where they say.
    texts = dict((r[0], r[7]) for r in rows[0])
    for aid, _eid, surface, start, end, *_raw in rows[3]:
        assert texts[aid][start:end] == surface
    for rel in rows[4]:
        assert texts[rel[1]][rel[7]:rel[8]] == rel[6]
    other = tmp_path / "c.db"
    run(repo_root, "bench/make_store.py", "--articles", "30", "--out", str(other), "--base", "4", "--seed", "4")
    assert content(other)[0] != rows[0]


def test_offline_speed_runs(repo_root, tmp_path):
    results = tmp_path / "RESULTS.md"
    db = tmp_path / "small.db"
    out = run(repo_root, "bench/offline_speed.py", "--articles", "30", "--base", "4", "--db", str(db),
              "--append", str(results))
    assert "built" in out and db.exists()
    for label in ("stats", "analyze", "export --format json", "export --format graphml", "export --format gexf",
                  "query actor", "query timeline", "total:"):
        assert label in out, label
    assert "FAILED" not in out
    rows = [line for line in results.read_text(encoding="utf-8").splitlines() if line.startswith("| 20")]
    assert len(rows) == len([line for line in out.splitlines() if " s  " in line]) - 1
    assert all("offline `" in r and "30 articles" in r for r in rows)
