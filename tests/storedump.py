"""A store's rows as plain data, for tests that compare two stores built different ways."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def dump(db: str | Path) -> dict[str, list[tuple]]:
    """Every table's rows (but the ingest time), sorted."""
    con = sqlite3.connect(db)
    out = {}
    for (table,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
        cols = [r[1] for r in con.execute(f"PRAGMA table_info({table})") if r[1] != "ingested_at"]
        out[table] = sorted(con.execute(f"SELECT {', '.join(cols)} FROM {table}").fetchall(), key=repr)
    con.close()
    return out
