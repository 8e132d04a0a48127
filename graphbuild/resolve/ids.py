"""Canonical ids: ``<prefix>:<slug>`` per entity type, ``country:<ISO3>`` for countries."""

from __future__ import annotations

import re
import unicodedata

from ..ontology import ID_PREFIX

__all__ = ["canonical_id", "slugify"]


def slugify(text: str) -> str:
    """Lower-case ASCII slug of a name, words joined by ``-``.

    >>> slugify("Kim Jong-un")
    'kim-jong-un'
    >>> slugify("  Élysée   Palace ")
    'elysee-palace'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug or "x" + unicodedata.normalize("NFC", text).encode("utf-8").hex()[:16]


def canonical_id(entity_type: str, name: str, iso3: str | None = None) -> str:
    """The canonical id of an entity.

    >>> canonical_id("Person", "Vladimir Putin")
    'person:vladimir-putin'
    >>> canonical_id("Country", "Russia", "RUS")
    'country:RUS'
    """
    if entity_type == "Country" and iso3:
        return f"country:{iso3.upper()}"
    return f"{ID_PREFIX[entity_type]}:{slugify(name)}"
