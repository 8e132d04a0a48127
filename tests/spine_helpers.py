"""A deterministic stand-in extractor for spine tests (store, pipeline, CLI) that need no model."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from graphbuild.models import Article, Entity, Evidence, Extraction, Mention, Relation
from graphbuild.ontology import canonical_id

_NAME = re.compile(r"\b(Ardor|Belmark|Corvania|Dunmere)\b")


class FakeExtractor:
    """Countries are the four invented names; "X meets Y." gives X MEETS Y.  ``boom`` in a text raises."""

    def __init__(self, fail_on: str = "boom") -> None:
        self.fail_on = fail_on
        self.calls = 0

    def extract_many(self, articles: Iterable[Article]) -> Iterator[Extraction]:
        for art in articles:
            self.calls += 1
            if self.fail_on in art.text:
                raise RuntimeError(f"cannot extract {art.id}")
            mentions = [Mention(canonical_id("Country", m.group(1), m.group(1)[:3].upper()), m.group(1),
                                m.start(), m.end()) for m in _NAME.finditer(art.text)]
            ents = {m.entity_id: Entity(m.entity_id, "Country", m.text, (), m.entity_id[-3:]) for m in mentions}
            rels = []
            for m in re.finditer(r"(\w+) meets (\w+)\.", art.text):
                s = canonical_id("Country", m.group(1), m.group(1)[:3].upper())
                o = canonical_id("Country", m.group(2), m.group(2)[:3].upper())
                if s in ents and o in ents:
                    rels.append(Relation(s, "MEETS", o, "asserted",
                                         Evidence(art.id, m.group(0), m.start(), m.end(), "fake.meets", 0.9)))
            yield Extraction(art, tuple(ents.values()), tuple(mentions), tuple(rels))
