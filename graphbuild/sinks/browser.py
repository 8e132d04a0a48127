"""Neo4j Browser as a workbench: the ``:play`` guide built from the saved queries, and a small server for it.

:func:`guide_html` renders a Browser guide (the ``<article class="guide">`` carousel that
``:play <url>`` shows): one slide per question with what it answers, the ready ``:params``
line, a graph query and its table.  The queries come from ``cypher/browser/`` (graph
queries, ``RETURN p``) and ``cypher/queries/`` (the saved tables), so the guide runs exactly
what the files hold.  :func:`serve` serves the guide and ``cypher/style.grass`` on
localhost with the CORS headers Browser needs (it fetches both from its own page), and
:func:`browser_commands` spells the ``:play`` and ``:style`` commands and the
``browser.post_connect_cmd`` line that applies both on connect.
"""

from __future__ import annotations

import html
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from ..errors import InputError
from ..queries import SavedQuery, load_catalogue
from .files import atomic_open

__all__ = ["GUIDE_FILE", "PROPERTIES", "STYLE_FILE", "Slide", "browser_commands", "browser_query_dir",
           "guide_html", "guide_queries", "serve", "slides", "style_path", "write_guide"]

GUIDE_FILE = "graphbuild.html"
STYLE_FILE = "style.grass"

#: What a user sees on a click: every property graphbuild writes, documented once (README has the same list).
PROPERTIES: tuple[tuple[str, str, str], ...] = (
    ("relationship", "label", "the caption: the type, with the modality unless asserted (`SUPPLIES_ARMS_TO · possible`)"),
    ("relationship", "example", "the most factual, highest-confidence sentence behind the relation"),
    ("relationship", "example_title / example_date / example_article_id", "the article that sentence comes from"),
    ("relationship", "modality / modalities", "the most factual modality read, and every modality read"),
    ("relationship", "count / article_ids", "sentences and articles behind the relation"),
    ("relationship", "first_date / last_date", "the first and last article dates"),
    ("relationship", "cameo / cameo_label", "the CAMEO event code of the type and its name (`072` provide military aid)"),
    ("relationship", "items / item_names", "the weapons of an arms transfer: ids and names"),
    ("relationship", "weight", "the type's signed stance weight (cooperation > 0, conflict < 0)"),
    ("relationship", "confidence / inferred", "the best extractor confidence; true when lifted (person to country)"),
    ("relationship", "key", "`subject|TYPE|object`: the `rel_key` of its Evidence nodes"),
    ("SUPPLIES_ITEM", "via / recipient / modality / label", "supplier to weapon, one per item of an arms edge (`via` its key)"),
    ("Evidence", "sentence / modality / date / article_id", "one sentence; linked by HAS_SUBJECT and HAS_OBJECT to its two actors"),
    ("Evidence", "rule / confidence / start / end", "the extractor rule, its confidence and the sentence's offsets in the article"),
    ("Entity", "name / aliases / iso3", "the actor's canonical name, other names seen, ISO3 code (countries)"),
    ("Entity", "keys", "lower-cased, accent-free lookup keys, indexed with name and aliases by `entity_lookup`"),
    ("Entity", "pagerank / degree / community", "`graphbuild analyze`'s numbers: PageRank weighted by sentences, "
                                                "relations touching the actor, its Louvain community (1 = biggest)"),
    ("Entity", "labels Top10 / Top100", "the 10 actors of highest PageRank, then the next 90: drawn bigger by the style"),
)


@dataclass(frozen=True)
class Slide:
    """One slide: a question, what it answers, and its queries (graph first, then table)."""

    title: str
    lead: str
    queries: tuple[SavedQuery, ...]


def style_path() -> Path:
    """The packaged ``cypher/style.grass``."""
    return Path(__file__).resolve().parent.parent / "data" / "cypher" / STYLE_FILE


def browser_query_dir() -> Path:
    """The packaged ``cypher/browser`` (graph queries for Browser)."""
    return Path(__file__).resolve().parent.parent / "data" / "cypher" / "browser"


def guide_queries() -> dict[str, SavedQuery]:
    """The Browser graph queries and the saved table queries, by name."""
    return {**load_catalogue(browser_query_dir()), **load_catalogue()}


#: (title, lead, query names): the questions of the guide, in order.
_SLIDES = (
    ("A way in", "Start with the actors of highest PageRank and the relations among them, then double-click one "
                 "to expand it. The bigger a node, the higher its PageRank (the top 10, then the top 100); click "
                 "an actor for its pagerank, degree and community. Edges are captioned with their type and, unless "
                 "asserted, their modality; click one for its example sentence, article and date.", ("overview",)),
    ("One actor", "Everything about one actor, as a graph and as a table. Type the actor as you would: "
                  "\"Zelensky\", \"zelenskiy\", \"kremlin\" and \"PUTIN\" all resolve.",
     ("actor_graph", "actor")),
    ("The sentences", "Each relation's sentences are Evidence nodes linked to its two actors: expand an actor to "
                      "reach them, or list them, sentence first.", ("evidence_graph", "sentences")),
    ("Arms flows", "Who supplies arms to whom, with the weapons: a possible or denied transfer is captioned so.",
     ("arms_flows_graph", "arms_flows")),
    ("Cooperation", "An actor's cooperative partners, strongest first.", ("cooperation_graph", "cooperation_network")),
    ("How two actors connect", "The shortest paths between two actors over their relations.",
     ("shortest_paths_graph", "shortest_paths")),
    ("Why: the evidence of one relation", "The articles and exact sentences behind the relations of two actors.",
     ("evidence",)),
    ("Meetings and timelines", "Who meets whom, and one actor's sentences in date order.", ("meetings", "timeline")),
    ("Friends, foes and what is new", "The most hostile and friendly pairs, and the actors with most new relations.",
     ("dyads", "new_relations")),
)


def slides(queries: dict[str, SavedQuery] | None = None) -> list[Slide]:
    """The guide's slides with their queries (:class:`InputError` naming a missing query file)."""
    queries = guide_queries() if queries is None else queries
    out = []
    for title, lead, names in _SLIDES:
        missing = [n for n in names if n not in queries]
        if missing:
            raise InputError(f"guide slide '{title}': no saved query {', '.join(missing)} "
                             f"in {browser_query_dir()} or the saved-query folder")
        out.append(Slide(title, lead, tuple(queries[n] for n in names)))
    return out


def _body(query: SavedQuery) -> str:
    """The query without its ``//`` header (the guide says what it does)."""
    lines = query.text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.strip() and not line.strip().startswith("//")), len(lines))
    return "\n".join(lines[start:]).strip()


def _pre(text: str) -> str:
    return f'<pre class="pre-scrollable code runnable">{html.escape(text, quote=False)}</pre>'


def _slide_html(slide: Slide) -> Iterator[str]:
    yield '<slide class="row-fluid">'
    yield f'<div class="col-sm-3"><h3>{html.escape(slide.title)}</h3><p class="lead">{html.escape(slide.lead)}</p></div>'
    yield '<div class="col-sm-9">'
    for query in slide.queries:
        yield f"<h4>{html.escape(query.title or query.name)}</h4><p>{html.escape(query.description)}</p>"
        if query.browser:
            yield "<p>Set the parameters (edit the values, then run):</p>"
            yield _pre(query.browser)
        yield _pre(_body(query))
    yield "</div>"
    yield "</slide>"


def guide_html(queries: dict[str, SavedQuery] | None = None, *, style_url: str | None = None) -> str:
    """The Browser guide: a title slide, one slide per question, and the properties a click shows."""
    parts = ['<article class="guide">', '<carousel class="deck container-fluid">', '<slide class="row-fluid">',
             '<div class="col-sm-3"><h3>graphbuild</h3><p class="lead">The geopolitical knowledge graph: actors, '
             'their relations with modality and evidence.</p></div>', '<div class="col-sm-9">']
    if style_url:
        parts += ["<p>Apply the graphbuild style (colours by actor type, edges captioned with their modality):</p>",
                  _pre(f":style {style_url}")]
    parts.append("<p>Each following slide asks one question: set its parameters, run the graph query, then the "
                 "table. The last slide lists what a click on a node or edge shows.</p>")
    parts += ["</div>", "</slide>"]
    for slide in slides(queries):
        parts.extend(_slide_html(slide))
    parts += ['<slide class="row-fluid">', '<div class="col-sm-3"><h3>What a click shows</h3>'
              '<p class="lead">The properties graphbuild writes.</p></div>', '<div class="col-sm-9">',
              "<table class=\"table\"><tr><th>on</th><th>property</th><th>meaning</th></tr>"]
    parts += [f"<tr><td>{html.escape(on)}</td><td>{html.escape(name)}</td><td>{html.escape(meaning)}</td></tr>"
              for on, name, meaning in PROPERTIES]
    parts += ["</table>", "</div>", "</slide>", "</carousel>", "</article>"]
    return "\n".join(parts) + "\n"


def browser_commands(base_url: str) -> dict[str, str]:
    """The Browser commands for a guide and style served at ``base_url``.

    >>> browser_commands("http://localhost:7480")["post_connect_cmd"]
    'browser.post_connect_cmd=style http://localhost:7480/style.grass; play http://localhost:7480/graphbuild.html'
    """
    base = base_url.rstrip("/")
    guide, style = f"{base}/{GUIDE_FILE}", f"{base}/{STYLE_FILE}"
    return {"guide_url": guide, "style_url": style, "play": f":play {guide}", "style": f":style {style}",
            "post_connect_cmd": f"browser.post_connect_cmd=style {style}; play {guide}"}


def write_guide(directory: Path, *, base_url: str | None = None) -> list[Path]:
    """Write ``graphbuild.html`` and ``style.grass`` into ``directory``; returns their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    style_url = browser_commands(base_url)["style_url"] if base_url else None
    out = []
    for name, text in ((GUIDE_FILE, guide_html(style_url=style_url)),
                       (STYLE_FILE, style_path().read_text(encoding="utf-8"))):
        path = directory / name
        with atomic_open(path) as fh:
            fh.write(text)
        out.append(path)
    return out


def _handler(files: dict[str, tuple[bytes, str]]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _cors(self) -> None:
            self.send_header("Access-Control-Allow-Origin", "*")
            self.send_header("Access-Control-Allow-Methods", "GET, OPTIONS")
            self.send_header("Access-Control-Allow-Headers", "*")

        def do_OPTIONS(self) -> None:  # noqa: N802 (the http.server spelling)
            self.send_response(204)
            self._cors()
            self.end_headers()

        def do_GET(self) -> None:  # noqa: N802
            found = files.get(self.path.split("?", 1)[0].lstrip("/") or GUIDE_FILE)
            if found is None:
                self.send_response(404)
                self._cors()
                self.end_headers()
                return
            body, kind = found
            self.send_response(200)
            self._cors()
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # quiet: the CLI says what it serves
            return

    return Handler


def serve(host: str = "localhost", port: int = 0) -> tuple[ThreadingHTTPServer, str]:
    """Start serving the guide and the style on ``host:port`` (0 = a free port) in a thread.

    Returns the server (``shutdown()`` stops it) and its base URL.
    """
    server = ThreadingHTTPServer((host, port), _handler({}))
    base = f"http://{host}:{server.server_address[1]}"
    style_url = browser_commands(base)["style_url"]
    files = {GUIDE_FILE: (guide_html(style_url=style_url).encode("utf-8"), "text/html; charset=utf-8"),
             STYLE_FILE: (style_path().read_bytes(), "text/plain; charset=utf-8")}
    server.RequestHandlerClass = _handler(files)
    threading.Thread(target=server.serve_forever, name="graphbuild-browser", daemon=True).start()
    return server, base
