"""Connection faults without a Neo4j server: a password written into the URI, a port that never speaks Bolt.

Both talk only to sockets these tests open on 127.0.0.1 (a closed port, or a listener that
accepts and stays silent).
"""

from __future__ import annotations

import socket
import threading

import pytest
from typer.testing import CliRunner

from graphbuild.cli import app
from graphbuild.errors import Neo4jError
from graphbuild.sinks.neo4j import Neo4jConfig, connect

SECRET = "uRi-s3cret-pw"
HINT = "start it with `docker compose up -d` or set NEO4J_URI"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- 7. a password in NEO4J_URI -------------------------------------------------------------
def test_credentials_in_the_uri_move_out_of_it():
    config = Neo4jConfig.resolve(env={"NEO4J_URI": f"bolt://alice:{SECRET}@db.example:7687"})
    assert (config.uri, config.user, config.password) == ("bolt://db.example:7687", "alice", SECRET)
    assert SECRET not in repr(config)
    # a password given otherwise wins, and the one in the URI is still never kept in it
    config = Neo4jConfig.resolve(password="other", env={"NEO4J_URI": f"neo4j://bob:{SECRET}@h:1/x"})
    assert (config.uri, config.user, config.password) == ("neo4j://h:1/x", "neo4j", "other")


@pytest.mark.parametrize("command", [["load"], ["load", "--json"], ["query", "meetings", "--backend", "neo4j"]])
def test_a_password_in_the_uri_is_never_printed(tmp_path, monkeypatch, command):
    port = _free_port()
    monkeypatch.setenv("NEO4J_URI", f"bolt://neo4j:{SECRET}@127.0.0.1:{port}")
    result = CliRunner().invoke(app, [*command, "--db", str(tmp_path / "g.db")])
    assert result.exit_code == 1
    assert result.stderr == f"error: cannot reach Neo4j at bolt://127.0.0.1:{port}: connection refused; {HINT}\n"
    assert SECRET not in result.output


def test_a_password_in_a_bad_uri_is_never_printed(tmp_path, monkeypatch):
    monkeypatch.setenv("NEO4J_URI", f"http://neo4j:{SECRET}@127.0.0.1:7474")
    result = CliRunner().invoke(app, ["load", "--db", str(tmp_path / "g.db")])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: cannot use NEO4J_URI 'http://127.0.0.1:7474': the scheme must be")
    assert SECRET not in result.output


# -- 8. a port that accepts and never answers ------------------------------------------------
@pytest.fixture
def silent_port():
    """A listener on 127.0.0.1 that accepts every connection and never sends a byte."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def serve() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1]
    finally:
        stop.set()
        thread.join()
        for conn in accepted:
            conn.close()
        server.close()


def test_a_silent_port_fails_at_the_configured_deadline(silent_port):
    config = Neo4jConfig(f"bolt://127.0.0.1:{silent_port}", password="x", timeout=1)
    outcome: list[BaseException] = []

    def attempt() -> None:
        try:
            connect(config).close()
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            outcome.append(exc)

    thread = threading.Thread(target=attempt, daemon=True)
    thread.start()
    # A hang guard, not a speed measure: with a 1 s deadline the attempt must end long before the
    # driver's own 60 s pool wait (the old behaviour: ~62 s).
    thread.join(30)
    assert not thread.is_alive(), "connect() ignored its 1 s deadline"
    assert len(outcome) == 1 and isinstance(outcome[0], Neo4jError)
    assert str(outcome[0]) == (f"cannot reach Neo4j at bolt://127.0.0.1:{silent_port}: no Bolt answer within 1 s "
                               f"(is this the Bolt port?); {HINT}")
