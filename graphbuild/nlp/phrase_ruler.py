"""A fast span ruler for gazetteer patterns: a table of lower-cased word sequences plus per-token case checks.

The gazetteer's token patterns use three token shapes only: ``{"LOWER": w}``,
``{"LOWER": w, "IS_LOWER": False}`` (a capitalised word that must not appear
all lower-case) and ``{"ORTH": w}`` (exact).  spaCy's token ``Matcher`` handles
thousands of them in time proportional to patterns x tokens; a table keyed on
the lower-cased word sequences finds the same candidates with a few hash lookups
per token, and the case checks are applied afterwards.  Results are the same
spans (label, id) as ``span_ruler`` would give, written to ``doc.spans[spans_key]``.

The table is plain Python (tuples of strings), not spaCy's ``PhraseMatcher``:
adding 30,000 phrases to a ``PhraseMatcher`` creates a lexeme for every unseen
word and took most of a one-article ``graphbuild extract``; the table costs a
dictionary insert per phrase and is kept between runs (:meth:`PhraseRuler.state`,
``graphbuild/extract/ruler_cache.py``).
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span

__all__ = ["PhraseRuler"]

_EXACT, _NOT_LOWER, _ANY = 0, 1, 2


_MAX_VARIANTS = 256


def _token_options(tok: dict) -> list[tuple[str, tuple[int, str]] | None] | None:
    """The (lower word, check) alternatives one token dict allows (None = optional, absent); None if unsupported."""
    tok = dict(tok)
    optional = tok.pop("OP", None)
    if optional not in (None, "?"):
        return None
    keys = set(tok)
    if keys == {"ORTH"} and isinstance(tok["ORTH"], str):
        opts = [(tok["ORTH"].lower(), (_EXACT, tok["ORTH"]))]
    elif keys in ({"LOWER"}, {"LOWER", "IS_LOWER"}):
        check = (_NOT_LOWER, "") if tok.get("IS_LOWER") is False else (_ANY, "")
        if "IS_LOWER" in tok and tok["IS_LOWER"] is not False:
            return None
        low = tok["LOWER"]
        if isinstance(low, str):
            opts = [(low, check)]
        elif isinstance(low, dict) and set(low) == {"IN"}:
            opts = [(w, check) for w in low["IN"]]
        else:
            return None
    else:
        return None
    return [*opts, None] if optional == "?" else opts


def _compile(pattern: list[dict]) -> list[tuple[list[str], list[tuple[int, str]]]] | None:
    """Every (lower-case words, checks) sequence a token pattern matches, or None if it needs the Matcher."""
    variants: list[tuple[list[str], list[tuple[int, str]]]] = [([], [])]
    for tok in pattern:
        opts = _token_options(tok)
        if opts is None:
            return None
        variants = [(w + [o[0]], c + [o[1]]) if o is not None else (w, c) for w, c in variants for o in opts]
        if len(variants) > _MAX_VARIANTS:
            return None
    return [v for v in variants if v[0]]


class PhraseRuler:
    """Pipeline component: gazetteer patterns -> ``doc.spans[spans_key]`` with ``label_`` and ``id_``."""

    def __init__(self, nlp: Language, name: str, spans_key: str) -> None:
        self.nlp = nlp
        self.name = name
        self.spans_key = spans_key
        self.fallback = Matcher(nlp.vocab)  # patterns a phrase cannot express
        self._entries: dict[tuple[str, ...], list[tuple[str, str, tuple[tuple[int, str], ...]]]] = {}
        self._lengths: dict[str, tuple[int, ...]] = {}  # first word -> the lengths of the phrases it opens
        self._fallback: dict[str, tuple[str, str]] = {}
        self._fallback_patterns: list[dict] = []

    def _add_fallback(self, pat: dict) -> None:
        key = f"fallback-{len(self._fallback)}"
        self._fallback[key] = (pat["label"], pat.get("id", ""))
        self._fallback_patterns.append(pat)
        self.fallback.add(key, [pat["pattern"]] if isinstance(pat["pattern"], list)
                          else [[{"LOWER": w.lower()} for w in pat["pattern"].split()]])

    def add_patterns(self, patterns: Iterable[dict]) -> None:
        """Add span-ruler style patterns (``label``, token ``pattern``, ``id``)."""
        lengths: dict[str, set[int]] = {w: set(n) for w, n in self._lengths.items()}
        for pat in patterns:
            compiled = _compile(pat["pattern"]) if isinstance(pat["pattern"], list) else None
            if compiled is None:
                self._add_fallback(pat)
                continue
            for words, checks in compiled:
                key = tuple(words)
                entries = self._entries.setdefault(key, [])
                entry = (pat["label"], pat.get("id", ""), tuple(checks))
                if entry not in entries:
                    entries.append(entry)
                lengths.setdefault(key[0], set()).add(len(key))
        self._lengths = {w: tuple(sorted(n)) for w, n in lengths.items()}

    def state(self) -> tuple:
        """The compiled table as plain data (tuples, lists, strings), for a cache; :meth:`restore` puts it back."""
        return (self._entries, self._lengths, self._fallback_patterns)

    def restore(self, state: tuple) -> None:
        """Use a table made by :meth:`state` instead of adding its patterns again."""
        entries, lengths, fallback = state
        if not isinstance(entries, dict) or not isinstance(lengths, dict):
            raise ValueError("not a phrase table")
        self._entries, self._lengths = entries, lengths
        for pat in fallback:
            self._add_fallback(pat)

    def matches(self, lower: list[str]) -> list[tuple[int, int, tuple[str, ...]]]:
        """(start, end, key) of every phrase of the table in a sequence of lower-cased words, by start."""
        out = []
        entries, lengths = self._entries, self._lengths
        n = len(lower)
        for i, word in enumerate(lower):
            for size in lengths.get(word, ()):
                if i + size > n:
                    break
                key = tuple(lower[i:i + size])
                if key in entries:
                    out.append((i, i + size, key))
        return out

    def __call__(self, doc: Doc) -> Doc:
        strings = self.nlp.vocab.strings
        spans = []
        for start, end, key in self.matches([t.lower_ for t in doc]):
            for label, ent_id, checks in self._entries[key]:
                ok = True
                for tok, (kind, orth) in zip(doc[start:end], checks):
                    if (kind == _EXACT and tok.text != orth) or (kind == _NOT_LOWER and tok.is_lower):
                        ok = False
                        break
                if ok:
                    spans.append(Span(doc, start, end, label=label, span_id=ent_id))
        if self._fallback:
            for match_id, start, end in self.fallback(doc):
                label, ent_id = self._fallback[strings[match_id]]
                spans.append(Span(doc, start, end, label=label, span_id=ent_id))
        doc.spans[self.spans_key] = spans
        return doc


@Language.factory("graphbuild_phrase_ruler", default_config={"spans_key": "graphbuild_gazetteer"})
def make_phrase_ruler(nlp: Language, name: str, spans_key: str) -> PhraseRuler:
    """spaCy factory for :class:`PhraseRuler`."""
    return PhraseRuler(nlp, name, spans_key)
