"""A cache of the compiled gazetteer table, so a one-article run does not rebuild it.

Building the span ruler's table means tokenising every name, alias, demonym and title
of the gazetteer (tens of thousands of phrases): most of the start-up of a short
``graphbuild extract``.  The table depends only on the gazetteer files, the code that
turns them into patterns, and the tokenizer; its JSON form is kept in the cache
directory (``marshal`` data: tuples and strings only, read in a few milliseconds) under a
key hashing all of those, so any change to them builds (and stores) a new one.  The cache directory is ``$GRAPHBUILD_CACHE_DIR``, else
``$XDG_CACHE_HOME/graphbuild``, else ``~/.cache/graphbuild``; ``GRAPHBUILD_CACHE_DIR=none``
turns the cache off.  A cache that cannot be read or written is skipped, never an error.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from ..nlp.phrase_ruler import PhraseRuler

__all__ = ["cache_dir", "table_key", "load_table", "save_table"]

_CODE = ("extract/gazetteer.py", "extract/gazetteer_files.py", "extract/gazetteer_patterns.py",
         "nlp/phrase_ruler.py", "extract/engine.py", "extract/ruler_cache.py")


def cache_dir() -> Path | None:
    """Where compiled tables are kept, or None when caching is off."""
    chosen = os.environ.get("GRAPHBUILD_CACHE_DIR")
    if chosen is not None:
        return None if chosen.strip().lower() in ("", "none", "off") else Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "graphbuild"


def table_key(user_files: Sequence[Path], nlp) -> str:
    """SHA-256 of what the table is made of: packaged and user gazetteer files, the code, the tokenizer."""
    import spacy

    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    files = sorted((package / "data" / "gazetteer").glob("*.*")) + [package / c for c in _CODE]
    for f in [*files, *(Path(p) for p in user_files)]:
        digest.update(str(f.name).encode())
        digest.update(f.read_bytes())
    meta = nlp.meta
    digest.update(f"{spacy.__version__}|{meta.get('lang')}_{meta.get('name')}-{meta.get('version')}".encode())
    return digest.hexdigest()


def load_table(ruler: PhraseRuler, key: str) -> dict | None:
    """Fill ``ruler`` from the cache and return the extras stored with it; None when there is no usable
    table for ``key``."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        state, extras = marshal.loads((folder / f"gazetteer-{key}.marshal").read_bytes())
        if not isinstance(extras, dict):
            return None
        ruler.restore(state)
    except (OSError, ValueError, KeyError, TypeError, EOFError):
        return None
    return extras


def save_table(ruler: PhraseRuler, key: str, extras: dict) -> None:
    """Store ``ruler``'s table and ``extras`` (plain data derived from the same gazetteer) for ``key``,
    atomically: a reader never sees half a file."""
    folder = cache_dir()
    if folder is None:
        return
    tmp = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".gazetteer-", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(marshal.dumps((ruler.state(), extras)))
        os.replace(tmp, folder / f"gazetteer-{key}.marshal")
    except (OSError, ValueError):
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
