"""The real Neo4j test server: it answers, each test gets an empty database,
auth and the initial password change work, and a dead server fails the session."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import urllib.request

import pytest
from neo4j import GraphDatabase
from neo4j.exceptions import AuthError

pytestmark = pytest.mark.neo4j


def _assert_empty(db) -> None:
    records, _, _ = db.driver.execute_query("MATCH (n) RETURN count(n) AS n", database_=db.database)
    assert records[0]["n"] == 0
    records, _, _ = db.driver.execute_query("SHOW CONSTRAINTS YIELD name", database_=db.database)
    assert records == []
    records, _, _ = db.driver.execute_query(
        "SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP'", database_=db.database
    )
    assert records == []


def _leave_data_behind(db, tag: str) -> None:
    db.driver.execute_query(
        "CREATE CONSTRAINT state_id IF NOT EXISTS FOR (s:State) REQUIRE s.id IS UNIQUE", database_=db.database
    )
    db.driver.execute_query("CREATE INDEX state_name IF NOT EXISTS FOR (s:State) ON (s.name)", database_=db.database)
    db.driver.execute_query(
        "UNWIND range(1, 50) AS i CREATE (:State {id: $tag + i, name: 'Arnor'})-[:BORDERS]->(:State {id: $tag + i + 'b'})",
        tag=tag,
        database_=db.database,
    )


def test_server_answers_and_stores_a_node(neo4j_db):
    assert neo4j_db.database == "neo4j"
    neo4j_db.driver.verify_connectivity()
    neo4j_db.driver.execute_query(
        "CREATE (:State {id: $id, name: $name})", id="gondor", name="Gondor", database_=neo4j_db.database
    )
    records, _, _ = neo4j_db.driver.execute_query(
        "MATCH (s:State {id: $id}) RETURN s.name AS name", id="gondor", database_=neo4j_db.database
    )
    assert [r["name"] for r in records] == ["Gondor"]
    records, _, _ = neo4j_db.driver.execute_query(
        "CALL dbms.components() YIELD versions, edition RETURN versions[0] AS version, edition"
    )
    assert records[0]["version"].startswith("5.26.")
    assert records[0]["edition"] == "community"


# The two tests below each start by checking the database is empty and then leave
# nodes, relationships, a constraint and an index behind: whichever runs second
# proves that neo4j_db emptied the database in between.


def test_database_is_empty_at_start_one(neo4j_db):
    _assert_empty(neo4j_db)
    _leave_data_behind(neo4j_db, "one-")


def test_database_is_empty_at_start_two(neo4j_db):
    _assert_empty(neo4j_db)
    _leave_data_behind(neo4j_db, "two-")


def test_second_server_with_auth_changes_the_initial_password(neo4j_launcher):
    password = "arnor-gondor-2024"
    with neo4j_launcher.start(auth=True, password=password) as server:
        assert server.user == "neo4j" and server.password == password
        assert server.auth == ("neo4j", password)
        with GraphDatabase.driver(server.bolt_uri, auth=(server.user, password)) as driver:
            driver.verify_connectivity()
            records, _, _ = driver.execute_query("RETURN 1 AS ok", database_="neo4j")
            assert records[0]["ok"] == 1
            records, _, _ = driver.execute_query(
                "SHOW CURRENT USER YIELD user, passwordChangeRequired", database_="system"
            )
            assert (records[0]["user"], records[0]["passwordChangeRequired"]) == ("neo4j", False)
        for wrong in ("neo4j", "not-the-password"):
            with GraphDatabase.driver(server.bolt_uri, auth=("neo4j", wrong)) as driver:
                with pytest.raises(AuthError):
                    driver.verify_connectivity()
        with urllib.request.urlopen(server.browser_uri, timeout=10) as response:
            assert response.status == 200
            assert b"Neo4j Browser" in response.read()
        home, pid = server.home, server.pid
    assert not server.alive()
    assert not home.exists()
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_given_server_that_does_not_answer_fails_the_session(repo_root, tmp_path):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRAPHBUILD_TEST_NEO4J")}
    env["GRAPHBUILD_TEST_NEO4J_URI"] = f"bolt://127.0.0.1:{port}"
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--co", "tests/test_neo4j_server.py"],
        cwd=repo_root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == pytest.ExitCode.USAGE_ERROR, done.stdout + done.stderr
    assert f"GRAPHBUILD_TEST_NEO4J_URI=bolt://127.0.0.1:{port} does not answer" in done.stdout + done.stderr
