"""bench/neo4j_load.py runs against the real test server on a tiny store (no timing asserted)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from randomcorpus import build_random_store

pytestmark = pytest.mark.neo4j


def _bench(repo_root: Path, neo4j_db, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the benchmark on the test server; the password goes by env, as users should pass it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    if neo4j_db.password is not None:
        env["NEO4J_PASSWORD"] = neo4j_db.password
    cmd = [sys.executable, "bench/neo4j_load.py", "--uri", neo4j_db.uri, "--user", neo4j_db.user, *args]
    return subprocess.run(cmd, cwd=repo_root, env=env, capture_output=True, text=True, timeout=600)


def test_neo4j_load_benchmark_runs(repo_root, neo4j_db, tmp_path):
    db = tmp_path / "tiny.db"
    build_random_store(db, 30).close()
    results = tmp_path / "RESULTS.md"
    res = _bench(repo_root, neo4j_db, "--db", str(db), "--naive-max", "20", "--every", "5", "--batch-size", "50",
                 "--append", str(results))
    assert res.returncode == 0, res.stdout + res.stderr
    out = res.stdout
    assert "store:              31 articles" in out
    for line in ("graph:", "graphbuild load:", "naive load:", "ratio:", "no-change reload:", "incremental 20%:"):
        assert any(row.startswith(line) for row in out.splitlines()), (line, out)
    assert "relation edges/s" in out and "relationships/s" in out and "(subset: " in out
    assert "incremental graph:  same as the full load; reload after it changed nothing" in out
    rows = [line for line in results.read_text(encoding="utf-8").splitlines() if line.startswith("| 20")]
    assert len(rows) == 2
    assert "Neo4j load vs naive per-relationship statements" in rows[0] and "ratio " in rows[0]
    assert "Neo4j incremental load" in rows[1] and "% of full" in rows[1]
    assert all(row.count(" | ") == 8 for row in rows), rows
    if neo4j_db.password:
        assert neo4j_db.password not in out + res.stderr + results.read_text(encoding="utf-8")

    # The database now holds the graph: the benchmark refuses to empty it unless told.
    again = _bench(repo_root, neo4j_db, "--db", str(db), "--naive-max", "5")
    assert again.returncode == 2 and "is not empty" in again.stderr and "--allow-wipe" in again.stderr


def test_neo4j_queries_benchmark_runs_every_saved_query(repo_root, neo4j_db, tmp_path):
    """bench/neo4j_queries.py: loads the store, times every saved query, appends one row per kind."""
    db = tmp_path / "tiny.db"
    build_random_store(db, 30).close()
    results = tmp_path / "RESULTS.md"
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    cmd = [sys.executable, "bench/neo4j_queries.py", "--uri", neo4j_db.uri, "--user", neo4j_db.user,
           "--db", str(db), "--load", "--allow-wipe", "--runs", "1", "--append", str(results)]
    if neo4j_db.password is not None:
        cmd += ["--password", neo4j_db.password]
    res = subprocess.run(cmd, cwd=repo_root, env=env, capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stdout + res.stderr
    from graphbuild.queries import load_catalogue
    from graphbuild.sinks.browser import browser_query_dir

    names = sorted({*load_catalogue(), *load_catalogue(browser_query_dir())})
    table = [line.split(" | ")[0].removeprefix("| `").removesuffix("`") for line in res.stdout.splitlines()[2:]]
    assert table == [*names, "evidence` before"]
    rows = [line for line in results.read_text(encoding="utf-8").splitlines() if line.startswith("| 20")]
    assert len(rows) == 2 and all(row.count(" | ") == 8 for row in rows), rows
    assert f"all {len(names)} saved queries as pasted" in rows[1]
