"""How names are compared across articles: tokens, spelling skeletons, organisation keys, blocking keys.

Everything here is a pure function of one name; the word lists are data
(``graphbuild/data/resolve/identity.yaml`` and the honorifics of ``actors.yaml``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

import yaml
from anyascii import anyascii
from rapidfuzz.fuzz import ratio

__all__ = ["NameWords", "acronym_like", "generic_org_key", "initials", "latin", "org_key", "patronymic_at", "person_tokens", "rotated",
           "same_spelling", "same_token", "skeleton", "words"]


@dataclass(frozen=True)
class NameWords:
    """The data the comparisons read."""

    titles: frozenset[str]
    suffixes: frozenset[str]
    surname_suffixes: frozenset[str]
    name_synonyms: dict[str, str]
    org_leading: frozenset[str]
    org_synonyms: dict[str, str]
    org_phrases: dict[tuple[str, ...], tuple[str, ...]]
    org_trailing: frozenset[str]
    org_heads_first: frozenset[str]
    generic_org: frozenset[str]
    patronymic: frozenset[str]
    initials_skip: frozenset[str]
    sited_org: frozenset[str]
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
    return NameWords(frozenset(titles | honorifics), frozenset(data.get("name_suffixes", ())),
                     frozenset(data.get("surname_suffixes", ())),
                     dict(data.get("name_synonyms", {})),
                     frozenset(data.get("org_leading_words", ())),
                     dict(data.get("org_synonyms", {})),
                     {tuple(k.split()): tuple((v or "").split()) for k, v in (data.get("org_phrases") or {}).items()},
                     frozenset(data.get("org_trailing_words", ())), frozenset(data.get("org_heads_first", ())),
                     frozenset(data.get("generic_org_words", ())),
                     frozenset(data.get("patronymic_particles", ())),
                     frozenset(data.get("initials_skip", ())),
                     frozenset(data.get("sited_org_words", ())),
                     int(data.get("exact_token_length", 3)),
                     float(data.get("spelling_ratio", 80)))


def _ascii_words(name: str) -> list[str]:
    text = anyascii(unicodedata.normalize("NFC", name)).lower()
    text = re.sub(r"['’`]", "", text)          # O'Brien -> obrien
    return re.findall(r"[a-z0-9&]+", text)     # hyphens and dots split: Jong-un -> jong un


@lru_cache(maxsize=1 << 16)
def person_tokens(name: str) -> tuple[str, ...]:
    """A person's name as lower-case ASCII tokens, titles and honorifics dropped from the front.

    Runs of initials are one token and particles have one spelling (data: ``name_synonyms``).

    >>> person_tokens("President Emmanuel Macron"), person_tokens("Kim Jong-un"), person_tokens("Mr. Erdoğan")
    (('emmanuel', 'macron'), ('kim', 'jong', 'un'), ('erdogan',))
    >>> person_tokens("K.P. Sharma Oli"), person_tokens("Abdel Fattah el-Sisi"), person_tokens("Lloyd Austin III")
    (('kp', 'sharma', 'oli'), ('abdel', 'fattah', 'al', 'sisi'), ('lloyd', 'austin'))

    A generational suffix after a lone surname leaves the surname ("Marcos Jr." is a Marcos):

    >>> person_tokens("Marcos Jr."), person_tokens("Jr"), person_tokens("King Abdullah II")
    (('marcos',), ('jr',), ('abdullah', 'ii'))
    """
    w = words()
    toks = [w.name_synonyms.get(t, t) for t in _join_initials(_ascii_words(name))]
    while len(toks) > 1 and toks[0] in w.titles:
        toks = toks[1:]
    while len(toks) > 2 and toks[-1] in w.suffixes:
        toks = toks[:-1]
    while len(toks) == 2 and toks[-1] in w.surname_suffixes:
        toks = toks[:-1]
    return tuple(toks)


@lru_cache(maxsize=1 << 16)
def skeleton(token: str) -> str:
    """A spelling skeleton: the first letter, then the consonants without h, w and y, doubles collapsed.

    Transliterations of one name share it ("Zelensky", "Zelenskyy", "Zelenskiy"; "Mohammed", "Muhammad").

    >>> skeleton("zelenskyy"), skeleton("zelenskiy"), skeleton("muhammad"), skeleton("mohamed")
    ('zlnsk', 'zlnsk', 'md', 'md')
    >>> skeleton("alexander") == skeleton("aleksander")
    True
    """
    if not token:
        return ""
    token = token.replace("x", "ks")  # Alexander / Aleksander
    rest = re.sub(r"[aeiouyhw]", "", token[1:])
    out = token[0]
    for ch in rest:
        if ch != out[-1]:
            out += ch
    return out


@lru_cache(maxsize=1 << 16)
def latin(name: str) -> bool:
    """Written in Latin letters (diacritics allowed): only such names have spellings to compare.

    A name transliterated from another script keeps only its letters ("محمد" / "محمود" differ
    by one letter and are two names).

    >>> latin("Şükrü Yıldırım"), latin("Владимир"), latin("محمد")
    (True, False, False)
    """
    return all("LATIN" in unicodedata.name(ch, "") for ch in name if ch.isalpha())


def same_spelling(a: tuple[str, ...], b: tuple[str, ...], exact: bool = False) -> bool:
    """One name written with its parts run together or apart: "Abdulhamid Dbeibah" / "Abdul Hamid Dbeibeh".

    >>> same_spelling(("abdulhamid", "dbeibah"), ("abdul", "hamid", "dbeibeh"))
    True
    >>> same_spelling(("ali", "khan"), ("alik", "han"))
    False
    """
    if exact or not same_token(a[-1], b[-1]):
        return False
    return "".join(a[:-1]) == "".join(b[:-1])


def rotated(a: tuple[str, ...], b: tuple[str, ...], exact: bool = False) -> bool:
    """One name in the two orders news writes names in: the family name last, or first (Chinese, Japanese,
    Korean, Hungarian order): "Minoru Kihara" / "Kihara Minoru", "Jong Un Kim" / "Kim Jong Un".

    >>> rotated(("minoru", "kihara"), ("kihara", "minoru")), rotated(("jong", "un", "kim"), ("kim", "jong", "un"))
    (True, True)
    >>> rotated(("aldo", "borin"), ("aldo", "borin")), rotated(("jong", "kim", "un"), ("kim", "jong", "un"))
    (False, False)
    """
    if len(a) != len(b) or len(a) < 2 or a == b:
        return False
    return any(len(x) == len(y) and all(same_token(s, t, exact) for s, t in zip(x[-1:] + x[:-1], y))
               for x, y in ((a, b), (b, a)))


def patronymic_at(form: tuple[str, ...]) -> list[int]:
    """Where a name has a patronymic ("bin Farhan": a particle of ``patronymic_particles`` and the
    father's name): the particle's positions.

    >>> patronymic_at(("faisal", "bin", "farhan", "al", "saud")), patronymic_at(("bin", "farhan"))
    ([1], [0])
    """
    particles = words().patronymic
    return [i for i in range(len(form) - 1) if form[i] in particles]


@lru_cache(maxsize=1 << 16)
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
    return skeleton(a) == skeleton(b) and ratio(a.replace("x", "ks"), b.replace("x", "ks")) >= w.spelling_ratio


def _country_forms(capitals: bool) -> Iterator[tuple[tuple[str, ...], str]]:
    """(org-key tokens, ``#iso3``) for every name, alias, demonym and ISO2 code of a packaged country,
    or for every capital and city standing for it (``capitals``)."""
    import json

    text = resources.files("graphbuild.data").joinpath("gazetteer/countries.jsonl").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip():
            continue
        rec = json.loads(line)
        if capitals:
            forms = [f for item in rec.get("capitals", ()) for f in (item if isinstance(item, list) else [item])]
        else:
            forms = [rec["name"], *rec.get("aliases", ()), *rec.get("demonyms", ()), rec.get("iso2") or ""]
        for form in forms:
            toks = _join_initials(re.findall(r"[a-z0-9]+", anyascii(form).lower()))
            if toks:
                yield tuple(toks), "#" + rec["iso3"].lower()


@cache
def _countries() -> dict[tuple[str, ...], str]:
    """Every country name, alias and demonym of the packaged gazetteer (as org-key tokens) -> its code."""
    out: dict[tuple[str, ...], str] = {}
    for toks, code in _country_forms(capitals=False):
        if len(toks) > 1 or len(toks[0]) > 2:
            out.setdefault(toks, code)
    for form, iso3 in (_read("resolve/identity.yaml").get("country_short_forms") or {}).items():
        out.setdefault(tuple(form.lower().split()), "#" + iso3.lower())
    return out


def _join_initials(toks: list[str]) -> list[str]:
    """Runs of single letters are one word: "u s military" -> "us military"."""
    out: list[str] = []
    run = ""
    for t in toks:
        if len(t) == 1 and t.isalpha() and t != "&":
            run += t
            continue
        if run:
            out.append(run)
            run = ""
        out.append(t)
    if run:
        out.append(run)
    return out


@lru_cache(maxsize=1 << 16)
def org_key(name: str) -> str:
    """An organisation's name for comparison (:func:`_plain_org_key`), then the packaged gazetteer's
    primary name for a name it lists as one of its organisation's forms.

    >>> org_key("Congolese armed forces") == org_key("FARDC")
    True
    """
    key = _plain_org_key(name)
    return _gazetteer_org_keys().get(key, key)


@cache
def _gazetteer_org_keys() -> dict[str, str]:
    """The plain key of every written-out name and alias of a packaged organisation -> its primary name's key.

    Initials ("SAF") stay out: the gazetteer already gives them their entry where it is sure, and
    elsewhere they name other bodies. A key two entries share stays out too.
    """
    import json

    found: dict[str, set[str]] = {}
    text = resources.files("graphbuild.data").joinpath("gazetteer/organizations.jsonl").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        rec = json.loads(line)
        primary = _plain_org_key(rec["name"])
        for form in [rec["name"], *rec.get("aliases", ())]:
            key = _plain_org_key(form)
            if key and not acronym_like(form.replace(".", "")):
                found.setdefault(key, set()).add(primary)
    return {k: next(iter(v)) for k, v in found.items() if len(v) == 1 and next(iter(v)) != k}


@lru_cache(maxsize=1 << 16)
def _plain_org_key(name: str) -> str:
    """An organisation's name for comparison: ASCII, lower case, no leading "the", no punctuation,
    initials joined, and a country named by name, possessive or demonym written as its code first.

    >>> org_key("The Rapid Support Forces"), org_key("Médecins Sans Frontières"), org_key("AT&T")
    ('rapid support forces', 'medecins sans frontieres', 'at and t')
    >>> {org_key("Armenia's Foreign Ministry"), org_key("the Armenian foreign ministry"),
    ...  org_key("Foreign Ministry of Armenia")}
    {'#arm foreign ministry'}
    >>> org_key("U.S. military") == org_key("US military") == org_key("the US Armed Forces")
    True
    >>> org_key("Ministry of Foreign Affairs of Peru"), org_key("Xinhua News Agency"), org_key("Lockheed Martin Corp")
    ('#per foreign ministry', 'xinhua', 'lockheed martin')
    >>> org_key("Beijing's foreign ministry"), org_key("Armenian MFA"), org_key("Moscow State University")
    ('#chn foreign ministry', '#arm foreign ministry', 'moscow state university')
    >>> org_key("Pak Army") == org_key("Pakistan Army")
    True
    """
    w = words()
    toks = [w.org_synonyms.get(t, t) for t in _join_initials(re.findall(r"[a-z]+|[0-9]+|&", anyascii(name).lower()))]
    while len(toks) > 1 and toks[0] in w.org_leading:
        toks = toks[1:]
    countries = _countries()
    out: list[str] = []
    code = None
    i = 0
    while i < len(toks):
        hit = next((n for n in range(min(5, len(toks) - i), 0, -1) if tuple(toks[i:i + n]) in countries), 0)
        if hit and code is None and len(toks) > hit:  # a country's own name is not an organisation
            code = countries[tuple(toks[i:i + hit])]
            i += hit
            if i < len(toks) and toks[i] == "s":  # possessive
                i += 1
            if out and out[-1] == "of":
                out.pop()
            continue
        out.append(toks[i])
        i += 1
    if code is None:  # "the Beijing foreign ministry": a capital standing for its state, before a body's words
        capitals = _capitals()
        for n in range(min(3, len(out) - 1), 0, -1):
            for i in range(len(out) - n + 1):
                city = tuple(out[i:i + n])
                rest = out[:i] + out[i + n:]
                if city in capitals and rest and all(t in w.generic_org or t == "s" for t in rest):
                    code, out = capitals[city], [t for t in rest if t != "s"]
                    break
            if code is not None:
                break
    return " ".join(([code] if code else []) + _org_words(out, w))


@cache
def _capitals() -> dict[tuple[str, ...], str]:
    """Every capital (and city standing for its state) of the packaged gazetteer (org-key tokens) -> its code."""
    out: dict[tuple[str, ...], str] = {}
    for toks, code in _country_forms(capitals=True):
        out.setdefault(toks, code)
    return out


def _org_words(toks: list[str], w: NameWords) -> list[str]:
    """Phrases with one meaning replaced, company forms dropped, "ministry of X" as "X ministry"."""
    longest = max((len(k) for k in w.org_phrases), default=0)
    out: list[str] = []
    i = 0
    while i < len(toks):
        n = next((n for n in range(min(longest, len(toks) - i), 0, -1) if tuple(toks[i:i + n]) in w.org_phrases), 0)
        if n:
            out.extend(w.org_phrases[tuple(toks[i:i + n])])
            i += n
        else:
            out.append(toks[i])
            i += 1
    while len(out) > 1 and out[-1] in w.org_trailing:
        out.pop()
    if len(out) > 2 and out[0] in w.org_heads_first and out[1] == "of":
        out = out[2:] + out[:1]
    return out or toks


def generic_org_key(key: str) -> bool:
    """An organisation key that names no country and only says what kind of body it is.

    >>> generic_org_key(org_key("the Foreign Affairs Ministry")), generic_org_key(org_key("Supreme Court"))
    (True, True)
    >>> generic_org_key(org_key("Turkish Foreign Ministry")), generic_org_key(org_key("Rapid Support Forces"))
    (False, False)
    """
    toks = key.split()
    return bool(toks) and not toks[0].startswith("#") and all(t in words().generic_org for t in toks)


@lru_cache(maxsize=1 << 16)
def initials(name: str) -> frozenset[str]:
    """The initials a name may be written as (upper case): of every word, and of its words without the small
    ones (data: ``initials_skip``).

    >>> sorted(initials("Department of Foreign Affairs")), sorted(initials("Islamic Resistance in Iraq"))
    (['DFA', 'DOFA'], ['IRI', 'IRII'])
    """
    toks = re.findall(r"[a-z0-9]+", anyascii(name).lower())
    skip = words().initials_skip
    out = {"".join(t[0] for t in toks), "".join(t[0] for t in toks if t not in skip)}
    return frozenset(o.upper() for o in out if len(o) >= 2)


def acronym_like(name: str) -> bool:
    """A short all-capitals name ("RSF", "M23", "AU"): an organisation known by its initials.

    >>> acronym_like("RSF"), acronym_like("M23"), acronym_like("Hamas"), acronym_like("A")
    (True, True, False, False)
    """
    return bool(re.fullmatch(r"[A-Z][A-Z0-9&-]{1,7}", name)) and sum(c.isalpha() for c in name) >= 1
