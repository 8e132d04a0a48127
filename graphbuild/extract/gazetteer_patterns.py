"""Matcher patterns from gazetteer surfaces: spelling variants, weapon plurals and spaCy token dicts.

Owns how one surface ("the Kremlin", "Shahed-136", "Côte d'Ivoire") becomes
SpanRuler token patterns: the blank English tokenizer, the variant rules
(accents, apostrophes, hyphens, "St."/"Saint", "&"/"and", plurals of weapon
names), the per-token casing scheme (``LOWER`` / ``IS_LOWER`` / ``ORTH``), the
weapon head nouns and the pattern dedup key.  It works on plain strings and
has no notion of entries or labels, so :mod:`.gazetteer` imports it (the
casing scheme is documented there) and it imports nothing from the gazetteer.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache

_JOIN_PREFIXES = ("anti", "counter", "multi", "semi", "non")


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


@lru_cache(maxsize=1)
def _tokenizer():
    import spacy

    return spacy.blank("en").tokenizer


# --------------------------------------------------------------------------- variants and token patterns
def _pluralize(word: str) -> str:
    if re.search(r"[^aeiou]y$", word):
        return word[:-1] + "ies"
    if re.search(r"(ch|sh|x|z)$", word):
        return word + "es"
    return word + "s"


def _plural_variant(surface: str) -> str | None:
    """Plural of the last word of a weapon surface ("anti-tank missile", "F-16"); None if not inflectable."""
    words = surface.split(" ")
    last = words[-1]
    tail = re.split(r"-", last)[-1]
    if last.endswith("s") or last.endswith("S"):
        return None
    if tail.isalpha() and tail.islower():
        words[-1] = last[: len(last) - len(tail)] + _pluralize(tail)
    elif any(c.isdigit() for c in last):
        words[-1] = last + "s"
    else:
        return None
    return " ".join(words)


def _variants(surface: str, weapon: bool) -> list[str]:
    """Spelling variants of a surface (the surface first)."""
    out = [surface]

    def add(s: str) -> None:
        s = " ".join(s.split())
        if s and s not in out:
            out.append(s)

    add(_strip_accents(surface))
    for s in list(out):
        if "'" in s:
            add(s.replace("'", "\u2019"))
        if "\u2019" in s:
            add(s.replace("\u2019", "'"))
    for s in list(out):
        if re.search(r"\w-\w", s):
            add(re.sub(r"(?<=\w)-(?=\w)", " ", s))
            add(re.sub(rf"\b({'|'.join(_JOIN_PREFIXES)})-(?=[a-z])", r"\1", s))
        m = re.match(r"^(St\.?|Saint)\s+(.*)$", s)
        if m:
            for prefix in ("St.", "St", "Saint"):
                add(f"{prefix} {m.group(2)}")
        if " and " in s and any(c.isupper() for c in s):
            add(s.replace(" and ", " & "))
        if " & " in s:
            add(s.replace(" & ", " and "))
    if weapon:
        for s in list(out):
            p = _plural_variant(s)
            if p:
                add(p)
    return out


def _token_dict(tok: str, exact: bool) -> dict:
    letters = [c for c in tok if c.isalpha()]
    if exact:
        return {"ORTH": tok}
    if not letters or tok.islower():
        return {"LOWER": tok.lower()}
    if tok.isupper() and len(letters) <= 3:
        return {"ORTH": tok}  # US, UN, IS, U.S., G7, F-16
    core = re.sub(r"^[a-z]['\u2019]", "", tok)  # elided article: d'Ivoire, l'Aquila
    if not core.isupper() and any(c.isupper() for c in core[1:]):
        return {"ORTH": tok}  # camel case: LeT, MiG-29, BiH
    return {"LOWER": tok.lower(), "IS_LOWER": False}


def _pattern(text: str, exact: bool = False) -> list[dict] | None:
    """Token pattern of one surface (leading article "the" dropped); None for an empty/unusable surface."""
    text = " ".join(text.split())
    if text.startswith("the "):
        text = text[4:]
    if not text or "(" in text or ")" in text:
        return None
    pattern = [_token_dict(t.text, exact) for t in _tokenizer()(text)]
    if text.startswith("The ") and not exact:
        pattern[0] = {"LOWER": "the"}  # "The Hague" / "the Hague"
    return pattern


#: head nouns that may follow the name of a weapon system ("Shahed-136 drones", "ATACMS missiles")
_WEAPON_HEADS = ("missile", "missiles", "drone", "drones", "system", "systems", "launcher", "launchers", "rocket",
                 "rockets", "tank", "tanks", "jet", "jets", "fighter", "fighters", "howitzer", "howitzers",
                 "helicopter", "helicopters", "vehicle", "vehicles", "bomb", "bombs", "aircraft", "interceptor",
                 "interceptors", "battery", "batteries", "warplane", "warplanes", "shells", "rounds", "munitions")


def _key(pattern: list[dict]) -> str:
    return json.dumps(pattern, sort_keys=True, ensure_ascii=False)
