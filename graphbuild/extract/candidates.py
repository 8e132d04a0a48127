"""Candidate relations and their features: every pair of actors in a sentence, with what the rules said.

The relation rules and the title rules propose relations; they miss many that real
news states.  This step widens the net: every pair of distinct actors (persons,
countries, organisations, places) mentioned in one sentence is a candidate, with the
rules' proposals for that pair among its features, and the learned scorer
(:mod:`.scorer`) decides which relation, if any, the sentence states between them.

Features are plain strings, built only from what the pipeline already has: entity
types and mention kinds, the dependency path between the two mentions, the words
between them, the trigger classes of the rules (a word that triggers a rule for
predicate P anywhere on the path says ``trig=P``), the preposition an argument hangs
on, the rule proposals and their ids, and the sentence's place (headline or body).

Labels are ``P`` for a symmetric predicate and ``P>`` / ``P<`` for the others (from the
first mention in the text to the second, or back).
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field

from ..ontology import RELATION_TYPES, SYMMETRIC
from .analysis import DocState
from .mentions import Span
from .titles import RawRelation

__all__ = ["LABELS", "Candidate", "find_candidates", "label_of", "relation_of_label"]

#: The decisions the scorer makes for a pair (besides "none").
LABELS: tuple[str, ...] = tuple(lab for p in RELATION_TYPES for lab in ((p,) if p in SYMMETRIC else (p + ">", p + "<")))
#: Mention types that can be ends of a relation (weapons ride on arms transfers as items).
_END_TYPES = frozenset({"Person", "Country", "Organization", "Location"})
_STOP = frozenset({"the", "a", "an", "of", "and", "to", "in", "on", "for", "with", "by", "at", "from", "as", "that",
                   "this", "its", "his", "her", "their", "it", "he", "she", "they", "be", "have", "which", "who",
                   "'s", ",", ".", "-", "—", "–", '"', "'", "(", ")", ":", ";"})
_MAX_BETWEEN = 12


def label_of(predicate: str, forward: bool) -> str:
    """The label of ``predicate`` between the first mention and the second (``forward``) or back.

    >>> label_of("MEETS", False), label_of("ATTACKS", True), label_of("ATTACKS", False)
    ('MEETS', 'ATTACKS>', 'ATTACKS<')
    """
    if predicate in SYMMETRIC:
        return predicate
    return predicate + (">" if forward else "<")


def relation_of_label(label: str) -> tuple[str, bool]:
    """``(predicate, forward)`` of a label (a symmetric one is forward).

    >>> relation_of_label("VISITS<"), relation_of_label("MEETS")
    (('VISITS', False), ('MEETS', True))
    """
    if label.endswith((">", "<")):
        return label[:-1], label.endswith(">")
    return label, True


@dataclass
class Candidate:
    """Two actors of one sentence (``first`` is mentioned first), their features and the rules' proposals."""

    sent_i: int
    first: str
    second: str
    span_a: Span | None
    span_b: Span | None
    proposals: list[RawRelation] = field(default_factory=list)
    features: list[str] = field(default_factory=list)
    trigger: int | None = None  # the token the modality of a learned relation is read from


class _Tokens:
    """The token attributes features read, as plain lists (one pass over the doc, no token objects after)."""

    def __init__(self, doc) -> None:
        self.lemma = [t.lemma_.lower() for t in doc]
        self.lower = [t.lower_ for t in doc]
        self.dep = [t.dep_ for t in doc]
        self.pos = [t.pos_ for t in doc]
        self.head = [t.head.i for t in doc]
        self.punct = [t.is_punct for t in doc]
        self._roots: dict[tuple[int, int], int] = {}
        self._doc = doc

    def root(self, span: Span) -> int:
        key = (span.start, span.end)
        if key not in self._roots:
            self._roots[key] = self._doc[span.start:span.end].root.i
        return self._roots[key]

    def ancestors(self, i: int) -> list[int]:
        out = [i]
        while self.head[out[-1]] != out[-1]:
            out.append(self.head[out[-1]])
        return out

    def path(self, a: int, b: int) -> tuple[list[int], int | None, list[int]]:
        """(tokens up from ``a`` to the lowest common ancestor, that ancestor, tokens down to ``b``)."""
        up_a, up_b = self.ancestors(a), self.ancestors(b)
        index_b = {t: k for k, t in enumerate(up_b)}
        for k, t in enumerate(up_a):
            if t in index_b:
                return up_a[:k], t, list(reversed(up_b[:index_b[t]]))
        return up_a, None, list(reversed(up_b))


def _ok_span(span: Span) -> bool:
    return span.type in _END_TYPES and span.kind not in ("group",) and bool(span.entity_id) \
        and not span.entity_id.startswith(("block:", "ambiguous:"))


def find_candidates(state: DocState, proposals: list[RawRelation]) -> list[Candidate]:
    """Every pair of distinct actors per sentence (closest mentions), plus every pair a rule proposed."""
    doc = state.doc
    by_sent: dict[int, list[Span]] = {}
    for span in state.spans:
        if _ok_span(span):
            by_sent.setdefault(state.sent_at(span.start), []).append(span)
    cands: dict[tuple[int, str, str], Candidate] = {}
    for k, spans in by_sent.items():
        spans.sort(key=lambda s: s.start)
        for x in range(len(spans)):
            for y in range(x + 1, len(spans)):
                a, b = spans[x], spans[y]
                if a.entity_id == b.entity_id:
                    continue
                key = (k, *sorted((a.entity_id, b.entity_id)))
                old = cands.get(key)
                if old is None or (b.start - a.end) < (old.span_b.start - old.span_a.end):
                    cands[key] = Candidate(k, a.entity_id, b.entity_id, a, b)
    for r in proposals:
        if r.inferred or r.subject == r.object:
            continue
        k = state.sent_at(r.sent.start)
        key = (k, *sorted((r.subject, r.object)))
        cand = cands.get(key)
        if cand is None:
            cand = cands[key] = Candidate(k, r.subject, r.object, None, None)
        cand.proposals.append(r)
    out = sorted(cands.values(), key=lambda c: (c.sent_i, c.span_a.start if c.span_a else -1, c.first, c.second))
    trig = state.rules.trigger_classes
    toks = _Tokens(doc)
    starts = sorted(s.start for s in state.spans if _ok_span(s))
    # how often the article puts the two together: a pair named together again and again is related
    together: dict[tuple[str, str], set[int]] = {}
    for cand in out:
        together.setdefault(tuple(sorted((cand.first, cand.second))), set()).add(cand.sent_i)
    for cand in out:
        _features(state, toks, starts, cand, trig)
        sents = together[tuple(sorted((cand.first, cand.second)))]
        cand.features.append(f"together={min(len(sents), 4)}")
        if 0 in sents and cand.sent_i != 0:
            cand.features.append("together_first")  # also named together in the first sentence (the headline)
    return out


def _features(state: DocState, toks: _Tokens, starts: list[int], cand: Candidate,
              trig: dict[str, frozenset[str]]) -> None:
    f = cand.features
    a, b = cand.span_a, cand.span_b
    ta = state.types.get(cand.first) or (a.type if a else "?")
    tb = state.types.get(cand.second) or (b.type if b else "?")
    types = f"{ta}>{tb}"
    f.append("types=" + types)
    if cand.sent_i == 0:
        f.append("headline")
    for r in cand.proposals:
        forward = r.subject == cand.first
        lab = label_of(r.predicate, forward)
        f += ["rule=" + lab, "ruleid=" + r.rule + (">" if forward else "<"), "rulemod=" + r.modality]
    if not cand.proposals:
        f.append("norule")
    if a is None or b is None:
        f.append("nospan")
        return
    f += ["kinda=" + a.kind, "kindb=" + b.kind]
    lemma, dep, head = toks.lemma, toks.dep, toks.head
    ra, rb = toks.root(a), toks.root(b)
    up, lca, down = toks.path(ra, rb)
    if lca is not None:
        cand.trigger = lca
        lem = lemma[lca]
        f += ["lca=" + lem, "lcapos=" + toks.pos[lca], f"lca={lem}|{types}"]
        if lca == ra:
            f.append("a_dominates")
        elif lca == rb:
            f.append("b_dominates")
        for p in trig.get(lem, ()):
            f += ["trig=" + p, "lcatrig=" + p, f"lcatrig={p}|{dep[ra]}>{dep[rb]}", f"lcatrig={p}|{types}"]
    f += ["depa=" + dep[ra], "depb=" + dep[rb], f"deps={dep[ra]}>{dep[rb]}"]
    for side, r in (("a", ra), ("b", rb)):
        if dep[r] == "pobj":
            h = head[r]
            f += [f"prep{side}={toks.lower[h]}", f"prep{side}={toks.lower[h]}|{lemma[head[h]]}"]
            f += [f"prep{side}={toks.lower[h]}|{p}" for p in trig.get(lemma[head[h]], ())]
        if dep[r] in ("compound", "amod", "poss", "nmod"):
            f.append(f"mod{side}={lemma[head[r]]}")
    steps = up[1:] + down[:-1]
    if len(steps) <= 4:
        f.append("path=" + "|".join(dep[t] + ":" + lemma[t] for t in steps) + f"|{dep[ra]}>{dep[rb]}")
    f.append(f"pathlen={min(len(steps), 6)}")
    for t in steps:
        lem = lemma[t]
        if lem in _STOP:
            continue
        f.append("pl=" + lem)
        for p in trig.get(lem, ()):
            f.append("trig=" + p)
    if a.end <= b.start:
        others = bisect_left(starts, b.start) - bisect_left(starts, a.end)
        f.append(f"others={min(others, 3)}")
        gap = b.start - a.end
        f.append(f"gap={min(gap, 15) // 3}")
        if gap <= _MAX_BETWEEN:
            for t in range(a.end, b.start):
                lem = lemma[t]
                if lem not in _STOP and not toks.punct[t]:
                    f.append("bw=" + lem)
                    for p in trig.get(lem, ()):
                        f.append("bwtrig=" + p)
            if gap <= 3:
                f.append("bwseq=" + " ".join(toks.lower[a.end:b.start]))
    if head[rb] == ra or head[ra] == rb:
        f.append("direct=" + (dep[rb] if head[rb] == ra else dep[ra]))
    for role in state.roles.get(cand.first, ()):
        if role.affiliation == cand.second:
            f.append(f"role>{role.kind}")
    for role in state.roles.get(cand.second, ()):
        if role.affiliation == cand.first:
            f.append(f"role<{role.kind}")
