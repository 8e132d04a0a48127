#!/usr/bin/env python3
"""Inter-annotator agreement: score one annotation of the same articles against another.

    python scripts/agreement.py eval/news/test.jsonl eval/news/agreement/second-*.jsonl

The first file's records with the ids of the others are the reference, scored exactly as
``graphbuild eval`` scores an extractor (ONTOLOGY.md): relation F1 is symmetric in the two
annotations, so it is the agreement, and the ceiling an extractor can be measured against.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from graphbuild.evaluate import evaluate, read_gold


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    second = [rec for path in argv[1:] for rec in read_gold(Path(path))]
    ids = {r["id"] for r in second}
    first = [r for r in read_gold(Path(argv[0])) if r["id"] in ids]
    missing = ids - {r["id"] for r in first}
    if missing:
        print(f"{argv[0]}: no record for {', '.join(sorted(missing))}", file=sys.stderr)
        return 1
    for r in second:  # a second annotation is scored as a prediction: everything it says is stated
        r["relations"] = [dict(x, inferred=False) for x in r["relations"]]
    report = evaluate(second, first)
    out = {"articles": len(first), "entities": report.entities.as_dict(), "relations": report.relations.as_dict(),
           "per_predicate": {p: s.as_dict() for p, s in sorted(report.per_predicate.items())},
           "modality_agreement": round(report.modality_accuracy, 4), "modality_compared": report.modality_total}
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
