"""The rows one article's extraction gives, shared by the store and the lake (:mod:`graphbuild.lake`).

Both write the same values, so a lake imported into a store equals a direct ingest.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..models import Entity, Relation
from ..ontology import RELATIONS, canonical_pair

__all__ = ["alias_rows", "claim_fields", "relation_fields"]


def alias_rows(entities: Iterable[Entity]) -> list[tuple[str, str]]:
    """(entity id, alias) for every name an article gives each entity, its own name included, sorted per entity.

    >>> alias_rows([Entity("person:a-b", "Person", "A B", ("B", "A B"))])
    [('person:a-b', 'A B'), ('person:a-b', 'B')]
    """
    return [(ent.id, alias) for ent in entities for alias in sorted({ent.name, *ent.aliases})]


def claim_fields(rel: Relation) -> tuple[str, str, str]:
    """Who claims a piece of evidence and when its event happened: claimed_by, event_date, date_precision.

    >>> from graphbuild.models import Evidence
    >>> ev = Evidence("a1", "On Tuesday B met A.", 0, 19, "meet", 0.9, "country:C", "2024-05-07", "day")
    >>> claim_fields(Relation("country:B", "MEETS", "country:A", "asserted", ev))
    ('country:C', '2024-05-07', 'day')
    """
    ev = rel.evidence
    return ev.claimed_by or "", ev.event_date or "", ev.date_precision or ""


def relation_fields(rel: Relation) -> tuple:
    """One piece of evidence as stored: subject and object in the store's order (symmetric types sorted),
    predicate, modality, sentence, start, end, rule, confidence, items, inferred, CAMEO code, weight.

    >>> from graphbuild.models import Evidence
    >>> ev = Evidence("a1", "B met A.", 0, 8, "meet", 0.9)
    >>> relation_fields(Relation("country:B", "MEETS", "country:A", "asserted", ev))[:4]
    ('country:A', 'MEETS', 'country:B', 'asserted')
    """
    if rel.predicate not in RELATIONS:
        raise ValueError(f"unknown relation type {rel.predicate!r}")
    subj, obj = canonical_pair(rel.predicate, rel.subject, rel.object)
    ev = rel.evidence
    return (subj, rel.predicate, obj, rel.modality, ev.sentence, ev.start, ev.end, ev.rule, ev.confidence,
            rel.items, bool(rel.inferred), rel.cameo, rel.weight)
