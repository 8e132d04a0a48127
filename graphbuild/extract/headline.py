"""Headlines: Title Case put back in sentence case for the parser, and names cut to what the article names.

A headline in Title Case ("Benin And Niger Sign Four Cooperation Agreements") is parsed with
its verbs and nouns read as names, so no relation rule finds it.  :func:`sentence_case` gives
the parser the headline with every capitalised word that the body never capitalises in mid
sentence put in lower case (the same length, so offsets still point into the original text:
evidence and mentions are read from the original).

A headline is written in Title Case ("Maduro Sign Strategic Partnership Treaty", "Sudan
Army Repels Attack"), and the statistical model often swallows the verb and its object
into a name.  The body names the same actors in ordinary case, so a headline span found
by the model (not by the gazetteer) is cut to its longest leading run of words that the
body uses in a name; a span the body does not know at all, of three words or more, is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from ..ontology import canonical_id
from .analysis import DocState
from .mentions import Span

__all__ = ["headline_sentence", "sentence_case", "trim_headline"]

_WORD = re.compile(r"[^\W\d_]+")
#: Share of a headline's longer words (4 letters or more) that must be capitalised for Title Case.
_TITLE_SHARE = 0.6


def sentence_case(text: str, keep: Collection[str] = ()) -> str:
    r"""``text`` with a Title Case first line (a headline followed by a body) in sentence case.

    A capitalised word stays as it is when the body writes it capitalised in mid sentence, or
    capitalised and never in lower case (a name: "Niger", "Kagame"), or when it is all capitals
    ("US", "RSF"), or when it is in ``keep`` (the words of the gazetteer's names, demonyms and
    capitals: "Arnorian" stays a demonym when the body never uses it); every other word of the
    headline is put in lower case.  A headline in sentence case is left alone.

    >>> sentence_case("Benin and Niger Sign Four Cooperation Agreements\n\nBenin and Niger signed deals.")
    'Benin and Niger sign four cooperation agreements\n\nBenin and Niger signed deals.'
    >>> sentence_case("Mali Junta Expels UN Envoy\n\nThe junta in Mali expelled him.")
    'Mali junta expels UN envoy\n\nThe junta in Mali expelled him.'
    >>> sentence_case("Gondor Summons Arnorian Envoy\n\nGondor summoned him.", keep={"Arnorian"})
    'Gondor summons Arnorian envoy\n\nGondor summoned him.'
    >>> sentence_case("Ghana signs pact with Togo\n\nGhana and Togo signed a pact.")
    'Ghana signs pact with Togo\n\nGhana and Togo signed a pact.'
    """
    cut = text.find("\n")
    if cut <= 0 or not text[cut:].strip():
        return text
    head, body = text[:cut], text[cut:]
    words = [m for m in _WORD.finditer(head)]
    longer = [m.group() for m in words if len(m.group()) >= 4]
    if len(longer) < 3 or sum(w[0].isupper() for w in longer) < _TITLE_SHARE * len(longer):
        return text
    capital, lower, mid = set(), set(), set()
    for m in _WORD.finditer(body):
        w = m.group()
        if not w[0].isupper():
            lower.add(w)
            continue
        capital.add(w)
        if not _starts_sentence(body, m.start()):
            mid.add(w)
    # a name: capitalised in mid sentence, or capitalised and never written in lower case
    named = mid | {w for w in capital if w.lower() not in lower}
    out = list(head)
    for m in words:
        w = m.group()
        if not w[0].isupper() or w.isupper() and len(w) > 1 or w in named or w in keep:
            continue
        lower = w.lower()
        if len(lower) == len(w):
            out[m.start():m.end()] = lower
    return "".join(out) + body


def _starts_sentence(text: str, at: int) -> bool:
    """Whether the word at ``at`` opens a line, a sentence or a quotation (its capital says nothing)."""
    before = text[:at].rstrip(" \t\"'\u201c\u2018(")
    return not before or before[-1] in ".!?:\n\u2014-"


def headline_sentence(state: DocState) -> int | None:
    """Index of the headline sentence: the first line of the text, when a body follows it."""
    doc = state.doc
    text = doc.text
    cut = text.find("\n")
    if cut <= 0 or not text[cut:].strip():
        return None
    first = state.sents[0]
    if first.start_char + len(first.text.rstrip()) > cut or len(first) > 30:
        return None  # the first sentence runs past the first line: no headline line
    return 0


def trim_headline(state: DocState) -> None:
    """Cut or drop the model's headline spans the body does not support."""
    k = headline_sentence(state)
    if k is None:
        return
    sent = state.sents[k]
    body_words: dict[str, Span] = {}
    for s in state.spans:
        if s.start >= sent.end and s.kind == "name":
            for w in s.text.lower().replace("-", " ").split():
                body_words.setdefault(w, s)
    doc = state.doc
    changed = False
    for s in [s for s in state.spans if sent.start <= s.start < sent.end and s.source == "ner"]:
        words = [t.lower_ for t in doc[s.start:s.end]]
        keep = 0
        while keep < len(words) and words[keep] in body_words:
            keep += 1
        if keep == len(words) or (keep == 0 and len(words) < 3):
            continue  # the body knows it, or too short to be a swallowed phrase
        state.spans.remove(s)
        changed = True
        if keep == 0:
            state.note(k, "dropped", "headline.trim", f"{s.text}: not named in the body")
            continue
        text = doc[s.start:s.start + keep].text
        body = body_words[words[0]]
        if body.text.lower() == text.lower() or body.type == "Person":
            etype, eid = body.type, body.entity_id
        else:
            etype, eid = s.type, canonical_id(s.type, text)
        state.spans.append(Span(s.start, s.start + keep, etype, "name", eid, text, "ner"))
        state.note(k, "candidate", "headline.trim", f"{s.text} -> {text}")
    if changed:
        state.index()
