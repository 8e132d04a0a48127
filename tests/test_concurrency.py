"""Concurrency: several ``graphbuild ingest`` processes writing one store at once (overlapping
corpora, a store that does not exist yet) serialise on SQLite's write lock: nothing lost,
nothing twice, every article exactly as a single clean run stores it.

Reproduce by hand::

    graphbuild ingest A/ --db s.db & graphbuild ingest B/ --db s.db & wait
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from test_crash_safety import _article_rows, _corpus, _entities, _ingest_cmd

from graphbuild.store import Store


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """45 articles and what one clean run stores for them."""
    root = tmp_path_factory.mktemp("conc")
    corpus = _corpus(root / "all", 45)
    db = root / "ref.db"
    done = subprocess.run(_ingest_cmd(corpus, db), capture_output=True, text=True, cwd=root, timeout=300)
    assert done.returncode == 0, done.stderr
    return corpus, db, _article_rows(db)


def _subset(corpus: Path, dest: Path, numbers: range) -> Path:
    dest.mkdir()
    for i in numbers:
        shutil.copy(corpus / f"a{i:02d}.txt", dest / f"a{i:02d}.txt")
    return dest


@pytest.mark.parametrize("slices", [
    (range(0, 30), range(15, 45)),                  # two ingests, 15 articles in common
    (range(0, 45), range(0, 45), range(10, 20)),    # three at once, the same articles
], ids=["two-overlapping", "three-same"])
def test_concurrent_ingests_serialise_without_loss_or_duplicates(reference, tmp_path, slices):
    corpus, ref_db, ref_rows = reference
    inputs = [_subset(corpus, tmp_path / f"in{k}", numbers) for k, numbers in enumerate(slices)]
    db = tmp_path / "shared.db"  # does not exist yet: the processes also race to create it
    procs = [subprocess.Popen(_ingest_cmd(d, db), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              cwd=tmp_path) for d in inputs]
    results = [(p, *p.communicate(timeout=300)) for p in procs]
    new = 0
    for (proc, out, err), numbers in zip(results, slices):
        if proc.returncode != 0:  # allowed only as one clear line about the busy store
            assert proc.returncode == 1 and len(err.strip().splitlines()) == 1, err
            assert "the store is busy (another graphbuild is writing)" in err, err
            continue
        assert err == "", err
        counts = json.loads(out)["articles"]
        assert counts["failed"] == counts["replaced"] == 0
        assert counts["new"] + counts["unchanged"] == len(numbers)
        new += counts["new"]
    wanted = set().union(*slices)
    assert new == len(wanted)  # each article written exactly once
    assert sqlite3.connect(db).execute("PRAGMA integrity_check").fetchone() == ("ok",)
    stored = _article_rows(db)
    assert stored == {aid: rows for aid, rows in ref_rows.items() if aid in stored}
    assert len(stored) == len(wanted)
    ref_entities = {e[0] for e in _entities(ref_db)}
    assert {e[0] for e in _entities(db)} <= ref_entities
    with Store(db) as store:
        assert store.stats()["articles"] == len(wanted)
        assert len(list(store.evidence())) == sum(len(rows[2]) for rows in stored.values())


@pytest.mark.neo4j
def test_concurrent_loads_into_an_empty_neo4j_both_succeed(neo4j_db, tmp_path):
    """Two loads racing to create the schema (seen as 'EquivalentSchemaRuleAlreadyExists') both finish."""
    from concurrent.futures import ThreadPoolExecutor

    from graphdata import build_fixture_store, expected_graph, neo4j_graph

    from graphbuild.sinks.neo4j import Neo4jConfig, load_store

    config = Neo4jConfig(uri=neo4j_db.uri, user=neo4j_db.user, password=neo4j_db.password)
    paths = [tmp_path / f"s{k}.db" for k in range(3)]
    for path in paths:
        build_fixture_store(path).close()

    def load(path):
        with Store(path) as store:
            return load_store(store, config)

    with ThreadPoolExecutor(3) as pool:
        list(pool.map(load, paths))
    with Store(paths[0]) as store:
        assert neo4j_graph(neo4j_db.driver) == expected_graph(store)
