"""Invented articles for the identity tests: extractions built by hand (no model), one helper."""

from __future__ import annotations

import sqlite3

from graphbuild.models import Article, Entity, Evidence, Extraction, Mention, Relation
from graphbuild.ontology import canonical_id

COUNTRIES = {"Arnor": "ARN", "Gondor": "GON", "Rohan": "ROH", "Harad": "HAR"}


def ent(kind: str, name: str, *aliases: str) -> Entity:
    iso = COUNTRIES.get(name) if kind == "Country" else None
    return Entity(canonical_id(kind, name, iso), kind, name, aliases, iso)


def article(aid: str, entities: list[Entity], relations: list[tuple[str, str, str]]) -> Extraction:
    """An article naming ``entities`` once each and stating ``relations`` as (subject name, predicate, object name)."""
    text = " ".join(f"{e.name} spoke." for e in entities)
    by_name = {e.name: e for e in entities}
    mentions, pos = [], 0
    for e in entities:
        mentions.append(Mention(e.id, e.name, pos, pos + len(e.name)))
        pos += len(e.name) + len(" spoke. ")
    rels = tuple(Relation(by_name[s].id, p, by_name[o].id, "asserted",
                          Evidence(aid, text, 0, len(text), "test", 0.9)) for s, p, o in relations)
    return Extraction(Article(aid, text, f"title {aid}", "2024-01-01"), tuple(entities), tuple(mentions), rels)


def snapshot(db_path) -> dict[str, list[tuple]]:
    """What readers see, without the extracted ids (those record history, not the graph)."""
    con = sqlite3.connect(db_path)
    try:
        return {
            "entities": con.execute("SELECT id, type, name, iso3, ambiguous FROM entities ORDER BY id").fetchall(),
            "aliases": con.execute("SELECT DISTINCT entity_id, alias FROM aliases ORDER BY 1, 2").fetchall(),
            "mentions": con.execute("SELECT article_id, entity_id, surface, start FROM mentions ORDER BY 1, 4").fetchall(),
            "relations": con.execute("SELECT article_id, subject, predicate, object FROM relations"
                                     " ORDER BY 1, 2, 3, 4").fetchall(),
        }
    finally:
        con.close()
