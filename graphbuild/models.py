"""Plain frozen dataclasses handed from one step of the flow to the next.

sources -> :class:`Article` (or :class:`InputProblem`)
nlp/extract/resolve -> :class:`Extraction` (entities, mentions, relations with evidence)
graph/sinks read and write these.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from .ontology import RELATIONS

__all__ = [
    "QueryResult",
    "Article",
    "InputProblem",
    "Entity",
    "Mention",
    "Evidence",
    "Relation",
    "Note",
    "Extraction",
    "content_hash",
]


_HASH_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def content_hash(*parts: str | None) -> str:
    """SHA-256 hex digest of the given fields (None and "" differ from each other).

    >>> content_hash("a", None)[:12]
    'aebb0474c576'
    """
    return hashlib.sha256(_HASH_JSON.encode(list(parts)).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Article:
    """One news article as read from a source, before any NLP.

    ``id`` is stable: the article's own id or url, a text file's name, else ``sha256:<16 hex>`` of its text.
    ``origin`` says where it was read (``path``, ``path:line`` or ``path#entry``).
    """

    id: str
    text: str
    title: str = ""
    date: str | None = None
    url: str | None = None
    source: str | None = None
    origin: str = ""

    @property
    def sha256(self) -> str:
        """Content hash: the same content read again hashes the same."""
        return content_hash(self.title, self.text, self.date, self.url, self.source)


@dataclass(frozen=True)
class InputProblem:
    """An input that could not be turned into an article: where, and why (one line)."""

    origin: str
    reason: str

    def __str__(self) -> str:
        return f"{self.origin}: {self.reason}"

    @classmethod
    def of(cls, origin: str, reason: str) -> InputProblem:
        """A problem whose reason is guaranteed to be one line.

        >>> str(InputProblem.of("a.txt", "bad\\n  thing"))
        'a.txt: bad thing'
        """
        return cls(origin, " ".join(reason.split()))


@dataclass(frozen=True)
class Entity:
    """A canonical actor: ``id`` like ``country:RUS``, ``person:vladimir-putin``."""

    id: str
    type: str
    name: str
    aliases: tuple[str, ...] = ()
    iso3: str | None = None


@dataclass(frozen=True)
class Mention:
    """One occurrence of an entity in an article's text (character offsets)."""

    entity_id: str
    text: str
    start: int
    end: int


class Evidence(NamedTuple):
    """Where a relation was read: the sentence, its offsets, the rule and a confidence; who claims it and when.

    ``claimed_by``: the claimant's entity id, the source's words when no actor stands there, or ""
    for the article's own voice.  ``event_date``: the sentence's own date (``YYYY-MM-DD``,
    ``YYYY-MM`` or ``YYYY``) with its ``date_precision`` (day, week, month, year), "" when it has none.
    A named tuple, not a dataclass: a graph with its sentences builds millions of them.
    """

    article_id: str
    sentence: str
    start: int
    end: int
    rule: str
    confidence: float
    claimed_by: str = ""
    event_date: str = ""
    date_precision: str = ""


@dataclass(frozen=True)
class Relation:
    """A typed relation between two entity ids, with modality and its evidence.

    ``items`` holds Weapon entity ids riding on a SUPPLIES_ARMS_TO relation.
    ``inferred`` relations were derived, not read (e.g. lifted from persons to countries).
    """

    subject: str
    predicate: str
    object: str
    modality: str
    evidence: Evidence
    items: tuple[str, ...] = ()
    inferred: bool = False

    @property
    def cameo(self) -> str | None:
        """CAMEO root code of the relation type."""
        return RELATIONS[self.predicate].cameo

    @property
    def weight(self) -> float:
        """Signed cooperation (+) / conflict (-) weight of the relation type."""
        return RELATIONS[self.predicate].weight


@dataclass(frozen=True)
class Note:
    """A trace line for ``--explain``: a candidate seen, a rule fired or a drop and its reason."""

    sentence: int
    kind: str  # "candidate" | "fired" | "dropped"
    rule: str
    detail: str


@dataclass(frozen=True)
class Extraction:
    """Everything extracted from one article."""

    article: Article
    entities: tuple[Entity, ...] = ()
    mentions: tuple[Mention, ...] = ()
    relations: tuple[Relation, ...] = ()
    notes: tuple[Note, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class QueryResult:
    """Columns and rows (plain Python values) of one query, from Neo4j or the offline backend."""

    columns: list[str]
    rows: list[list[Any]]
