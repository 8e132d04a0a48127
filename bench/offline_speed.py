"""Seconds of the offline commands (stats, analyze, export, query --backend offline) on a big store.

    python bench/offline_speed.py [--articles N] [--db PATH.db] [--append bench/RESULTS.md] [--code DIR]

The store is built by bench/make_store.py (or reused with ``--db`` when it exists).
Each command runs as the user runs it: ``python -m graphbuild ...`` in a subprocess
(interpreter start and imports included), stdout to a file, so the times are what a
user waits. The actors the commands ask about are picked from the store (the country
with the most evidence, its strongest counterpart, a well-connected person), so the
same store gives the same commands. ``--code DIR`` runs the graphbuild package found
under DIR instead of this checkout (to time an older version on the same store);
``--against DIR`` runs every command with DIR's package first and then with this one,
side by side, and records DIR's time as the baseline (a checkout of an older commit:
``git worktree add /tmp/base <commit>``).  ``--against-db COPY`` has DIR's package read COPY
instead (a copy of the store that DIR's package has opened once): when the two versions'
schemas differ, each then reads a store in its own schema, and neither migrates the other's
back and forth between commands.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from results import append_rows, machine, versions  # noqa: E402


def pick_actors(db: Path) -> dict[str, str]:
    """Ids of a hub country, its strongest counterpart country and a well-connected person (deterministic)."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        def top(sql: str, params: tuple = ()) -> str | None:
            row = con.execute(sql, params).fetchone()
            return row[0] if row else None

        hub = top("SELECT subject FROM relations WHERE subject LIKE 'country:%' GROUP BY subject"
                  " ORDER BY COUNT(*) DESC, subject LIMIT 1")
        other = top("SELECT object FROM relations WHERE subject = ? AND object LIKE 'country:%' AND object != ?"
                    " GROUP BY object ORDER BY COUNT(*) DESC, object LIMIT 1", (hub, hub))
        person = top("SELECT subject FROM relations WHERE subject LIKE 'person:%' AND predicate != 'LEADER_OF'"
                     " GROUP BY subject ORDER BY COUNT(*) DESC, subject LIMIT 1")
        name = lambda eid: eid or "nobody"  # noqa: E731  (ids: a name may be shared by namesakes)
        return {"hub": name(hub), "other": name(other), "person": name(person)}
    finally:
        con.close()


def commands(db: Path, out: Path, actors: dict[str, str]) -> list[tuple[str, list[str]]]:
    """(label, CLI arguments) of every timed command."""
    hub, other, person = actors["hub"], actors["other"], actors["person"]
    d = ["--db", str(db)]
    cmds = [
        ("stats", ["stats", *d]),
        ("analyze", ["analyze", *d]),
        ("analyze --since 2024-01-01 --until 2024-12", ["analyze", *d, "--since", "2024-01-01", "--until", "2024-12"]),
        (f"analyze --actor {hub!r}", ["analyze", *d, "--actor", hub]),
        (f"analyze --path {person!r} {other!r}", ["analyze", *d, "--path", person, other]),
    ]
    for fmt in ("json", "graphml", "gexf"):
        cmds.append((f"export --format {fmt}", ["export", *d, "--format", fmt, "-o", str(out / f"graph.{fmt}")]))
    cmds.append(("export --format csv", ["export", *d, "--format", "csv", "-o", str(out / "csv")]))
    q = ["--backend", "offline", *d]
    params = {
        "actor": ["actor=" + hub],
        "arms_flows": ["actor=" + hub],
        "cooperation_network": ["actor=" + hub],
        "dyads": [],
        "evidence": ["subject=" + hub, "object=" + other],
        "meetings": [],
        "new_relations": ["since=2024-01-01"],
        "shortest_paths": ["from=" + person, "to=" + other],
        "timeline": ["actor=" + person],
    }
    for name, ps in params.items():
        args = [a for p in ps for a in ("--param", p)]
        cmds.append((f"query {name} " + " ".join(ps), ["query", name, *q, *args]))
    cmds.append((f"query timeline actor={hub} --json", ["query", "timeline", *q, "--param", "actor=" + hub, "--json"]))
    return cmds


def run(args: list[str], code: Path, out: Path) -> tuple[float, int]:
    """Seconds and exit code of ``python -m graphbuild ARGS`` (stdout to a file, from an empty directory)."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(code), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep))
    env.pop("NEO4J_URI", None)
    with (out / "stdout.txt").open("wb") as fh:
        t0 = time.perf_counter()
        res = subprocess.run([sys.executable, "-m", "graphbuild", *args], cwd=out, env=env, stdout=fh,
                             stderr=subprocess.PIPE)
        took = time.perf_counter() - t0
    if res.returncode:
        sys.stderr.write(res.stderr.decode("utf-8", "replace")[-2000:])
    return took, res.returncode


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--db", type=Path, default=None, help="reuse this store if it exists (else build it there)")
    ap.add_argument("--base", type=int, default=300, help="base articles of make_store (default 300)")
    ap.add_argument("--code", type=Path, default=REPO, help="directory holding the graphbuild package to time")
    ap.add_argument("--against", type=Path, default=None,
                    help="another checkout: each command runs with it first, then with --code (side by side)")
    ap.add_argument("--against-db", type=Path, default=None,
                    help="the store copy --against reads (default: the same store)")
    ap.add_argument("--append", type=Path, default=None)
    args = ap.parse_args(argv)

    from make_store import make_store

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        db = args.db or work / "bench.db"
        if not db.exists():
            t0 = time.perf_counter()
            made = make_store(args.articles, db, args.base)
            print(f"built {db} in {time.perf_counter() - t0:.1f} s: {made['articles']} articles, "
                  f"{made['evidence']} evidence rows")
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        n_articles, n_evidence = (con.execute("SELECT (SELECT COUNT(*) FROM articles),"
                                              " (SELECT COUNT(*) FROM relations)").fetchone())
        con.close()
        actors = pick_actors(db)
        results = []
        failed = 0
        for label, cli in commands(db, work, actors):
            other = [str(args.against_db) if a == str(db) else a for a in cli] if args.against_db else cli
            base = run(other, args.against.resolve(), work)[0] if args.against else None
            took, rc = run(cli, args.code.resolve(), work)
            size = ""
            target = cli[cli.index("-o") + 1] if "-o" in cli else None
            if target and Path(target).is_file():
                size = f" ({Path(target).stat().st_size / 1e6:,.0f} MB)"
            failed += rc != 0
            results.append((label, took, rc, base))
            side = f"  (against {base:.2f} s: {took / base:.2f}x)" if base else ""
            print(f"{took:8.2f} s  {label}{size}{'' if rc == 0 else f'  FAILED (exit {rc})'}{side}", flush=True)
    total = sum(t for _, t, _, _ in results)
    print(f"{total:8.2f} s  total: {len(results)} commands on {n_articles} articles, {n_evidence} evidence rows")
    if args.append:
        import networkx
        import spacy

        command = "python bench/offline_speed.py " + (f"--db {args.db}" if args.db else f"--articles {n_articles}")
        if args.against:
            command += f" --against {args.against}"
        if args.against_db:
            command += f" --against-db {args.against_db}"
        vers = versions(f"networkx {networkx.__version__}", f"spaCy {spacy.__version__}")
        append_rows(args.append, [
            (f"offline `{label}`", machine(),
             f"store of {n_articles} articles, {n_evidence} evidence rows (bench/make_store.py)",
             f"{base:.2f} s" if base else "-", f"{took:.2f} s{'' if rc == 0 else f' (exit {rc})'}",
             f"{took / base:.2f}x" if base else "-", vers, command)
            for label, took, rc, base in results])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
