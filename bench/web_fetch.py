"""Pages/s of fetch + ingest from a local web site: ``--concurrency C`` vs one request at a time.

    python bench/web_fetch.py [--pages N] [--latency S] [--concurrency C] [--append bench/RESULTS.md]

A threaded ``http.server`` on 127.0.0.1 serves N article pages (texts from
bench/make_corpus.py), each answer held ``--latency`` seconds to stand for a
remote server. The real ``WebReader`` (fetch, trafilatura) feeds the real ingest
(extractor built beforehand, in this process, a fresh store and HTTP cache per
run): once with one request in flight, once with C. The per-host delay is 0 here
(every page is on one host; with the default 1 s delay, politeness and not the
concurrency sets the pace for a single site). Both stores must hold the same
articles, or the benchmark fails.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_corpus import build  # noqa: E402
from results import append_rows, machine, versions  # noqa: E402


def serve(pages: dict[str, bytes], latency: float) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body go out as two writes

        def log_message(self, *args) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802
            body = pages.get(self.path)
            time.sleep(latency)
            status = 200 if body is not None else 404
            body = body if body is not None else b""
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def page(title: str, text: str) -> bytes:
    paragraphs = "".join(f"<p>{p}</p>" for p in text.split("\n") if p.strip())
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title>"
            f"<meta property='og:site_name' content='Bench Wire'></head><body><article><h1>{title}</h1>"
            f"{paragraphs}</article></body></html>").encode("utf-8")


def fetch_only(urls: list[str], concurrency: int) -> float:
    """Seconds to fetch and read (trafilatura) every page, no extraction, no cache."""
    from graphbuild.sources.fetch import Fetcher, FetchOptions
    from graphbuild.sources.web import WebReader

    start = time.perf_counter()
    with Fetcher(FetchOptions(concurrency=concurrency, host_delay=0.0)) as fetcher:
        items = list(WebReader(fetcher).read(urls))
    if len(items) != len(urls) or any(not hasattr(i, "text") for i in items):
        raise SystemExit("fetch failed")
    return time.perf_counter() - start


def run(urls: list[str], extractor, concurrency: int, work: Path) -> tuple[float, int]:
    from graphbuild.pipeline import ingest
    from graphbuild.sources.fetch import Fetcher, FetchOptions
    from graphbuild.sources.web import WebReader
    from graphbuild.sources.webstate import WebState
    from graphbuild.store import Store

    db = work / f"c{concurrency}.db"
    options = FetchOptions(concurrency=concurrency, host_delay=0.0)
    start = time.perf_counter()
    with Store(db) as store, WebState(work / f"c{concurrency}.web.db") as state, Fetcher(options, state) as fetcher:
        report = ingest(WebReader(fetcher).read(urls), store, extractor)
    seconds = time.perf_counter() - start
    if report.problems:
        raise SystemExit(f"fetch failed: {report.problems[0]}")
    return seconds, report.count("new")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=200)
    ap.add_argument("--latency", type=float, default=0.1, help="seconds each answer is held")
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--append", type=Path, default=None)
    args = ap.parse_args(argv)

    from graphbuild.extract.engine import Extractor

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        build(args.pages, work / "corpus.jsonl")
        articles = [json.loads(line) for line in (work / "corpus.jsonl").read_text(encoding="utf-8").splitlines()]
        pages = {f"/a/{i}.html": page(a["title"], a["text"].split("\n\n", 1)[-1]) for i, a in enumerate(articles)}
        server = serve(pages, args.latency)
        base = f"http://127.0.0.1:{server.server_address[1]}"
        urls = [base + path for path in pages]
        read_one = fetch_only(urls, 1)
        read_many = fetch_only(urls, args.concurrency)
        extractor = Extractor()
        one, n1 = run(urls, extractor, 1, work)
        many, n2 = run(urls, extractor, args.concurrency, work)
        server.shutdown()
        same = {r for r in sqlite3.connect(work / "c1.db").execute("SELECT sha256 FROM articles")} == \
            {r for r in sqlite3.connect(work / f"c{args.concurrency}.db").execute("SELECT sha256 FROM articles")}
    if not (same and n1 == n2 == args.pages):
        raise SystemExit(f"stores differ: {n1} vs {n2} articles (same content: {same})")
    ratio = one / many
    n = args.pages
    print(f"fetch + read: one at a time {n / read_one:.1f} pages/s; --concurrency {args.concurrency}: "
          f"{n / read_many:.1f} pages/s; ratio: {read_one / read_many:.2f}x")
    print(f"one at a time: {n1 / one:.1f} pages/s ({one:.1f} s); --concurrency {args.concurrency}: "
          f"{n2 / many:.1f} pages/s ({many:.1f} s); ratio: {ratio:.2f}x; identical stores: yes")
    if args.append:
        import httpx
        import trafilatura

        append_rows(args.append, [(
            f"fetch + read (trafilatura, no extraction), --concurrency {args.concurrency} vs 1", machine(),
            f"{n} local pages, {args.latency:g} s latency each, host delay 0",
            f"1 at a time {n / read_one:.1f} pages/s", f"{args.concurrency} at a time {n / read_many:.1f} pages/s",
            f"{read_one / read_many:.2f}x",
            versions(f"httpx {httpx.__version__}", f"trafilatura {trafilatura.__version__}"),
            f"python bench/web_fetch.py --pages {args.pages} --latency {args.latency:g} "
            f"--concurrency {args.concurrency}",
        ), (
            f"fetch + ingest, --concurrency {args.concurrency} vs 1", machine(),
            f"{args.pages} local pages, {args.latency:g} s latency each, host delay 0",
            f"1 at a time {n1 / one:.1f} pages/s", f"{args.concurrency} at a time {n2 / many:.1f} pages/s",
            f"{ratio:.2f}x (identical stores)",
            versions(f"httpx {httpx.__version__}", f"trafilatura {trafilatura.__version__}"),
            f"python bench/web_fetch.py --pages {args.pages} --latency {args.latency:g} "
            f"--concurrency {args.concurrency}",
        )])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
