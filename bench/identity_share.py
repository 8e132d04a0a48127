"""Identity's share of one real ingest: the time in ``resolve_keys`` and ``write_names`` over the whole run.

    python bench/identity_share.py DB FILE... [--workers N]

Wraps the two identity steps of the store with timers and runs ``graphbuild ingest FILE... --db DB`` in this
process (``--workers 1`` by default, so extraction runs here too).  Run it for two codes side by side (e.g.
``PYTHONPATH=<export of main>`` for the other) on a fresh DB each: only the shares compare on a shared machine.
"""

from __future__ import annotations

import sys
import time


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    workers = "1"
    if "--workers" in argv:
        i = argv.index("--workers")
        workers = argv[i + 1]
        del argv[i:i + 2]
    db, files = argv[0], argv[1:]
    import graphbuild.store.identity as ident
    from graphbuild.cli import main as cli

    spent = {"resolve_keys": 0.0, "write_names": 0.0}

    def timed(name: str):
        inner = getattr(ident, name)

        def run(*a, **k):
            t = time.perf_counter()
            try:
                return inner(*a, **k)
            finally:
                spent[name] += time.perf_counter() - t
        return run

    for name in spent:
        setattr(ident, name, timed(name))
    sys.argv = ["graphbuild", "ingest", *files, "--db", db, "--workers", workers]
    t0 = time.perf_counter()
    try:
        cli()
    except SystemExit:
        pass
    total = time.perf_counter() - t0
    share = 100 * sum(spent.values()) / total
    print(f"ingest {total:.2f} s; resolve_keys {spent['resolve_keys']:.2f} s; write_names {spent['write_names']:.2f} s;"
          f" identity {share:.1f}% of the ingest", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
