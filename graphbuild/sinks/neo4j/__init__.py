"""Push the embedded store into Neo4j with the official driver: idempotent, incremental, batched.

The steps, one module each: :mod:`.connection` (config, connect, one-line errors,
read queries), :mod:`.plan` (store vs Neo4j: the writes that make them equal), :mod:`.writer`
(columnar parameters, parallel write transactions) and :mod:`.load` (``load_store``).

Every write is a static statement from :mod:`graphbuild.sinks.cypher`, its rows sent
column by column (:func:`_columnar`: each text column as one joined string, since the
pure-Python Bolt packer costs microseconds per value) and rebuilt as ``row`` in front of
the same body the Cypher script runs.  Batches run as managed write transactions
(``session.execute_write``) on ``workers`` sessions in parallel, so packing one batch
overlaps the server's work on another; the driver retries transient errors.

What a load sends (constraints and indexes first):

* entities that differ from the store (new, new aliases);
* articles absent from Neo4j, each with its MENTIONS and Evidence, in ONE transaction per
  group with plain CREATE: nothing can hang off an article the transaction itself creates
  (if a concurrent load created one first, the unique constraint fails the group and it
  is written again with the MERGE upserts);
* articles whose ``sha256`` in Neo4j differs from the store: only the mentions and evidence
  that are new, with MERGE, and the deletion of those they no longer give;
* every logical relation touched by those articles (old or new evidence), its aggregates
  recomputed from the whole store by SQLite, or deleted when no evidence is left;
* deletes articles the store no longer has and orphan entities: Neo4j mirrors the store.

Only what the changed articles touch is read from the store, in bulk (a reload with
nothing to do reads article ids, hashes and entities, and writes nothing).  An article's
``sha256`` is written last, so a load that stops half way leaves the article "changed"
and the next load finishes it.  Loading twice changes nothing.
"""

from .connection import (
    CONNECT_TIMEOUT,
    DEFAULT_DATABASE,
    DEFAULT_URI,
    DEFAULT_USER,
    RETRY_SECONDS,
    Neo4jConfig,
    connect,
    run_query,
)
from .load import DEFAULT_BATCH_SIZE, DEFAULT_WORKERS, ensure_lookup_index, load_store
from .plan import LoadReport

__all__ = [
    "CONNECT_TIMEOUT",
    "DEFAULT_BATCH_SIZE",
    "DEFAULT_DATABASE",
    "DEFAULT_URI",
    "DEFAULT_USER",
    "DEFAULT_WORKERS",
    "RETRY_SECONDS",
    "LoadReport",
    "Neo4jConfig",
    "connect",
    "ensure_lookup_index",
    "load_store",
    "run_query",
]
