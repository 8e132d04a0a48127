#!/usr/bin/env python3
"""Split the annotated real-news batches of eval/news/raw into train / dev / test, by story and by outlet.

    python scripts/split_news.py            # writes eval/news/{train,dev,test}.jsonl and SOURCES.md

Stories that belong together (eval/news/clusters.tsv: one dispute, one process) and
articles of the same outlet are joined into components; a component goes whole into one
split, so no event and no outlet of ``test`` is ever in ``train``.  Components are dealt
to the splits in a fixed seeded order, region by region, until ``test`` and ``dev`` have
their share.  Batches named ``train-*`` (collected later, away from the held-out outlets and
stories listed in ``raw/HELD_OUT.md``) go to ``train`` whole; the script fails if one of their
outlets or stories is in ``dev`` or ``test``.  Deterministic: the same batches give the same files.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "eval" / "news"
SEED = 13


def outlet_key(outlet: str) -> str:
    """The publishing site of an outlet as annotated ("Daily Sabah (Reuters)" -> "daily sabah").

    >>> outlet_key("A News (Anadolu Agency)"), outlet_key("The National"), outlet_key("Yahoo News Malaysia (AFP)")
    ('a news', 'national', 'yahoo news')
    """
    name = re.split(r"\s*[(/]", outlet)[0].strip().casefold()
    name = re.sub(r"^the\s+", "", name)
    name = re.sub(r"\s+(malaysia|australia|uk|english|english edition|world-japan)$", "", name)
    return {"reuters": "yahoo news"}.get(name, name)


_WIRES = re.compile(r"\s*\((?:via [^)]*|afp|reuters|ap|xinhua|anadolu agency|ians|ani|pti|efe|dpa|aap|bloomberg|cmc|"
                    r"app|apa|jiji press|tass)\)", re.I)


def site_key(outlet: str) -> str:
    """The publishing site with its own qualifiers kept, wire credits dropped (for the held-out check).

    >>> site_key("The Guardian (Nigeria) (AFP)"), site_key("The Guardian (via Yahoo News UK)")
    ('the guardian (nigeria)', 'the guardian')
    """
    return _WIRES.sub("", outlet).strip().casefold()


def read(raw: Path) -> tuple[list[dict], dict[str, dict]]:
    records, sources = [], {}
    for path in sorted(raw.glob("*.jsonl")):
        records += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for path in sorted(raw.glob("*.sources.tsv")):
        with path.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                sources[row["id"]] = row | {"batch": path.name.split(".")[0]}
    return records, sources


def components(records: list[dict], sources: dict[str, dict], clusters: list[tuple[str, str]]) -> list[list[str]]:
    """Article ids joined by shared cluster or shared outlet (union-find)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: str, b: str) -> None:
        parent[find(a)] = find(b)

    for rec in records:
        src = sources[rec["id"]]
        union(rec["id"], "outlet:" + outlet_key(src["outlet"]))
        for needle, cluster in clusters:
            if needle in src["story"]:
                union(rec["id"], "cluster:" + cluster)
    groups: dict[str, list[str]] = defaultdict(list)
    for rec in records:
        groups[find(rec["id"])].append(rec["id"])
    return sorted(groups.values(), key=lambda g: sorted(g))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--test", type=int, default=45, help="articles in test (at least)")
    ap.add_argument("--dev", type=int, default=30, help="articles in dev (at least)")
    args = ap.parse_args()
    everything, sources = read(ROOT / "raw")
    clusters = [tuple(line.split("\t")) for line in (ROOT / "clusters.tsv").read_text().splitlines()
                if line.strip() and not line.startswith("#")]
    records = [r for r in everything if not sources[r["id"]]["batch"].startswith("train-")]
    extra = [r for r in everything if sources[r["id"]]["batch"].startswith("train-")]
    comps = components(records, sources, clusters)
    rng = random.Random(SEED)
    rng.shuffle(comps)
    comps.sort(key=len)  # small components first: test and dev take many outlets, train the big clusters
    split: dict[str, str] = {}
    size = {"test": 0, "dev": 0}
    batch_count: dict[tuple[str, str], int] = defaultdict(int)
    for comp in comps:
        batches = {sources[i]["batch"] for i in comp}
        target = "train"
        for name, want in (("test", args.test), ("dev", args.dev)):
            per_batch = want / 6 + 1
            if size[name] + len(comp) <= want + 2 and all(batch_count[(name, b)] < per_batch for b in batches) \
                    and len(comp) <= 4:
                target = name
                break
        for i in comp:
            split[i] = target
            if target != "train":
                batch_count[(target, sources[i]["batch"])] += 1
        if target != "train":
            size[target] += len(comp)
    held_out = {site_key(sources[i]["outlet"]) for i, s in split.items() if s != "train"}
    held_stories = {sources[i]["story"] for i, s in split.items() if s != "train"}
    for rec in extra:
        src = sources[rec["id"]]
        if site_key(src["outlet"]) in held_out or src["story"] in held_stories:
            raise SystemExit(f"{src['batch']}: {rec['id']} comes from a held-out outlet or story ({src['outlet']})")
        if rec["id"] in split:
            raise SystemExit(f"{src['batch']}: id {rec['id']} is used twice")
        split[rec["id"]] = "train"
    records = everything
    by_id = {r["id"]: r for r in records}
    for name in ("train", "dev", "test"):
        ids = sorted(i for i, s in split.items() if s == name)
        with (ROOT / f"{name}.jsonl").open("w", encoding="utf-8") as fh:
            for i in ids:
                rec = by_id[i]
                fh.write(json.dumps({k: rec[k] for k in ("id", "title", "date", "source", "url", "text", "entities",
                                                         "relations") if k in rec}, ensure_ascii=False) + "\n")
    write_sources(records, sources, split)
    for name in ("train", "dev", "test"):
        ids = [i for i, s in split.items() if s == name]
        outlets = {outlet_key(sources[i]["outlet"]) for i in ids}
        rels = sum(len(by_id[i]["relations"]) for i in ids)
        print(f"{name}: {len(ids)} articles, {len(outlets)} outlets, {rels} relations")
    return 0


def write_sources(records: list[dict], sources: dict[str, dict], split: dict[str, str]) -> None:
    lines = [
        "# Sources of eval/news",
        "",
        "Real English news articles, openings of 150-400 words cut at a paragraph end, copied as published",
        "(captions, bylines, links and ads dropped) from stored copies of public pages found with the",
        "project's search tool, and annotated by hand in the gold format of ONTOLOGY.md. The texts belong",
        "to their publishers; they are kept here for evaluation and training only, and never copied into",
        "code or tests. `raw/` holds the annotated batches as written (one per region or theme, each with",
        "its `.sources.tsv`); `python scripts/split_news.py` makes the splits: by story (related stories",
        "in `clusters.tsv` stay together) and by outlet (no outlet of `test` or `dev` is in `train`).",
        "`overlap-check` passes on every file. `test` is never used to choose rules or features.",
        "",
        "| split | id | outlet | date | date basis | region | URL |",
        "|---|---|---|---|---|---|---|",
    ]
    order = {"test": 0, "dev": 1, "train": 2}
    for rec in sorted(records, key=lambda r: (order[split[r["id"]]], r["id"])):
        s = sources[rec["id"]]
        cells = [split[rec["id"]], rec["id"], s["outlet"], s["date"], s["date_basis"], s["region"], s["url"]]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    (ROOT / "SOURCES.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
