"""Headlines: names the model read out of Title Case are cut back to what the article names.

A headline is written in Title Case ("Maduro Sign Strategic Partnership Treaty", "Sudan
Army Repels Attack"), and the statistical model often swallows the verb and its object
into a name.  The body names the same actors in ordinary case, so a headline span found
by the model (not by the gazetteer) is cut to its longest leading run of words that the
body uses in a name; a span the body does not know at all, of three words or more, is dropped.
"""

from __future__ import annotations

from ..ontology import canonical_id
from .analysis import DocState
from .mentions import Span

__all__ = ["headline_sentence", "trim_headline"]


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
