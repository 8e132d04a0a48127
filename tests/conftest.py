"""Test configuration for the whole suite.

Fixtures:
    repo_root      (session) Path of the repository; use it for repo-relative files.
    neo4j_launcher (session) the ``scripts/neo4j_test_server.py`` module
                   (``start(auth=..., password=...)`` for tests that need their own server).
    neo4j_server   (session) ``Neo4jTarget`` (uri, http_uri, user, password, auth) of the
                   test server: the one named by ``GRAPHBUILD_TEST_NEO4J_URI`` (as
                   ``bash scripts/test`` does), else one started here for the session.
    neo4j_db       (function) ``Neo4jDB``: ``uri``, ``user``, ``password``, ``auth``,
                   ``database`` ("neo4j") and a ``driver``, on a database emptied before
                   the test (no nodes, relationships, constraints or indexes).

An autouse fixture keeps every test away from the user's environment and store.

A live database is never silently skipped: if ``GRAPHBUILD_TEST_NEO4J_URI`` is
set and the server does not answer, the session stops at start with an error;
if it is not set and the server cannot be provisioned or started, every test
that needs it errors.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent

# Read before any fixture touches the environment. Deliberately not NEO4J_URI:
# the tests must never fall onto a user's real database by accident.
EXTERNAL_URI = os.environ.get("GRAPHBUILD_TEST_NEO4J_URI") or None
EXTERNAL_USER = os.environ.get("GRAPHBUILD_TEST_NEO4J_USER", "neo4j")
EXTERNAL_PASSWORD = os.environ.get("GRAPHBUILD_TEST_NEO4J_PASSWORD") or None
EXTERNAL_HTTP_URI = os.environ.get("GRAPHBUILD_TEST_NEO4J_HTTP_URI") or None
# The tests empty the database they are given; refuse a non-empty one unless told.
ALLOW_WIPE = os.environ.get("GRAPHBUILD_TEST_NEO4J_ALLOW_WIPE") == "1"

ISOLATED_ENV = ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_DATABASE", "GRAPHBUILD_DB", "GRAPHBUILD_CONFIG")
DATABASE = "neo4j"
WIPE_BATCH = 10_000


def _load_launcher():
    name = "neo4j_test_server"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, REPO_ROOT / "scripts" / "neo4j_test_server.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@dataclass(frozen=True)
class Neo4jTarget:
    uri: str
    user: str
    password: str | None
    http_uri: str | None = None

    @property
    def auth(self) -> tuple[str, str] | None:
        return None if self.password is None else (self.user, self.password)


@dataclass(frozen=True)
class Neo4jDB:
    uri: str
    user: str
    password: str | None
    database: str
    driver: object  # neo4j.Driver

    @property
    def auth(self) -> tuple[str, str] | None:
        return None if self.password is None else (self.user, self.password)


def _check_external(target: Neo4jTarget) -> None:
    """Fail the session at start if the given server does not answer or holds data."""
    from neo4j import GraphDatabase

    try:
        with GraphDatabase.driver(target.uri, auth=target.auth, connection_timeout=10) as driver:
            driver.verify_connectivity()
            records, _, _ = driver.execute_query(
                "MATCH (n) RETURN count(n) > 0 AS has_data", database_=DATABASE
            )
            has_data = records[0]["has_data"]
    except Exception as exc:  # noqa: BLE001 - any failure here must stop the session
        pytest.exit(
            f"GRAPHBUILD_TEST_NEO4J_URI={target.uri} does not answer ({type(exc).__name__}: {exc}). "
            "Start the test server (`scripts/neo4j-test-server start`) or run `bash scripts/test`, "
            "or unset GRAPHBUILD_TEST_NEO4J_URI to let the tests start their own.",
            returncode=pytest.ExitCode.USAGE_ERROR,
        )
    if has_data and not ALLOW_WIPE:
        pytest.exit(
            f"the database '{DATABASE}' at GRAPHBUILD_TEST_NEO4J_URI={target.uri} is not empty and the "
            "tests would erase it. Point the variable at a throwaway server (`bash scripts/test` starts "
            "one) or set GRAPHBUILD_TEST_NEO4J_ALLOW_WIPE=1.",
            returncode=pytest.ExitCode.USAGE_ERROR,
        )


def pytest_sessionstart(session: pytest.Session) -> None:
    if EXTERNAL_URI is not None:
        _check_external(Neo4jTarget(EXTERNAL_URI, EXTERNAL_USER, EXTERNAL_PASSWORD, EXTERNAL_HTTP_URI))


@pytest.fixture(scope="session")
def _session_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One gazetteer-table cache for the whole run (graphbuild/extract/ruler_cache.py), not the user's."""
    return tmp_path_factory.mktemp("graphbuild-cache")


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, _session_cache: Path) -> None:
    """No test sees the user's Neo4j settings, store, config file or cache."""
    for name in ISOLATED_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GRAPHBUILD_DB", str(tmp_path / "graphbuild.db"))
    monkeypatch.setenv("GRAPHBUILD_CACHE_DIR", str(_session_cache))


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def neo4j_launcher():
    """The ``scripts/neo4j_test_server.py`` module (``start``, ``provision``, ``Server``)."""
    return _load_launcher()


@pytest.fixture(scope="session")
def neo4j_server(neo4j_launcher) -> Iterator[Neo4jTarget]:
    if EXTERNAL_URI is not None:
        yield Neo4jTarget(EXTERNAL_URI, EXTERNAL_USER, EXTERNAL_PASSWORD, EXTERNAL_HTTP_URI)
        return
    neo4j_launcher.provision()
    server = neo4j_launcher.start()
    try:
        yield Neo4jTarget(server.bolt_uri, server.user, server.password, server.http_uri)
    finally:
        server.stop()


def _empty_database(driver) -> None:
    with driver.session(database=DATABASE) as session:
        session.run(
            f"MATCH (n) CALL (n) {{ DETACH DELETE n }} IN TRANSACTIONS OF {WIPE_BATCH} ROWS"
        ).consume()
        # Constraints first: dropping one drops its backing index too.
        for record in list(session.run("SHOW CONSTRAINTS YIELD name")):
            session.run(f"DROP CONSTRAINT {_quote(record['name'])} IF EXISTS").consume()
        for record in list(session.run("SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP'")):
            session.run(f"DROP INDEX {_quote(record['name'])} IF EXISTS").consume()
        nodes = session.run("MATCH (n) RETURN count(n) AS c").single(strict=True)["c"]
        indexes = [r["name"] for r in session.run("SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP'")]
    assert nodes == 0 and not indexes, f"could not empty the database: {nodes} nodes, indexes {indexes}"


def _quote(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


@pytest.fixture
def neo4j_db(neo4j_server: Neo4jTarget) -> Iterator[Neo4jDB]:
    from neo4j import GraphDatabase

    driver = GraphDatabase.driver(neo4j_server.uri, auth=neo4j_server.auth)
    try:
        _empty_database(driver)
        yield Neo4jDB(neo4j_server.uri, neo4j_server.user, neo4j_server.password, DATABASE, driver)
    finally:
        driver.close()


_NEO4J_OUTCOMES: dict[str, int] = {}


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Count the outcomes of tests marked ``neo4j`` (for the summary line below)."""
    if "neo4j" in report.keywords and (report.when == "call" or report.outcome != "passed"):
        _NEO4J_OUTCOMES[report.outcome] = _NEO4J_OUTCOMES.get(report.outcome, 0) + 1


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    """Say how many tests ran against the real Neo4j server, so a silent skip would show."""
    parts = ", ".join(f"{n} {outcome}" for outcome, n in sorted(_NEO4J_OUTCOMES.items())) or "none ran"
    terminalreporter.write_line(f"neo4j-marked tests against the real server: {parts}")


@pytest.fixture
def fixture_db(tmp_path, monkeypatch) -> Path:
    """The hand-built fixture corpus (tests/graphdata.py) as the store named by ``GRAPHBUILD_DB``."""
    from graphdata import build_fixture_store

    path = tmp_path / "cli.db"
    build_fixture_store(path).close()
    monkeypatch.setenv("GRAPHBUILD_DB", str(path))
    return path
