"""Step 1 of the flow: read inputs (files, directories, stdin) into :class:`~graphbuild.models.Article`.

>>> from graphbuild.sources import read_inputs
>>> for item in read_inputs(["corpus/"]):  # doctest: +SKIP
...     print(item)

Each unusable file, line or feed entry is yielded as an
:class:`~graphbuild.models.InputProblem` (``origin``, one-line ``reason``) instead
of raising, so one bad item never stops the others. Modules: ``files`` (walking
paths), ``text`` (.txt/.md), ``html`` (.html/.htm), ``jsonl`` (.jsonl/.json),
``feeds`` (.xml/.rss/.atom), ``common`` (ids, titles, dates), ``reader`` (dispatch);
for the web: ``fetch`` (polite HTTP GETs), ``web`` (URLs -> pages and feed entries),
``webstate`` (the HTTP cache and watch state beside the store).
"""

from __future__ import annotations

from .common import normalise_date, stable_id, title_from_text
from .files import KNOWN_EXTENSIONS, STDIN, discover
from .reader import DEFAULT_MAX_BYTES, STDIN_ORIGIN, read_file, read_inputs, read_stdin

__all__ = [
    "DEFAULT_MAX_BYTES",
    "KNOWN_EXTENSIONS",
    "STDIN",
    "STDIN_ORIGIN",
    "discover",
    "read_inputs",
    "read_file",
    "read_stdin",
    "normalise_date",
    "stable_id",
    "title_from_text",
]
