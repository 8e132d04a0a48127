"""Peak memory and time of ``graphbuild ingest`` on ONE long article: 50k, 250k and 1M characters.

    python bench/long_articles.py [--sizes 50000,250000,1000000] [--workers 1] [--append bench/RESULTS.md]

Each size is a fresh invented article (:func:`long_text`: numbered paragraphs of
sentences between real countries, a different pair every few paragraphs, so the last
paragraphs name pairs the first do not) ingested by ``python -m graphbuild ingest
--json`` in its own process, whose peak RSS (VmHWM) and process-tree peak are sampled
from /proc (see ``memory_scale.py``).  The target: under 1 GB for one long article.
With ``--twice`` the file holds four such articles, one per batch, and ``--workers 2``
gives each worker one at a time: the tree peak is then the bound for two long articles
extracted at once.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from memory_scale import run_ingest  # noqa: E402
from results import append_rows, machine, versions  # noqa: E402

#: Pairs of real countries the packaged gazetteer knows; paragraph k uses pair k // 4 (cycling).
PAIRS = [("France", "Germany"), ("Chile", "Peru"), ("Japan", "South Korea"), ("Kenya", "Ethiopia"),
         ("Brazil", "Argentina"), ("Canada", "Mexico"), ("Poland", "Lithuania"), ("Egypt", "Jordan"),
         ("Vietnam", "Thailand"), ("Norway", "Sweden"), ("Ghana", "Nigeria"), ("Spain", "Portugal")]
SENTENCES = ["{a} condemned {b} on Monday over the border dispute.",
             "Officials from {a} met their counterparts from {b} in the capital.",
             "The talks between the two governments ended without an agreement, a spokesman said.",
             "{a} and {b} signed a trade agreement after the talks."]


def long_text(chars: int, *, first: int = 0) -> str:
    """An invented article of about ``chars`` characters: paragraphs of four sentences, blank lines between.

    >>> t = long_text(2000)
    >>> 1600 < len(t) <= 2000 and t.startswith("Paragraph 1.") and "\\n\\n" in t
    True
    """
    paragraphs: list[str] = []
    size, k = 0, first
    while True:
        a, b = PAIRS[(k // 4) % len(PAIRS)]
        para = f"Paragraph {k + 1}. " + " ".join(s.format(a=a, b=b) for s in SENTENCES)
        if size + len(para) + 2 > chars:
            break
        paragraphs.append(para)
        size += len(para) + 2
        k += 1
    return "\n\n".join(paragraphs)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="50000,250000,1000000", help="comma-separated article sizes (characters)")
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--twice", action="store_true", help="two long articles of each size in one input")
    ap.add_argument("--append", type=Path, default=None)
    args = ap.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in (int(s) for s in args.sizes.split(",")):
            corpus = Path(tmp) / f"long-{n}.jsonl"
            texts = [long_text(n, first=7 * i) for i in range(4 if args.twice else 1)]
            corpus.write_text("".join(json.dumps({"id": f"long-{n}-{i}", "text": t}) + "\n"
                                      for i, t in enumerate(texts)), encoding="utf-8")
            res = run_ingest(corpus, Path(tmp) / f"store-{n}.db", args.workers, 1 if args.twice else 32)
            rows.append((n, res))
            print(f"{n:>9,} characters x{len(texts)}: peak RSS {res['peak_rss_mb']:,.0f} MB, process tree "
                  f"{res['peak_tree_mb']:,.0f} MB, {res['seconds']:.0f} s ({res['mode']}), "
                  f"{res['relations']:,} relations")
    if args.append:
        import spacy

        what = "peak RSS of two long articles at once" if args.twice else "peak RSS of one long article"
        append_rows(args.append, [(
            f"{what}, {n:,} characters", machine(memory=True),
            f"ingest --workers {args.workers} ({res['mode']})", "target < 1 GB",
            f"{res['peak_rss_mb']:,.0f} MB (tree {res['peak_tree_mb']:,.0f} MB), {res['seconds']:.0f} s, "
            f"{res['relations']:,} relations", f"{res['peak_tree_mb'] / 1024:.2f} GB",
            versions(f"spaCy {spacy.__version__}"),
            f"python bench/long_articles.py --sizes {args.sizes} --workers {args.workers}"
            + (" --twice" if args.twice else "")) for n, res in rows])
    return 0


if __name__ == "__main__":
    sys.exit(main())
