"""``graphbuild watch`` as a process: SIGTERM mid-cycle, and the loop feeding Neo4j (the real test server).

The process runs the real command line with the stand-in extractor of
``spine_helpers`` (no model to load); the site is served on 127.0.0.1 by the test.
"""

from __future__ import annotations

import os
import queue
import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graphbuild import cli
from spine_helpers import FakeExtractor
from web_site import Page, Site, article_html, rss

TESTS = Path(__file__).resolve().parent
FAST = ["--host-delay", "0", "--backoff", "0.001", "--retries", "1", "--timeout", "5", "--concurrency", "1"]
LAUNCH = (
    "import sys; sys.path.insert(0, sys.argv[1]); from spine_helpers import FakeExtractor; from graphbuild import cli; "
    "cli._make_ingest_extractor = lambda *a: FakeExtractor(); sys.argv = ['graphbuild', *sys.argv[2:]]; cli.main()"
)
NAMES = ["Ardor", "Belmark", "Corvania", "Dunmere"]


def _watch(args: list[str], env: dict[str, str] | None = None) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", LAUNCH, str(TESTS), "watch", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, **(env or {})})


def _lines(stream) -> queue.Queue:
    q: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [q.put(line) for line in stream], daemon=True).start()
    return q


def _site(n: int) -> tuple[Site, list]:
    site = Site()
    entries = []
    for i in range(1, n + 1):
        a, b = NAMES[i % 4], NAMES[(i + 1) % 4]
        site.routes[f"/news/{i}.html"] = Page(article_html(f"Story {i}", f"{a} meets {b}.\n\nStory {i} goes on "
                                                           "for a while, as news stories do."), etag=f'"{i}"')
        entries.append((f"e{i}", site.url(f"/news/{i}.html"), f"Summary {i}."))
    site.routes["/robots.txt"] = Page(b"User-agent: *\nAllow: /\n", "text/plain")
    site.routes["/feed.xml"] = Page(rss("Wire", entries), "application/rss+xml", etag='"v1"')
    return site.start(), entries


def test_sigterm_mid_cycle_leaves_a_sound_store_and_the_next_run_resumes(tmp_path, monkeypatch):
    site, _ = _site(3)
    requested, release = threading.Event(), threading.Event()
    page2 = site.routes["/news/2.html"]

    def held(handler):  # the second page answers only after the test has sent SIGTERM
        requested.set()
        release.wait(30)
        return 200, {"Content-Type": "text/html; charset=utf-8"}, page2.body.encode()

    site.routes["/news/2.html"] = held
    db = tmp_path / "g.db"
    try:
        proc = _watch([site.url("/feed.xml"), "--db", str(db), "--every", "1h", *FAST])
        assert requested.wait(60), proc.stderr.read() if proc.poll() is not None else "page 2 never requested"
        proc.send_signal(signal.SIGTERM)
        release.set()
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        assert err.strip().endswith("stopped: everything fetched so far is stored")
        con = sqlite3.connect(db)
        try:
            assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            stored = {r[0] for r in con.execute("SELECT id FROM articles")}
        finally:
            con.close()
        # stopped between articles: page 1 (if it was handed over before the signal) and nothing after it
        assert stored <= {site.url("/news/1.html")}
        # the next run resumes: what was stored is not fetched again, the rest is
        site.routes["/news/2.html"] = page2
        site.log.clear()
        monkeypatch.setattr(cli, "_make_ingest_extractor", lambda *args: FakeExtractor())
        res = CliRunner().invoke(cli.app, ["watch", site.url("/feed.xml"), "--db", str(db), "--once", *FAST])
        assert res.exit_code == 0, res.stderr
        assert res.stdout.startswith(f"cycle 1: {3 - len(stored)} new, 0 replaced, {len(stored)} unchanged, 0 failed")
        assert len(site.requests("/news/1.html")) == (0 if stored else 1)
        con = sqlite3.connect(db)
        try:
            assert con.execute("SELECT count(*) FROM articles").fetchone() == (3,)
        finally:
            con.close()
    finally:
        release.set()
        site.stop()


@pytest.mark.neo4j
def test_watch_picks_up_a_new_entry_loads_it_into_neo4j_and_exits_0_on_sigterm(tmp_path, neo4j_db):
    site, entries = _site(2)
    env = {"NEO4J_URI": neo4j_db.uri, "NEO4J_USER": neo4j_db.user}
    if neo4j_db.password:
        env["NEO4J_PASSWORD"] = neo4j_db.password
    proc = _watch([site.url("/feed.xml"), "--db", str(tmp_path / "g.db"), "--every", "0.2s", "--neo4j", *FAST], env)
    try:
        lines = _lines(proc.stdout)
        first = lines.get(timeout=120)
        assert first.startswith("cycle 1: 2 new, 0 replaced, 0 unchanged, 0 failed, 2 relations added"), first
        # Story 3: Dunmere meets Ardor; the feed gains it while the watch runs
        site.routes["/news/3.html"] = Page(article_html("Story 3", "Dunmere meets Ardor.\n\nStory 3 goes on for "
                                                        "a while, as news stories do."), etag='"3"')
        site.routes["/feed.xml"] = Page(rss("Wire", [*entries, ("e3", site.url("/news/3.html"), "Summary 3.")]),
                                        "application/rss+xml", etag='"v2"')
        while True:
            line = lines.get(timeout=120)
            assert " 0 failed" in line, line
            if line.startswith("cycle") and " 1 new," in line:
                break
        assert "Neo4j:" in line
        with neo4j_db.driver.session(database=neo4j_db.database) as session:
            rows = session.run("MATCH (a:Entity)-[r:MEETS]->(b:Entity) RETURN a.id AS a, b.id AS b "
                               "ORDER BY a, b").data()
        assert {"country:ARD", "country:DUN"} in [{r["a"], r["b"]} for r in rows]
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
    finally:
        if proc.poll() is None:
            proc.kill()
        site.stop()
