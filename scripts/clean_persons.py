#!/usr/bin/env python3
"""Clean a list of office holders into graphbuild/data/gazetteer/persons.jsonl.

    pip install -e '.[build]'
    python scripts/clean_persons.py scripts/sources/persons.jsonl   # writes the packaged persons.jsonl

The source is compiled from general knowledge of who held which office (heads of state and
government since 2015, and of major states since 2000; foreign and defence ministers of major
states; heads of international organisations and armed groups), never from evaluation articles.
SOURCE lines: {"id", "type": "Person", "name", "aliases", "country" (ISO3, optional), "offices":
[{"title", "of", "from", "to"}]}.  The offices become the entry's ``note``.  An alias is dropped
when it could name something else in news text:

- a one-word alias that is an English word (the GCIDE word list of ``english-words``: "May",
  "Rice", "Brown"), shorter than four letters, or a month or weekday;
- an alias (or name) that another person of the list also uses: both lose it;
- a surface the packaged gazetteer already gives a country, organisation, place or weapon.

Run it whenever the source changes; the result is deterministic (sorted by id).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from graphbuild.extract.gazetteer import fold  # noqa: E402

OUT = REPO / "graphbuild" / "data" / "gazetteer" / "persons.jsonl"
_OTHER_FILES = ("countries.jsonl", "organizations.jsonl", "locations.jsonl", "weapons.jsonl")


def _other_surfaces() -> set[str]:
    out: set[str] = set()
    for name in _OTHER_FILES:
        for line in (OUT.parent / name).read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            for key in ("name", "aliases", "demonyms", "capitals", "seats"):
                vals = rec.get(key) or []
                for v in [vals] if isinstance(vals, str) else vals:
                    for s in v if isinstance(v, list) else [v]:
                        out.add(fold(s))
    return out


def _note(offices: list[dict]) -> str:
    parts = []
    for o in offices:
        span = f"{o.get('from') or '?'}-{o.get('to') or ''}"
        parts.append(f"{o['title']} of {str(o['of']).removeprefix('country:')} {span}")
    return "; ".join(parts)


def clean(records: list[dict]) -> tuple[list[dict], Counter]:
    from english_words import get_english_words_set

    words = get_english_words_set(["gcide"], lower=True, alpha=True)
    words |= {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
              "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
    others = _other_surfaces()
    uses = Counter(fold(s) for r in records for s in {r["name"], *r.get("aliases", [])})
    dropped: Counter = Counter()
    out = []
    for rec in sorted(records, key=lambda r: r["id"]):
        keep = []
        for alias in dict.fromkeys(rec.get("aliases", [])):
            key = fold(alias)
            one_word = " " not in alias.strip()
            if alias == rec["name"] or key == fold(rec["name"]):
                continue
            if one_word and (alias.lower() in words or len(alias) < 4):
                dropped["english word or short"] += 1
            elif uses[key] > 1:
                dropped["shared with another person"] += 1
            elif key in others:
                dropped["names a country, organisation, place or weapon"] += 1
            else:
                keep.append(alias)
        entry = {"id": rec["id"], "type": "Person", "name": rec["name"], "aliases": keep}
        if rec.get("country"):
            entry["country"] = rec["country"]
        if rec.get("offices"):
            entry["note"] = _note(rec["offices"])
        if fold(rec["name"]) in others:
            dropped["person name is another entry's surface"] += 1
            continue
        out.append(entry)
    return out, dropped


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("source", type=Path)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    records = [json.loads(line) for line in args.source.read_text(encoding="utf-8").splitlines() if line.strip()]
    out, dropped = clean(records)
    args.out.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in out), encoding="utf-8")
    print(f"wrote {args.out}: {len(out)} persons; aliases dropped: {dict(dropped)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
