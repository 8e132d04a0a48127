"""Saved questions: the catalogue of ``cypher/queries/``, their offline answers, and which backend answers.

:mod:`.catalogue` reads and types the query files; :mod:`.offline` answers them from
the embedded store with networkx; :func:`run` picks the backend (Neo4j when one is
configured, else offline) and returns a :class:`~graphbuild.models.QueryResult`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..models import QueryResult
from .catalogue import PARAM_TYPES, QueryParam, SavedQuery, bind_params, default_query_dir, load_catalogue, parse_query

__all__ = ["BACKENDS", "PARAM_TYPES", "QueryParam", "QueryResult", "SavedQuery", "bind_params", "choose_backend",
           "default_query_dir", "load_catalogue", "parse_query", "run"]

#: ``auto`` asks Neo4j when a URI is configured (``--uri`` or ``NEO4J_URI``), else answers offline.
BACKENDS = ("auto", "neo4j", "offline")


def choose_backend(backend: str, uri: str | None = None, env: Mapping[str, str] | None = None) -> str:
    """``neo4j`` or ``offline`` for a requested backend.

    >>> choose_backend("auto", env={}), choose_backend("auto", env={"NEO4J_URI": "bolt://x"})
    ('offline', 'neo4j')
    >>> choose_backend("offline", uri="bolt://x")
    'offline'
    """
    if backend not in BACKENDS:
        raise ValueError(f"backend {backend!r}: choose one of {', '.join(BACKENDS)}")
    if backend != "auto":
        return backend
    env = os.environ if env is None else env
    return "neo4j" if uri or env.get("NEO4J_URI") else "offline"


def run(query: SavedQuery, params: dict[str, Any], *, backend: str, db: Path | None = None,
        config: Any = None) -> QueryResult:
    """Answer ``query`` on ``backend`` (``neo4j`` with ``config``, or ``offline`` on the store at ``db``)."""
    if backend == "neo4j":
        from ..sinks.cypher import LOOKUP_INDEX
        from ..sinks.neo4j import ensure_lookup_index, run_query

        if LOOKUP_INDEX in query.text:  # a database not loaded (yet) by this version has no lookup index
            ensure_lookup_index(config)
        return run_query(config, query.text, params)
    from ..store import Store
    from .offline import run_offline

    with Store(db) as store:
        return run_offline(store, query, params)
