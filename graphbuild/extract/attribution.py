"""Who claims what a sentence says: the ``claimed_by`` of each piece of evidence.

"Ghana said Togo had delivered ...": Ghana claims the delivery.  Forms read from the parse:
the subject of a speech verb whose clause holds the relation ("X said/told/announced/accused/
warned ..."), "according to X", "X-run media reported", and a quotation whose speaker is named
in the sentence that closes it.  The claimant is an entity id when an actor of the graph
stands there (a person, a state through its capital or spokesperson, an organization), the
words of the source when none does ("Western officials", "a senior diplomat"), and empty
for the article's own voice.

A second claimant denying the clause ("..., which Lomé denied", "a charge Rwanda denies")
adds a ``denied`` claim of the same relation by the denier, when the denier is the one the
relation says acted (:func:`claims`).  Cue words: ``data/rules/claims.yaml`` (``attribution``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache

from .analysis import ACTOR_TYPES, DocState
from .rules import _read_yaml
from .titles import RawRelation

__all__ = ["AttributionCues", "claims", "claimant_of", "load_cues"]


@dataclass(frozen=True)
class AttributionCues:
    """Words that introduce a claimant (see ``claims.yaml``)."""

    speech_verbs: frozenset[str]
    denial_verbs: frozenset[str]
    denial_nouns: frozenset[str]
    according: frozenset[str]
    pronouns: frozenset[str]
    controlled_suffixes: frozenset[str]
    media_nouns: frozenset[str]


@cache
def load_cues() -> AttributionCues:
    """The packaged attribution cue words."""
    a = _read_yaml("claims.yaml")["attribution"]
    return AttributionCues(*(frozenset(w.lower() for w in a[k]) for k in (
        "speech_verbs", "denial_verbs", "denial_nouns", "according", "pronouns", "controlled_suffixes", "media_nouns")))


def _anchors(state: DocState, sent, ids: set[str]) -> set[int]:
    """Token indices in ``sent`` of the mentions of ``ids`` (a group's members count)."""
    out: set[int] = set()
    for span in state.spans:
        if span.start >= sent.start and span.end <= sent.end and (
                span.entity_id in ids or ids.intersection(span.members)):
            out.update(range(span.start, span.end))
    return out


def _who(state: DocState, head, cues: AttributionCues) -> str:
    """The claimant a subject (or ``according to`` object) token stands for: an actor id, else its words."""
    actors = [s for s in state.actors_at(head, conj=False) if s.type in ACTOR_TYPES]
    if not actors:  # "a spokesman for the Foreign Ministry", "Kremlin-run media": an actor inside the phrase
        actors = [s for t in head.subtree if t.i != head.i and (s := state.token_span.get(t.i)) is not None
                  and s.type in ACTOR_TYPES]
    if actors:
        span = actors[0]
        return span.home or span.entity_id
    if head.lower_ in cues.pronouns or head.pos_ == "PRON" and head.lower_ not in ("he", "she", "they", "we", "i"):
        return ""
    if head.pos_ == "PRON":
        return ""  # an unresolved "he": no guess
    words = [t for t in head.subtree if not (t.is_punct and t.i in (head.left_edge.i, head.right_edge.i))]
    if len(words) > 8:
        words = [t for t in head.subtree if t.i <= head.i][-8:]
    if not words:
        return ""
    doc = head.doc  # the words as written ("Kremlin-run media"), from the parsed text
    return doc.text[words[0].idx:words[-1].idx + len(words[-1].text)].strip()


def _frames(state: DocState, sent, cues: AttributionCues) -> list[tuple[set[int], object, str]]:
    """(content token indices, subject token, claimant) of every speech frame of the sentence, innermost first."""
    out = []
    for tok in sent:
        if tok.pos_ not in ("VERB", "AUX") or tok.lemma_.lower() not in cues.speech_verbs:
            continue
        if tok.dep_ in ("relcl", "acl") and tok.lemma_.lower() in cues.denial_verbs:
            continue  # "..., which X denied": a second claimant (:func:`_denials`)
        subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
        if subj is None:
            continue
        who = _who(state, subj, cues)
        if not who:
            continue
        inside = {t.i for t in subj.subtree}
        content = {t.i for t in tok.subtree} - inside - {tok.i}
        out.append((content, subj, who))
    out.sort(key=lambda f: len(f[0]))
    return out


def _according(state: DocState, sent, cues: AttributionCues) -> str:
    """"according to X": X."""
    for tok in sent:
        if tok.lower_ in cues.according:
            for to in (c for c in tok.children if c.lower_ == "to"):
                for obj in (c for c in to.children if c.dep_ == "pobj"):
                    return _who(state, obj, cues)
    return ""


def _quote_speaker(state: DocState, k: int, cues: AttributionCues) -> str:
    """The speaker of a quotation open at the start of sentence ``k`` (or opening in it without closing),
    named in the sentence where it closes ('"We sent troops. We will send more," the minister said.')."""
    sents = state.sents
    opened = False
    for sent in sents[:k + 1]:  # the quotation state at the end of sentence k
        for t in sent:
            if t.text in ('"', "\u201c", "\u201d"):
                opened = not opened if t.text == '"' else t.text == "\u201c"
    if not opened:
        return ""
    for later in sents[k + 1:k + 6]:
        closes = any(t.text in ('"', "\u201d") for t in later)
        if closes:
            frames = _frames(state, later, cues)
            return frames[-1][2] if frames else ""
    return ""


def claimant_of(state: DocState, sent_i: int, ids: set[str], cues: AttributionCues | None = None) -> str:
    """Who claims a relation between ``ids`` read in sentence ``sent_i`` ("" for the article's voice)."""
    cues = cues or load_cues()
    sent = state.sents[sent_i]
    anchors = _anchors(state, sent, ids)
    for content, subj, who in _frames(state, sent, cues):
        if anchors & content:
            return who
    return _according(state, sent, cues) or _quote_speaker(state, sent_i, cues)


def _denials(state: DocState, sent, cues: AttributionCues) -> list[tuple[set[int], str]]:
    """(tokens the denial clause covers, denier) of "..., which X denied" and "a charge X denies"."""
    out = []
    for tok in sent:
        if tok.lemma_.lower() not in cues.denial_verbs:
            continue
        subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
        if subj is None:
            continue
        # "a charge Rwanda denies" read as the main clause: "Rwanda denies a charge, [Kinshasa accused ...]"
        charge = next((c for c in tok.children if c.dep_ == "dobj" and c.lemma_.lower() in cues.denial_nouns), None)
        if charge is not None:
            covered = {tok.i} | {t.i for t in subj.subtree} | {t.i for t in charge.subtree}
        elif tok.dep_ in ("relcl", "acl", "advcl") or tok.dep_ in ("ccomp", "conj") and \
                tok.head.lemma_.lower() not in cues.speech_verbs:  # not "X said and denied ...": X's own words
            covered = {t.i for t in tok.subtree}
        else:
            continue
        actors = [s for s in state.actors_at(subj, conj=False) if s.type in ACTOR_TYPES]
        if actors:
            out.append((covered, actors[0].home or actors[0].entity_id))
    return out


def claims(state: DocState, raw: Sequence[RawRelation]) -> tuple[list[RawRelation], list[str]]:
    """The relations with their claimants (parallel lists), and a ``denied`` claim added for each
    relation a second claimant denies (the denier must be its subject, or the subject's state)."""
    cues = load_cues()
    out: list[RawRelation] = []
    who: list[str] = []
    denials: dict[int, list[tuple[set[int], str]]] = {}
    for r in raw:
        sent = r.sent
        k = state.sent_at(sent.start)
        claimant = claimant_of(state, k, {r.subject, r.object}, cues)
        out.append(r)
        who.append(claimant)
        if k not in denials:
            denials[k] = _denials(state, sent, cues)
        for covered, denier in denials[k]:
            if denier == claimant or denier not in (r.subject, state.home_country(r.subject)):
                continue
            if _anchors(state, sent, {r.object}) <= covered or r.modality == "denied":
                continue  # the denial is about something else, or the relation is already denied
            state.note(k, "fired", "claim.denied", f"{denier} denies {r.subject} {r.predicate} {r.object}")
            out.append(replace(r, modality="denied"))
            who.append(denier)
    return out, who
