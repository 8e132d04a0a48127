"""Measure cross-article identity on a store built from gold-annotated articles: fragmentation and over-merges.

    graphbuild ingest eval/news/*.jsonl --db news.db      # any store built from gold files
    python scripts/identity_check.py news.db eval/news/{train,dev,test}.jsonl [--json] [-v]

A gold actor is a (type, name) of the gold files, names compared as identity compares them
(spelling, case and diacritics aside).  Each store record of an article (an entity as
extraction named it) is matched to the article's gold actor whose name or alias it
equals.  For persons and organisations named in two or more articles it reports, before
identity (the extracted ids) and after (the resolved ids):

* fragmented: gold actors whose records carry more than one id, and the extra nodes;
* over-merged: ids that carry records of more than one gold actor (a wrong merge).
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graphbuild.resolve.names import acronym_like, generic_org_key, org_key, person_tokens  # noqa: E402


def norm(kind: str, name: str) -> str:
    return " ".join(person_tokens(name)) if kind == "Person" else org_key(name)


def gold_actors(files: list[Path]) -> tuple[dict[str, dict[str, tuple[str, str]]], dict[tuple[str, str], set[str]]]:
    """Per article: normalised surface -> gold actor; per gold actor: the articles naming it.

    A gold actor is a set of names one gold entity gives (its name and aliases), joined across
    articles where they share a name: annotators wrote "AFP" in one article and "Agence
    France-Presse" with alias "AFP" in another.
    """
    parent: dict[tuple[str, str], tuple[str, str]] = {}

    def find(x: tuple[str, str]) -> tuple[str, str]:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    raw: list[tuple[str, list[tuple[str, str]]]] = []
    initials: set[tuple[str, str]] = set()  # organisation names written as initials somewhere ("AFP")
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            rec = json.loads(line)
            for e in rec.get("entities", []):
                if e["type"] not in ("Person", "Organization"):
                    continue
                pairs = [(f, (e["type"], norm(e["type"], f))) for f in [e["name"], *e.get("aliases", [])]]
                pairs = [(f, n) for f, n in pairs if n[1]]
                initials.update(n for f, n in pairs if e["type"] == "Organization" and acronym_like(f.replace(".", "")))
                names = [n for _f, n in pairs]
                if e["type"] == "Organization":
                    names = _org_names(rec["id"], pairs)
                raw.append((rec["id"], names))
    # an alias joins names only when one name declares it ("Foreign Ministry" of many ministries joins none);
    # initials join only where no article names something else by them alone ("AFP": a news agency in most
    # articles, the Philippine armed forces in a few)
    owners: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)
    alone: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)  # initials -> the names beside them
    for _aid, names in raw:
        for alias in names[1:]:
            owners[alias].add(names[0])
        if names and names[0] in initials:
            alone[names[0]] |= set(names[1:])
    for _aid, names in raw:
        for alias in names[1:]:
            if _generic(alias) or len(owners[alias] - {alias}) > 1:
                continue
            if alias in initials and alias in alone and names[0] not in alone[alias]:
                continue
            a, b = find(names[0]), find(alias)
            if a != b:
                parent[max(a, b)] = min(a, b)
    forms: dict[str, dict[str, tuple[str, str]]] = defaultdict(dict)
    articles: dict[tuple[str, str], set[str]] = defaultdict(set)
    for aid, names in raw:
        if not names:
            continue
        actor = find(names[0])
        articles[actor].add(aid)
        for n in names:
            forms[aid].setdefault(n[1], actor)
    return forms, articles


def _generic(name: tuple[str, str]) -> bool:
    """A body named only by what it is ("foreign ministry", "supreme court"): a different one in every article."""
    return name[0] == "Organization" and generic_org_key(name[1])


def _org_names(aid: str, pairs: list[tuple[str, tuple[str, str]]]) -> list[tuple[str, str]]:
    """An organisation's gold names (form, key), the one it is known by first: a name that is not generic
    (written out before initials); a body the article names only generically is that article's own actor."""
    if not pairs:
        return []
    names = [n for _f, n in pairs]
    specific = [(f, n) for f, n in pairs if not _generic(n)]
    if not specific:
        return [(names[0][0], f"{names[0][1]} @{aid}"), *names]
    spelled = [n for f, n in specific if not acronym_like(f.replace(".", ""))]
    first = (spelled or [n for _f, n in specific])[0]
    return [first, *(n for n in names if n != first)]


def measure(db: Path, files: list[Path]) -> dict:
    forms, articles = gold_actors(files)
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    ids_before: dict[tuple[str, str], set[str]] = defaultdict(set)
    ids_after: dict[tuple[str, str], set[str]] = defaultdict(set)
    actors_of_raw: dict[str, set] = defaultdict(set)
    actors_of_id: dict[str, set] = defaultdict(set)
    for raw, aid, etype, name, aliases, eid in con.execute(
            "SELECT raw_id, article_id, type, name, aliases, entity_id FROM names WHERE type IN ('Person', 'Organization')"):
        table = forms.get(aid)
        if table is None:
            continue
        actor = next((table[k] for k in [norm(etype, name), *(norm(etype, a) for a in json.loads(aliases))]
                      if k in table and table[k][0] == etype), None)
        if actor is None:
            continue
        ids_before[actor].add(raw)
        ids_after[actor].add(eid)
        actors_of_raw[raw].add(actor)
        actors_of_id[eid].add(actor)
    multi = [a for a in ids_after if len(articles[a]) >= 2]

    def side(ids: dict, owners: dict) -> dict:
        frag = sorted(a for a in multi if len(ids[a]) > 1)
        # a body its gold names only generically ("Ministry of Foreign Affairs" @article) says no country: it
        # cannot be judged merged wrongly with another
        over = sorted(i for i, acts in owners.items() if len([a for a in acts if " @" not in a[1]]) > 1)
        return {"fragmented": len(frag), "extra_nodes": sum(len(ids[a]) - 1 for a in frag),
                "over_merged": len(over), "fragmented_actors": [[*a, sorted(ids[a])] for a in frag],
                "over_merged_ids": {i: sorted(map(list, owners[i])) for i in over}}
    return {"articles": len(forms), "actors_in_2plus_articles": len(multi),
            "before": side(ids_before, actors_of_raw), "after": side(ids_after, actors_of_id)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("db", type=Path)
    ap.add_argument("gold", type=Path, nargs="+")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("-v", "--verbose", action="store_true", help="list the fragmented actors and over-merged ids")
    args = ap.parse_args(argv)
    out = measure(args.db, args.gold)
    if args.json:
        print(json.dumps(out, indent=2, ensure_ascii=False))
        return 0
    print(f"{out['articles']} articles; {out['actors_in_2plus_articles']} persons/organisations matched in "
          "2+ articles (gold)")
    for when in ("before", "after"):
        s = out[when]
        print(f"{when:6}: fragmented {s['fragmented']} (extra nodes {s['extra_nodes']}), over-merged ids "
              f"{s['over_merged']}")
    if args.verbose:
        for when in ("before", "after"):
            print(f"-- {when}: fragmented")
            for t, n, ids in out[when]["fragmented_actors"]:
                print(f"   {t} {n}: {', '.join(ids)}")
            print(f"-- {when}: over-merged")
            for i, acts in out[when]["over_merged_ids"].items():
                print(f"   {i}: {acts}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
