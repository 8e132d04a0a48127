"""Words/s of graphbuild extraction vs plain ``nlp.pipe`` with the same model and batch size, side by side.

    python bench/extract_speed.py [--articles N] [--batch-size B] [--repeat R] [--append bench/RESULTS.md]

Texts: the seed articles and the dev-set texts (if ../shared is beside the checkout),
repeated to N articles.  Both runs see the same texts in the same process; the
ratio is what matters (the machine's speed cancels out).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from results import append_rows, machine, versions

REPO = Path(__file__).resolve().parent.parent


def corpus(n: int) -> list[str]:
    """N article texts recycled from seeds/ and the dev set."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((REPO / "seeds").glob("*.txt"))]
    dev = REPO.parent / "shared" / "eval" / "dev.jsonl"
    if dev.exists():
        texts += [json.loads(line)["text"] for line in dev.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [texts[i % len(texts)] for i in range(n)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=200)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--append", type=Path, default=None, help="append a result row to this Markdown file")
    args = ap.parse_args(argv)

    from graphbuild.extract.engine import Extractor
    from graphbuild.models import Article
    from graphbuild.nlp.model import find_model

    import spacy

    texts = corpus(args.articles)
    words = sum(len(t.split()) for t in texts)
    plain = spacy.load(find_model())
    extractor = Extractor(batch_size=args.batch_size)
    articles = [Article(id=str(i), text=t) for i, t in enumerate(texts)]
    list(plain.pipe(texts[:8]))  # warm-up both
    list(extractor.extract_many(articles[:8]))
    best_plain = best_gb = float("inf")
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        for _doc in plain.pipe(texts, batch_size=args.batch_size):
            pass
        best_plain = min(best_plain, time.perf_counter() - t0)
        t0 = time.perf_counter()
        for _ex in extractor.extract_many(articles):
            pass
        best_gb = min(best_gb, time.perf_counter() - t0)
    wps_plain, wps_gb = words / best_plain, words / best_gb
    ratio = wps_gb / wps_plain
    print(f"nlp.pipe:           {wps_plain:10,.0f} words/s ({best_plain:.2f} s)")
    print(f"graphbuild extract: {wps_gb:10,.0f} words/s ({best_gb:.2f} s)")
    print(f"ratio:              {ratio:10.2f}")
    if args.append:
        append_rows(args.append, [(
            "extract vs nlp.pipe", machine(), f"{args.articles} articles, {words} words, batch {args.batch_size}",
            f"nlp.pipe {wps_plain:,.0f} w/s", f"graphbuild extract {wps_gb:,.0f} w/s", f"ratio {ratio:.2f}",
            versions(f"spaCy {spacy.__version__}"), f"python bench/extract_speed.py --articles {args.articles}")])
    return 0


if __name__ == "__main__":
    sys.exit(main())
