"""When a sentence's event happened: its date expression resolved against the article's date.

"On Tuesday" in an article of Friday 2024-05-10 is Tuesday 2024-05-07 (the last Tuesday on or
before publication); "yesterday" the day before; "last month" the month before; "in June" the
last June up to publication; "Aug. 27, 2023", "27 August 2023" and "2023-08-27" as written.
The result carries its precision: ``day``, ``week`` ("last week": the Monday it began),
``month`` (``YYYY-MM``) or ``year`` (``YYYY``).  The first date expression of a sentence is
its event date; a sentence without one, or an article without a valid date, gets none.
Words come from ``data/rules/claims.yaml`` (``dates``); date arithmetic is python-dateutil's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from dateutil.relativedelta import relativedelta, weekday

from .rules import _read_yaml

__all__ = ["EventDate", "article_day", "event_date"]


@dataclass(frozen=True)
class EventDate:
    """A resolved date (``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``), its precision and the words it was read from."""

    value: str
    precision: str
    text: str


NO_DATE = EventDate("", "", "")


def article_day(value: str | None) -> date | None:
    """The calendar day of an article's date (ISO, with or without a time), None when missing or invalid.

    >>> article_day("2024-05-10T09:30:00Z"), article_day("10/05/2024"), article_day(None)
    (datetime.date(2024, 5, 10), None, None)
    """
    if not value or not re.match(r"\d{4}-\d{2}-\d{2}(?:$|[T ])", value.strip()):
        return None
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


@dataclass(frozen=True)
class _Words:
    weekdays: dict[str, int]
    months: dict[str, int]
    patterns: tuple[tuple[str, re.Pattern], ...]
    future: frozenset[str]


def _alt(words) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


@cache
def _words() -> _Words:
    d = _read_yaml("claims.yaml")["dates"]
    months = {k.lower(): int(v) for k, v in d["months"].items()}
    weekdays = {k.lower(): int(v) for k, v in d["weekdays"].items()}
    # month names are matched as capitalised words ("May", "Aug."): "may" and "march" are also verbs
    mon = "(?P<mon>" + "|".join(re.escape(m.capitalize()) for m in sorted(months, key=len, reverse=True)) + r")\.?"
    day = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
    year = r"(?P<year>(?:19|20)\d\d)"
    mprep = "(?i:" + _alt(w for w in d["month_preps"] if not w.endswith("-")) + ")"
    yprep = "(?i:" + _alt(w for w in d["year_preps"] if not w.endswith("-")) + ")"
    patterns = (
        ("iso", re.compile(r"\b(?P<year>\d{4})-(?P<m>\d{2})-(?P<day>\d{2})\b")),
        ("dmy", re.compile(rf"\b{day}\s+{mon}(?:,?\s+{year})?\b")),
        ("mdy", re.compile(rf"\b{mon}\s+{day}\b(?!:)(?:,?\s+{year}\b)?")),
        ("my", re.compile(rf"\b(?:(?i:early|mid|late)[- ])?{mon},?\s+{year}\b")),
        ("m", re.compile(rf"\b{mprep}[- ]+(?:(?i:early|mid|late)[- ]+)?{mon}(?![\w-])(?!,?\s+(?:[0-3]?\d|(?:19|20)\d\d)\b)")),
        ("y", re.compile(rf"(?:\b{yprep}\s+(?:(?i:early|mid|late)[- ]?)?|\b(?i:early|mid|late)-){year}\b(?!-\d)")),
        ("weekday", re.compile(r"\b(?P<wd>" + "|".join(w.capitalize() for w in weekdays) + r")\b")),
        ("yesterday", re.compile(r"\b(?i:" + _alt(d["yesterday"]) + r")\b")),
        ("today", re.compile(r"\b(?i:" + _alt(d["today"]) + r")\b")),
        ("last", re.compile(r"\b(?i:" + _alt(d["last"]) + r")\s+(?P<unit>(?i:week|month|year))\b")),
        ("this", re.compile(r"\b(?i:" + _alt(d["this"]) + r")\s+(?P<unit>(?i:week|month|year))\b")),
    )
    return _Words(weekdays, months, patterns, frozenset(w.lower() for w in d["future"]))


def _last_on_or_before(pub: date, month: int, day: int | None) -> date | None:
    """The last ``month``/``day`` (day 1 when None) on or before ``pub`` (Feb 29 looks back to a leap year)."""
    for back in range(0, 9):
        try:
            found = date(pub.year - back, month, day or 1)
        except ValueError:
            continue
        if found <= pub or (day is None and (found.year, found.month) == (pub.year, pub.month)):
            return found
    return None


def _resolve(kind: str, m: re.Match, pub: date, w: _Words, before: str) -> EventDate | None:
    text = m.group(0)
    groups = m.groupdict()
    if kind == "iso":
        try:
            return EventDate(date(int(groups["year"]), int(groups["m"]), int(groups["day"])).isoformat(), "day", text)
        except ValueError:
            return None
    if kind in ("dmy", "mdy", "my", "m"):
        month = w.months[groups["mon"].lower()]
        day = int(groups["day"]) if groups.get("day") else None
        if groups.get("year"):
            try:
                found = date(int(groups["year"]), month, day or 1)
            except ValueError:
                return None
        else:
            found = _last_on_or_before(pub, month, day)
            if found is None:
                return None
        if day is None:
            return EventDate(found.strftime("%Y-%m"), "month", text)
        return EventDate(found.isoformat(), "day", text)
    if kind == "y":
        return EventDate(groups["year"], "year", text)
    if kind == "weekday":
        if before.split()[-1:] and before.split()[-1].lower() in w.future:
            return None  # "next Tuesday": a plan, no past date
        wd = weekday(w.weekdays[groups["wd"].lower()])
        return EventDate((pub + relativedelta(weekday=wd(-1))).isoformat(), "day", text)
    if kind == "yesterday":
        return EventDate((pub - timedelta(days=1)).isoformat(), "day", text)
    if kind == "today":
        return EventDate(pub.isoformat(), "day", text)
    unit = groups["unit"].lower()
    shift = 1 if kind == "last" else 0
    if unit == "week":
        monday = pub - timedelta(days=pub.weekday()) - timedelta(weeks=shift)
        return EventDate(monday.isoformat(), "week", text)
    if unit == "month":
        return EventDate((pub - relativedelta(months=shift)).strftime("%Y-%m"), "month", text)
    return EventDate(str(pub.year - shift), "year", text)


def event_date(sentence: str, published: str | None) -> EventDate:
    """The event date of a sentence in an article published on ``published`` (ISO), or ``NO_DATE``.

    >>> event_date("On Tuesday, the two ministers met in Ankara.", "2024-05-10")
    EventDate(value='2024-05-07', precision='day', text='Tuesday')
    >>> event_date("Talks resumed in June.", "2024-03-02").value
    '2023-06'
    >>> event_date("The two met on Tuesday.", "not a date")
    EventDate(value='', precision='', text='')
    """
    pub = article_day(published)
    if pub is None or not sentence:
        return NO_DATE
    w = _words()
    found: list[tuple[int, int, str, re.Match]] = []
    for kind, pattern in w.patterns:
        for m in pattern.finditer(sentence):
            found.append((m.start(), -(m.end() - m.start()), kind, m))
    for _start, _neg, kind, m in sorted(found, key=lambda f: (f[0], f[1])):
        resolved = _resolve(kind, m, pub, w, sentence[:m.start()])
        if resolved is not None:
            return resolved
    return NO_DATE
