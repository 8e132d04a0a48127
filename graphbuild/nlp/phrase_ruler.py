"""A fast span ruler for gazetteer patterns: spaCy's PhraseMatcher on LOWER plus per-token case checks.

The gazetteer's token patterns use three token shapes only: ``{"LOWER": w}``,
``{"LOWER": w, "IS_LOWER": False}`` (a capitalised word that must not appear
all lower-case) and ``{"ORTH": w}`` (exact).  spaCy's token ``Matcher`` handles
thousands of them in time proportional to patterns x tokens; a ``PhraseMatcher``
keyed on the lower-cased words finds the same candidates in one hash lookup per
token, and the case checks are applied afterwards.  Results are the same spans
(label, id) as ``span_ruler`` would give, written to ``doc.spans[spans_key]``.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
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
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.fallback = Matcher(nlp.vocab)  # patterns a phrase cannot express
        self._entries: dict[str, list[tuple[str, str, list[tuple[int, str]]]]] = {}
        self._fallback: dict[str, tuple[str, str]] = {}

    def add_patterns(self, patterns: Iterable[dict]) -> None:
        """Add span-ruler style patterns (``label``, token ``pattern``, ``id``)."""
        new: dict[str, list[str]] = {}
        for pat in patterns:
            compiled = _compile(pat["pattern"]) if isinstance(pat["pattern"], list) else None
            if compiled is None:
                key = f"fallback-{len(self._fallback)}"
                self._fallback[key] = (pat["label"], pat.get("id", ""))
                self.fallback.add(key, [pat["pattern"]] if isinstance(pat["pattern"], list)
                                  else [[{"LOWER": w.lower()} for w in pat["pattern"].split()]])
                continue
            for words, checks in compiled:
                key = "\x1f".join(words)
                if key not in self._entries:
                    self._entries[key] = []
                    new[key] = words
                entry = (pat["label"], pat.get("id", ""), checks)
                if entry not in self._entries[key]:
                    self._entries[key].append(entry)
        for key, words in new.items():
            self.matcher.add(key, [Doc(self.nlp.vocab, words=words)])

    def __call__(self, doc: Doc) -> Doc:
        strings = self.nlp.vocab.strings
        spans = []
        for match_id, start, end in self.matcher(doc):
            for label, ent_id, checks in self._entries[strings[match_id]]:
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
