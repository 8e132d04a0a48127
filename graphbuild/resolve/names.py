"""How names are compared across articles: tokens, spelling skeletons, organisation keys, blocking keys.

Everything here is a pure function of one name; the word lists are data
(``graphbuild/data/resolve/identity.yaml`` and the honorifics of ``actors.yaml``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml
from anyascii import anyascii
from rapidfuzz.fuzz import ratio

__all__ = ["NameWords", "acronym_like", "latin", "org_key", "person_tokens", "same_token", "skeleton", "words"]


@dataclass(frozen=True)
class NameWords:
    """The data the comparisons read."""

    titles: frozenset[str]
    org_leading: frozenset[str]
    org_synonyms: dict[str, str]
    exact_length: int
    spelling_ratio: float


def _read(name: str) -> dict:
    with resources.files("graphbuild.data").joinpath(name).open("r", encoding="utf-8") as fh:
        return yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}


@cache
def words() -> NameWords:
    """The identity word lists, read once."""
    data = _read("resolve/identity.yaml")
    honorifics = {h.lower().rstrip(".") for h in _read("rules/actors.yaml").get("honorifics", ())}
    titles = {t.lower() for t in data.get("name_titles", ())}
    return NameWords(frozenset(titles | honorifics), frozenset(data.get("org_leading_words", ())),
                     dict(data.get("org_synonyms", {})), int(data.get("exact_token_length", 3)),
                     float(data.get("spelling_ratio", 80)))


def _ascii_words(name: str) -> list[str]:
    text = anyascii(unicodedata.normalize("NFC", name)).lower()
    text = re.sub(r"['’`]", "", text)          # O'Brien -> obrien
    return re.findall(r"[a-z0-9&]+", text)     # hyphens and dots split: Jong-un -> jong un


def person_tokens(name: str) -> tuple[str, ...]:
    """A person's name as lower-case ASCII tokens, titles and honorifics dropped from the front.

    >>> person_tokens("President Emmanuel Macron"), person_tokens("Kim Jong-un"), person_tokens("Mr. Erdoğan")
    (('emmanuel', 'macron'), ('kim', 'jong', 'un'), ('erdogan',))
    """
    toks = _ascii_words(name)
    titles = words().titles
    while len(toks) > 1 and toks[0] in titles:
        toks = toks[1:]
    return tuple(toks)


def skeleton(token: str) -> str:
    """A spelling skeleton: the first letter, then the consonants without h, w and y, doubles collapsed.

    Transliterations of one name share it ("Zelensky", "Zelenskyy", "Zelenskiy"; "Mohammed", "Muhammad").

    >>> skeleton("zelenskyy"), skeleton("zelenskiy"), skeleton("muhammad"), skeleton("mohamed")
    ('zlnsk', 'zlnsk', 'md', 'md')
    """
    if not token:
        return ""
    rest = re.sub(r"[aeiouyhw]", "", token[1:])
    out = token[0]
    for ch in rest:
        if ch != out[-1]:
            out += ch
    return out


def latin(name: str) -> bool:
    """Written in Latin letters (diacritics allowed): only such names have spellings to compare.

    A name transliterated from another script keeps only its letters ("محمد" / "محمود" differ
    by one letter and are two names).

    >>> latin("Şükrü Yıldırım"), latin("Владимир"), latin("محمد")
    (True, False, False)
    """
    return all("LATIN" in unicodedata.name(ch, "") for ch in name if ch.isalpha())


def same_token(a: str, b: str, exact: bool = False) -> bool:
    """Two name tokens spell one name: equal, or (longer ones, unless ``exact``) same skeleton and similar enough.

    >>> same_token("zelensky", "zelenskyy"), same_token("un", "ul"), same_token("ali", "ala")
    (True, False, False)
    """
    if a == b:
        return True
    if exact:
        return False
    w = words()
    if min(len(a), len(b)) <= w.exact_length:
        return False
    return skeleton(a) == skeleton(b) and ratio(a, b) >= w.spelling_ratio


def org_key(name: str) -> str:
    """An organisation's name for comparison: ASCII, lower case, no leading "the", no punctuation.

    >>> org_key("The Rapid Support Forces"), org_key("Médecins Sans Frontières"), org_key("AT&T")
    ('rapid support forces', 'medecins sans frontieres', 'at and t')
    """
    w = words()
    toks = [w.org_synonyms.get(t, t) for t in re.findall(r"[a-z0-9]+|&", anyascii(name).lower())]
    while len(toks) > 1 and toks[0] in w.org_leading:
        toks = toks[1:]
    return " ".join(toks)


def acronym_like(name: str) -> bool:
    """A short all-capitals name ("RSF", "M23", "AU"): an organisation known by its initials.

    >>> acronym_like("RSF"), acronym_like("M23"), acronym_like("Hamas"), acronym_like("A")
    (True, True, False, False)
    """
    return bool(re.fullmatch(r"[A-Z][A-Z0-9&-]{1,7}", name)) and sum(c.isalpha() for c in name) >= 1
