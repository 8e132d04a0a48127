"""Where ingest time goes: the spaCy parse vs graphbuild's own steps vs the store, plus the hottest functions.

    python bench/profile_ingest.py [--articles N] [--top K] [--append bench/RESULTS.md]

The corpus (bench/make_corpus.py) is parsed once with ``nlp.pipe``; then the
extraction steps after the parse (``Extractor.extract_doc``: gazetteer ruler,
mentions, resolution, rules) run on the parsed documents (best of 3), then the
extractions are written to a fresh store.  ``--top K`` profiles the steps with
cProfile and prints the K functions with the most own time: that is how hot
spots are found (see bench/RESULTS.md for what was fixed).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from results import append_rows, machine, versions  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=200)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--top", type=int, default=0, help="print the K functions with the most own time")
    ap.add_argument("--append", type=Path, default=None)
    args = ap.parse_args(argv)

    import spacy

    from graphbuild.extract.engine import _NLP_CHARS, Extractor
    from graphbuild.store import Store
    from graphbuild.sources import read_inputs
    from make_corpus import build

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        words = build(args.articles, corpus)
        articles = [a for a in read_inputs([corpus])]
        ex = Extractor(batch_size=args.batch_size)
        list(ex.extract_many([]))
        t0 = time.perf_counter()
        docs = list(ex.nlp.pipe([a.text.translate(_NLP_CHARS) for a in articles], batch_size=args.batch_size))
        t_parse = time.perf_counter() - t0
        t_steps = float("inf")
        for _ in range(3):
            t0 = time.perf_counter()
            extractions = [ex.extract_doc(d, a) for d, a in zip(docs, articles)]
            t_steps = min(t_steps, time.perf_counter() - t0)
        with Store(Path(tmp) / "p.db") as store:
            t0 = time.perf_counter()
            for extraction in extractions:
                store.write(extraction)
            t_store = time.perf_counter() - t0
        if args.top:
            prof = cProfile.Profile()
            prof.enable()
            for d, a in zip(docs, articles):
                ex.extract_doc(d, a)
            prof.disable()
            buf = io.StringIO()
            pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(args.top)
            print(buf.getvalue())
    total = t_parse + t_steps + t_store
    print(f"spaCy parse (nlp.pipe): {t_parse:7.2f} s  {100 * t_parse / total:5.1f} %")
    print(f"graphbuild steps:       {t_steps:7.2f} s  {100 * t_steps / total:5.1f} %")
    print(f"store writes:           {t_store:7.2f} s  {100 * t_store / total:5.1f} %")
    print(f"{args.articles} articles, {words} words")
    if args.append:
        append_rows(args.append, [(
            "ingest time split", machine(), f"{args.articles} articles, {words} words", f"spaCy parse {t_parse:.2f} s",
            f"graphbuild steps {t_steps:.2f} s ({100 * t_steps / total:.1f} %), store {t_store:.2f} s "
            f"({100 * t_store / total:.1f} %)", "-", versions(f"spaCy {spacy.__version__}"),
            f"python bench/profile_ingest.py --articles {args.articles}")])
    return 0


if __name__ == "__main__":
    sys.exit(main())
