"""Claims and corroboration of one logical relation, over its pieces of evidence.

Pure helpers shared by the extraction's JSON (:mod:`graphbuild.evaluate`), the store's
aggregates (:mod:`graphbuild.store.reads`) and the graph model, so they agree:

* :func:`is_contested`: one claimant asserts what another denies;
* :func:`corroboration`: distinct articles, distinct outlets, and a noisy-or of the
  confidences in which each outlet counts once (its most confident piece).
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["corroboration", "is_contested", "noisy_or"]


def is_contested(claims: Iterable[tuple[str, str]]) -> bool:
    """True when ``(modality, claimant)`` pairs hold a claim (asserted, or an accusation read as
    possible or promised) by one claimant and a ``denied`` by another ("" is the article's own
    voice, a claimant like any other).

    >>> is_contested([("asserted", "country:GHA"), ("denied", "country:TGO")])
    True
    >>> is_contested([("possible", "country:COD"), ("denied", "country:RWA")])
    True
    >>> is_contested([("asserted", "country:GHA"), ("denied", "country:GHA"), ("possible", "country:GHA")])
    False
    """
    asserted: set[str] = set()
    denied: set[str] = set()
    for modality, who in claims:
        if modality == "denied":
            denied.add(who)
        else:
            asserted.add(who)
    return bool(asserted and denied and (len(asserted) > 1 or len(denied) > 1 or asserted != denied))


def noisy_or(confidences: Iterable[float]) -> float:
    """1 - prod(1 - c), rounded to 4 places: the chance at least one independent report is right.

    >>> noisy_or([0.5, 0.5]), noisy_or([])
    (0.75, 0.0)
    """
    miss = 1.0
    for c in confidences:
        miss *= 1.0 - min(max(c, 0.0), 1.0)
    return round(1.0 - miss, 4)


def corroboration(pieces: Iterable[tuple[str, str | None, float]]) -> tuple[int, int, float]:
    """(distinct articles, distinct outlets, combined confidence) of ``(article_id, outlet, confidence)``.

    An article without an outlet is its own outlet; an outlet's pieces count once, at their
    highest confidence, so two articles of one outlet do not corroborate each other.

    >>> corroboration([("a1", "Reuters", 0.6), ("a2", "Reuters", 0.5), ("a3", "AFP", 0.5)])
    (3, 2, 0.8)
    """
    articles: set[str] = set()
    best: dict[str, float] = {}
    for article_id, outlet, confidence in pieces:
        articles.add(article_id)
        key = f"outlet:{outlet}" if outlet else f"article:{article_id}"
        if confidence > best.get(key, -1.0):
            best[key] = confidence
    return len(articles), len(best), noisy_or(best.values())
