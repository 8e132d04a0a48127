"""The one place where graphbuild spells its ontology (mirrors ../shared/ONTOLOGY.md).

Entity labels, relation types, modalities, CAMEO root codes and the signed
cooperation/conflict weight of each relation type live here; every other
module imports them.  Labels and relationship types that reach Cypher are
taken only from these closed lists.

>>> canonical_pair("MEETS", "person:b", "person:a")
('person:a', 'person:b')
>>> canonical_pair("ATTACKS", "country:b", "country:a")
('country:b', 'country:a')
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from functools import cache
from importlib import resources
from dataclasses import dataclass
from typing import Final

from anyascii import anyascii

__all__ = [
    "ENTITY_TYPES",
    "ID_PREFIX",
    "RELATION_TYPES",
    "RELATIONS",
    "RelationType",
    "MODALITIES",
    "MODALITY_RANK",
    "SYMMETRIC",
    "NARROWER",
    "best_modality",
    "cameo_label",
    "canonical_id",
    "canonical_pair",
    "edge_key",
    "slugify",
    "is_entity_type",
    "is_relation_type",
    "type_of_id",
]

#: Entity node labels (every entity node also carries the label ``Entity``).
ENTITY_TYPES: Final[tuple[str, ...]] = ("Person", "Country", "Organization", "Location", "Weapon")

#: Prefix of the canonical id per entity type (``country:RUS``, ``person:vladimir-putin``).
ID_PREFIX: Final[dict[str, str]] = {
    "Person": "person",
    "Country": "country",
    "Organization": "org",
    "Location": "loc",
    "Weapon": "weapon",
}
_TYPE_BY_PREFIX: Final[dict[str, str]] = {v: k for k, v in ID_PREFIX.items()}


@dataclass(frozen=True)
class RelationType:
    """One edge type of the ontology with its CAMEO root and Goldstein-style weight."""

    name: str
    symmetric: bool
    cameo: str | None
    weight: float
    meaning: str


RELATIONS: Final[dict[str, RelationType]] = {
    r.name: r
    for r in (
        RelationType("MEETS", True, "04", 1.0, "meet, hold talks, summit, receive or host a counterpart"),
        RelationType("VISITS", False, "042", 1.9, "actor travels to a country or place"),
        RelationType("COOPERATES_WITH", True, "05", 3.5, "cooperation, partnership, alliance, joint exercises"),
        RelationType("SUPPORTS", False, "07", 7.0, "provides or offers non-weapon help"),
        RelationType("SUPPLIES_ARMS_TO", False, "072", 8.3, "transfers weapons, ammunition or military equipment"),
        RelationType("SIGNS_AGREEMENT_WITH", True, "057", 8.0, "signs a treaty, deal or agreement"),
        RelationType("SANCTIONS", False, "163", -8.0, "imposes sanctions, embargo, export bans"),
        RelationType("THREATENS", False, "13", -4.4, "threatens force or punishment"),
        RelationType("CRITICIZES", False, "11", -2.0, "condemns, accuses, denounces"),
        RelationType("ATTACKS", False, "19", -10.0, "war, invasion, strikes, shelling, armed attack"),
        RelationType("LEADER_OF", False, None, 0.0, "person heads a country or organization"),
        RelationType("REPRESENTS", False, None, 0.0, "person speaks or acts for a country or organization"),
        RelationType("MEMBER_OF", False, None, 0.0, "person works for an organization; country in an alliance"),
        RelationType("LOCATED_IN", False, None, 0.0, "a location lies in another location or a country"),
    )
}

#: Relationship types, in ontology order.
RELATION_TYPES: Final[tuple[str, ...]] = tuple(RELATIONS)

#: Relation types whose direction carries no meaning.
SYMMETRIC: Final[frozenset[str]] = frozenset(n for n, r in RELATIONS.items() if r.symmetric)

#: Relation types that say more than a broader one between the same ends: an arms transfer is the
#: kind of help ONTOLOGY.md types as SUPPLIES_ARMS_TO, not also SUPPORTS.  A relation a rule states
#: keeps the learned scorer from adding the broader type beside it.
NARROWER: Final[dict[str, frozenset[str]]] = {"SUPPORTS": frozenset({"SUPPLIES_ARMS_TO"})}

#: Modalities, most factual first.
MODALITIES: Final[tuple[str, ...]] = ("asserted", "promised", "possible", "denied")

#: Lower is more factual; the gold convention keeps the most factual modality.
MODALITY_RANK: Final[dict[str, int]] = {"asserted": 0, "promised": 1, "possible": 2, "denied": 2}


def is_entity_type(label: str) -> bool:
    """True if ``label`` is one of the closed list of entity labels."""
    return label in ENTITY_TYPES


def is_relation_type(name: str) -> bool:
    """True if ``name`` is one of the closed list of relation types."""
    return name in RELATIONS


def type_of_id(entity_id: str) -> str:
    """Entity type encoded in a canonical id.

    >>> type_of_id("country:PRK")
    'Country'
    """
    prefix = entity_id.split(":", 1)[0]
    try:
        return _TYPE_BY_PREFIX[prefix]
    except KeyError:
        raise ValueError(f"not a canonical entity id: {entity_id!r}") from None


def canonical_pair(predicate: str, subject: str, obj: str) -> tuple[str, str]:
    """Order the ends of a symmetric relation so (A,B) and (B,A) are one key."""
    if predicate in SYMMETRIC and obj < subject:
        return obj, subject
    return subject, obj


def best_modality(modalities: Iterable[str]) -> str:
    """The most factual modality (asserted > promised > possible > denied).

    >>> best_modality(["possible", "promised"])
    'promised'
    """
    return min(modalities, key=lambda m: (MODALITY_RANK[m], MODALITIES.index(m)))


def edge_key(subject: str, predicate: str, obj: str) -> str:
    """Stable key of a logical relation (the ``key`` of a Neo4j relationship, ``rel_key`` of its evidence).

    >>> edge_key("country:PRK", "SUPPLIES_ARMS_TO", "country:RUS")
    'country:PRK|SUPPLIES_ARMS_TO|country:RUS'
    """
    return f"{subject}|{predicate}|{obj}"


def slugify(text: str) -> str:
    """Lower-case ASCII slug of a name, words joined by ``-``; any script is transliterated (anyascii).

    A name with nothing to transliterate gets ``x`` and a hash of the whole name, so
    distinct names never share a slug.

    >>> slugify("Kim Jong-un"), slugify("  Élysée   Palace ")
    ('kim-jong-un', 'elysee-palace')
    >>> slugify("Владимир Путин"), slugify("习近平"), slugify("محمد بن سلمان")
    ('vladimir-putin', 'xijinping', 'mhmd-bn-slmn')
    >>> slugify("‏‏")
    'x332f02e58dca'
    """
    nfc = unicodedata.normalize("NFC", text)
    slug = re.sub(r"[^a-z0-9]+", "-", anyascii(nfc).lower()).strip("-")
    return slug or "x" + hashlib.sha256(nfc.encode("utf-8", "surrogatepass")).hexdigest()[:12]


def canonical_id(entity_type: str, name: str, iso3: str | None = None) -> str:
    """The canonical id of an entity: ``country:<ISO3>`` for a country with a code, else ``<prefix>:<slug>``.

    The gazetteer and the NER path both call this, so one name gets one id.

    >>> canonical_id("Person", "Vladimir Putin"), canonical_id("Country", "Russia", "RUS")
    ('person:vladimir-putin', 'country:RUS')
    """
    if entity_type == "Country" and iso3:
        return f"country:{iso3.upper()}"
    return f"{ID_PREFIX[entity_type]}:{slugify(name)}"


@cache
def _cameo_labels() -> dict[str, str]:
    text = resources.files("graphbuild.data").joinpath("cameo.tsv").read_text(encoding="utf-8")
    return dict(line.split("\t", 1) for line in text.splitlines() if line and not line.startswith("#"))


def cameo_label(code: str | None) -> str | None:
    """The name of a CAMEO code (``data/cameo.tsv``), or None for no or an unknown code.

    >>> cameo_label("072"), cameo_label(None)
    ('provide military aid', None)
    """
    return _cameo_labels().get(code) if code else None
