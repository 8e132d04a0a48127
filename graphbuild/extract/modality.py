"""Modality of a relation from its trigger's clause: asserted, promised, possible or denied.

Looks at the trigger, its auxiliaries, negations and adverbs, then climbs the
clauses that govern it (a noun's verb, xcomp/ccomp/advcl chains, "likely to
be ...") and takes the strongest cue met: denied > possible > promised > asserted.
Cue words come from ``data/rules/modality.yaml``.
"""

from __future__ import annotations

from .rules import ModalityCues

__all__ = ["modality_of"]

_CLIMB_DEPS = {"xcomp", "ccomp", "advcl", "attr", "dobj", "pobj", "prep", "nsubj", "nsubjpass", "acomp",
               "conj", "acl", "pcomp", "appos", "oprd", "dative", "npadvmod", "compound", "amod"}
_ADJUNCT_PREPS = frozenset({"at", "during", "after", "before", "in", "on", "since", "until", "amid", "following",
                            "for", "despite", "since", "throughout", "ahead", "over"})
_STRENGTH = {"denied": 3, "possible": 2, "promised": 1, "asserted": 0}


def _own_cue(tok, cues: ModalityCues, is_trigger: bool) -> str | None:
    """The modality cue carried by ``tok`` itself and its function-word children."""
    found: list[str] = []
    for child in tok.children:
        low = child.lower_
        if child.dep_ == "neg" or (child.dep_ == "det" and low == "no" and tok.pos_ == "NOUN"):
            found.append("denied")
        elif child.dep_ == "aux" and child.tag_ == "MD":
            if low == "would" and _reported(tok):
                found.append("promised")  # "X said it would ...": the future of reported speech
            elif low in cues.possible_modals:
                found.append("possible")
            elif low in cues.promised_modals:
                found.append("promised")
        elif child.dep_ in ("advmod", "acomp") and low in cues.possible_adverbs:
            found.append("possible")
        elif child.dep_ == "acomp" and low in cues.possible_adjectives:
            found.append("possible")
        elif child.dep_ == "acomp" and low in cues.promised_adjectives:
            found.append("promised")
        elif child.dep_ == "amod" and low in cues.possible_adjectives and tok.pos_ == "NOUN":
            found.append("possible")
        elif child.dep_ == "amod" and low in cues.promised_verbs:
            found.append("promised")
    if not is_trigger:
        lemma = tok.lemma_.lower()
        if lemma in cues.denied_verbs:
            found.append("denied")
        elif lemma in cues.possible_verbs or (tok.pos_ == "ADJ" and lemma in cues.possible_adjectives):
            found.append("possible")
        elif lemma in cues.promised_verbs or (tok.pos_ == "NOUN" and lemma in cues.promised_nouns):
            found.append("promised")
    if not found:
        return None
    return max(found, key=_STRENGTH.__getitem__)


_SPEECH = frozenset({"say", "tell", "announce", "state", "declare", "vow", "pledge", "promise", "insist", "add",
                     "assure", "warn", "write", "confirm", "reply"})


def _reported(tok) -> bool:
    """True when the clause of ``tok`` is the content of a speech verb ("said it would ...")."""
    t = tok
    for _ in range(3):
        if t.dep_ in ("ccomp", "xcomp", "conj") and t.head.i != t.i:
            if t.dep_ == "ccomp" and t.head.lemma_.lower() in _SPEECH:
                return True
            t = t.head
        else:
            return False
    return False


def modality_of(trigger, cues: ModalityCues, *, max_depth: int = 6) -> tuple[str, str]:
    """(modality, cue word or "") for a relation whose trigger token is ``trigger``."""
    tok = trigger
    depth = 0
    best = ("asserted", "")
    while True:
        cue = _own_cue(tok, cues, tok is trigger)
        if cue and _STRENGTH[cue] > _STRENGTH[best[0]]:
            best = (cue, tok.text)
            if cue == "denied":
                return best
        if best[0] != "asserted" and tok is not trigger:
            return best
        if tok.dep_ not in _CLIMB_DEPS or tok.head.i == tok.i or depth >= max_depth:
            return best
        if tok.dep_ in ("pobj", "dobj") and tok.head.lower_ in _ADJUNCT_PREPS:  # ("following" may parse as a verb)
            return best  # "at their meeting", "for its war": an adjunct, not what the verb asserts
        if tok.dep_ == "conj" and any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children):
            return best  # a coordinated clause with its own subject has its own modality
        # a reporting verb ("said", "told") does not change what the clause it reports asserts
        tok = tok.head
        depth += 1
