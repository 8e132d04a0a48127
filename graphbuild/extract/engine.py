"""The extraction engine: spaCy pipeline + gazetteer rulers + relation rules -> :class:`Extraction`.

(Stand-in until the rule engine lands: named entities from spaCy NER only.)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from ..models import Article, Entity, Extraction, Mention
from ..nlp import load_model
from ..resolve.ids import canonical_id

__all__ = ["Extractor"]

_NER_TYPES = {"PERSON": "Person", "GPE": "Country", "ORG": "Organization", "LOC": "Location", "FAC": "Location"}


class Extractor:
    """Turns articles into extractions; one instance loads the model once."""

    def __init__(self, gazetteer_files: Sequence[Path] = (), *, batch_size: int = 32, nlp=None) -> None:
        self.nlp = nlp or load_model()
        self.batch_size = batch_size
        self.gazetteer_files = tuple(gazetteer_files)

    def extract(self, article: Article) -> Extraction:
        """Extract one article."""
        (ex,) = self.extract_many([article])
        return ex

    def extract_many(self, articles: Iterable[Article]) -> Iterator[Extraction]:
        """Extract articles in batches with ``nlp.pipe`` (order preserved)."""
        pairs = ((a.text, a) for a in articles)
        for doc, article in self.nlp.pipe(pairs, as_tuples=True, batch_size=self.batch_size):
            entities: dict[str, Entity] = {}
            mentions = []
            for ent in doc.ents:
                etype = _NER_TYPES.get(ent.label_)
                if etype is None:
                    continue
                eid = canonical_id(etype, ent.text)
                entities.setdefault(eid, Entity(eid, etype, ent.text))
                mentions.append(Mention(eid, ent.text, ent.start_char, ent.end_char))
            yield Extraction(article, tuple(entities.values()), tuple(mentions), ())
