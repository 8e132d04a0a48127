"""Words/s of the whole ingest (read JSONL -> extract -> store) vs plain ``nlp.pipe``, side by side.

    python bench/ingest_speed.py [--articles N] [--batch-size B] [--append bench/RESULTS.md]

Both run in this process on the same texts (a corpus from bench/make_corpus.py), the
baseline first; peak RSS is reported too.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=300)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--append", type=Path, default=None)
    args = ap.parse_args(argv)

    import json

    import spacy

    from graphbuild.extract.engine import Extractor
    from graphbuild.nlp.model import find_model
    from graphbuild.pipeline import ingest
    from graphbuild.sinks.store import Store
    from graphbuild.sources import read_inputs
    from make_corpus import build

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        words = build(args.articles, corpus)
        texts = [json.loads(line)["text"] for line in corpus.read_text(encoding="utf-8").splitlines()]
        plain = spacy.load(find_model())
        list(plain.pipe(texts[:8]))
        t0 = time.perf_counter()
        for _ in plain.pipe(texts, batch_size=args.batch_size):
            pass
        t_plain = time.perf_counter() - t0
        extractor = Extractor(batch_size=args.batch_size)
        list(extractor.extract_many([]))
        store = Store(Path(tmp) / "bench.db")
        t0 = time.perf_counter()
        report = ingest(read_inputs([corpus]), store, extractor, batch_size=args.batch_size)
        t_ingest = time.perf_counter() - t0
        stats = store.stats()
        store.close()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ratio = t_plain / t_ingest
    print(f"nlp.pipe:          {words / t_plain:10,.0f} words/s ({t_plain:.1f} s)")
    print(f"graphbuild ingest: {words / t_ingest:10,.0f} words/s ({t_ingest:.1f} s), "
          f"{report.count('new')} articles, {stats['relations']} relations")
    print(f"ratio:             {ratio:10.2f}   peak RSS {rss_mb:,.0f} MB")
    if args.append:
        with args.append.open("a", encoding="utf-8") as fh:
            fh.write(f"| {datetime.now(timezone.utc):%Y-%m-%d} | ingest vs nlp.pipe | {os.cpu_count()} cores | "
                     f"{args.articles} articles, {words} words, batch {args.batch_size} | nlp.pipe "
                     f"{words / t_plain:,.0f} w/s | graphbuild ingest {words / t_ingest:,.0f} w/s | ratio {ratio:.2f} "
                     f"(peak RSS {rss_mb:,.0f} MB) | spaCy {spacy.__version__}, Python {platform.python_version()} | "
                     f"`python bench/ingest_speed.py --articles {args.articles}` |\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
