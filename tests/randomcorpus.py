"""A larger, seeded random corpus of Extraction objects (no NLP) for backend-equivalence tests.

    from randomcorpus import random_extractions, build_random_store, ACTORS
    store = build_random_store(tmp_path / "r.db")          # 200 articles, seed 5

Invented actors (Arnor, Gondor, ...) of every entity type, two organizations
sharing the alias "the Council" (one name, several matches), aliases that vary
from article to article, relations of every type and modality between a "hot"
core of actors (so relations gather evidence from several articles), weapons
as items (one of them not an entity), inferred relations and a few undated
articles.  Every relation has its own sentence, so an article's evidence is
totally ordered by offset.  Places form a chain off the rest (long paths).
"""

from __future__ import annotations

import random
from pathlib import Path

from graphbuild.models import Article, Entity, Evidence, Extraction, Mention, Relation
from graphbuild.ontology import MODALITIES, RELATION_TYPES
from graphbuild.store import Store

__all__ = ["ACTORS", "UNKNOWN_WEAPON", "build_random_store", "random_extractions"]

_COUNTRIES = [("Arnor", "ARN"), ("Gondor", "GON"), ("Rohan", "ROH"), ("Mordor", "MOR"), ("Harad", "HAR"),
              ("Rhun", "RHU"), ("Eriador", "ERI"), ("Lindon", "LIN"), ("Dale", "DAL"), ("Umbar", "UMB"),
              ("Khand", "KHA"), ("Dorwinion", "DOR")]
_PERSONS = ["Aragorn Elessar", "Denethor Second", "Theoden King", "Sauron Gorthaur", "Saruman White",
            "Gandalf Grey", "Elrond Half-elven", "Galadriel Lady", "Brand Dale", "Dain Ironfoot"]
_ORGS = [("White Council", ("the Council", "Council of the Wise")), ("Council of Elrond", ("the Council",)),
         ("Grey Company", ("Rangers",)), ("Easterling Horde", ()), ("Corsairs of Umbar", ("Corsairs",)),
         ("Fellowship", ("the Nine Walkers",))]
_LOCATIONS = ["Minas Tirith", "Helm's Deep", "Osgiliath", "Barad-dur", "Isengard"]
_WEAPONS = ["siege towers", "longbows", "war oliphaunts", "grappling hooks", "catapult stones"]
UNKNOWN_WEAPON = "weapon:black-arrows"


def _slug(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def _actors() -> dict[str, Entity]:
    out = [Entity(f"country:{iso}", "Country", name, (name + "ian", name.upper() + " STATE"), iso)
           for name, iso in _COUNTRIES]
    out += [Entity(f"person:{_slug(n)}", "Person", n, (n.split()[0],)) for n in _PERSONS]
    out += [Entity(f"org:{_slug(n)}", "Organization", n, aliases) for n, aliases in _ORGS]
    out += [Entity(f"loc:{_slug(n)}", "Location", n, ()) for n in _LOCATIONS]
    out += [Entity(f"weapon:{_slug(n)}", "Weapon", n, ()) for n in _WEAPONS]
    return {e.id: e for e in out}


ACTORS: dict[str, Entity] = _actors()


_CLAIMANTS = ("", "country:ARN", "Western officials", "country:MOR", "")


def random_extractions(n: int = 200, seed: int = 5) -> list[Extraction]:
    """``n`` articles with 1 to 6 relations each, reproducible from ``seed``, and one chain of places."""
    rng = random.Random(seed)
    actors = [e for e in ACTORS.values() if e.type not in ("Weapon", "Location")]
    hot = [e for e in actors if e.id in {"country:ARN", "country:GON", "country:MOR", "country:ROH",
                                         "person:aragorn-elessar", "person:sauron-gorthaur", "org:white-council",
                                         "org:council-of-elrond", "loc:minas-tirith"}]
    weapons = [e.id for e in ACTORS.values() if e.type == "Weapon"] + [UNKNOWN_WEAPON]
    out = []
    for i in range(n):
        if rng.random() < 0.05:
            date = None
        else:
            date = f"{rng.randint(2022, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        aid = f"art-{i:03d}"
        sentences, rels, ents = [], [], {}
        pos = 0
        for j in range(rng.randint(1, 6)):
            pool = hot if rng.random() < 0.6 else actors
            subj, obj = rng.sample(pool, 2)
            pred = rng.choice(RELATION_TYPES)
            modality = rng.choices(MODALITIES, weights=(6, 2, 2, 1))[0]
            items: tuple[str, ...] = ()
            if pred == "SUPPLIES_ARMS_TO":
                items = tuple(rng.sample(weapons, rng.randint(0, 2)))
            sentence = f"{subj.name} {pred.lower().replace('_', ' ')} {obj.name} (item {j})."
            start = pos + (1 if sentences else 0)
            sentences.append(sentence)
            pos = start + len(sentence)
            # claims and event dates from the positions alone (the random stream stays as it was):
            # claimants that assert and deny the same hot relations (contested ones), and sentences
            # with their own month or year
            claimed_by = _CLAIMANTS[(i + j) % len(_CLAIMANTS)]
            when = (date[:7], "month") if date and (3 * i + j) % 4 == 0 else \
                (date[:4], "year") if date and (3 * i + j) % 4 == 1 else ("", "")
            rels.append(Relation(subj.id, pred, obj.id, modality,
                                 Evidence(aid, sentence, start, pos, f"rule-{pred.lower()}-{j % 3}",
                                          round(rng.uniform(0.3, 1.0), 2), claimed_by, *when),
                                 items, rng.random() < 0.1))
            for e in (subj, obj):
                kept = tuple(a for a in e.aliases if rng.random() < 0.7)
                ents[e.id] = Entity(e.id, e.type, e.name, kept, e.iso3)
            for w in items:
                if w in ACTORS:
                    ents[w] = ACTORS[w]
        text = " ".join(sentences)
        mentions = []
        for e in ents.values():
            at = text.find(e.name)
            if at >= 0:
                mentions.append(Mention(e.id, e.name, at, at + len(e.name)))
        article = Article(aid, text, f"Dispatch {i}: {rels[0].predicate.lower()}", date,
                          f"https://example.org/{aid}" if i % 4 else None, rng.choice(["Palantir", "Red Book", None]),
                          origin=f"randomcorpus#{i}")
        out.append(Extraction(article, tuple(ents.values()), tuple(sorted(mentions, key=lambda m: m.start)),
                              tuple(rels)))
    out.append(_chain())
    return out


def _chain() -> Extraction:
    """Places in a row, hanging off Eriador: paths of up to 7 hops (Cypher stops at 6)."""
    chain = [ACTORS[f"loc:{_slug(n)}"] for n in _LOCATIONS] + [ACTORS["country:ERI"]]
    sentences, rels, pos = [], [], 0
    for j, (a, b) in enumerate(zip(chain, chain[1:])):
        sentence = f"{a.name} lies in {b.name}."
        start = pos + (1 if sentences else 0)
        sentences.append(sentence)
        pos = start + len(sentence)
        rels.append(Relation(a.id, "LOCATED_IN", b.id, "asserted", Evidence("art-chain", sentence, start, pos,
                                                                           "lies-in", 0.9)))
    article = Article("art-chain", " ".join(sentences), "Places of the West", "2023-06-30", None, "Red Book",
                      origin="randomcorpus#chain")
    return Extraction(article, tuple(chain), (), tuple(rels))


def build_random_store(path: str | Path, n: int = 200, seed: int = 5) -> Store:
    """Write :func:`random_extractions` into a new store at ``path`` and return it (open)."""
    store = Store(path)
    store.write_many(random_extractions(n, seed))
    return store
