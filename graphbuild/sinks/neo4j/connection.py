"""Connecting to Neo4j: the config, the driver, driver errors as one line, and read queries."""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from ...errors import Neo4jError
from ...models import QueryResult

# The driver logs each retry ("Transaction failed and will be retried in 4.1s ...") as a WARNING;
# with no handler configured Python's last-resort handler printed them all on stderr, burying
# the one-line error. A library adds a NullHandler; an app that configures logging still sees them.
logging.getLogger("neo4j").addHandler(logging.NullHandler())


#: Seconds a managed transaction is retried on transient errors. The driver's backoff
#: (1, 2, 4, 8 s ... with jitter) may start one last wait just before the limit, so the
#: worst case is about twice this: ~30 s before a vanished server is reported.
RETRY_SECONDS = 15

DEFAULT_URI = "bolt://localhost:7687"
DEFAULT_USER = "neo4j"
DEFAULT_DATABASE = "neo4j"


@dataclass(frozen=True)
class Neo4jConfig:
    """Where and as whom to connect.  The password never shows in ``repr``."""

    uri: str = DEFAULT_URI
    user: str = DEFAULT_USER
    password: str | None = field(default=None, repr=False)
    database: str = DEFAULT_DATABASE

    @classmethod
    def resolve(
        cls,
        uri: str | None = None,
        user: str | None = None,
        password: str | None = None,
        database: str | None = None,
        env: Mapping[str, str] | None = None,
    ) -> Neo4jConfig:
        """Options first, then env ``NEO4J_URI``/``NEO4J_USER``/``NEO4J_PASSWORD``/``NEO4J_DATABASE``, then defaults.

        >>> Neo4jConfig.resolve(env={"NEO4J_URI": "bolt://db:7687", "NEO4J_PASSWORD": "s3cret"})
        Neo4jConfig(uri='bolt://db:7687', user='neo4j', database='neo4j')
        """
        env = os.environ if env is None else env
        return cls(
            uri=uri or env.get("NEO4J_URI") or DEFAULT_URI,
            user=user or env.get("NEO4J_USER") or DEFAULT_USER,
            password=password if password is not None else (env.get("NEO4J_PASSWORD") or None),
            database=database or env.get("NEO4J_DATABASE") or DEFAULT_DATABASE,
        )

    @property
    def auth(self) -> tuple[str, str] | None:
        """Basic auth for the driver (None without a password: fine when auth is disabled)."""
        return None if self.password is None else (self.user, self.password)


# -- errors -------------------------------------------------------------------


_START_HINT = "start it with `docker compose up -d` or set NEO4J_URI"


def _reason(exc: BaseException) -> str:
    """A short reason for a failed connection, from the exception chain."""
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        if isinstance(cur, ConnectionRefusedError):
            return "connection refused"
        if isinstance(cur, socket.gaierror):
            return "unknown host"
        if isinstance(cur, (socket.timeout, TimeoutError)):
            return "timed out"
        cur = cur.__cause__ or cur.__context__
    text = str(exc)
    if "Connection refused" in text:
        return "connection refused"
    if "Name or service not known" in text or "nodename nor servname" in text:
        return "unknown host"
    if "timed out" in text:
        return "timed out"
    return "no answer"


def _translate(exc: BaseException, config: Neo4jConfig) -> Neo4jError:
    """One clear line (URI and the fix; never the password) for a driver error."""
    from neo4j import exceptions as nx

    where = f"Neo4j at {config.uri}"
    if isinstance(exc, nx.AuthError) or getattr(exc, "code", "") in (
        "Neo.ClientError.Security.Unauthorized", "Neo.ClientError.Security.AuthenticationRateLimit"
    ):
        if config.password is None:
            return Neo4jError(f"{where} needs a password for user '{config.user}'; set NEO4J_PASSWORD")
        return Neo4jError(f"{where} refused the credentials for user '{config.user}'; set NEO4J_PASSWORD")
    code = getattr(exc, "code", None) or ""
    if code == "Neo.ClientError.Security.CredentialsExpired":
        return Neo4jError(f"{where}: the password of user '{config.user}' must be changed first; "
                          "run ALTER CURRENT USER SET PASSWORD FROM 'old' TO 'new' in Neo4j Browser")
    if code == "Neo.ClientError.Database.DatabaseNotFound":
        return Neo4jError(f"{where} has no database '{config.database}'; set NEO4J_DATABASE "
                          "(Neo4j Community has only 'neo4j')")
    if isinstance(exc, nx.ConfigurationError) or isinstance(exc, ValueError):
        return Neo4jError(f"cannot use NEO4J_URI {config.uri!r}: {_first_line(exc)} "
                          "(expected e.g. bolt://localhost:7687 or neo4j://host:7687)")
    if isinstance(exc, (nx.ServiceUnavailable, nx.SessionExpired, OSError)):
        return Neo4jError(f"cannot reach Neo4j at {config.uri}: {_reason(exc)}; {_START_HINT}")
    if isinstance(exc, nx.Neo4jError):
        return Neo4jError(f"{where} failed: {code or type(exc).__name__}: {_first_line(exc.message or exc)}")
    return Neo4jError(f"{where} failed: {type(exc).__name__}: {_first_line(exc)}")


def _first_line(exc: object) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else ""


@contextmanager
def _errors(config: Neo4jConfig) -> Iterator[None]:
    from neo4j import exceptions as nx

    try:
        yield
    except (nx.Neo4jError, nx.DriverError, OSError) as exc:
        raise _translate(exc, config) from None
    except ValueError as exc:  # the driver's own URI parsing
        raise _translate(exc, config) from None


_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")


def connect(config: Neo4jConfig):
    """An open, verified ``neo4j.Driver`` (close it), or :class:`Neo4jError` with one clear line."""
    from neo4j import GraphDatabase

    scheme = config.uri.partition("://")[0] if "://" in config.uri else ""
    if scheme not in _SCHEMES:
        raise Neo4jError(f"cannot use NEO4J_URI {config.uri!r}: the scheme must be one of "
                         f"{', '.join(s + '://' for s in _SCHEMES)} (e.g. bolt://localhost:7687)")
    with _errors(config):
        driver = GraphDatabase.driver(config.uri, auth=config.auth, connection_timeout=10,
                                      max_transaction_retry_time=RETRY_SECONDS, notifications_min_severity="OFF")
        try:
            driver.verify_connectivity()
            driver.execute_query("RETURN 1", database_=config.database)
        except BaseException:
            driver.close()
            raise
    return driver


# -- queries ------------------------------------------------------------------
def _plain(value: Any) -> Any:
    """Driver values as plain JSON-friendly Python (temporal -> ISO text, graph objects -> dicts)."""
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if hasattr(value, "iso_format"):
        return value.iso_format()
    if hasattr(value, "element_id") and hasattr(value, "items"):  # Node / Relationship
        return {k: _plain(v) for k, v in value.items()}
    return value


def run_query(config: Neo4jConfig, text: str, params: Mapping[str, Any] | None = None, *,
              driver: Any = None) -> QueryResult:
    """Run one read query and return its columns and rows (values made plain)."""
    own = driver is None
    drv = connect(config) if own else driver
    try:
        with _errors(config), drv.session(database=config.database) as session:
            def work(tx):
                result = tx.run(text, dict(params or {}))
                rows = [[_plain(v) for v in record.values()] for record in result]
                return list(result.keys()), rows

            columns, rows = session.execute_read(work)
    finally:
        if own:
            drv.close()
    return QueryResult(columns, rows)
