"""Pages and feeds from the web, against a site the tests serve on 127.0.0.1 (nothing else is contacted)."""

from __future__ import annotations

import json
import sqlite3
import threading

import pytest
from typer.testing import CliRunner

from graphbuild import cli
from graphbuild.sources.fetch import Fetched, Fetcher, FetchOptions
from graphbuild.sources.webstate import WebState
from spine_helpers import FakeExtractor
from web_site import Page, Site, article_html, rss

runner = CliRunner()
FAST = ["--host-delay", "0", "--backoff", "0.001", "--retries", "1", "--timeout", "10", "--workers", "1"]


@pytest.fixture
def fake(monkeypatch):
    fx = FakeExtractor()
    monkeypatch.setattr(cli, "_make_ingest_extractor", lambda *args: fx)
    return fx


@pytest.fixture
def site():
    s = Site()
    s.release = threading.Event()
    s.routes["/robots.txt"] = Page(b"User-agent: *\nDisallow: /private/\n", "text/plain")
    s.routes["/a.html"] = Page(article_html("Ardor meets Belmark", "Ardor meets Belmark.\n\nThe two states "
                                            "talked about trade for a long time in the capital.",
                                            canonical=s.url("/world/a")), etag='"a1"')
    s.routes["/w1252.html"] = Page(article_html("Talks in Zürich", "Ardor meets Corvania in a Zürich café, "
                                                "“quietly”.\n\nA second paragraph long enough to keep.",
                                                charset="windows-1252", site_name="Café Post").encode("cp1252"),
                                   "text/html", last_modified="Tue, 05 Mar 2024 10:00:00 GMT")
    s.routes["/news/1.html"] = Page(article_html("One", "Corvania meets Dunmere.\n\nThe full page has more "
                                                 "words than the feed summary.", site_name="Rohan Wire"), etag='"n1"')
    s.routes["/news/2.html"] = Page(article_html("Two", "Dunmere meets Ardor.\n\nAgain the whole page text, "
                                                 "longer than the summary.", site_name="Rohan Wire",
                                                 canonical="/stories/two"), etag='"n2"')
    s.routes["/feed.xml"] = Page(rss("Rohan Wire feed", [
        ("e1", s.url("/news/1.html"), "Summary one."),
        ("e2", s.url("/news/2.html"), "Summary two."),
        ("e3", s.url("/news/gone.html"), "Belmark meets Corvania."),
    ]), "application/rss+xml", etag='"f1"')
    s.routes["/doc.pdf"] = Page(b"%PDF-1.4 ...", "application/pdf")
    s.routes["/huge.html"] = Page(b"<html><body>" + b"<p>Ardor.</p>" * 5000 + b"</body></html>")
    s.routes["/loop"] = lambda h: (302, {"Location": "/loop2"}, b"")
    s.routes["/loop2"] = lambda h: (302, {"Location": "/loop"}, b"")
    s.routes["/private/secret.html"] = Page(b"<html><body><p>Ardor meets Belmark.</p></body></html>")

    def slow(handler):
        s.release.wait(10)
        return 200, {"Content-Type": "text/html"}, b"<html><body><p>late</p></body></html>"

    s.routes["/slow.html"] = slow
    flaky_calls = []

    def flaky(handler):  # 500 first, then the page
        flaky_calls.append(1)
        if len(flaky_calls) == 1:
            return 500, {"Content-Type": "text/plain"}, b"oops"
        return 200, {"Content-Type": "text/html; charset=utf-8"}, article_html(
            "Flaky", "Belmark meets Dunmere.\n\nIt worked the second time, as servers often do.").encode()

    s.routes["/flaky.html"] = flaky
    s.start()
    yield s
    s.release.set()
    s.stop()


def _rows(db):
    con = sqlite3.connect(db)
    try:
        return {r[0]: r[1:] for r in con.execute("SELECT id, title, source, date, text FROM articles")}
    finally:
        con.close()


def test_ingest_urls_feeds_and_files_with_one_line_per_failure(fake, site, tmp_path):
    db = tmp_path / "g.db"
    local = tmp_path / "local.txt"
    local.write_text("Local note\n\nArdor meets Dunmere.\n", encoding="utf-8")
    listed = tmp_path / "urls.txt"
    listed.write_text(f"# my list\n{site.url('/doc.pdf')}\n\n{site.url('/huge.html')}\n"
                      f"{site.url('/private/secret.html')}\nnot-a-url\n", encoding="utf-8")
    res = runner.invoke(cli.app, [
        "ingest", str(local), site.url("/a.html"), site.url("/feed.xml"), site.url("/w1252.html"),
        site.url("/missing.html"), site.url("/loop"), site.url("/flaky.html"),
        "--urls", str(listed), "--db", str(db), "--max-bytes", "20000", "--json", *FAST])
    assert res.exit_code == 1, res.stderr
    u = site.url
    assert sorted(res.stderr.splitlines()) == sorted([
        f"warning: {u('/news/gone.html')}: page not used (HTTP 404 Not Found); stored the feed entry's own text",
        f"error: {listed}:6: not an http(s) URL: not-a-url",
        f"error: {u('/missing.html')}: HTTP 404 Not Found",
        f"error: {u('/loop')}: too many redirects (more than 5)",
        f"error: {u('/doc.pdf')}: not HTML or a feed (content type application/pdf)",
        f"error: {u('/huge.html')}: too large (65026 bytes > limit 20000)",
        f"error: {u('/private/secret.html')}: disallowed by robots.txt",
    ])
    out = json.loads(res.stdout)
    assert out["articles"] == {"new": 7, "replaced": 0, "unchanged": 0, "failed": 6}
    rows = _rows(db)
    assert "local" in rows and sorted(k for k in rows if k.startswith("http")) == sorted([  # local.txt: its file name
        u("/world/a"), u("/news/1.html"), u("/stories/two"), u("/news/gone.html"), u("/w1252.html"),
        u("/flaky.html"),
    ])
    # the page: canonical URL as id, site name as source, its date
    assert rows[u("/world/a")][:3] == ("Ardor meets Belmark", "Ardor Herald", "2024-03-05")
    # feed entries: the whole page text and the outlet; the failed page falls back to the entry's text
    assert rows[u("/news/1.html")][1] == "Rohan Wire"
    assert "more words than the feed summary" in rows[u("/news/1.html")][3]
    assert rows[u("/news/gone.html")][1:] == ("Rohan Wire feed", "2024-03-05",
                                              "Entry e3\n\nBelmark meets Corvania.")
    # windows-1252 without a charset header: read from the page's <meta charset>
    assert rows[u("/w1252.html")][1] == "Café Post"
    assert "Ardor meets Corvania in a Zürich café, “quietly”." in rows[u("/w1252.html")][3]
    # robots.txt read once; the disallowed page never requested; the flaky page asked twice
    assert len(site.requests("/robots.txt")) == 1 and not site.requests("/private/secret.html")
    assert [r.status for r in site.requests("/flaky.html")] == [500, 200]
    assert all(r.headers["user-agent"].startswith("graphbuild/") for r in site.log)


def test_second_run_sends_conditional_requests_and_reports_unchanged(fake, site, tmp_path):
    db = tmp_path / "g.db"
    args = ["ingest", site.url("/a.html"), site.url("/feed.xml"), site.url("/w1252.html"), "--db", str(db),
            "--json", *FAST]
    first = runner.invoke(cli.app, args)
    assert json.loads(first.stdout)["articles"]["new"] == 5
    calls, before = fake.calls, _rows(db)
    site.log.clear()
    second = runner.invoke(cli.app, args)
    assert json.loads(second.stdout)["articles"] == {"new": 0, "replaced": 0, "unchanged": 5, "failed": 0}
    assert fake.calls == calls and _rows(db) == before  # nothing extracted or written again
    asked = {r.path: (r.status, r.headers.get("if-none-match"), r.headers.get("if-modified-since"))
             for r in site.log if r.path != "/robots.txt"}
    assert asked == {
        "/a.html": (304, '"a1"', None), "/feed.xml": (304, '"f1"', None),
        "/news/1.html": (304, '"n1"', None), "/news/2.html": (304, '"n2"', None),
        "/w1252.html": (304, None, "Tue, 05 Mar 2024 10:00:00 GMT"),
        "/news/gone.html": (404, None, None),
    }
    with WebState(tmp_path / "g.web.db") as state:
        assert state.counts()["http_cache"] == 5  # the cache lives beside the store


def test_changed_page_replaces_its_extraction(fake, site, tmp_path):
    db = tmp_path / "g.db"
    args = ["ingest", site.url("/a.html"), "--db", str(db), "--json", *FAST]
    assert json.loads(runner.invoke(cli.app, args).stdout)["articles"]["new"] == 1
    site.routes["/a.html"] = Page(article_html("Ardor meets Corvania", "Ardor meets Corvania.\n\nThe visit "
                                               "changed at the last minute, the page says now.",
                                               canonical=site.url("/world/a")), etag='"a2"')
    res = runner.invoke(cli.app, args)
    assert json.loads(res.stdout)["articles"] == {"new": 0, "replaced": 1, "unchanged": 0, "failed": 0}
    con = sqlite3.connect(db)
    try:
        assert con.execute("SELECT id, title FROM articles").fetchall() == [(site.url("/world/a"),
                                                                              "Ardor meets Corvania")]
        assert con.execute("SELECT subject, predicate, object FROM relations").fetchall() == [
            ("country:ARD", "MEETS", "country:COR")]
    finally:
        con.close()


def test_429_retry_after_is_honoured_then_the_page_is_fetched(site):
    calls = []

    def busy(handler):
        calls.append(1)
        if len(calls) == 1:
            return 429, {"Retry-After": "2", "Content-Type": "text/plain"}, b"slow down"
        return 200, {"Content-Type": "text/html"}, b"<html><body><p>ok</p></body></html>"

    site.routes["/busy.html"] = busy
    site.routes["/busier.html"] = lambda h: (429, {"Retry-After": "3600"}, b"")
    site.routes["/down.html"] = lambda h: (503, {}, b"")
    slept = []
    with Fetcher(FetchOptions(host_delay=0, backoff=0.5, retries=2), sleep=slept.append) as fetcher:
        got = fetcher.get(site.url("/busy.html"))
        assert isinstance(got, Fetched) and got.body.endswith(b"<p>ok</p></body></html>")
        assert slept == [2.0]  # Retry-After, not the backoff
        slept.clear()
        assert str(fetcher.get(site.url("/busier.html"))) == (
            f"{site.url('/busier.html')}: HTTP 429 Too Many Requests (Retry-After 3600 s is longer than 300 s)")
        assert str(fetcher.get(site.url("/down.html"))) == (
            f"{site.url('/down.html')}: HTTP 503 Service Unavailable (after 2 retries)")
        assert slept == [0.5, 1.0]  # exponential backoff
    assert len(site.requests("/down.html")) == 3


def test_a_page_past_the_timeout_fails_in_one_line_after_its_retries(site):
    slept = []
    options = FetchOptions(host_delay=0, timeout=0.2, retries=1, backoff=0.5, robots=False)
    with Fetcher(options, sleep=slept.append) as fetcher:
        assert str(fetcher.get(site.url("/slow.html"))) == f"{site.url('/slow.html')}: timed out (after 1 retry)"
    assert slept == [0.5]


def test_a_body_without_a_length_is_cut_at_the_limit(site):
    site.routes["/endless.html"] = lambda h: (200, {"Content-Type": "text/html", "Content-Length": None},
                                              b"<p>x</p>" * 4000)
    with Fetcher(FetchOptions(host_delay=0, max_bytes=10_000)) as fetcher:
        assert str(fetcher.get(site.url("/endless.html"))) == (
            f"{site.url('/endless.html')}: too large (more than the limit of 10000 bytes)")


def test_watch_cycles_pick_up_new_entries_and_skip_stored_ones(fake, site, tmp_path):
    db = tmp_path / "g.db"
    feed_v2 = rss("Rohan Wire feed", [("e1", site.url("/news/1.html"), "Summary one."),
                                      ("e2", site.url("/news/2.html"), "Summary two."),
                                      ("e4", site.url("/news/4.html"), "Summary four.")])
    site.routes["/news/4.html"] = Page(article_html("Four", "Belmark meets Ardor.\n\nA page added later "
                                                    "in the day, long enough."), etag='"n4"')
    site.routes["/feed.xml"].body = rss("Rohan Wire feed", [("e1", site.url("/news/1.html"), "Summary one."),
                                                            ("e2", site.url("/news/2.html"), "Summary two.")])
    feed_calls = []
    static = site.routes["/feed.xml"]

    def feed(handler):  # the second request of the feed sees an entry added
        feed_calls.append(1)
        if len(feed_calls) >= 2:
            static.body, static.etag = feed_v2, '"f2"'
        from web_site import _static
        return _static(static, {k.lower(): v for k, v in handler.headers.items()})

    site.routes["/feed.xml"] = feed
    args = ["watch", site.url("/feed.xml"), "--db", str(db), "--every", "0s", *FAST]
    res = runner.invoke(cli.app, [*args, "--cycles", "2"])
    assert res.exit_code == 0, res.stderr
    assert res.stdout.splitlines() == [
        "cycle 1: 2 new, 0 replaced, 0 unchanged, 0 failed, 2 relations added, 4 requests",
        "cycle 2: 1 new, 0 replaced, 2 unchanged, 0 failed, 1 relations added, 2 requests",
    ]
    assert [r.path for r in site.log].count("/news/4.html") == 1
    before = _rows(db)
    # a restart resumes: --once twice fetches only the (unchanged) feed and changes nothing
    for _ in range(2):
        site.log.clear()
        res = runner.invoke(cli.app, [*args, "--once"])
        assert res.exit_code == 0, res.stderr
        assert res.stdout == "cycle 1: 0 new, 0 replaced, 3 unchanged, 0 failed, 0 relations added, 2 requests\n"
        assert [(r.path, r.status) for r in site.log] == [("/robots.txt", 200), ("/feed.xml", 304)]
    assert _rows(db) == before and len(before) == 3


def test_watch_once_fails_with_one_line_per_problem_and_retries_fallbacks(fake, site, tmp_path):
    db = tmp_path / "g.db"
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(f"# what we follow\n{site.url('/feed.xml')}\n", encoding="utf-8")
    args = ["watch", site.url("/missing.html"), "--feeds", str(feeds), "--db", str(db), "--once", *FAST]
    res = runner.invoke(cli.app, args)
    assert res.exit_code == 1
    assert res.stderr.splitlines() == [
        f"warning: {site.url('/news/gone.html')}: page not used (HTTP 404 Not Found); stored the feed entry's own text",
        f"error: {site.url('/missing.html')}: HTTP 404 Not Found",
    ]
    assert res.stdout.startswith("cycle 1: 3 new, 0 replaced, 0 unchanged, 1 failed,")
    site.log.clear()
    res = runner.invoke(cli.app, args)
    assert res.stdout.startswith("cycle 1: 0 new, 0 replaced, 3 unchanged, 1 failed,")
    # the entry stored from the feed's text is tried again; the whole pages are not
    assert sorted(r.path for r in site.log) == ["/feed.xml", "/missing.html", "/news/gone.html", "/robots.txt"]
    res = runner.invoke(cli.app, [*args, "--json"])
    cycle = json.loads(res.stdout)
    assert res.exit_code == 1 and res.stdout.count("\n") == 1
    assert {k: cycle[k] for k in ("cycle", "new", "replaced", "unchanged", "failed", "relations", "neo4j")} == {
        "cycle": 1, "new": 0, "replaced": 0, "unchanged": 3, "failed": 1, "relations": 0, "neo4j": None}
    assert cycle["problems"] == [{"origin": site.url("/missing.html"), "reason": "HTTP 404 Not Found"}]


def test_robots_can_be_ignored_and_an_unreachable_robots_txt_refuses_the_host(fake, site, tmp_path):
    db = tmp_path / "g.db"
    res = runner.invoke(cli.app, ["ingest", site.url("/private/secret.html"), "--db", str(db), "--ignore-robots",
                                  "--json", *FAST])
    assert res.exit_code == 0, res.stderr
    assert json.loads(res.stdout)["articles"]["new"] == 1 and not site.requests("/robots.txt")
    site.routes["/robots.txt"] = Page(b"down", "text/plain", status=503)
    res = runner.invoke(cli.app, ["ingest", site.url("/a.html"), "--db", str(db), *FAST])
    assert res.exit_code == 1
    assert res.stderr == (f"error: {site.url('/a.html')}: robots.txt unreachable (HTTP 503 Service Unavailable "
                          "(after 1 retry)), so the host is not fetched\n")
    assert not site.requests("/a.html")


def test_url_list_and_arguments_are_required(fake, tmp_path):
    res = runner.invoke(cli.app, ["ingest", "--db", str(tmp_path / "g.db")])
    assert res.exit_code == 2 and "give files, directories" in res.stderr
    res = runner.invoke(cli.app, ["watch", "--db", str(tmp_path / "g.db"), "--once"])
    assert res.exit_code == 2 and "give at least one feed" in res.stderr
    res = runner.invoke(cli.app, ["watch", "http://127.0.0.1:9/f.xml", "--every", "soon", "--once"])
    assert res.exit_code == 2 and "not an interval: 'soon'" in res.stderr


def test_requests_to_one_host_are_spaced_by_the_host_delay_or_a_longer_crawl_delay(site):
    site.routes["/robots.txt"] = Page(b"User-agent: *\nCrawl-delay: 5\n", "text/plain")
    slept = []
    with Fetcher(FetchOptions(host_delay=1.0), sleep=slept.append, clock=lambda: 0.0) as fetcher:
        assert isinstance(fetcher.get(site.url("/a.html")), Fetched)
        assert isinstance(fetcher.get(site.url("/news/1.html")), Fetched)
    # robots.txt at 0 (the 1 s delay applies until it is read), then slots 5 s apart
    assert slept == [1.0, 6.0] and fetcher.requests == 3


@pytest.mark.neo4j
def test_watch_loads_whatever_neo4j_lacks_even_with_nothing_new(fake, site, tmp_path, monkeypatch, neo4j_db):
    """Articles a cycle stored without reaching Neo4j (a failed load, a run without --neo4j) are loaded
    by the next cycle with --neo4j, though it fetches nothing new."""
    db = tmp_path / "g.db"
    args = ["watch", site.url("/feed.xml"), "--db", str(db), "--once", *FAST]
    res = runner.invoke(cli.app, args)
    assert res.exit_code == 0, res.stderr
    assert res.stdout.startswith("cycle 1: 3 new, 0 replaced, 0 unchanged, 0 failed,")
    monkeypatch.setenv("NEO4J_URI", neo4j_db.uri)
    monkeypatch.setenv("NEO4J_USER", neo4j_db.user)
    if neo4j_db.password:
        monkeypatch.setenv("NEO4J_PASSWORD", neo4j_db.password)
    res = runner.invoke(cli.app, [*args, "--neo4j"])
    assert res.exit_code == 0, res.stderr
    assert res.stdout.startswith("cycle 1: 0 new, 0 replaced, 3 unchanged, 0 failed,")
    with neo4j_db.driver.session(database=neo4j_db.database) as session:
        assert session.run("MATCH (a:Article) RETURN count(a) AS n").single()["n"] == 3
