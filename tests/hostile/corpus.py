"""A hostile input corpus, generated on demand (nothing huge or looping is committed).

``build(root)`` writes the corpus under ``root`` and returns a :class:`Corpus`:
the articles that must be stored (id -> exact text) and the one-line problems that
must be reported (origin relative to ``root`` -> reason). Symlink loops are made
at build time, inside ``root``, never committed.

What is in it:

* names and sentences with quotes, backslashes, backticks, ``'})`` Cypher
  fragments, ``//`` and ``/*`` comments, newlines, CR, NUL, RTL marks, zero-width
  joiners, emoji, surrogate-pair escapes, a line separator (U+2028);
* a file over the size limit, a very long line, a JSON Lines line over the limit;
* deeply nested HTML, HTML without text;
* JSON and JSON Lines with wrong types, invalid JSON, deep nesting, a huge
  integer, invalid UTF-8, unpaired surrogates;
* RSS and Atom feeds with broken entries, a file that is not a feed;
* binary files, empty and whitespace-only files, hidden files, unknown extensions;
* symlink loops, a self-link and a dangling link.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Corpus", "HOSTILE_SENTENCES", "MAX_BYTES", "build"]

#: The ``--max-bytes`` the corpus is meant to be read with.
MAX_BYTES = 200_000

RTL, ZWJ, LS = "\u200f", "\u200d", "\u2028"

#: Sentences the real extractor turns into relations, each carrying hostile characters.
HOSTILE_SENTENCES = (
    "Russia met China in 'Beijing'}) MATCH (n) DETACH DELETE n // on Monday.",
    'Vladimir Putin met Xi Jinping; "`x` /* comment */ \\ back\\slash" was said.',
    "France criticized Iran over '}) CALL db.labels() YIELD label RETURN label //.",
    "Germany sanctioned Syria " + RTL + "today" + RTL + " 🚀👩" + ZWJ + "💻 \\u0041 \\n.",
)


@dataclass
class Corpus:
    """What reading the corpus must give."""

    root: Path
    articles: dict[str, str] = field(default_factory=dict)
    """Article id -> exact text as it must be stored."""
    titles: dict[str, str] = field(default_factory=dict)
    """Article id -> exact title, where the test pins it."""
    problems: dict[str, str] = field(default_factory=dict)
    """Origin relative to ``root`` -> one-line reason."""

    def problem_lines(self) -> list[str]:
        """The ``error: ORIGIN: REASON`` lines ingest must print (any order)."""
        return sorted(f"error: {self.root / origin}: {reason}" for origin, reason in self.problems.items())


def _write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_bytes(data.encode("utf-8"))
    else:
        path.write_bytes(data)
    return path


def _sha_id(text: str) -> str:
    from graphbuild.sources import stable_id

    return stable_id(None, None, text)


def build(root: Path) -> Corpus:
    """Write the corpus under ``root`` (created) and return what must come of it."""
    root.mkdir(parents=True, exist_ok=True)
    c = Corpus(root)

    # -- text files ----------------------------------------------------------------------
    nasty = "Quotes 'single' \"double\" `back` \\ and '}) RETURN 1 //\n\n" + " ".join(HOSTILE_SENTENCES) + "\n"
    _write(root / "text" / "nasty.txt", nasty)
    c.articles["nasty"] = nasty  # a text file's id is its name without the extension
    c.titles["nasty"] = "Quotes 'single' \"double\" `back` \\ and '}) RETURN 1 //"

    crlf = "CR\r\nLF title\r\n\r\nRussia met China.\rThen " + LS + " Iran met Iraq.\r\n"
    crlf_text = crlf.replace("\r\n", "\n").replace("\r", "\n")
    _write(root / "text" / "crlf.md", crlf)
    c.articles["crlf"] = crlf_text

    # NUL after the 8 KiB binary sniff: dropped, the rest kept.
    late_nul = "Late NUL\n\n" + "Russia met China. " * 500 + "\x00Iran\x00 met Iraq.\n"
    _write(root / "text" / "late_nul.txt", late_nul)
    c.articles["late_nul"] = late_nul.replace("\x00", "")

    long_line = "Long line " + "Russia met China and " + "very " * 6_000 + "long words.\n"
    _write(root / "text" / "long_line.txt", long_line)
    c.articles["long_line"] = long_line

    _write(root / "text" / "huge.txt", "Huge\n\n" + "Russia met China. " * (MAX_BYTES // 18 + 10))
    size = (root / "text" / "huge.txt").stat().st_size
    c.problems["text/huge.txt"] = f"file too large ({size} bytes > limit {MAX_BYTES})"
    _write(root / "text" / "binary.txt", b"GIF89a\x00\x01\x02 Russia met China.")
    c.problems["text/binary.txt"] = "binary file"
    _write(root / "text" / "latin1.txt", "Caf\xe9 met Iran.".encode("latin-1"))
    c.problems["text/latin1.txt"] = "not valid UTF-8 text at byte 3"
    _write(root / "text" / "empty.txt", b"")
    c.problems["text/empty.txt"] = "empty file"
    _write(root / "text" / "blank.md", " \n\t\r\n\x00\n")
    c.problems["text/blank.md"] = "binary file"
    _write(root / "text" / "spaces.md", " \n\t\r\n \n")
    c.problems["text/spaces.md"] = "empty file"
    _write(root / "text" / ".hidden.txt", "Russia met China.")  # skipped: hidden
    _write(root / "text" / "notes.pdf", b"%PDF-1.4 Russia met China.")  # skipped: unknown extension

    # -- HTML ------------------------------------------------------------------------------
    deep = ("<html><head><title>Deep page</title></head><body>" + "<div>" * 15_000
            + "<p>Russia met China in a deeply nested page.</p>" + "</div>" * 15_000 + "</body></html>")
    _write(root / "html" / "deep.html", deep)
    # trafilatura either finds the text or says there is none; both are fine, never a crash:
    # the test reads which it was from the problems and the store.
    c.problems["html/deep.html"] = "no article text found in HTML"  # lxml stops at depth 256
    shallow = ("<html><head><title>Nested page</title></head><body>" + "<div>" * 200
               + "<p>Russia met China in a page nested 200 deep.</p>" + "</div>" * 200 + "</body></html>")
    _write(root / "html" / "nested200.html", shallow)
    text = "Nested page\n\nRussia met China in a page nested 200 deep."
    c.articles[_sha_id(text)] = text
    text = "Unclosed 'quote\" page\n\nRussia met China in Beijing\n\nwhile `Iran` met Iraq."
    c.articles[_sha_id(text)] = text
    c.titles[_sha_id(text)] = "Unclosed 'quote\" page"
    _write(root / "html" / "unclosed.html",
           "<html><head><title>Unclosed 'quote\" page</title></head><body><article><p>Russia met China"
           " <b>in <i>Beijing <p>while `Iran` met Iraq.<script>alert('})')</script>")
    _write(root / "html" / "nothing.html", "<html><body><script>x()</script><style>p {}</style></body></html>")
    c.problems["html/nothing.html"] = "no article text found in HTML"

    # -- JSON Lines -------------------------------------------------------------------------
    good = [
        {"id": "j-quotes", "title": "Q: 'x' \"y\" `z` \\ '}) //", "text": HOSTILE_SENTENCES[0], "date": "2024-03-05"},
        {"id": "j-rtl\u200f🚀", "title": "RTL " + RTL + " emoji 🚀 ZWJ 👩" + ZWJ + "💻", "text": HOSTILE_SENTENCES[3],
         "url": "https://example.org/a?b='c'&d=\"e\"", "source": "Src \\ `x`"},
        {"id": "j-nul", "title": "NUL\x00 title", "text": "Iran\x00 met Iraq.\nLine two /* no */ end.",
         "gold": {"ignored": [1, 2]}, "entities": "ignored too"},
        {"id": "j-pair", "title": "Pair \U0001F680", "text": "Russia met China. \U0001F680 \U0001F1FA\U0001F1E6"},
    ]
    lines = [json.dumps(r, ensure_ascii=i % 2 == 0) for i, r in enumerate(good)]
    c.articles.update({"j-quotes": good[0]["text"], "j-rtl\u200f🚀": good[1]["text"],
                       "j-nul": "Iran met Iraq.\nLine two /* no */ end.", "j-pair": good[3]["text"]})
    c.titles.update({"j-quotes": good[0]["title"], "j-nul": "NUL title", "j-pair": "Pair \U0001F680"})
    bad: list[tuple[str, str]] = [
        ('{"id": "b1", "text": 42}', "'text' must be a string"),
        ('{"id": ["b2"], "text": "Russia met China."}', "'id' must be a string"),
        ('{"id": "b3", "text": "Russia met China.", "date": 20240305}', "'date' must be a string"),
        ('{"id": "b4", "text": "Russia met China.", "title": {"x": 1}}', "'title' must be a string"),
        ('{"id": "b5"}', "missing 'text'"),
        ('{"id": "b6", "text": "  \\u0000 "}', "'text' is empty"),
        ('["Russia met China."]', "expected a JSON object, got array"),
        ("null", "expected a JSON object, got null"),
        ('"just a string"', "expected a JSON object, got string"),
        ('{"id": "b7", "text": "Russia met China.",', "invalid JSON: Expecting property name enclosed in double"
                                                     " quotes at column 42"),
        ('{"id": "b8", "text": "x"} trailing', "invalid JSON: Extra data at column 27"),
        ("[" * 100_000 + "]" * 100_000, "invalid JSON: nested too deeply"),
        ('{"id": "b9", "text": "Russia met China.", "n": ' + "9" * 5000 + "}",
         "invalid JSON: Exceeds the limit (4300 digits) for integer string conversion: value has 5000 digits;"
         " use sys.set_int_max_str_digits() to increase the limit"),
        ('{"id": "b10", "text": "Russia \\ud800 met China."}',
         "'text' is not valid Unicode (unpaired surrogate \\ud800 at character 7)"),
        ('{"id": "b11", "title": "T \\udc00", "text": "Spain met Italy."}',
         "'title' is not valid Unicode (unpaired surrogate \\udc00 at character 2)"),
        ('{"id": "b12", "text": "' + "Russia met China. " * (MAX_BYTES // 18 + 10) + '"}', None),
    ]
    raw = [line.encode("utf-8") for line in lines[:2]]
    raw.append(b"")  # a blank line is skipped
    for i, (line, _) in enumerate(bad):
        raw.append(line.encode("utf-8"))
    raw.append(b'{"id": "b13", "text": "Caf\xe9"}')
    raw.extend(line.encode("utf-8") for line in lines[2:])
    data = b"\n".join(raw) + b"\n"
    _write(root / "jsonl" / "mixed.jsonl", data)
    # origins: line numbers (1-based, blank line counted)
    offset = 0
    lineno = 0
    for chunk in raw:
        lineno += 1
        reason = None
        if chunk == b'{"id": "b13", "text": "Caf\xe9"}':
            bad_byte = offset + chunk.index(b"\xe9")
            reason = f"not valid UTF-8 text at byte {bad_byte}"
        else:
            for line, why in bad:
                if line.encode("utf-8") == chunk:
                    reason = why if why is not None else f"line too large ({len(chunk)} bytes > limit {MAX_BYTES})"
        if reason is not None:
            c.problems[f"jsonl/mixed.jsonl:{lineno}"] = reason
        offset += len(chunk) + 1

    # -- JSON -----------------------------------------------------------------------------
    _write(root / "json" / "list.json", json.dumps([
        {"id": "l-ok", "text": "Iran met Iraq. '})\n// not a comment", "title": None, "url": None},
        {"id": "l-bad", "text": ["Russia met China."]},
        17,
        {"id": "l-ok2", "text": "Spain met Italy. /* */ \\\\ end", "source": ""},
    ]))
    c.articles["l-ok"] = "Iran met Iraq. '})\n// not a comment"
    c.articles["l-ok2"] = "Spain met Italy. /* */ \\\\ end"
    c.problems["json/list.json#1"] = "'text' must be a string"
    c.problems["json/list.json#2"] = "expected a JSON object, got number"
    _write(root / "json" / "scalar.json", "true")
    c.problems["json/scalar.json"] = "expected a JSON object or an array of objects, got boolean"
    _write(root / "json" / "empty_list.json", "[]")
    c.problems["json/empty_list.json"] = "empty JSON array"
    _write(root / "json" / "truncated.json", '{"id": "t", "text": "Russia')
    c.problems["json/truncated.json"] = "invalid JSON: Unterminated string starting at line 1 column 21"
    _write(root / "json" / "surrogate.json", '{"id": "s", "text": "ok", "source": "\\udfff"}')
    c.problems["json/surrogate.json"] = "'source' is not valid Unicode (unpaired surrogate \\udfff at character 0)"

    # -- feeds ----------------------------------------------------------------------------
    rss = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Hostile &amp; Co '})</title>
<item><title>Good 'one' "x" `y`</title><link>https://example.org/f1</link>
  <description>&lt;p&gt;Russia met China in &lt;b&gt;Beijing&lt;/b&gt; '}) //.&lt;/p&gt;</description>
  <pubDate>Tue, 05 Mar 2024 10:00:00 +0000</pubDate></item>
<item><title></title><description></description></item>
<item><title>Broken markup</title><link>https://example.org/f3</link>
  <description><![CDATA[<div><p>Iran met Iraq <i>unclosed <script>bad()</script> /* x */]]></description></item>
<item><link>https://example.org/f4</link><description>   </description></item>
<item><title>Deep</title><link>https://example.org/f5</link>
  <description><![CDATA[""" + "<span>" * 3000 + "Spain met Italy." + "</span>" * 3000 + """]]></description></item>
</channel></rss>
"""
    _write(root / "feeds" / "broken.rss", rss)
    c.articles["https://example.org/f1"] = "Good 'one' \"x\" `y`\n\nRussia met China in Beijing '}) //."
    c.articles["https://example.org/f3"] = "Broken markup\n\nIran met Iraq unclosed /* x */"
    c.articles["https://example.org/f5"] = "Deep\n\nSpain met Italy."
    c.problems["feeds/broken.rss#entry 2"] = "feed entry has no text"
    c.problems["feeds/broken.rss#entry 4"] = "feed entry has no text"
    _write(root / "feeds" / "garbage.xml", "<<<not xml at all '}) //")
    c.problems["feeds/garbage.xml"] = "not an RSS or Atom feed ("  # then feedparser's own words: a prefix
    _write(root / "feeds" / "empty.atom",
           '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title></feed>')
    c.problems["feeds/empty.atom"] = "feed has no entries"

    # -- symlinks: loops, a self-link, a dangling link --------------------------------------
    links = root / "links"
    (links / "sub").mkdir(parents=True, exist_ok=True)
    os.symlink(root, links / "sub" / "to_root", target_is_directory=True)
    os.symlink(links, links / "sub" / "to_links", target_is_directory=True)
    os.symlink(links / "self.txt", links / "self.txt")
    os.symlink(links / "missing.txt", links / "dangling.txt")
    c.problems["links/dangling.txt"] = "broken symbolic link"
    c.problems["links/self.txt"] = "too many levels of symbolic links"
    return c
