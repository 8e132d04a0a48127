"""The embedded store, the hub of the flow: the pipeline writes it, every later step reads it.

``Store`` (schema, writes, reads) and the read models that leave it: :class:`StoredRelation`
(a piece of evidence), :class:`RelationAggregate` (a logical relation aggregated in SQL) and
the :class:`DateWindow` every reader takes.
"""

from .reads import Key, RelationAggregate, StoredRelation
from .schema import SCHEMA_VERSION
from .store import DEFAULT_DB, Store, WriteResult, default_db_path
from .window import ALL_TIME, DateWindow, parse_date

__all__ = ["ALL_TIME", "DEFAULT_DB", "SCHEMA_VERSION", "DateWindow", "Key", "RelationAggregate", "Store",
           "StoredRelation", "WriteResult", "default_db_path", "parse_date"]
