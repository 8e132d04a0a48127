"""Within-article coreference: surnames, role descriptions and group descriptions.

- "Putin" -> "Vladimir Putin", "Kim" -> "Kim Jong-un" (a name part of one full name seen in the article);
- "the Russian leader", "the Kremlin chief", "his North Korean counterpart" -> the person
  who holds that role (from titles) for that country in the article;
- "the two heads of state", "our countries" -> the two most prominent persons / countries so far.
"""

from __future__ import annotations

from collections import Counter

from ..extract.analysis import DocState
from ..extract.mentions import Span
from ..extract.titles import role_in

__all__ = ["resolve_names", "resolve_descriptions"]


def resolve_names(state: DocState) -> None:
    """Map short person names to the full name they belong to, and find unlabelled repeats."""
    doc = state.doc
    full = [s for s in state.spans if s.type == "Person" and s.kind == "name" and len(s.text.split()) >= 2]
    parts: dict[str, set[str]] = {}
    names: dict[str, str] = {}
    for s in full:
        names.setdefault(s.entity_id, s.text)
        tokens = [w for w in s.text.replace("-", " ").split()] + s.text.split()
        for w in tokens:
            if len(w) > 1 and w[0].isupper():
                parts.setdefault(w.lower(), set()).add(s.entity_id)
    changed = False
    for s in list(state.spans):
        if s.kind != "name" or len(s.text.split()) != 1:
            continue
        owners = parts.get(s.text.lower())
        if owners and len(owners) == 1 and s.type in ("Person", "Organization", "Location"):
            s.entity_id = next(iter(owners))
            s.type = "Person"
    # unlabelled repeats of a name part ("Kim thanked ...") that NER missed
    for tok in doc:
        if tok.i in state.token_span or tok.pos_ != "PROPN":
            continue
        owners = parts.get(tok.lower_)
        if owners and len(owners) == 1:
            state.spans.append(Span(tok.i, tok.i + 1, "Person", "name", next(iter(owners)), tok.text, "coref"))
            changed = True
    if changed:
        state.index()


def _prominent(state: DocState, etype: str, before: int, exclude: set[str] = frozenset()) -> list[str]:
    """Entity ids of ``etype`` by mention count before token ``before`` (ties: first seen)."""
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for s in state.spans:
        if s.start >= before:
            break
        ids = s.members or ((s.entity_id,) if s.type == etype and s.kind != "demonym" or
                            (etype == "Country" and s.type == "Country") else ())
        for eid in ids:
            if eid in exclude or state.types.get(eid, s.type) != etype:
                continue
            counts[eid] += 1
            first.setdefault(eid, s.start)
    return sorted(counts, key=lambda e: (-counts[e], first[e]))


def _holder(state: DocState, affil: str | None, title: str | None, kind: str | None) -> str | None:
    """The one person holding a role matching the affiliation / title / kind given."""
    found = []
    for pid, roles in state.roles.items():
        for r in roles:
            if affil and r.affiliation != affil:
                continue
            if title and kind != "counterpart" and r.title != title and r.kind != kind:
                continue
            found.append(pid)
            break
    return found[0] if len(set(found)) == 1 else None


def resolve_descriptions(state: DocState) -> None:
    """Turn role and group descriptions into person / group spans."""
    doc = state.doc
    lex = state.roles_lexicon
    actors = state.rules.actors
    for tok in doc:
        if tok.pos_ not in ("NOUN", "PROPN") or (tok.i in state.token_span and
                                                 state.token_span[tok.i].kind not in ("demonym",)):
            continue
        lower, lemma = tok.lower_, tok.lemma_.lower()
        mods = [c for c in tok.children if c.dep_ in ("amod", "compound", "poss", "det", "nummod", "nmod")]
        start = min([tok.i] + [t.i for m in mods for t in m.subtree])
        # groups: "the two heads of state", "both leaders", "our countries"
        for etype in ("Person", "Country"):
            nouns = actors.group_nouns[etype]
            phrase = lower
            nxt = doc[tok.i + 1:tok.i + 3]
            if len(nxt) == 2 and nxt[0].lower_ == "of":
                phrase = f"{lower} of {nxt[1].lower_}"
            if (phrase in nouns or lower in nouns) and tok.tag_ in ("NNS", "NNPS"):
                markers = {m.lower_ for m in mods}
                if not markers & {"two", "both", "our", "their"}:
                    continue
                members = _prominent(state, etype, tok.i)[:2]
                if len(members) == 2:
                    end = tok.i + (3 if phrase != lower else 1)
                    span = Span(start, end, etype, "group", members[0], doc[start:end].text, "coref",
                                tuple(members))
                    state.replace(start, end, span)
                    state.note(tok.sent.start, "candidate", f"coref.group", f"{span.text} -> {', '.join(members)}")
                break
        else:
            # persons by role: "the Russian leader", "the Kremlin chief", "his North Korean counterpart"
            role = role_in([tok], lex)
            is_person_role = lemma in actors.person_roles or lower in actors.person_roles
            if not role and not is_person_role:
                continue
            if tok.tag_ in ("NNS", "NNPS") or tok.dep_ == "compound":
                continue
            affil = None
            for m in mods:
                s = state.token_span.get(m.i)
                if s is not None and s.type in ("Country", "Organization"):
                    affil = s.entity_id
            kind = "counterpart" if is_person_role else role[1]
            title = None if is_person_role else role[0]
            pid = _holder(state, affil, title, kind) if (affil or title) else None
            if pid is None and is_person_role:
                subj = _clause_subject_person(state, tok)
                others = _prominent(state, "Person", tok.i, exclude={subj} if subj else set())
                pid = others[0] if others else None
            if pid is None:
                continue
            span = Span(start, tok.i + 1, "Person", "role", pid, doc[start:tok.i + 1].text, "coref")
            state.replace(start, tok.i + 1, span)
            state.note(tok.sent.start, "candidate", "coref.role", f"{span.text} -> {pid}")


def _clause_subject_person(state: DocState, tok) -> str | None:
    """The person id that is the subject of the verb governing ``tok`` (to exclude as its own counterpart)."""
    verb = tok.head
    while verb.pos_ not in ("VERB", "AUX") and verb.head is not verb:
        verb = verb.head
    for c in verb.children:
        if c.dep_ in ("nsubj", "nsubjpass"):
            s = state.token_span.get(c.i)
            if s is not None and s.type == "Person":
                return s.entity_id
    return None
