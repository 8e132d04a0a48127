"""What guarding the store against damage costs: ``PRAGMA quick_check`` before a process's first write.

    python bench/store_check.py --db /tmp/bench20k.db [--code DIR] [--append bench/RESULTS.md]

Measures on an existing store, without writing to it:

* ``quick_check``: the check an ``ingest`` (or any first write of a process) waits for; an
  ingest starts it in the background when it opens the store, so it overlaps loading the model;
* ``graphbuild stats`` with this code and with the code in ``--code DIR`` (e.g. a
  ``git archive`` of the commit before): a read command on an up-to-date store opens it
  without any write, so it must pay nothing.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from results import append_rows, machine, versions  # noqa: E402


def _stats_seconds(db: Path, code: Path | None, runs: int = 3) -> float:
    env = dict(os.environ)
    if code is not None:
        env["PYTHONPATH"] = str(code)
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "graphbuild", "stats", "--json", "--db", str(db)], env=env,
                       check=True, capture_output=True)
        best = min(best, time.perf_counter() - started)
    return best


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, required=True)
    ap.add_argument("--code", type=Path, default=None, help="Folder holding the graphbuild package to compare with.")
    ap.add_argument("--append", type=Path, default=None)
    args = ap.parse_args(argv)
    con = sqlite3.connect(f"{args.db.resolve().as_uri()}?mode=ro", uri=True)
    articles = con.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    started = time.perf_counter()
    result = con.execute("PRAGMA quick_check").fetchall()
    check = time.perf_counter() - started
    con.close()
    size = args.db.stat().st_size / 1e6
    print(f"quick_check {check:.1f} s ({result[0][0]}) on {articles} articles, {size:.0f} MB")
    new = _stats_seconds(args.db, None)
    old = _stats_seconds(args.db, args.code) if args.code else None
    print(f"graphbuild stats: {new:.2f} s" + (f" (before: {old:.2f} s)" if old is not None else ""))
    if args.append:
        what = f"store of {articles} articles, {size:.0f} MB (bench/make_store.py)"
        rows = [["quick_check before an ingest's first write", machine("shared"), what, "no check",
                 f"{check:.1f} s once per process", "-", versions(), f"python bench/store_check.py --db {args.db}"]]
        if old is not None:
            rows.append(["`stats` on an up-to-date store, before vs after the fault guards", machine("shared"),
                         what, f"before {old:.2f} s", f"after {new:.2f} s", f"ratio {new / old:.2f}", versions(),
                         f"python bench/store_check.py --db {args.db} --code DIR"])
        append_rows(args.append, rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
