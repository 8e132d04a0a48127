"""One ingest's check for the same article read twice: under two ids (same title), or one id from two places.

The same article in two inputs (a ``.txt`` copy and a JSON Lines line) is stored twice and
doubles every count of its relations; the same id from two files makes the later replace the
earlier.  Neither is an error (both can be meant), so the ingest warns, one line each.
"""

from __future__ import annotations

import unicodedata

from ..models import Article, InputProblem

__all__ = ["MIN_TITLE_WORDS", "DuplicateCheck", "title_key"]

#: Titles shorter than this (in words) are too generic to call two articles the same ("News", "Update").
MIN_TITLE_WORDS = 4


def title_key(title: str) -> str | None:
    """A title as compared: case, accents, punctuation and spacing ignored; None when too short.

    >>> title_key("Meeting in Russia – Putin promises Kim help")
    'meeting in russia putin promises kim help'
    >>> title_key("MEETING in Russia: Putin  promises Kim help!") == title_key("Meeting in Russia – Putin promises Kim help")
    True
    >>> title_key("Breaking news") is None
    True
    """
    folded = unicodedata.normalize("NFKD", title.casefold())
    kept = "".join(ch if ch.isalnum() else " " for ch in folded if not unicodedata.combining(ch))
    words = kept.split()
    return " ".join(words) if len(words) >= MIN_TITLE_WORDS else None


class DuplicateCheck:
    """Remembers the articles of one run; :meth:`see` says when one repeats another from elsewhere."""

    def __init__(self) -> None:
        self._by_id: dict[str, tuple[str, str]] = {}
        self._by_title: dict[str, tuple[str, str]] = {}

    def see(self, article: Article) -> InputProblem | None:
        """A warning (origin: reason) when ``article`` repeats one seen before from another origin, else None.

        The very same text under the same id is stored once: no warning.
        """
        first, sha = self._by_id.setdefault(article.id, (article.origin, article.sha256))
        if first != article.origin and sha != article.sha256:
            return InputProblem.of(article.origin, f"same article id {article.id!r} as {first}, another text: "
                                                   "the later replaces the earlier in the store")
        key = title_key(article.title)
        if key is None:
            return None
        other_origin, other_id = self._by_title.setdefault(key, (article.origin, article.id))
        if other_id != article.id:
            return InputProblem.of(article.origin, f"same title as {other_origin} ({article.title!r}) under "
                                                   f"another id ({article.id} vs {other_id}): the same article "
                                                   "stored twice counts its relations twice")
        return None
