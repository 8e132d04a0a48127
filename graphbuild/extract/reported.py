"""Reported criticism: what a speaker says another actor did wrong.

"Seoul said Pyongyang violated the truce", "'Washington is pouring oil on the fire,' Wang
told reporters", "Mali's foreign minister said the drone strike was an act of aggression by
Algeria": the speaker CRITICIZES the one its claim blames (ONTOLOGY conventions: reported
speech without a hedge is asserted).  The cue words live in ``relations.yaml``
(``reported_criticism``); this module only reads the clause structure.
"""

from __future__ import annotations

from collections.abc import Iterator

from .analysis import ACTOR_TYPES, DocState
from .mentions import Span
from .rules import ReportedCues
from .titles import RawRelation

__all__ = ["find_reported_criticism"]

_RULE = "criticizes.reported"


def find_reported_criticism(state: DocState) -> Iterator[RawRelation]:
    """CRITICIZES from a speaker to the actor its reported claim blames."""
    cues = state.rules.reported
    if not cues.speech_verbs:
        return
    for sent_i, sent in enumerate(state.sents):
        for tok in sent:
            if tok.pos_ not in ("VERB", "AUX") or tok.lemma_.lower() not in cues.speech_verbs:
                continue
            if any(c.dep_ == "neg" for c in tok.children):
                continue  # "did not say"
            speakers = [s for c in tok.children if c.dep_ == "nsubj" for s in state.actors_at(c)
                        if s.type in ACTOR_TYPES]
            if not speakers:
                continue
            targets: list[Span] = []
            for clause in (c for c in tok.children if c.dep_ == "ccomp"):
                targets += _blamed(state, clause, cues)
            yield from _criticisms(state, sent_i, sent, speakers, targets, _RULE, 0.55)
        yield from _judged(state, sent_i, sent, cues)


def _criticisms(state: DocState, sent_i: int, sent, speakers: list[Span], targets: list[Span], rule: str,
                confidence: float) -> Iterator[RawRelation]:
    """Each speaker CRITICIZES each target, never his own side (himself, his state, his group's members)."""
    for speaker in speakers:
        own = {speaker.entity_id, *speaker.members}
        own |= {r.affiliation for eid in set(own) for r in state.roles.get(eid, ())}
        for target in targets:
            for tid in target.members or (target.entity_id,):
                if tid in own or state.home_country(tid) in own - {None}:
                    continue
                state.note(sent_i, "fired", rule, f"{speaker.entity_id} CRITICIZES {tid} [asserted]")
                yield RawRelation(speaker.entity_id, "CRITICIZES", tid, sent, rule, confidence)


def _judged(state: DocState, sent_i: int, sent, cues: ReportedCues) -> Iterator[RawRelation]:
    """"In response to X's provocative move, Y suspended ...", "Y cited X's erroneous remarks": the actor
    of the sentence's main clause CRITICIZES the owner of an act it judges (a blame adjective on an act noun)."""
    root = sent.root
    if root.pos_ not in ("VERB", "AUX") or any(c.dep_ == "neg" for c in root.children):
        return
    subjects = [c for c in root.children if c.dep_ == "nsubj"]
    speakers = [s for c in subjects for s in state.actors_at(c) if s.type in ACTOR_TYPES]
    if not speakers:
        return
    inside = {t.i for c in subjects for t in c.subtree}
    targets: list[Span] = []
    for t in sent:
        if t.i in inside or t.pos_ != "ADJ" or t.lemma_.lower() not in cues.adjectives:
            continue
        noun = t.head if t.dep_ == "amod" else t.head.head if t.dep_ == "conj" and t.head.dep_ == "amod" else None
        if noun is not None and noun.lemma_.lower() in cues.act_nouns and noun.i not in inside:
            targets += [s for s in state.actors_at(noun, conj=False) if s.type in ACTOR_TYPES]
    yield from _criticisms(state, sent_i, sent, speakers, targets, _RULE + ".judged", 0.5)


def _blamed(state: DocState, clause, cues: ReportedCues) -> list[Span]:
    """The actors a reported clause blames: subjects of blame verbs and predicates, owners of blame nouns."""
    out: list[Span] = []
    for t in clause.subtree:
        lemma = t.lemma_.lower()
        if t.pos_ == "VERB" and (lemma in cues.verbs or _phrase(t, cues.verbs)):
            if any(c.dep_ == "neg" for c in t.children):
                continue
            out += _subject_of(state, t)
        elif t.pos_ == "ADJ" and lemma in cues.adjectives:
            if t.dep_ in ("acomp", "attr") and not any(c.dep_ == "neg" for c in t.head.children):
                out += _subject_of(state, t.head)
            elif t.dep_ == "amod" and t.head.lemma_.lower() in cues.act_nouns:
                out += state.actors_at(t.head, conj=False)
        elif t.pos_ == "NOUN" and lemma in cues.nouns:
            owners = state.actors_at(t, conj=False)
            if not owners and t.dep_ in ("attr", "oprd"):  # "the strike was an act of aggression"
                owners = _subject_of(state, t.head)
            out += owners
    return [s for s in out if s.type in ACTOR_TYPES]


def _phrase(tok, words: frozenset[str]) -> bool:
    """Two-word cues: "pour oil" (a verb and its object)."""
    return any(f"{tok.lemma_.lower()} {c.lemma_.lower()}" in words for c in tok.children if c.dep_ == "dobj")


def _subject_of(state: DocState, verb) -> list[Span]:
    """The actor subject of a verb: its nsubj, or the agent of a passive."""
    found = [s for c in verb.children if c.dep_ == "nsubj" for s in state.actors_at(c)]
    if not found:
        found = [s for a in verb.children if a.dep_ == "agent" for c in a.children if c.dep_ == "pobj"
                 for s in state.actors_at(c)]
    if not found and verb.dep_ in ("conj", "xcomp") and verb.head.pos_ in ("VERB", "AUX"):
        return _subject_of(state, verb.head)  # "X broke the truce and violated ..."
    return found
