"""Find actors the way the saved Cypher queries do: exact keys first, then the words of a name.

Every entity carries lookup ``keys`` (:func:`lookup_keys`): its id, name, aliases and ISO3
code, lower-cased, each also with its diacritics folded ("Erdoğan" gives ``erdoğan`` and
``erdogan``).  The Neo4j loader writes them as the ``keys`` property, indexed by the
full-text index ``entity_lookup``.  A text names an actor when, trimmed and lower-cased, it
is one of its keys; when no actor matches exactly, the actors whose name or alias contains
every word of the text (folded) match instead, so a surname finds the person.  In Neo4j the
full-text index also forgives a misspelling ("zelenskiy"); the offline backend does not.

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("country:RUS", type="Country", name="Russia", aliases=["Moscow"], iso3="RUS")
>>> g.add_node("person:recep-tayyip-erdogan", type="Person", name="Recep Tayyip Erdoğan", aliases=[], iso3=None)
>>> match_actors(g, " moscow "), match_actors(g, "rus"), match_actors(g, "COUNTRY:rus")
(['country:RUS'], ['country:RUS'], ['country:RUS'])
>>> match_actors(g, "erdogan"), match_actors(g, "Erdoğan")
(['person:recep-tayyip-erdogan'], ['person:recep-tayyip-erdogan'])
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import networkx as nx

__all__ = ["fold", "lookup_keys", "match_actors"]

_WORD = re.compile(r"\w+")


def fold(text: str) -> str:
    """``text`` trimmed, lower-cased and without diacritics (NFKD, combining marks dropped).

    >>> fold("  Élysée Palace "), fold("Zelenskyy")
    ('elysee palace', 'zelenskyy')
    """
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))


def lookup_keys(entity_id: str, name: str, aliases: Iterable[str], iso3: str | None) -> list[str]:
    """The lookup keys of an entity, in order: id, name, aliases and ISO3, lower-cased, raw and folded.

    >>> lookup_keys("country:RUS", "Russia", ["the Kremlin"], "RUS")
    ['country:rus', 'russia', 'the kremlin', 'rus']
    """
    keys: dict[str, None] = {}
    for text in (entity_id, name, *aliases, *([iso3] if iso3 else [])):
        raw = text.strip().lower()
        if raw:
            keys[raw] = None
            keys[fold(text)] = None
    return list(keys)


def _words(text: str) -> set[str]:
    return set(_WORD.findall(fold(text)))


def match_actors(graph: nx.MultiDiGraph, text: str) -> list[str]:
    """Ids of the nodes ``text`` names (a lookup key), else of those whose name or an alias has all its words."""
    wanted = text.strip().lower()
    found = [node for node, attrs in graph.nodes(data=True)
             if wanted in lookup_keys(node, attrs.get("name") or "", attrs.get("aliases") or (), attrs.get("iso3"))]
    if found or not wanted:
        return sorted(found)
    words = _words(text)
    if not words:
        return []
    return sorted(node for node, attrs in graph.nodes(data=True)
                  if any(words <= _words(n) for n in (attrs.get("name") or "", *(attrs.get("aliases") or ()))))
