"""Crash safety: ``graphbuild ingest`` killed with SIGKILL at random points, and the Neo4j
server stopped in the middle of ``graphbuild load``.  Nothing may be lost or half-written.

Reproduce by hand::

    graphbuild ingest CORPUS --db s.db --batch-size 1 & sleep 3; kill -9 $!
    sqlite3 s.db 'PRAGMA integrity_check'; graphbuild ingest CORPUS --db s.db
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from graphdata import expected_graph, neo4j_graph

from graphbuild.models import Article, Entity, Evidence, Extraction, Mention, Relation
from graphbuild.store import Store

PLAYERS = ["Russia", "China", "Iran", "Iraq", "France", "Germany", "Japan", "India", "Ukraine", "Poland"]
TEMPLATES = [
    "{a} met {b} in Geneva on Monday.", "{a} criticized {b} over the border dispute.",
    "{a} signed an energy agreement with {b}.", "{a} imposed sanctions on {b}.",
    "{a} may supply drones to {b}, officials said.", "{a} denied attacking {b}.",
]


def _corpus(root: Path, n: int = 40) -> Path:
    rng = random.Random(7)
    root.mkdir()
    for i in range(n):
        lines = [f"Report {i}: {PLAYERS[i % 10]} and {PLAYERS[(i + 3) % 10]}", ""]
        for _ in range(4):
            a, b = rng.sample(PLAYERS, 2)
            lines.append(rng.choice(TEMPLATES).format(a=a, b=b))
        (root / f"a{i:02d}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def _ingest_cmd(corpus: Path, db: Path) -> list[str]:
    return [sys.executable, "-m", "graphbuild", "ingest", str(corpus), "--db", str(db), "--batch-size", "1", "--json"]


def _article_rows(db: Path) -> dict[str, tuple]:
    """Per stored article: everything stored for it (ids and timestamps left out), sorted."""
    con = sqlite3.connect(db)
    try:
        out = {}
        for (aid,) in con.execute("SELECT id FROM articles"):
            out[aid] = (
                con.execute("SELECT title, date, url, source, sha256, text FROM articles WHERE id = ?",
                            (aid,)).fetchall(),
                sorted(con.execute("SELECT entity_id, surface, start, end FROM mentions WHERE article_id = ?",
                                   (aid,)).fetchall()),
                sorted(con.execute("SELECT subject, predicate, object, modality, sentence, start, end, rule,"
                                   " confidence, items, inferred, cameo, weight FROM relations WHERE article_id = ?",
                                   (aid,)).fetchall()),
                sorted(con.execute("SELECT entity_id, alias FROM aliases WHERE article_id = ?", (aid,)).fetchall()),
            )
        return out
    finally:
        con.close()


def _entities(db: Path) -> list[tuple]:
    con = sqlite3.connect(db)
    try:
        return sorted(con.execute("SELECT id, type, name, iso3 FROM entities").fetchall())
    finally:
        con.close()


def _check_store(db: Path, reference: dict[str, tuple]) -> int:
    """The store opens cleanly and holds only whole articles, each exactly as a clean run stores it."""
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        # no entity without anything that names it, no row pointing at a missing entity
        assert con.execute("SELECT COUNT(*) FROM entities e WHERE NOT EXISTS (SELECT 1 FROM aliases a"
                           " WHERE a.entity_id = e.id)").fetchone() == (0,)
    finally:
        con.close()
    with Store(db) as store:  # opens (and recovers the WAL) like graphbuild does
        store.stats()
    stored = _article_rows(db)
    for aid, rows in stored.items():
        assert rows == reference[aid], f"article {aid} is not whole"
    return len(stored)


def _count_articles(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return con.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return 0  # not created yet


def test_kill_9_during_ingest_loses_nothing(tmp_path):
    corpus = _corpus(tmp_path / "corpus")
    ref_db = tmp_path / "ref.db"
    done = subprocess.run(_ingest_cmd(corpus, ref_db), capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert done.returncode == 0, done.stderr
    reference = _article_rows(ref_db)
    assert len(reference) == 40 and all(rows[2] for rows in reference.values())  # every article has relations

    db = tmp_path / "killed.db"
    rng = random.Random(20240305)
    partial = []
    for _ in range(6):
        have = _count_articles(db)
        target = have + rng.randint(0, 8)  # kill once this many articles are stored ...
        proc = subprocess.Popen(_ingest_cmd(corpus, db), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                cwd=tmp_path)
        deadline = time.monotonic() + 120
        while proc.poll() is None and _count_articles(db) < target and time.monotonic() < deadline:
            time.sleep(0.005)
        time.sleep(rng.uniform(0, 0.08))  # ... plus a random moment: mid-extraction or mid-transaction
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait(30)
        partial.append(_check_store(db, reference))
    assert any(0 < n < 40 for n in partial), partial  # some kills really landed mid-run

    done = subprocess.run(_ingest_cmd(corpus, db), capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["articles"] == {"new": 40 - partial[-1], "replaced": 0, "unchanged": partial[-1], "failed": 0}
    assert _article_rows(db) == reference
    assert _entities(db) == _entities(ref_db)
    with Store(db) as store, Store(ref_db) as ref:
        assert store.stats() == ref.stats()


# -- Neo4j stopped in the middle of a load ----------------------------------------------------
def _big_store(path: Path, n_articles: int = 1500) -> Store:
    """A synthetic store large enough that a load with small batches takes several seconds."""
    store = Store(path)
    rng = random.Random(11)
    ents = [Entity(f"country:C{i:03d}", "Country", f"Country {i} 'q' `b` \\", (f"C{i}",), f"C{i:02d}")
            for i in range(120)]
    extractions = []
    for i in range(n_articles):
        aid = f"art-{i:05d}"
        sentence = f"Sentence {i} '}}) // /* {rng.random()}"
        text = f"Title {i}\n\n{sentence}"
        picked = rng.sample(ents, 3)
        rels = tuple(Relation(picked[0].id, pred, picked[k].id, "asserted",
                              Evidence(aid, sentence, len(f"Title {i}\n\n"), len(text), "syn", 0.5))
                     for k, pred in ((1, "CRITICIZES"), (2, "SANCTIONS")))
        extractions.append(Extraction(Article(aid, text, f"Title {i}", "2024-01-01", None, "syn", origin="syn"),
                                      tuple(picked), tuple(Mention(e.id, e.name, 0, 1) for e in picked), rels))
    store.write_many(extractions)
    return store


@pytest.mark.neo4j
def test_neo4j_stopped_mid_load_then_rerun_completes_exactly(neo4j_launcher, tmp_path):
    from neo4j import GraphDatabase

    store = _big_store(tmp_path / "big.db")
    expected = expected_graph(store)
    store.close()
    home = tmp_path / "neo4j-home"
    server = neo4j_launcher.start(home=home)
    try:
        cmd = [sys.executable, "-m", "graphbuild", "load", "--uri", server.bolt_uri, "--db", str(tmp_path / "big.db"),
               "--batch-size", "20"]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path)
        with GraphDatabase.driver(server.bolt_uri, auth=server.auth, notifications_min_severity="OFF") as driver:
            deadline = time.monotonic() + 120
            while proc.poll() is None and time.monotonic() < deadline:
                records, _, _ = driver.execute_query("MATCH (a:Article) RETURN count(a) AS n", database_="neo4j")
                if records[0]["n"] > 0:  # entities are in, articles are being written
                    break
                time.sleep(0.05)
        assert proc.poll() is None, "the load ended before the server could be stopped; make the store larger"
        server.stop()  # SIGTERM: the server goes away mid-load
        stopped_uri = server.bolt_uri
        # Restart on the same data (new ports) while the load is still retrying: it must not find it.
        server = neo4j_launcher.start(home=home)
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 1, (out, err)
        lines = err.strip().splitlines()
        assert lines == [f"error: cannot reach Neo4j at {stopped_uri}: connection refused; "
                         "start it with `docker compose up -d` or set NEO4J_URI"], err
        with GraphDatabase.driver(server.bolt_uri, auth=server.auth) as driver:
            records, _, _ = driver.execute_query(
                "MATCH (a:Article) RETURN count(a) AS n, count(a.sha256) AS sealed", database_="neo4j")
        sealed = records[0]["sealed"]
        assert sealed < len(expected["articles"]), "the first load was not interrupted"
        cmd[cmd.index("--uri") + 1] = server.bolt_uri
        done = subprocess.run(cmd + ["--json"], capture_output=True, text=True, cwd=tmp_path, timeout=300)
        assert done.returncode == 0, done.stderr
        report = json.loads(done.stdout)
        assert report["articles_unchanged"] == sealed
        assert report["articles_new"] + report["articles_changed"] == len(expected["articles"]) - sealed
        with GraphDatabase.driver(server.bolt_uri, auth=server.auth) as driver:
            assert neo4j_graph(driver) == expected  # nothing missing, nothing twice
            # and a third load has nothing left to do
            again = subprocess.run(cmd + ["--json"], capture_output=True, text=True, cwd=tmp_path, timeout=300)
            assert again.returncode == 0 and json.loads(again.stdout)["nodes_created"] == 0
            assert neo4j_graph(driver) == expected
    finally:
        server.stop()
