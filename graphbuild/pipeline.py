"""The ingest flow: sources -> nlp/extract -> embedded store (-> Neo4j), article by article.

Articles whose content is already stored are skipped before any NLP; the
others are extracted in batches (``nlp.pipe``, here or in worker processes) and
each batch is committed in one transaction, so an interruption never leaves half
an article (it loses at most the batch in flight, extracted again next run).
Inputs that cannot be used become :class:`InputProblem` lines and never stop the others.
:func:`ingest_to_lake` sends the same extractions to one ingest date of the Parquet lake
(:mod:`graphbuild.lake`) instead of the store.
With a Neo4j configuration, Neo4j is checked before any article is read and, after
the ingest, whatever Neo4j lacks is loaded: the load compares the whole store with
Neo4j (article ids and content hashes), not only this run's articles, so an ingest
whose load was interrupted (or never ran) is completed by the next ``ingest --neo4j``
even when every article is unchanged.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import TYPE_CHECKING, Protocol

from .defaults import INGEST_BATCH
from .extract.parallel import extract_batches
from .models import Article, Entity, Extraction, InputProblem
from .store import Store, WriteResult
from .sources.duplicates import DuplicateCheck

if TYPE_CHECKING:
    from .lake import LakeWriter
    from .sinks.neo4j import LoadReport, Neo4jConfig

__all__ = ["DEFAULT_BATCH_SIZE", "ExtractorLike", "IngestReport", "ingest", "ingest_to_lake", "require_neo4j"]

#: Articles per ``nlp.pipe`` batch and per store transaction (see :mod:`graphbuild.defaults`).
DEFAULT_BATCH_SIZE = INGEST_BATCH


class ExtractorLike(Protocol):
    """What the pipeline needs from an extractor."""

    def extract_many(self, articles: Iterable[Article]) -> Iterator[Extraction]: ...


@dataclass
class IngestReport:
    """What one ingest run did."""

    results: list[WriteResult] = field(default_factory=list)
    problems: list[InputProblem] = field(default_factory=list)
    #: Articles read twice (same title under two ids, or one id from two places): stored, but worth a look.
    warnings: list[InputProblem] = field(default_factory=list)
    entities: dict[str, Entity] = field(default_factory=dict)
    mention_counts: Counter[str] = field(default_factory=Counter)
    relations: int = 0
    loaded: LoadReport | None = None
    #: Older articles whose rows new names re-resolved (a loader sends them again).
    revised: set[str] = field(default_factory=set)

    def count(self, status: str) -> int:
        """How many articles ended with ``status`` (new, replaced, unchanged)."""
        return sum(1 for r in self.results if r.status == status)

    @property
    def ok(self) -> bool:
        """True when no input failed."""
        return not self.problems


def require_neo4j(config: Neo4jConfig) -> None:
    """Connect once and close: :class:`Neo4jError` (one line) now, before any article is read, if Neo4j is not there."""
    from .sinks.neo4j import connect

    connect(config).close()


def _batches(items: Iterable[Article | InputProblem], size: int) -> Iterator[list[Article | InputProblem]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


def ingest(
    inputs: Iterable[Article | InputProblem],
    store: Store,
    extractor: ExtractorLike,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    on_item: Callable[[str, str], None] | None = None,
    neo4j: Neo4jConfig | None = None,
) -> IngestReport:
    """Extract and store every usable input; return what happened.

    Inputs are read lazily and go through in batches of ``batch_size``: an
    extractor with ``extract_batches`` (e.g. :class:`ParallelExtractor`) may work
    on a few batches ahead, never on the whole input.  ``on_item(origin, status)``
    is called once per input (for progress bars).  With ``neo4j``, Neo4j is checked
    first (:class:`Neo4jError` before any article is read) and at the end made equal to
    the store (``report.loaded``): this run's articles and any an earlier load left out.
    """
    if neo4j is not None:
        require_neo4j(neo4j)
    report = IngestReport()
    duplicates = DuplicateCheck()

    def done(origin: str, status: str) -> None:
        if on_item:
            on_item(origin, status)

    def todo_batches() -> Iterator[list[Article]]:
        """The batches' articles that need extracting; problems and unchanged ones are reported here."""
        for batch in _batches(inputs, batch_size):
            todo: list[Article] = []
            for item in batch:
                if isinstance(item, InputProblem):
                    report.problems.append(item)
                    done(item.origin, "failed")
                    continue
                if (warning := duplicates.see(item)) is not None:
                    report.warnings.append(warning)
                if store.article_status(item) == "unchanged":
                    report.results.append(WriteResult(item.id, "unchanged"))
                    done(item.origin, "unchanged")
                else:
                    todo.append(item)
            if todo:
                yield todo

    revised = report.revised
    for articles, outcomes in extract_batches(extractor, todo_batches()):
        # one transaction per batch: a commit costs about as much as writing an article's rows;
        # the store checks each hash again inside it (an article may repeat within a run)
        written = iter(store.write_many([ex for ex in outcomes if not isinstance(ex, InputProblem)]))
        revised |= store.last_revised  # older articles whose ids the new names moved
        for article, extraction in zip(articles, outcomes, strict=True):
            if isinstance(extraction, InputProblem):
                report.problems.append(extraction)
                done(article.origin, "failed")
                continue
            result = next(written)
            report.results.append(result)
            if result.status != "unchanged":
                for ent in extraction.entities:
                    report.entities.setdefault(ent.id, ent)
                report.mention_counts.update(m.entity_id for m in extraction.mentions)
                report.relations += len(extraction.relations)
            done(article.origin, result.status)
    if neo4j is not None:
        from .sinks.neo4j import load_store

        # the whole store against Neo4j: a few reads when nothing is missing, and a load that
        # an interruption (or a plain ingest) left unfinished is finished here
        report.loaded = load_store(store, neo4j)
    return report


def ingest_to_lake(
    inputs: Iterable[Article | InputProblem],
    writer: LakeWriter,
    extractor: ExtractorLike,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    on_item: Callable[[str, str], None] | None = None,
) -> IngestReport:
    """Extract every usable input into one ingest date of the lake (no store: every article is extracted).

    The same batches as :func:`ingest`, in this process or in ``--workers``; each input keeps its
    position (``seq``) so a store import replays them in order.  The caller commits ``writer``.
    """
    from .lake import outcome_rows, problem_rows

    report = IngestReport()
    positions: dict[int, int] = {}

    def done(origin: str, status: str) -> None:
        if on_item:
            on_item(origin, status)

    def todo_batches() -> Iterator[list[Article]]:
        seq = 0
        for batch in _batches(inputs, batch_size):
            todo: list[Article] = []
            for item in batch:
                if isinstance(item, InputProblem):
                    report.problems.append(item)
                    writer.add(problem_rows(seq, item))
                    done(item.origin, "failed")
                else:
                    positions[id(item)] = seq
                    todo.append(item)
                seq += 1
            if todo:
                yield todo

    for articles, outcomes in extract_batches(extractor, todo_batches()):
        for article, outcome in zip(articles, outcomes, strict=True):
            writer.add(outcome_rows(positions.pop(id(article)), article, outcome))
            if isinstance(outcome, InputProblem):
                report.problems.append(outcome)
                done(article.origin, "failed")
                continue
            report.results.append(WriteResult(article.id, "extracted", len(outcome.entities),
                                              len(outcome.relations)))
            for ent in outcome.entities:
                report.entities.setdefault(ent.id, ent)
            report.mention_counts.update(m.entity_id for m in outcome.mentions)
            report.relations += len(outcome.relations)
            done(article.origin, "extracted")
    return report
