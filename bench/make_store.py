"""Build an embedded store of N realistic articles quickly, running the extractor on only K of them.

    python bench/make_store.py --articles N --out PATH.db [--base K] [--seed S]

The real extractor runs once on a base corpus of K articles from bench/make_corpus.py;
the N stored articles are clones of those extractions with their own ids, urls and
dates (spread over 2015-2025), a varied text, and the made-up persons of
make_corpus renamed through a large pool (so the store holds thousands of persons,
with a few hot ones, like a real corpus). Clones are written through the real write
path (``Store.write_many``, one transaction per batch), streamed, so memory stays
bounded. Deterministic for given arguments (only ``ingested_at`` differs between runs).
"""

from __future__ import annotations

import argparse
import bisect
import random
import re
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_corpus import FIRST, LAST, build  # noqa: E402

BATCH = 500
#: First names and surname syllables of the person pool: 50 x 625 = 31,250 distinct names.
POOL_FIRST = FIRST + ["Anders", "Bianca", "Carlos", "Darya", "Emeka", "Fatima", "Goran", "Hiroshi", "Ines", "Jonas",
                      "Kwame", "Lucia", "Mehmet", "Nadia", "Oskar", "Priya", "Rustam", "Samir", "Tomas", "Ulla",
                      "Vera", "Walid", "Ximena", "Yara", "Zoltan"]
_HEADS = ["Al", "Bar", "Cor", "Dan", "El", "Fer", "Gal", "Har", "Ist", "Jor", "Kal", "Lor", "Mar", "Nor", "Or",
          "Par", "Quen", "Ros", "Sal", "Tor", "Ul", "Val", "Wen", "Yar", "Zel"]
_TAILS = ["ani", "berg", "czak", "dottir", "enko", "field", "gard", "hoff", "ides", "jian", "kov", "lund", "mann",
          "nez", "oglu", "poulos", "quist", "rossi", "son", "tani", "uzzi", "vich", "wala", "yev", "zadeh"]
POOL_LAST = [h + t for h in _HEADS for t in _TAILS]
_MADE_UP_FIRST, _MADE_UP_LAST = frozenset(FIRST), frozenset(LAST)


def pool_name(k: int) -> tuple[str, str]:
    """The ``k``-th (first, last) name of the person pool (distinct for ``k`` < 31,250; surnames spread out)."""
    return POOL_FIRST[k % len(POOL_FIRST)], POOL_LAST[(k // len(POOL_FIRST) * 379) % len(POOL_LAST)]


def base_extractions(k: int, seed: int, batch_size: int = 32) -> list:
    """Run the real extractor on ``k`` articles of make_corpus (deterministic for ``seed``)."""
    from graphbuild.extract.engine import Extractor
    from graphbuild.models import Article
    from graphbuild.sources import read_inputs

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "base.jsonl"
        build(k, corpus, seed)
        articles = [a for a in read_inputs([corpus]) if isinstance(a, Article)]
        return list(Extractor(batch_size=batch_size).extract_many(articles))


class _Rewrite:
    """Token substitutions on one article's text, with the map from old to new character offsets."""

    def __init__(self, subs: dict[str, str]) -> None:
        self.subs = subs
        alts = sorted(subs, key=len, reverse=True)
        self.pattern = re.compile(r"\b(" + "|".join(re.escape(a) for a in alts) + r")\b") if alts else None
        self.ends: list[int] = []
        self.shift: list[int] = []

    def sub(self, s: str) -> str:
        """``s`` with every substitution applied."""
        return self.pattern.sub(lambda m: self.subs[m.group(1)], s) if self.pattern else s

    def text(self, s: str) -> str:
        """Rewrite the article text and remember where its characters moved."""
        if not self.pattern:
            return s
        out, last, total = [], 0, 0
        for m in self.pattern.finditer(s):
            new = self.subs[m.group(1)]
            out += [s[last:m.start()], new]
            last = m.end()
            total += len(new) - (m.end() - m.start())
            self.ends.append(m.end())
            self.shift.append(total)
        out.append(s[last:])
        return "".join(out)

    def pos(self, p: int) -> int:
        """The new offset of old offset ``p`` (token boundaries move with the replacements before them)."""
        i = bisect.bisect_right(self.ends, p)
        return p + (self.shift[i - 1] if i else 0)


def clone(base, i: int, seed: int, rng: random.Random, pool: int):
    """Article ``i`` of the store: ``base`` with a new id, url, date and text, and its made-up persons renamed."""
    from graphbuild.models import Article, Entity, Evidence, Extraction, Mention, Relation
    from graphbuild.ontology import canonical_id

    art = base.article
    aid = f"bench-store-{seed}-{i}"
    date = f"{rng.randint(2015, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    ids: dict[str, str] = {}
    names: dict[str, str] = {}
    subs: dict[str, str] = {}
    taken: set[int] = set()
    for ent in base.entities:
        parts = ent.name.split()
        if ent.type != "Person" or len(parts) != 2 or parts[0] not in _MADE_UP_FIRST or parts[1] not in _MADE_UP_LAST:
            continue
        while True:  # skewed draw: a few persons are in many articles, most in few
            k = int(pool * rng.random() ** 2)
            if k not in taken:
                taken.add(k)
                break
        first, last = pool_name(k)
        names[ent.id] = f"{first} {last}"
        ids[ent.id] = canonical_id("Person", names[ent.id])
        subs[ent.name] = names[ent.id]
        subs.setdefault(parts[0], first)
        subs.setdefault(parts[1], last)
    rw = _Rewrite(subs)
    text = rw.text(art.text) + f"\n\n(Bench dispatch {i}.)"
    article = Article(aid, text, rw.sub(art.title), date, f"https://bench.example.org/{seed}/{i}", art.source,
                      origin=f"make_store#{i}")
    entities = tuple(
        Entity(ids.get(e.id, e.id), e.type, names.get(e.id, e.name),
               tuple(dict.fromkeys(rw.sub(a) for a in e.aliases)) if e.id in ids else e.aliases, e.iso3)
        for e in base.entities)
    mentions = tuple(Mention(ids.get(m.entity_id, m.entity_id), text[rw.pos(m.start):rw.pos(m.end)],
                             rw.pos(m.start), rw.pos(m.end)) for m in base.mentions)
    relations = []
    for r in base.relations:
        ev = r.evidence
        start, end = rw.pos(ev.start), rw.pos(ev.end)
        sentence = text[start:end] if art.text[ev.start:ev.end] == ev.sentence else rw.sub(ev.sentence)
        relations.append(Relation(ids.get(r.subject, r.subject), r.predicate, ids.get(r.object, r.object), r.modality,
                                  Evidence(aid, sentence, start, end, ev.rule, ev.confidence),
                                  tuple(ids.get(x, x) for x in r.items), r.inferred))
    return Extraction(article, entities, mentions, tuple(relations))


def clones(bases: list, n: int, seed: int) -> Iterator:
    """The ``n`` cloned extractions, lazily (base articles taken round-robin, shuffled per round)."""
    rng = random.Random(f"make_store/{seed}")
    pool = min(len(POOL_FIRST) * len(POOL_LAST), max(2000, n // 4))
    order: list[int] = []
    for i in range(n):
        if not order:
            order = list(range(len(bases)))
            rng.shuffle(order)
        yield clone(bases[order.pop()], i, seed, rng, pool)


def counts(db) -> dict[str, int]:
    """Articles, entities, persons, logical relations and evidence rows (plain COUNTs)."""
    one = lambda sql: db.execute(sql).fetchone()[0]  # noqa: E731
    return {
        "articles": one("SELECT COUNT(*) FROM articles"),
        "entities": one("SELECT COUNT(*) FROM entities"),
        "persons": one("SELECT COUNT(*) FROM entities WHERE type = 'Person'"),
        "relations": one("SELECT COUNT(*) FROM (SELECT DISTINCT subject, predicate, object FROM relations)"),
        "evidence": one("SELECT COUNT(*) FROM relations"),
    }


def make_store(n: int, out: Path, base: int = 300, seed: int = 7, batch: int = BATCH) -> dict[str, float]:
    """Build the store at ``out`` (replacing any old file); returns the counts and timings."""
    from graphbuild.store import Store

    for suffix in ("", "-wal", "-shm"):
        Path(str(out) + suffix).unlink(missing_ok=True)
    t0 = time.perf_counter()
    bases = base_extractions(base, seed)
    t_extract = time.perf_counter() - t0
    t0 = time.perf_counter()
    with Store(out) as store:
        it = clones(bases, n, seed)
        while chunk := [ex for _, ex in zip(range(batch), it)]:
            store.write_many(chunk)
        result: dict[str, float] = dict(counts(store._db))
    result.update(extract_s=t_extract, write_s=time.perf_counter() - t0)
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, required=True, help="articles in the store")
    ap.add_argument("--out", type=Path, required=True, help="store file (replaced if it exists)")
    ap.add_argument("--base", type=int, default=300, help="articles run through the extractor (default 300)")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)
    if args.articles < 0 or args.base < 1:
        ap.error("--articles must be >= 0 and --base >= 1")
    r = make_store(args.articles, args.out, args.base, args.seed)
    print(f"extracted {args.base} base articles in {r['extract_s']:.1f} s; "
          f"wrote {args.articles} articles in {r['write_s']:.1f} s to {args.out}")
    print(f"store: {r['articles']} articles, {r['entities']} entities ({r['persons']} persons), "
          f"{r['relations']} relations, {r['evidence']} evidence rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
