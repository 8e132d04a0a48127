#!/usr/bin/env python3
"""Check gold JSONL files against the format and conventions of ONTOLOGY.md.

usage: python scripts/check_gold.py FILE.jsonl...

One line per problem (file:line id: reason); exit 1 when any is found.
Standard library only, so annotators can run it without installing graphbuild.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

TYPES = {"Person", "Country", "Organization", "Location", "Weapon"}
PREDICATES = {"MEETS", "VISITS", "COOPERATES_WITH", "SUPPORTS", "SUPPLIES_ARMS_TO",
              "SIGNS_AGREEMENT_WITH", "SANCTIONS", "THREATENS", "CRITICIZES", "ATTACKS",
              "LEADER_OF", "REPRESENTS", "MEMBER_OF", "LOCATED_IN"}
SYMMETRIC = {"MEETS", "COOPERATES_WITH", "SIGNS_AGREEMENT_WITH"}
MODALITIES = {"asserted", "promised", "possible", "denied"}


def fold(s: str) -> str:
    return " ".join(s.split()).casefold()


def check_record(rec: dict, where: str, seen_ids: set[str]) -> list[str]:
    problems: list[str] = []
    say = problems.append
    for key in ("id", "title", "date", "source", "text", "entities", "relations"):
        if key not in rec:
            say(f"{where}: missing field {key!r}")
    if problems:
        return problems
    if rec["id"] in seen_ids:
        say(f"{where}: duplicate id {rec['id']!r}")
    seen_ids.add(rec["id"])
    text = rec["text"]
    words = len(text.split())
    if not 100 <= words <= 500:
        say(f"{where}: text has {words} words (openings of 150-400 words expected)")
    names: dict[str, str] = {}
    types: dict[str, str] = {}
    for e in rec["entities"]:
        types[e.get("name", "")] = e.get("type", "")
        if e.get("type") not in TYPES:
            say(f"{where}: entity {e.get('name')!r} has type {e.get('type')!r}")
        if e.get("type") == "Country" and not e.get("iso3"):
            say(f"{where}: country {e.get('name')!r} has no iso3")
        for n in [e.get("name", "")] + list(e.get("aliases", [])):
            k = fold(n)
            # a capital may be both a country alias (as actor) and a Location (as place)
            pair = {types.get(names.get(k, ""), ""), e.get("type")}
            if k in names and names[k] != e.get("name") and pair != {"Country", "Location"}:
                say(f"{where}: name/alias {n!r} given to both {names[k]!r} and {e.get('name')!r}")
            names[k] = e.get("name")
        mentioned = [n for n in [e.get("name", "")] + list(e.get("aliases", [])) if fold(n) in fold(text)]
        if not mentioned:
            say(f"{where}: entity {e.get('name')!r}: neither its name nor an alias occurs in the text")
    keys = set()
    for r in rec["relations"]:
        s, p, o = r.get("subject"), r.get("predicate"), r.get("object")
        if p not in PREDICATES:
            say(f"{where}: relation predicate {p!r} is not in the ontology")
        if r.get("modality") not in MODALITIES:
            say(f"{where}: relation {s} {p} {o} has modality {r.get('modality')!r}")
        for end in (s, o):
            if fold(end or "") not in names:
                say(f"{where}: relation end {end!r} is not an entity name or alias")
        if s is not None and o is not None and fold(s) in names and fold(o) in names:
            a, b = names[fold(s)], names[fold(o)]
            if a == b:
                say(f"{where}: relation {s} {p} {o} links an entity to itself")
            key = (min(a, b), p, max(a, b)) if p in SYMMETRIC else (a, p, b)
            if key in keys:
                say(f"{where}: relation {s} {p} {o} given twice (one per triple; symmetric types once)")
            keys.add(key)
        ev = r.get("evidence", "")
        if not ev or ev not in text:
            say(f"{where}: evidence of {s} {p} {o} is not a verbatim part of the text: {ev[:60]!r}")
    return problems


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    problems: list[str] = []
    count = 0
    for arg in argv:
        seen: set[str] = set()
        for n, line in enumerate(Path(arg).read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                problems.append(f"{arg}:{n}: invalid JSON ({exc.msg})")
                continue
            count += 1
            problems += check_record(rec, f"{arg}:{n} {rec.get('id', '?')}", seen)
    for p in problems:
        print(p)
    print(f"{count} articles, {len(problems)} problems", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
