"""Find actor mentions in a parsed document: gazetteer spans, spaCy NER and facility names.

Produces :class:`Span` records (token offsets, type, kind, canonical id when known)
with overlaps resolved (longest wins; gazetteer before facility rule before NER).
Kinds: ``name`` (a proper name), ``demonym`` ("Russian"), ``capital`` ("Moscow"),
``seat`` ("the Kremlin"), ``role`` (a description resolved to a person later),
``group`` ("the two leaders": several entities).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from ..ontology import canonical_id
from .rules import ActorRules

__all__ = ["GazHit", "Span", "find_spans", "NER_TYPES"]

#: spaCy NER labels kept, and the ontology type they suggest.
NER_TYPES = {"PERSON": "Person", "ORG": "Organization", "GPE": "Location", "LOC": "Location", "FAC": "Location"}
_PRIORITY = {"gazetteer": 0, "facility": 1, "ner": 2}


@dataclass(frozen=True)
class GazHit:
    """A gazetteer match: token span, canonical id, ontology type and kind (name/demonym/capital/seat)."""

    start: int
    end: int
    entity_id: str
    type: str
    kind: str
    country: str | None = None  # for Organization entries bound to a state (iso3)


@dataclass
class Span:
    """A mention candidate in a doc (token offsets, end exclusive)."""

    start: int
    end: int
    type: str
    kind: str
    entity_id: str
    text: str
    source: str
    members: tuple[str, ...] = field(default=())
    home: str | None = None  # the country a place belongs to (a capital used as a place)
    name: str | None = None  # canonical name when it differs from the text ("Syunik" for "Syunik province")

    @property
    def length(self) -> int:
        return self.end - self.start


_TRAILING = frozenset({"and", "or", "on", "of", "in", "at", "the", "to", "for", "by", "with"})


def _strip_det(doc, start: int, end: int) -> tuple[int, int]:
    """Drop leading determiners/possessive markers and trailing 's, punctuation and function words
    ("Sadyr Japarov and", "the Great Hall of the People on") from a span."""
    while start < end and (doc[start].lower_ in ("the", "a", "an") or doc[start].is_punct or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].tag_ == "POS" or doc[end - 1].is_punct or doc[end - 1].lower_ == "'s"
                           or doc[end - 1].is_space or doc[end - 1].lower_ in _TRAILING):
        end -= 1
    return start, end


_PLACE_PREPS = frozenset({"in", "at", "near", "from", "to", "of", "outside", "around", "into"})


def _towns(doc, cands: list[Span], place_country: Callable[[str], str | None]) -> list[Span]:
    """Known towns the model did not mark, right after a place preposition ("talks in Entebbe")."""
    covered = {i for c in cands for i in range(c.start, c.end)}
    out: list[Span] = []
    for i in range(1, len(doc)):
        if doc[i - 1].lower_ not in _PLACE_PREPS or i in covered or not doc[i].is_title or doc[i].pos_ != "PROPN":
            continue
        for n in (3, 2, 1):
            j = i + n
            if j > len(doc) or any(k in covered or not doc[k].is_title for k in range(i, j)):
                continue
            text = doc[i:j].text
            if place_country(text) is not None:
                out.append(Span(i, j, "Location", "name", canonical_id("Location", text), text, "ner"))
                break
    return out


def _coordinated_names(doc, start: int, end: int, role_words: frozenset[str],
                       honorifics: frozenset[str]) -> list[tuple[int, int]]:
    """The two names of a person span the model ran across "and" ("Kiir and Machar"), each stripped of
    a leading title; empty unless both sides read as capitalised names.

    >>> import spacy
    >>> doc = spacy.blank("en")("talks between Kiir and President Machar")
    >>> _coordinated_names(doc, 2, 6, frozenset({"president"}), frozenset())
    [(2, 3), (5, 6)]
    >>> _coordinated_names(doc, 2, 4, frozenset(), frozenset())
    []
    """
    cut = next((i for i in range(start + 1, end - 1) if doc[i].lower_ in ("and", "&")), None)
    if cut is None:
        return []
    parts = []
    for a, b in ((start, cut), (cut + 1, end)):
        while a < b - 1 and (doc[a].lower_ in role_words or doc[a].lower_ in honorifics):
            a += 1
        if not all(t.is_alpha and t.text[:1].isupper() for t in doc[a:b]):
            return []
        parts.append((a, b))
    return parts


def find_spans(doc, hits: list[GazHit], facility_words: frozenset[str], actors: ActorRules,
               role_words: frozenset[str], admin_words: frozenset[str] = frozenset(),
               place_country: Callable[[str], str | None] = lambda _name: None) -> list[Span]:
    """All non-overlapping mention candidates of one doc, in text order; ``place_country`` knows the
    towns the model takes for a body or a person ("Entebbe", "in Mingora")."""
    cands: list[Span] = []
    title_vocab = _title_vocabulary(role_words)
    title_ends = _last_words(role_words)  # the word a title ends on: "advisor", "minister", "defence"
    for h in hits:
        last = doc[h.end - 1]
        if h.type == "Organization" and h.country and last.lower_ in actors.military_heads \
                and last.dep_ in ("compound", "amod") and last.head.i >= h.end:
            # "a Malian army post": the state's place, not the army (as for a demonym, see bodies.py)
            if h.end - 1 > h.start:
                cands.append(Span(h.start, h.end - 1, "Country", "demonym", "country:" + h.country,
                                  doc[h.start:h.end - 1].text, "gazetteer"))
            continue
        cands.append(Span(h.start, h.end, h.type, h.kind, h.entity_id, doc[h.start:h.end].text, "gazetteer"))
    demonyms = frozenset(i for h in hits if h.kind == "demonym" for i in range(h.start, h.end))
    cands.extend(_facilities(doc, facility_words, admin_words, demonyms))
    modifiers = {i for h in hits if h.kind in ("demonym", "capital", "seat") for i in range(h.start, h.end)}
    # a state or body's name opens a person span only as an affiliation before a title
    # ("Kremlin chief Vladimir Putin"), never as a first name ("Israel Katz")
    named = {i: h.end for h in hits if h.kind not in ("demonym", "capital", "seat")
             and h.type in ("Country", "Organization") for i in range(h.start, h.end)}
    name_words = {t.lower_ for e in doc.ents if e.label_ == "PERSON" and len(e) > 1
                  and not any(t.lower_ in ("and", "&") for t in e) for t in e if t.is_title}
    for ent in doc.ents:
        etype = NER_TYPES.get(ent.label_)
        if etype is None:
            continue
        start, end = _strip_det(doc, ent.start, ent.end)
        # a leading title or affiliation belongs to the role, not the name ("Arnorian King Joe Smith")
        while etype == "Person" and start < end - 1 and (
                doc[start].lower_ in role_words or start in modifiers or doc[start].lower_ in actors.honorifics
                or start in named and named[start] < end and (doc[named[start]].lower_ in role_words
                                                               or doc[named[start]].lower_ in title_vocab
                                                               or start > 0 and doc[start - 1].lower_ in ("to", "of"))):
            start += 1
        # a multi-word title the model kept in the name: "Crown Prince Mohammed bin Salman"
        for n in (4, 3, 2):
            if etype == "Person" and start + n < end and \
                    " ".join(t.lower_ for t in doc[start:start + n]) in role_words:
                start += n
                break
        if start >= end:
            continue
        # "between Maputo and Kigali" typed as one body: known actors joined by "and" are each themselves
        inside = [h for h in hits if start <= h.start and h.end <= end and h.kind != "block"]
        if etype != "Person" and len(inside) >= 2 and any(doc[i].lower_ in ("and", "&", ",") for i in range(start, end)) \
                and all(any(h.start <= i < h.end for h in inside) or doc[i].lower_ in ("and", ",", "&")
                        for i in range(start, end)):
            continue
        # a known body the model ran on into a place or purpose ("Rapid Support Forces in Jeddah",
        # "TASS Russia"): the known name alone
        lead = next((h for h in hits if h.start == start and start < h.end < end and h.kind != "block"
                     and h.type in ("Organization", "Country")), None)
        if etype == "Organization" and lead is not None and (
                doc[lead.end].lower_ in ("in", "at", "on", "for", "from", "to", "near")
                or any(h.start == lead.end and h.end == end and h.type in ("Country", "Location") for h in hits)):
            continue
        # "Belarusian Foreign Affairs" + "Minister X": words of a title the model read as a body
        if etype == "Organization" and end < len(doc) and doc[end].lower_ in title_ends \
                and doc[end - 1].lower_ not in actors.org_head_words \
                and not any(h.start <= start and end <= h.end for h in hits if h.type == "Organization"):
            continue
        # "National Security Advisor Jane Roe", "Defence Minister Lloyd Austin" typed as a body: the name after the
        # last title word, when it reads as a person's name
        if etype == "Organization" and end - start >= 3:
            last_title = max((i for i in range(start, end - 1) if doc[i].lower_ in title_ends
                              and doc[i].lower_ not in actors.org_head_words), default=None)
            rest = doc[last_title + 1:end] if last_title is not None else None
            if rest is not None and 2 <= len(rest) <= 4 and all(t.is_title and t.is_alpha for t in rest) \
                    and not any(t.lower_ in actors.org_head_words or t.i in named or t.i in modifiers for t in rest):
                etype, start = "Person", last_title + 1
        # "PM Modi", "Minister of Trade Momirovic" typed as a body or place: a title, then a person's name
        if etype != "Person" and end - start >= 2 and (doc[start].lower_ in role_words
                                                        or doc[start].lower_ in actors.honorifics):
            first = start
            while first < end - 1 and (doc[first].lower_ in title_vocab or doc[first].lower_ in actors.honorifics
                                       or doc[first].lower_ == "of"):
                first += 1
            rest = doc[first:end]
            if all(t.is_title and t.is_alpha for t in rest) and len(rest) <= 4 \
                    and not any(t.lower_ in actors.org_head_words for t in rest):
                etype, start = "Person", first
        # names the model cut at a hyphen: "Yoon Suk" + "-" + "yeol"
        while etype == "Person" and end + 1 < len(doc) and doc[end].text == "-" and not doc[end - 1].whitespace_ \
                and not doc[end].whitespace_ and doc[end + 1].is_alpha:
            end += 2
        # or before their last part: "Yoon Suk" + "Yeol" (a capitalised proper noun no entity claims)
        while etype == "Person" and end < len(doc) and end - start < 5 and _name_part(doc[end], role_words) \
                and doc[end - 1].whitespace_:
            end += 1
        # or at a lower-case particle: "Ursula von" + "der Leyen", "Mohammed bin" + "Salman"
        while etype == "Person" and end < len(doc) and end - start < 6 and doc[end - 1].lower_ in _PARTICLES \
                and doc[end - 1].is_lower and doc[end].is_title and doc[end].is_alpha:
            end += 1
        while etype == "Person" and end + 1 < len(doc) and end - start < 6 and doc[end].lower_ in _PARTICLES \
                and doc[end].is_lower and doc[end + 1].is_title and doc[end + 1].is_alpha:
            end += 2
            while end < len(doc) and end - start < 7 and _name_part(doc[end], role_words):
                end += 1
        # "Kiir and Machar" read as one person (or as a body): each name on its own, for a body only when
        # both are names of persons named in full in the article
        if etype in ("Person", "Organization"):
            parts = _coordinated_names(doc, start, end, role_words, actors.honorifics)
            if etype == "Organization" and not all(doc[b - 1].lower_ in name_words for _a, b in parts):
                parts = []
            if parts:
                cands += [Span(a, b, "Person", "name", canonical_id("Person", doc[a:b].text), doc[a:b].text, "ner")
                          for a, b in parts if doc[a:b].text.lower() not in actors.not_actors]
                continue
        text = doc[start:end].text
        if text.lower() in actors.not_actors or not any(c.isalpha() for c in text):
            continue
        if _only_title_words(text, role_words, actors.honorifics):
            continue  # "Major-General", "Defense" (of "Defense Minister X"), "Majesty": a title, not a name
        if etype == "Organization" and _is_government(doc, start, end, hits, actors):
            continue  # "the Guyanese Government", "Government of Serbia": the state itself (its gazetteer span)
        if doc[start].text in actors.vessel_prefixes or (start > 0 and doc[start - 1].text in actors.vessel_prefixes):
            continue
        if etype == "Person" and (len(text) < 2 or not text[0].isupper()):
            continue
        if etype != "Person" and doc[end - 1].lower_ in actors.not_actor_heads:
            continue  # "Indus Waters Treaty": a document, not an actor
        # "Dasu, Pakistan" read as one place: the place, then its country (the gazetteer's span)
        comma = next((i for i in range(start + 1, end - 1) if doc[i].text == ","), None)
        if etype == "Location" and comma is not None and any(
                h.type == "Country" and h.start == comma + 1 and h.end == end for h in hits):
            end = comma
            text = doc[start:end].text
        if etype in ("Organization", "Person") and place_country(text) is not None \
                and not any(t.lower_ in actors.org_head_words or t.lower_ in actors.state_body_words
                            for t in doc[start:end]) \
                and (etype == "Organization" or start > 0 and doc[start - 1].lower_ in _PLACE_PREPS):
            etype = "Location"  # a known town: "Entebbe" typed as a body, "in Mingora" as a person
        if etype == "Location" and doc[end - 1].lower_ in actors.state_body_words and end - start > 1:
            etype = "Organization"  # "the German Embassy", "the ASEAN Secretariat": a body, not a place
        if etype != "Person" and any(h.type == "Weapon" and h.end == end and h.start > start for h in hits):
            etype = "Weapon"  # "NASAMS air defence systems": a named system of a weapon class
        cands.append(Span(start, end, etype, "name", canonical_id(etype, text), text, "ner"))
    cands += _towns(doc, cands, place_country)
    cands = _merge_adjacent_persons(doc, cands)
    # "southern Lebanon": a direction into a place is that place, not a region of its own
    cands = [c for c in cands if not (c.type == "Location" and c.length > 1 and doc[c.start].is_lower
                                      and doc[c.start].lower_ in actors.directions)]
    cands.sort(key=lambda s: (-s.length, _PRIORITY[s.source], s.start))
    taken = [False] * (len(doc) + 1)
    chosen: list[Span] = []
    for span in cands:
        if any(taken[i] for i in range(span.start, span.end)):
            continue
        for i in range(span.start, span.end):
            taken[i] = True
        chosen.append(span)
    chosen.sort(key=lambda s: s.start)
    return [s for s in chosen if s.kind != "block"]  # blockers only hide wrong shorter matches


_PARTICLES = frozenset({"von", "van", "der", "den", "de", "del", "della", "da", "di", "du", "la", "le", "al", "el",
                        "bin", "ibn", "bint", "ben", "abu", "ould", "ag"})


def _is_government(doc, start: int, end: int, hits: list[GazHit], actors: ActorRules) -> bool:
    """A name made of a state (name or demonym) and state-head words only: "Indian Government"."""
    state = {i for h in hits if h.type == "Country" and start <= h.start and h.end <= end for i in range(h.start, h.end)}
    if not state:
        return False
    rest = [t.lower_ for t in doc[start:end] if t.i not in state and t.lower_ not in ("of", "the", "'s")]
    return bool(rest) and all(w in ("government", "administration", "regime", "authorities", "junta") for w in rest)


@lru_cache(maxsize=8)
def _title_vocabulary(role_words: frozenset[str]) -> frozenset[str]:
    return frozenset(w for phrase in role_words for w in phrase.replace("-", " ").split())


def _only_title_words(text: str, role_words: frozenset[str], honorifics: frozenset[str]) -> bool:
    """True when every word of ``text`` belongs to a title or rank ("Major-General", "Defense").

    >>> _only_title_words("Major-General", frozenset({"major general"}), frozenset())
    True
    >>> _only_title_words("Defense Ministry", frozenset({"defense minister"}), frozenset())
    False
    """
    words = text.lower().replace("-", " ").split()
    vocab = _title_vocabulary(role_words)
    return bool(words) and all(w in vocab or w in honorifics for w in words)


def _name_part(tok, role_words: frozenset[str]) -> bool:
    """A token that can continue a person's name: a capitalised proper noun outside any entity, not a title."""
    return tok.pos_ == "PROPN" and tok.is_title and not tok.ent_type_ and not tok.is_sent_start \
        and tok.lower_ not in role_words and tok.is_alpha


def _merge_adjacent_persons(doc, cands: list[Span]) -> list[Span]:
    """"Hassan Sheikh" + "Mohamud": person names the model split in two, with nothing between them."""
    persons = sorted((c for c in cands if c.source == "ner" and c.type == "Person"), key=lambda c: c.start)
    merged: list[Span] = []
    for c in persons:
        if merged and merged[-1].end == c.start and doc[c.start].text[:1].isupper():
            prev = merged.pop()
            text = doc[prev.start:c.end].text
            merged.append(Span(prev.start, c.end, "Person", "name", canonical_id("Person", text), text, "ner"))
        else:
            merged.append(c)
    return [c for c in cands if not (c.source == "ner" and c.type == "Person")] + merged


@lru_cache(maxsize=8)
def _last_words(words: frozenset[str]) -> frozenset[str]:
    """The last word of each (possibly multi-word) place word: "base" for "air base"."""
    return frozenset(w.rsplit(" ", 1)[-1] for w in words)


def _facilities(doc, facility_words: frozenset[str], admin_words: frozenset[str] = frozenset(),
                demonyms: frozenset[int] = frozenset()) -> list[Span]:
    """Capitalised names followed by a place word: "Vostochny cosmodrome", "Hmeimim air base",
    "Syunik province" (an administrative word is not part of the name: "Syunik")."""
    out: list[Span] = []
    heads = _last_words(facility_words)
    for tok in doc:
        word = tok.lower_
        if word not in heads and word not in admin_words:
            continue  # most tokens: no place word ends here
        two = f"{doc[tok.i - 1].lower_} {word}" if tok.i > 0 else ""
        if word in admin_words and tok.pos_ == "NOUN":
            first = tok.i
            while first > 0 and doc[first - 1].pos_ == "PROPN" and doc[first - 1].text[:1].isupper() \
                    and not doc[first - 1].is_sent_start:
                first -= 1
            if first < tok.i:
                proper = doc[first:tok.i].text
                out.append(Span(first, tok.i + 1, "Location", "name", canonical_id("Location", proper),
                                doc[first:tok.i + 1].text, "facility", name=proper))
            continue
        if word not in facility_words and two not in facility_words:
            continue
        end = tok.i + 1
        start = tok.i - (1 if two in facility_words else 0)
        first = start
        while first > 0 and doc[first - 1].text[:1].isupper() and doc[first - 1].pos_ in ("PROPN", "ADJ", "NOUN") \
                and not doc[first - 1].is_sent_start:
            first -= 1
        if first == start or first in demonyms:
            continue  # "the Dutch Base", "Libyan Port" (a headline's capitals): a state's place, not a name
        text = doc[first:end].text
        name = " ".join(w[:1].upper() + w[1:] for w in text.split())
        out.append(Span(first, end, "Location", "name", canonical_id("Location", name), text, "facility"))
    return out
