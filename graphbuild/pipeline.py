"""The ingest flow: sources -> nlp/extract/resolve -> embedded store, article by article.

Articles whose content is already stored are skipped before any NLP; the
others are extracted in batches (``nlp.pipe``) and each is committed in its own
transaction, so an interruption never leaves half an article.  Inputs that
cannot be used become :class:`InputProblem` lines and never stop the others.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
import re
from itertools import islice
from typing import Protocol

from .models import Article, Entity, Extraction, InputProblem
from .sinks.store import Store, WriteResult
from .sources.common import one_line, problem

__all__ = ["ExtractorLike", "IngestReport", "ingest"]


class ExtractorLike(Protocol):
    """What the pipeline needs from an extractor."""

    def extract_many(self, articles: Iterable[Article]) -> Iterator[Extraction]: ...


@dataclass
class IngestReport:
    """What one ingest run did."""

    results: list[WriteResult] = field(default_factory=list)
    problems: list[InputProblem] = field(default_factory=list)
    entities: dict[str, Entity] = field(default_factory=dict)
    mention_counts: Counter[str] = field(default_factory=Counter)
    relations: int = 0

    def count(self, status: str) -> int:
        """How many articles ended with ``status`` (new, replaced, unchanged)."""
        return sum(1 for r in self.results if r.status == status)

    @property
    def ok(self) -> bool:
        """True when no input failed."""
        return not self.problems


def _batches(items: Iterable[Article | InputProblem], size: int) -> Iterator[list[Article | InputProblem]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


def ingest(
    inputs: Iterable[Article | InputProblem],
    store: Store,
    extractor: ExtractorLike,
    *,
    batch_size: int = 32,
    on_item: Callable[[str, str], None] | None = None,
    on_extraction: Callable[[Extraction], None] | None = None,
) -> IngestReport:
    """Extract and store every usable input; return what happened.

    ``on_item(origin, status)`` is called once per input (for progress bars);
    ``on_extraction`` sees each stored extraction (e.g. to load Neo4j as we go).
    """
    report = IngestReport()

    def done(origin: str, status: str) -> None:
        if on_item:
            on_item(origin, status)

    for batch in _batches(inputs, batch_size):
        todo: list[Article] = []
        for item in batch:
            if isinstance(item, InputProblem):
                report.problems.append(item)
                done(item.origin, "failed")
            elif store.article_status(item) == "unchanged":
                report.results.append(WriteResult(item.id, "unchanged"))
                done(item.origin, "unchanged")
            else:
                todo.append(item)
        for article, extraction in _extract_each(extractor, todo):
            if isinstance(extraction, InputProblem):
                report.problems.append(extraction)
                done(article.origin, "failed")
                continue
            result = store.write(extraction)
            report.results.append(result)
            if result.status != "unchanged":
                for ent in extraction.entities:
                    report.entities.setdefault(ent.id, ent)
                report.mention_counts.update(m.entity_id for m in extraction.mentions)
                report.relations += len(extraction.relations)
                if on_extraction:
                    on_extraction(extraction)
            done(article.origin, result.status)
    return report


def _extract_each(
    extractor: ExtractorLike, articles: list[Article]
) -> Iterator[tuple[Article, Extraction | InputProblem]]:
    """Extract a batch; if the batch fails, retry one by one so one bad article loses only itself."""
    if not articles:
        return
    try:
        results = list(extractor.extract_many(articles))
    except Exception:  # noqa: BLE001 - isolate the failing article below
        for article in articles:
            try:
                (ex,) = extractor.extract_many([article])
            except Exception as exc:  # noqa: BLE001 - reported as a one-line problem
                yield article, problem(article.origin or article.id, _failure_reason(exc))
            else:
                yield article, ex
        return
    yield from zip(articles, results)


_TOO_LONG = re.compile(r"\[E088\] Text of length (\d+) exceeds maximum of (\d+)")


def _failure_reason(exc: Exception) -> str:
    """Why extracting one article failed, for a one-line problem (spaCy's length limit said plainly).

    >>> _failure_reason(ValueError("[E088] Text of length 1200 exceeds maximum of 1000. The parser ..."))
    'article too long to extract (1200 characters > limit 1000); split it into smaller articles'
    >>> _failure_reason(RuntimeError("bad\\nthing"))
    'extraction failed: RuntimeError: bad thing'
    """
    match = _TOO_LONG.search(str(exc))
    if match:
        return (f"article too long to extract ({match.group(1)} characters > limit {match.group(2)}); "
                "split it into smaller articles")
    return one_line(f"extraction failed: {type(exc).__name__}: {exc}")
