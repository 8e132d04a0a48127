"""A small web site for the web-source tests: a threaded ``http.server`` on 127.0.0.1, nothing else.

Routes map a path to a :class:`Page` (static, with ETag / Last-Modified and
conditional answers) or to a function ``(handler) -> (status, headers, body)``.
Every request is logged (path and headers) so tests can assert what was asked.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Page:
    body: bytes | str
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    etag: str | None = None
    last_modified: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    status: int = 0


class Site:
    def __init__(self) -> None:
        self.routes: dict[str, Page | Callable] = {}
        self.log: list[Request] = []
        self.lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body go out as two writes

            def log_message(self, *args) -> None:  # quiet
                pass

            def do_GET(self) -> None:  # noqa: N802
                request = Request(self.path, {k.lower(): v for k, v in self.headers.items()})
                with site.lock:
                    site.log.append(request)
                route = site.routes.get(self.path)
                if route is None:
                    status, headers, body = 404, {"Content-Type": "text/plain"}, b"not here"
                elif callable(route):
                    status, headers, body = route(self)
                else:
                    status, headers, body = _static(route, request.headers)
                request.status = status
                try:
                    self.send_response(status)
                    headers = {"Content-Length": str(len(body)), **headers}
                    if headers["Content-Length"] is None:  # no length given: the body ends when the connection does
                        headers["Connection"] = "close"
                        self.close_connection = True
                    for name, value in headers.items():
                        if value is not None:
                            self.send_header(name, value)
                    self.end_headers()
                    if status != 304:
                        self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        class Server(ThreadingHTTPServer):
            def handle_error(self, request, client_address) -> None:  # a client that hung up: keep it, quietly
                import traceback

                site.errors.append(traceback.format_exc())

        self.errors: list[str] = []
        self.server = Server(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return self.base + path

    def requests(self, path: str) -> list[Request]:
        with self.lock:
            return [r for r in self.log if r.path == path]

    def start(self) -> Site:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _static(page: Page, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    out = {"Content-Type": page.content_type, **page.headers}
    if page.etag:
        out["ETag"] = page.etag
    if page.last_modified:
        out["Last-Modified"] = page.last_modified
    if page.status == 200 and page.etag and headers.get("if-none-match") == page.etag:
        return 304, out, b""
    if page.status == 200 and page.last_modified and not page.etag and \
            headers.get("if-modified-since") == page.last_modified:
        return 304, out, b""
    body = page.body.encode("utf-8") if isinstance(page.body, str) else page.body
    return page.status, out, body


def article_html(title: str, body: str, *, canonical: str | None = None, site_name: str = "Ardor Herald",
                 date: str = "2024-03-05", charset: str | None = "utf-8") -> str:
    """A news page with the metadata trafilatura reads (title, date, site name, canonical URL)."""
    meta = f'<meta charset="{charset}">' if charset else ""
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
    return (f"<!DOCTYPE html><html><head>{meta}<title>{title}</title>{link}"
            f'<meta property="og:site_name" content="{site_name}">'
            f'<meta property="article:published_time" content="{date}">'
            f"</head><body><nav><a href='/'>Home</a></nav><article><h1>{title}</h1>{paragraphs}</article>"
            f"<footer>Share this</footer></body></html>")


def rss(title: str, entries: list[tuple[str, str, str]]) -> bytes:
    """An RSS 2.0 feed of (guid, link, description) entries."""
    items = "".join(
        f"<item><title>Entry {guid}</title><guid>{guid}</guid><link>{link}</link>"
        f"<description>{text}</description><pubDate>Tue, 05 Mar 2024 10:00:00 GMT</pubDate></item>"
        for guid, link, text in entries)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>'
            f"<link>http://127.0.0.1/</link><description>d</description>{items}</channel></rss>").encode("utf-8")
