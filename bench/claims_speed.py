"""Issue 15's cost: offline commands before and after claims, event dates and corroboration, side by side.

    python bench/claims_speed.py --db NEW.db --against DIR --against-db OLD.db [--rounds 2] [--append bench/RESULTS.md]

``NEW.db`` is a store built by this checkout (``bench/make_store.py``); ``OLD.db`` a copy of it
opened once by the package under ``DIR`` (a checkout of the commit before, e.g. ``git archive
f696ec0 | tar -x -C /tmp/base``), so each version reads a store in its own schema and neither
migrates the other's.  Each command runs as the user runs it (``python -m graphbuild ...``,
bench/offline_speed.py's ``run``), old then new, ``--rounds`` times; the best of each is kept.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from offline_speed import pick_actors, run  # noqa: E402
from results import append_rows, machine, versions  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, required=True)
    ap.add_argument("--against", type=Path, required=True)
    ap.add_argument("--against-db", type=Path, required=True)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--append", type=Path, default=None)
    args = ap.parse_args(argv)
    hub = pick_actors(args.db)["hub"]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        cmds = [("stats", ["stats"]), ("analyze", ["analyze"]),
                (f"query timeline actor={hub}", ["query", "timeline", "-p", f"actor={hub}", "--backend", "offline",
                                                 "--json"]),
                ("export --format json", ["export", "--format", "json", "-o", str(out / "g.json")])]
        for label, cli in cmds:
            old, new = [], []
            for _ in range(args.rounds):
                took, rc = run([*cli, "--db", str(args.against_db)], args.against.resolve(), out)
                old.append(took if rc == 0 else float("nan"))
                took, rc = run([*cli, "--db", str(args.db)], REPO, out)
                new.append(took if rc == 0 else float("nan"))
            print(f"{label}: before {min(old):.2f} s, after {min(new):.2f} s, ratio {min(new) / min(old):.2f}",
                  flush=True)
            rows.append((label, min(old), min(new)))
    if args.append:
        import sqlite3

        con = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
        n_articles, n_evidence = con.execute("SELECT (SELECT COUNT(*) FROM articles),"
                                             " (SELECT COUNT(*) FROM relations)").fetchone()
        con.close()
        command = (f"python bench/claims_speed.py --db {args.db} --against {args.against}"
                   f" --against-db {args.against_db} --rounds {args.rounds}")
        append_rows(args.append, [
            (f"offline `{label}`, before vs after issue 15 (claims, event dates, corroboration)", machine("shared"),
             f"store of {n_articles} articles, {n_evidence} evidence rows (bench/make_store.py)",
             f"before {old:.2f} s", f"after {new:.2f} s", f"{new / old:.2f}x the time",
             versions(), command) for label, old, new in rows])
    return 0


if __name__ == "__main__":
    sys.exit(main())
