"""The library's defaults that the command line shows, in one light module.

Each is re-exported by the module that uses it (``pipeline.DEFAULT_BATCH_SIZE``,
``sinks.neo4j.DEFAULT_BATCH_SIZE``, ``analysis.DEFAULT_SEED`` ...); the CLI reads them
from here so that ``--help`` and quick commands do not import networkx or the Neo4j driver.
"""

from __future__ import annotations

__all__ = ["INGEST_BATCH", "LOAD_BATCH", "LOAD_WORKERS", "LOUVAIN_SEED", "PART_CHARS", "SCRIPT_BATCH", "TIME_LIMIT"]

#: Articles per ``nlp.pipe`` batch and per store transaction.
INGEST_BATCH = 32
#: Seconds one article's extraction (its parse included) may take before it fails alone.
TIME_LIMIT = 60.0
#: Characters of the longest text parsed as one spaCy document: a longer article is cut into parts
#: at paragraph or sentence boundaries (news articles are a few thousand characters).
PART_CHARS = 10_000
#: Rows per Neo4j write transaction: big enough that per-transaction costs vanish, small for the server's heap.
LOAD_BATCH = 20_000
#: Sessions writing to Neo4j in parallel: one packs a batch while the server works on another's.
LOAD_WORKERS = 2
#: Rows per ``UNWIND`` statement of a Cypher script: fast, and small enough to paste into Browser.
SCRIPT_BATCH = 1000
#: Seed of the Louvain community detection, so the same store always gives the same communities.
LOUVAIN_SEED = 42
