"""Cross-article identity at scale: what resolving a batch costs against extracting it.

    python bench/identity_speed.py [--articles 100000] [--db PATH] [--batches 10] [--batch 64] [--append RESULTS.md]

Builds (or reuses, when ``--db`` exists with the right size) a store of N articles with
bench/make_store.py (every batch written through ``Store.write_many``, names resolved),
then writes ``--batches`` more batches of new articles and times, side by side in the
same run, the whole write of each batch and the identity step inside it
(``graphbuild.store.identity.resolve_keys``).  Extraction time per batch is measured on
the base articles make_store runs through the real extractor.  The ratio is the
resolution time per batch over the extraction time per batch.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from make_store import base_extractions, clones, make_store  # noqa: E402
from results import append_rows, machine, versions  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--db", type=Path, default=Path("/tmp/bench-identity.db"))
    ap.add_argument("--base", type=int, default=300, help="articles run through the real extractor")
    ap.add_argument("--batches", type=int, default=10)
    ap.add_argument("--batch", type=int, default=64, help="articles per timed batch (the ingest default)")
    ap.add_argument("--append", type=Path, help="append the result row to this RESULTS.md")
    args = ap.parse_args(argv)

    from graphbuild.store import Store, identity

    spent = [0.0]
    real = identity.resolve_keys

    def timed(*a, **k):
        t0 = time.perf_counter()
        try:
            return real(*a, **k)
        finally:
            spent[0] += time.perf_counter() - t0

    identity.resolve_keys = timed
    have = 0
    if args.db.exists():
        with sqlite3.connect(args.db) as con:
            have = con.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    if abs(have - args.articles) > args.articles // 50:  # reused while within 2% (timed batches add to it)
        r = make_store(args.articles, args.db, args.base)
        print(f"built {args.articles} articles in {r['write_s']:.0f} s (identity {spent[0]:.0f} s of it)")
    t0 = time.perf_counter()
    bases = base_extractions(args.base, 7)
    extract_per_article = (time.perf_counter() - t0) / args.base
    with sqlite3.connect(args.db) as con:  # new ids every run: the store grows by the timed batches
        seed = 991 + con.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    extra = clones(bases, args.batches * args.batch, seed=seed)
    writes, resolves = [], []
    with Store(args.db) as store:
        for _ in range(args.batches):
            chunk = [ex for _, ex in zip(range(args.batch), extra)]
            spent[0] = 0.0
            t0 = time.perf_counter()
            store.write_many(chunk)
            writes.append(time.perf_counter() - t0)
            resolves.append(spent[0])
        names = store._db.execute("SELECT COUNT(*) FROM names").fetchone()[0]
        stored = store._db.execute("SELECT COUNT(*) FROM articles").fetchone()[0] - args.batches * args.batch
        persons = store._db.execute("SELECT COUNT(*) FROM entities WHERE type = 'Person'").fetchone()[0]
    resolve = statistics.median(resolves)
    write = statistics.median(writes)
    extract = extract_per_article * args.batch
    ratio = resolve / extract
    print(f"store: {stored} articles before the timed batches, {names} name records, {persons} persons")
    print(f"per batch of {args.batch}: extraction {extract:.2f} s, write {write:.3f} s, of which identity "
          f"{resolve:.3f} s (median of {args.batches}): identity = {ratio:.1%} of extraction")
    if args.append:
        append_rows(args.append, [(
            "identity resolution per batch vs extraction", machine(),
            f"store of {stored} articles ({names} name records, {persons} persons), batches of {args.batch}",
            f"extraction {extract:.2f} s/batch", f"identity {resolve * 1000:.0f} ms/batch (whole write "
            f"{write * 1000:.0f} ms)", f"{ratio:.1%} of extraction", versions(),
            f"python bench/identity_speed.py --articles {args.articles} --append bench/RESULTS.md")])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
