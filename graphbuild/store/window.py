"""One date window for every command: ``since``/``until`` as ISO dates, a partial ``until`` covering its period.

``analyze``, ``viz``, ``query`` parameters of type ``date`` and the offline queries all
read dates through :func:`parse_date` and keep evidence through :class:`DateWindow`,
so "until 2024-03" means to the end of March 2024 everywhere.  A piece of evidence is dated by
its sentence's event date when it has one (``2024-05-07``, ``2024-05``, ``2024``), else by its
article's date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ..errors import InputError

__all__ = ["ALL_TIME", "DateWindow", "parse_date"]

_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
#: Sorts after every character of an ISO date: ``"2024-03" + _TOP`` is above every day of March.
_TOP = "\uffff"


def parse_date(value: str | None, what: str = "date") -> str | None:
    """``value`` if it is ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` naming a real day or period, else :class:`InputError`.

    >>> parse_date("2024-02-29")
    '2024-02-29'
    >>> parse_date("2024-02-30", "--until")
    Traceback (most recent call last):
    ...
    graphbuild.errors.InputError: --until 2024-02-30: expected a date YYYY-MM-DD (or YYYY-MM, YYYY)
    """
    if value is None:
        return None
    text = value.strip()
    if _DATE.fullmatch(text):
        parts = [int(p) for p in text.split("-")] + [1, 1]
        try:
            date(*parts[:3])
            return text
        except ValueError:
            pass
    raise InputError(f"{what} {value}: expected a date YYYY-MM-DD (or YYYY-MM, YYYY)")


@dataclass(frozen=True)
class DateWindow:
    """Articles dated in ``[since, until]``, both inclusive, either open; ``until`` may be a month or a year.

    >>> w = DateWindow.parse("2024", "2024-03")
    >>> [w.contains(d) for d in ("2023-12-31", "2024-01-01", "2024-03-31", "2024-04-01", None)]
    [False, True, True, False, False]
    >>> DateWindow().contains(None)
    True
    """

    since: str | None = None
    until: str | None = None

    @classmethod
    def parse(cls, since: str | None, until: str | None, *, since_flag: str = "--since",
              until_flag: str = "--until") -> DateWindow:
        """A window from user text, validated (one :class:`InputError` line naming the flag)."""
        return cls(parse_date(since, since_flag), parse_date(until, until_flag))

    def __bool__(self) -> bool:
        return self.since is not None or self.until is not None

    @property
    def upper(self) -> str | None:
        """The inclusive upper bound as text: a partial ``until`` padded to cover its whole period."""
        if self.until is None:
            return None
        return self.until + _TOP if len(self.until) < 10 else self.until

    def contains(self, day: str | None) -> bool:
        """Whether an article dated ``day`` is inside (an undated one only when the window is open)."""
        if self.since is not None and (day is None or day < self.since):
            return False
        if self.until is not None and (day is None or day[:len(self.until)] > self.until):
            return False
        return True

    def sql(self, column: str = "article_id") -> tuple[str, list[str]]:
        """A ``WHERE`` clause keeping ``relations`` rows (their article id is ``column``, e.g. ``r.article_id``)
        dated in the window: by their ``event_date`` when they have one, else by their article; empty when open.

        >>> DateWindow("2024").sql("r.article_id")
        (" WHERE CASE WHEN r.event_date <> '' THEN r.event_date >= ? ELSE r.article_id IN (SELECT id FROM articles WHERE date >= ?) END", ['2024', '2024'])
        """
        where, params = [], []
        if self.since is not None:
            where.append("{} >= ?")
            params.append(self.since)
        if self.until is not None:
            where.append("{} <= ?")
            params.append(self.upper)
        if not where:
            return "", []
        event = column.rpartition(".")[0] + ("." if "." in column else "") + "event_date"
        by_event = " AND ".join(w.format(event) for w in where)
        by_article = " AND ".join(w.format("date") for w in where)
        return (f" WHERE CASE WHEN {event} <> '' THEN {by_event}"
                f" ELSE {column} IN (SELECT id FROM articles WHERE {by_article}) END", params + params)


#: The open window: every article, dated or not.
ALL_TIME = DateWindow()
