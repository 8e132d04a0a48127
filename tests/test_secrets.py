"""Secrets: the Neo4j password never shows in output, logs, exceptions, tracebacks or files.

``load``, ``ingest --neo4j`` and ``query`` run (as real subprocesses, password from env and
from ``--password``) against an unreachable URI, a server with auth and a wrong password,
and the right server; then everything produced is searched for a marker password: stdout,
stderr, every file under the test's folder (store and WAL bytes, Cypher script, the
private server's home with its logs), in-process log records at DEBUG, exception texts
and formatted tracebacks.
"""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import traceback
from pathlib import Path

import pytest
from graphdata import build_fixture_store

from graphbuild.errors import Neo4jError
from graphbuild.sinks.neo4j import Neo4jConfig, connect, load_store, run_query

MARKER = "mArKeR-7f3a9c1e-pw"
WRONG = "mArKeR-wrong-0b2d4f6a"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def auth_server(neo4j_launcher, tmp_path_factory):
    home = tmp_path_factory.mktemp("secret-server") / "home"
    server = neo4j_launcher.start(auth=True, password=MARKER, home=home)
    try:
        yield server
    finally:
        server.stop()


def _run_all(runs: list[tuple[list[str], dict[str, str]]], cwd: Path) -> list[subprocess.CompletedProcess]:
    """Run ``graphbuild ARGS`` for each (args, env) at once; their results in order."""
    procs = [subprocess.Popen([sys.executable, "-m", "graphbuild", *args], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, cwd=cwd, env=env) for args, env in runs]
    outputs = [p.communicate(timeout=300) for p in procs]
    return [subprocess.CompletedProcess(p.args, p.returncode, *out) for p, out in zip(procs, outputs)]


def _files_with(root: Path, secrets: tuple[str, ...]) -> list[str]:
    hits = []
    needles = [s.encode() for s in secrets] + [s.encode("utf-16-le") for s in secrets]
    for path in root.rglob("*"):
        if path.is_file() and not path.is_symlink():
            data = path.read_bytes()
            if any(n in data for n in needles):
                hits.append(str(path))
    return hits


@pytest.mark.neo4j
def test_password_never_appears_anywhere(auth_server, tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    db = work / "g.db"
    build_fixture_store(db).close()
    article = work / "in.txt"
    article.write_text("Russia and China\n\nRussia met China in Beijing.\n", encoding="utf-8")
    unreachable = f"bolt://127.0.0.1:{_free_port()}"
    cases = [  # (uri, password, expected exit code); wrong passwords last: Neo4j then locks the user for 5 s
        (unreachable, MARKER, 1),
        (auth_server.bolt_uri, MARKER, 0),
        (auth_server.bolt_uri, WRONG, 1),
    ]
    base_env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    outputs = []
    for uri, password, code in cases:
        env = base_env | {"NEO4J_URI": uri, "NEO4J_PASSWORD": password, "GRAPHBUILD_DB": str(db)}
        flag_env = base_env | {"GRAPHBUILD_DB": str(db)}
        runs = _run_all([
            (["load", "--json"], env),
            (["ingest", str(article), "--neo4j"], env),
            (["query", "meetings", "--json"], env),
            # the flag instead of the variable (the password then is in argv, not in what we print)
            (["load", "--uri", uri, "--password", password], flag_env),
            (["query", "actor", "-p", "actor=RUS", "--password", password, "--uri", uri], flag_env),
        ], work)
        for res in runs:
            assert res.returncode == code, (uri, res.args, res.stdout, res.stderr)
            if code:
                assert len(res.stderr.strip().splitlines()) == 1, res.stderr
                assert "Traceback" not in res.stderr
            outputs.append(res.stdout + res.stderr)
    _run_all([(["cypher", "-o", str(work / "graph.cypher")], base_env | {"GRAPHBUILD_DB": str(db)})], work)
    for text in outputs:
        assert MARKER not in text and WRONG not in text, text
    assert "refused the credentials for user 'neo4j'" in "".join(outputs)
    assert "cannot reach Neo4j" in "".join(outputs)
    assert (work / "graph.cypher").is_file()
    assert _files_with(tmp_path, (MARKER, WRONG)) == []
    assert _files_with(auth_server.home, (MARKER, WRONG)) == []  # the server's own logs and files too


@pytest.mark.neo4j
def test_password_not_in_exceptions_tracebacks_or_debug_logs(auth_server, tmp_path, caplog):
    store = build_fixture_store(tmp_path / "g.db")
    caplog.set_level(logging.DEBUG)  # every logger, the driver's included, at its most verbose
    texts = []
    config = Neo4jConfig(uri=auth_server.bolt_uri, password=MARKER)
    report = load_store(store, config)
    texts.append(repr(report))
    texts.append(str(report.as_dict()))
    texts.append(repr(run_query(config, "MATCH (n) RETURN count(n) AS n")))
    unreachable = f"bolt://127.0.0.1:{_free_port()}"
    for uri, password in ((unreachable, MARKER), (auth_server.bolt_uri, WRONG), ("http://x", MARKER)):
        config = Neo4jConfig(uri=uri, password=password)
        texts.append(repr(config))
        for call in (lambda c=config: load_store(store, c), lambda c=config: run_query(c, "RETURN 1"),
                     lambda c=config: connect(c)):
            with pytest.raises(Neo4jError) as info:
                call()
            texts.append(str(info.value))
            texts.append("".join(traceback.format_exception(info.value)))
    store.close()
    texts.extend(f"{r.getMessage()} {r.args!r}" for r in caplog.records)
    assert caplog.records  # the driver did log at DEBUG
    for text in texts:
        assert MARKER not in text and WRONG not in text, text
