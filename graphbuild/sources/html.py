"""HTML pages (main text and metadata via trafilatura) and HTML fragments to plain text.

An article read from a page has ``text = title + "\\n\\n" + body``, with the body's
blocks (paragraphs, headings, list items) separated by blank lines, so sentence and
paragraph offsets work the same way as for the gold text files.
"""

from __future__ import annotations

import re
from functools import lru_cache
from html.parser import HTMLParser

import trafilatura
from trafilatura.settings import use_config

from ..models import Article, InputProblem
from .common import TITLE_MAX_CHARS, make_article, problem

__all__ = ["BOILERPLATE_LINES", "read_html", "html_to_text"]

BOILERPLATE_LINES = re.compile(
    r"(please enter your (comment|name here)!?"
    r"|you have entered an incorrect email address!?"
    r"|leave a (reply|comment)"
    r"|share (this|post|this article|on facebook|on twitter|on x)[:.!]?"
    r"|(share|tweet|email|print)( (share|tweet|email|print))*"
    r"|more like this"
    r"|related (articles|posts|stories)"
    r"|(read|see) (more|also)[:.]?"
    r"|advertisement)",
    re.IGNORECASE,
)
"""Whole lines dropped from extracted page text: comment prompts, share buttons, teasers."""


@lru_cache(maxsize=8)
def _config(max_bytes: int):  # noqa: ANN202 - trafilatura's ConfigParser
    """trafilatura settings whose own size cap matches ours (its default is 20 MB)."""
    config = use_config()
    config.set("DEFAULT", "max_file_size", str(max(max_bytes, 1)))
    return config


def read_html(data: bytes, origin: str, *, max_bytes: int) -> Article | InputProblem:
    """One article from an HTML page: title, ISO date, canonical url, site name as source.

    Navigation, share buttons, comments and comment prompts are left out. The date
    is only taken from the page's own metadata (no guessing from copyright lines).
    A page without main text, or one too deeply nested to parse, is a problem.
    """
    try:
        doc = trafilatura.bare_extraction(
            data,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            date_extraction_params={"extensive_search": False, "original_date": True},
            config=_config(max_bytes),
        )
    except RecursionError:
        return problem(origin, "HTML too deeply nested to parse")
    except Exception as exc:  # noqa: BLE001 - a parser crash on one page must not stop the run
        return problem(origin, f"HTML extraction failed: {type(exc).__name__}: {exc}")
    blocks = _body_blocks(doc.text if doc is not None else None)
    if not blocks:
        return problem(origin, "no article text found in HTML")
    title = " ".join((doc.title or "").split())[:TITLE_MAX_CHARS]
    if title and _same_line(blocks[0], title):
        blocks = blocks[1:]
    if title:
        blocks.insert(0, title)
    return make_article(
        text="\n\n".join(blocks),
        origin=origin,
        title=title,
        date_value=doc.date,
        url=doc.url,
        source=doc.sitename,
    )


def _body_blocks(text: str | None) -> list[str]:
    """Non-empty, non-boilerplate lines of trafilatura's text output."""
    if not text:
        return []
    lines = (line.strip() for line in text.split("\n"))
    return [line for line in lines if line and not BOILERPLATE_LINES.fullmatch(line)]


def _same_line(a: str, b: str) -> bool:
    """Equal up to case and spacing (a page's <h1> repeats its title)."""
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


_BLOCK_TAGS = frozenset(
    "address article aside blockquote br dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 "
    "header hr li main nav ol p pre section table td th tr ul".split()
)
_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "head"})


class _TextCollector(HTMLParser):
    """Collects text, starting a new block at each block-level tag, skipping scripts and styles."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[list[str]] = [[]]
        self.skip_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self.skip_depth += 1
        elif tag in _BLOCK_TAGS:
            self.blocks.append([])

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self.blocks.append([])

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self.skip_depth = max(0, self.skip_depth - 1)
        elif tag in _BLOCK_TAGS:
            self.blocks.append([])

    def handle_data(self, data: str) -> None:
        if not self.skip_depth:
            self.blocks[-1].append(data)


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment (a feed summary): blocks separated by blank lines.

    Uses the standard library's tolerant tokenizer, so broken or deeply nested
    markup cannot raise.

    >>> html_to_text("<p>Arnor &amp; Gondor</p><p>met <b>today</b>.</p><script>x()</script>")
    'Arnor & Gondor\\n\\nmet today.'
    """
    collector = _TextCollector()
    collector.feed(fragment)
    collector.close()
    blocks = (" ".join("".join(parts).split()) for parts in collector.blocks)
    return "\n\n".join(block for block in blocks if block)
