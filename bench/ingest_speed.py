"""Words/s of the whole ingest (read JSONL -> extract -> store) vs plain ``nlp.pipe``, and with ``--workers``.

    python bench/ingest_speed.py [--articles N] [--batch-size B] [--workers W] [--repeat R] [--append bench/RESULTS.md]

Three kinds of run in this process on the same texts (a corpus from bench/make_corpus.py),
side by side: plain ``nlp.pipe`` (model loaded beforehand) and ``ingest`` in one
process (extractor built beforehand, a fresh store each time), interleaved R times
and the best of each kept; then ``ingest`` once with W worker processes
(W defaults to the CPU count; its time includes starting the workers, each of
which loads the model).  The two stores must be identical (every table, row for
row, but the ingest time), or the benchmark fails.  Peak RSS of this process is
reported too (it holds one model; the workers hold one each).
"""

from __future__ import annotations

import argparse
import resource
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from results import append_rows, machine, versions  # noqa: E402


def store_rows(db: Path) -> dict[str, list[tuple]]:
    """Every table's rows but the ingest time, sorted: what 'identical stores' means."""
    con = sqlite3.connect(db)
    out = {}
    for (table,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"):
        cols = [r[1] for r in con.execute(f"PRAGMA table_info({table})") if r[1] != "ingested_at"]
        out[table] = sorted(con.execute(f"SELECT {', '.join(cols)} FROM {table}").fetchall(), key=repr)
    con.close()
    return out


def main(argv: list[str] | None = None) -> int:
    from graphbuild.extract.parallel import default_workers

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=300)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--workers", type=int, default=default_workers())
    ap.add_argument("--repeat", type=int, default=2, help="best of R runs of nlp.pipe and of ingest (interleaved)")
    ap.add_argument("--append", type=Path, default=None)
    args = ap.parse_args(argv)

    import json

    import spacy

    from graphbuild.extract.engine import Extractor
    from graphbuild.extract.parallel import ParallelExtractor
    from graphbuild.nlp.model import find_model
    from graphbuild.pipeline import ingest
    from graphbuild.store import Store
    from graphbuild.sources import read_inputs
    from make_corpus import build

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        words = build(args.articles, corpus)
        texts = [json.loads(line)["text"] for line in corpus.read_text(encoding="utf-8").splitlines()]
        plain = spacy.load(find_model())
        list(plain.pipe(texts[:8]))
        extractor = Extractor(batch_size=args.batch_size)
        list(extractor.extract_many([]))
        t_plain = t_ingest = float("inf")
        for k in range(args.repeat):  # interleaved, best of R each: noise hits both sides alike
            t0 = time.perf_counter()
            for _ in plain.pipe(texts, batch_size=args.batch_size):
                pass
            t_plain = min(t_plain, time.perf_counter() - t0)
            one_db = Path(tmp) / f"one-{k}.db"
            with Store(one_db) as store:
                t0 = time.perf_counter()
                report = ingest(read_inputs([corpus]), store, extractor, batch_size=args.batch_size)
                t_ingest = min(t_ingest, time.perf_counter() - t0)
                stats = store.stats()
        del texts
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

        par = ParallelExtractor(workers=args.workers, batch_size=args.batch_size)
        many_db = Path(tmp) / "many.db"
        with Store(many_db) as store:
            t0 = time.perf_counter()
            ingest(read_inputs([corpus]), store, par, batch_size=args.batch_size)
            t_par = time.perf_counter() - t0
        identical = store_rows(one_db) == store_rows(many_db)

    ratio = t_plain / t_ingest
    speedup = t_ingest / t_par
    print(f"nlp.pipe:          {words / t_plain:10,.0f} words/s ({t_plain:.1f} s)")
    print(f"graphbuild ingest: {words / t_ingest:10,.0f} words/s ({t_ingest:.1f} s), "
          f"{report.count('new')} articles, {stats['relations']} relations")
    print(f"ratio:             {ratio:10.2f}   peak RSS {rss_mb:,.0f} MB")
    print(f"ingest --workers {args.workers} ({par.mode}): {words / t_par:,.0f} words/s ({t_par:.1f} s, "
          f"workers' start-up included)")
    print(f"speedup:           {speedup:10.2f}   identical stores: {'yes' if identical else 'NO'}")
    if args.append:
        inp = f"{args.articles} articles, {words} words, batch {args.batch_size}"
        vers = versions(f"spaCy {spacy.__version__}")
        command = f"python bench/ingest_speed.py --articles {args.articles} --workers {args.workers} --repeat {args.repeat}"
        append_rows(args.append, [
            ("ingest vs nlp.pipe", machine(), inp, f"nlp.pipe {words / t_plain:,.0f} w/s",
             f"graphbuild ingest {words / t_ingest:,.0f} w/s", f"ratio {ratio:.2f} (peak RSS {rss_mb:,.0f} MB)", vers,
             command),
            (f"ingest --workers {args.workers} vs 1 process", machine(), inp, f"1 process {words / t_ingest:,.0f} w/s",
             f"{par.mode} {words / t_par:,.0f} w/s (start-up included)",
             f"speedup {speedup:.2f}, identical stores: {'yes' if identical else 'NO'}", vers, command),
        ])
    return 0 if identical else 1


if __name__ == "__main__":
    sys.exit(main())
