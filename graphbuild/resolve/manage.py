"""Users in control of identities: list, search, merge, split, rename and alias entities of a store.

Every decision is written to the store's identity file (:mod:`.rules`) and applied at once;
the file re-applies on every later ingest, so a decision survives re-ingesting the articles.
The CLI (``graphbuild entities ...``) is a thin layer over these functions.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from rapidfuzz import fuzz, process

from ..errors import InputError
from ..ontology import ENTITY_TYPES, type_of_id
from .rules import write_rules

if TYPE_CHECKING:
    from ..store import Store

__all__ = ["add_alias", "list_entities", "merge_entities", "rename_entity", "search_entities", "split_entity"]


def list_entities(store: Store, *, entity_type: str | None = None, ambiguous: bool = False,
                  limit: int | None = None) -> list[dict[str, Any]]:
    """Entities with counts, most articles first (then by id); only ``entity_type`` / flagged ones when asked."""
    if entity_type is not None and entity_type not in ENTITY_TYPES:
        raise InputError(f"unknown entity type {entity_type!r}; choose from {', '.join(ENTITY_TYPES)}")
    rows = [r for r in store.entity_rows()
            if (entity_type is None or r["type"] == entity_type) and (not ambiguous or r["ambiguous"])]
    rows.sort(key=lambda r: (-r["articles"], r["id"]))
    return rows[:limit] if limit else rows


def search_entities(store: Store, query: str, *, limit: int = 10, min_score: float = 75.0) -> list[dict[str, Any]]:
    """Entities whose name or an alias is like ``query`` (fuzzy), best first, with the articles that name them."""
    if not query.strip():
        raise InputError("give a name to search for")
    rows = list(store.entity_rows())
    choices: list[str] = []
    owner: list[int] = []
    for i, row in enumerate(rows):
        for form in {row["name"], *row["aliases"], row["id"]}:
            choices.append(form)
            owner.append(i)
    best: dict[int, float] = {}
    for _form, score, j in process.extract(query, choices, scorer=fuzz.WRatio, processor=str.casefold,
                                           limit=None, score_cutoff=min_score):
        i = owner[j]
        best[i] = max(best.get(i, 0.0), score)
    ranked = sorted(best, key=lambda i: (-best[i], -rows[i]["articles"], rows[i]["id"]))[:limit]
    return [rows[i] | {"score": round(best[i], 1), "article_ids": store.entity_articles(rows[i]["id"])}
            for i in ranked]


def _known(store: Store, entity_id: str) -> str:
    """``entity_id`` if the store has it as an entity or an extracted id, else one clear error."""
    try:
        type_of_id(entity_id)
    except ValueError:
        raise InputError(f"{entity_id!r} is not an entity id (like person:vladimir-putin)") from None
    if store.entity_row(entity_id) is None and not store.is_extracted_id(entity_id):
        hint = search_entities(store, entity_id.split(":", 1)[1].replace("-", " "), limit=3) if ":" in entity_id else []
        near = f"; did you mean {', '.join(r['id'] for r in hint)}?" if hint else ""
        raise InputError(f"{entity_id}: no such entity in {store.path}{near}")
    return entity_id


def _save(store: Store, rules) -> dict[str, Any]:
    write_rules(store.identity_file, rules)
    revised = store.set_rules(rules)
    return {"identity_file": str(store.identity_file), "articles_revised": len(revised)}


def merge_entities(store: Store, target: str, sources: list[str]) -> dict[str, Any]:
    """Make every id of ``sources`` the entity ``target`` (recorded as ``merge`` in the identity file)."""
    _known(store, target)
    if not sources:
        raise InputError("give the ids to merge into " + target)
    merges = dict(store.rules.merges)
    distinct = set(store.rules.distinct)
    for src in sources:
        _known(store, src)
        if src == target:
            raise InputError(f"{src}: cannot merge an entity into itself")
        if type_of_id(src) != type_of_id(target):
            raise InputError(f"{src} is a {type_of_id(src)} and {target} a {type_of_id(target)}: only entities of "
                             "one type merge")
        merges[src] = target
        distinct.discard(src)
        for raw in store.extracted_ids(src):  # what the merged entity was made of goes too
            if raw != target:
                merges[raw] = target
    merges.pop(target, None)
    return _save(store, replace(store.rules, merges=merges, distinct=frozenset(distinct))) | {
        "merged": sorted(sources), "into": target}


def split_entity(store: Store, entity_id: str) -> dict[str, Any]:
    """Give every extracted name resolved to ``entity_id`` its own node again, for good (``distinct``)."""
    _known(store, entity_id)
    parts = [raw for raw in store.extracted_ids(entity_id) if raw != entity_id]
    if not parts:
        raise InputError(f"{entity_id}: one extracted name only, nothing to split")
    merges = {k: v for k, v in store.rules.merges.items() if not (k in parts and v == entity_id)}
    rules = replace(store.rules, merges=merges, distinct=frozenset(store.rules.distinct | set(parts)))
    return _save(store, rules) | {"split": entity_id, "into": sorted(parts)}


def rename_entity(store: Store, entity_id: str, name: str) -> dict[str, Any]:
    """Show ``entity_id`` as ``name`` everywhere (``names`` in the identity file)."""
    _known(store, entity_id)
    if not name.strip():
        raise InputError("the new name is empty")
    rules = replace(store.rules, names={**store.rules.names, entity_id: name.strip()})
    return _save(store, rules) | {"id": entity_id, "name": name.strip()}


def add_alias(store: Store, entity_id: str, alias: str) -> dict[str, Any]:
    """Make ``alias`` a name of ``entity_id``: mentions by that name resolve to it (``aliases`` in the file)."""
    _known(store, entity_id)
    if not alias.strip():
        raise InputError("the alias is empty")
    have = store.rules.aliases.get(entity_id, ())
    new = tuple(dict.fromkeys([*have, alias.strip()]))
    rules = replace(store.rules, aliases={**store.rules.aliases, entity_id: new})
    return _save(store, rules) | {"id": entity_id, "aliases": list(new)}
