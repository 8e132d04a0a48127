"""Long articles in parts: cut at paragraph or sentence boundaries, extracted part by part, merged back.

spaCy's memory and time grow with the length of one document (a 1M-character text
took 3 GB), while news articles are a few thousand characters.  An article longer
than :data:`PART_CHARS` is cut into parts of at most that many characters, at the
last blank line before the limit, else the last line break, else the last sentence
end (". ", "? ", "! "), else the last space; each part is parsed and extracted like
an article of its own, and the parts' extractions are merged into the article's
one, every offset moved back into the whole text.  What is lost at a cut: names
resolved across it (a surname in part 2 whose full name is only in part 1 stays a
surname) and sentences that would span it (none, when the cut is at a paragraph).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from ..defaults import PART_CHARS
from ..models import Article, Entity, Evidence, Extraction, Mention, Relation

__all__ = ["PART_CHARS", "merge_parts", "split_article", "split_text"]

_CUTS = (re.compile(r"\n[ \t]*\n\s*"), re.compile(r"\n\s*"), re.compile(r"[.!?][\"')\]]*\s+"), re.compile(r"\s+"))


def split_text(text: str, limit: int = PART_CHARS) -> list[tuple[int, int]]:
    """``(start, end)`` of parts of at most ``limit`` characters that cover ``text``, cut at the best boundary.

    >>> split_text("one two. three four.\\n\\nfive six.", 13)
    [(0, 9), (9, 22), (22, 31)]
    >>> split_text("short", 13)
    [(0, 5)]
    """
    if limit < 1:
        raise ValueError("limit must be at least 1")
    parts: list[tuple[int, int]] = []
    start, n = 0, len(text)
    while n - start > limit:
        window = text[start:start + limit]
        end = start + limit  # no boundary at all: a hard cut
        for cut in _CUTS:
            last = None
            for last in cut.finditer(window):
                pass
            if last is not None and last.end() > 0 and last.start() > 0:
                end = start + last.end()
                break
        parts.append((start, end))
        start = end
    if start < n or not parts:
        parts.append((start, n))
    return parts


def split_article(article: Article, limit: int = PART_CHARS) -> list[tuple[int, Article]]:
    """The article itself when it is short enough, else its parts (same id, title and date), with their offsets.

    >>> [(o, a.text) for o, a in split_article(Article("a", "Aa bb.\\n\\nCc dd."), 8)]
    [(0, 'Aa bb.\\n\\n'), (8, 'Cc dd.')]
    """
    if len(article.text) <= limit:
        return [(0, article)]
    return [(s, replace(article, text=article.text[s:e])) for s, e in split_text(article.text, limit)]


def _moved(rel: Relation, offset: int) -> Relation:
    ev = rel.evidence
    return replace(rel, evidence=ev._replace(start=ev.start + offset, end=ev.end + offset))


def merge_parts(article: Article, parts: Sequence[tuple[int, Extraction]]) -> Extraction:
    """One extraction of ``article`` from its parts' extractions (``(offset, extraction)`` in text order).

    Entities are merged by id (the first part's name, or a person's longest; every other name an alias),
    mentions and evidence moved by their part's offset.
    """
    if len(parts) == 1 and parts[0][0] == 0:
        return replace(parts[0][1], article=article)
    names: dict[str, Entity] = {}
    aliases: dict[str, list[str]] = {}
    mentions: list[Mention] = []
    relations: list[Relation] = []
    notes = []
    for offset, ex in parts:
        for ent in ex.entities:
            seen = names.get(ent.id)
            forms = aliases.setdefault(ent.id, [])
            if seen is None:
                names[ent.id] = ent
            elif ent.type == "Person" and len(ent.name) > len(seen.name):
                forms.append(seen.name)
                names[ent.id] = replace(seen, name=ent.name)
            else:
                forms.append(ent.name)
            forms.extend(ent.aliases)
        mentions += [Mention(m.entity_id, m.text, m.start + offset, m.end + offset) for m in ex.mentions]
        relations += [_moved(r, offset) for r in ex.relations]
        notes += ex.notes
    entities = []
    for eid, ent in sorted(names.items()):
        unique = tuple(dict.fromkeys(a for a in aliases[eid] if a != ent.name))
        entities.append(replace(ent, aliases=unique))
    return Extraction(article, tuple(entities), tuple(mentions), tuple(relations), tuple(notes))
