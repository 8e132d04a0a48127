"""Connecting to Neo4j: the config, the driver, driver errors as one line, and read queries."""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

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
#: Seconds for the whole connection: TCP connect, Bolt handshake and login together.  A port
#: that accepts but never answers Bolt fails after this, not after the driver's 60 s pool wait.
CONNECT_TIMEOUT = 10.0


def split_uri(uri: str) -> tuple[str, str | None, str | None]:
    """``uri`` without the ``user:password@`` part some people write into it, and that user and password.

    The URI is printed in messages and ``--json``; the credentials never are.

    >>> split_uri("bolt://neo4j:s3cr%40t@db:7687")
    ('bolt://db:7687', 'neo4j', 's3cr@t')
    >>> split_uri("bolt://localhost:7687")
    ('bolt://localhost:7687', None, None)
    """
    scheme, sep, rest = uri.partition("://")
    if not sep:
        return uri, None, None
    authority, slash, path = rest.partition("/")
    userinfo, at, host = authority.rpartition("@")
    if not at:
        return uri, None, None
    user, colon, password = userinfo.partition(":")
    return (f"{scheme}://{host}{slash}{path}", unquote(user) or None,
            unquote(password) if colon else None)


@dataclass(frozen=True)
class Neo4jConfig:
    """Where and as whom to connect.  The password never shows in ``repr`` nor in :attr:`uri`.

    Credentials written into the URI (``bolt://neo4j:PW@host``) are moved out of it: they
    are used unless a password (and user) is given otherwise, and never printed.

    >>> Neo4jConfig("bolt://alice:pw@db:7687")
    Neo4jConfig(uri='bolt://db:7687', user='alice', database='neo4j')
    """

    uri: str = DEFAULT_URI
    user: str = DEFAULT_USER
    password: str | None = field(default=None, repr=False)
    database: str = DEFAULT_DATABASE
    #: Seconds the whole connection may take (see :data:`CONNECT_TIMEOUT`).
    timeout: float = field(default=CONNECT_TIMEOUT, repr=False)

    def __post_init__(self) -> None:
        uri, user, password = split_uri(self.uri)
        if uri == self.uri:
            return
        object.__setattr__(self, "uri", uri)
        if self.password is None and password is not None:
            object.__setattr__(self, "password", password)
            if user and self.user == DEFAULT_USER:
                object.__setattr__(self, "user", user)

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


#: The reason for a port that accepted the connection but never answered the Bolt handshake.
_SILENT = "no Bolt answer"

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
        if "Bolt handshake" in str(cur) or "acquisition" in str(cur) or "from the pool" in str(cur):
            return _SILENT
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
        return Neo4jError(f"cannot use NEO4J_URI {config.uri!r}: {_redacted(_first_line(exc), config)} "
                          "(expected e.g. bolt://localhost:7687 or neo4j://host:7687)")
    if isinstance(exc, (nx.ServiceUnavailable, nx.SessionExpired, OSError)):
        reason = _reason(exc)
        if reason == _SILENT:
            reason = f"no Bolt answer within {config.timeout:g} s (is this the Bolt port?)"
        return Neo4jError(f"cannot reach Neo4j at {config.uri}: {reason}; {_START_HINT}")
    if isinstance(exc, nx.Neo4jError):
        return Neo4jError(f"{where} failed: {code or type(exc).__name__}: "
                          f"{_redacted(_first_line(exc.message or exc), config)}")
    return Neo4jError(f"{where} failed: {type(exc).__name__}: {_redacted(_first_line(exc), config)}")


def _redacted(text: str, config: Neo4jConfig) -> str:
    """``text`` with the password replaced by ``***`` (a driver message may quote what it was given)."""
    return text.replace(config.password, "***") if config.password else text


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
        # connection_timeout bounds the TCP connect only; the acquisition timeout bounds connect,
        # handshake and login together (a silent port otherwise waits the driver's 60 s).
        driver = GraphDatabase.driver(config.uri, auth=config.auth, connection_timeout=config.timeout,
                                      connection_acquisition_timeout=config.timeout,
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
