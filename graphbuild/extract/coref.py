"""Within-article coreference: surnames, role descriptions and group descriptions.

- "Putin" -> "Vladimir Putin", "Kim" -> "Kim Jong-un" (a name part of one full name seen in the article);
- "the Russian leader", "the Kremlin chief", "his North Korean counterpart" -> the person
  who holds that role (from titles) for that country in the article;
- "the two heads of state", "our countries" -> the two most prominent persons / countries so far.
"""

from __future__ import annotations

from collections import Counter

from .analysis import DocState
from .mentions import Span
from .titles import role_in

__all__ = ["resolve_names", "resolve_descriptions", "resolve_pronouns"]


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
    by_text = {" ".join(t.lower() for t in n.split()): eid for eid, n in names.items()}
    for s in list(state.spans):
        if s.kind != "name" or s.type not in ("Person", "Organization", "Location"):
            continue
        if len(s.text.split()) != 1:
            # a full name the model typed as a place or an organisation elsewhere ("Aung San Suu Kyi")
            same = by_text.get(" ".join(s.text.lower().split()))
            if same is not None and s.source == "ner":
                s.entity_id, s.type = same, "Person"
            continue
        owners = parts.get(s.text.lower())
        if owners and len(owners) == 1:
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
    return state.holder(affil, title, kind)


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
        nxt = doc[tok.i + 1:tok.i + 3]
        phrase = f"{lower} of {nxt[1].lower_}" if len(nxt) == 2 and nxt[0].lower_ == "of" else lower
        maybe_group = tok.tag_ in ("NNS", "NNPS") and any(
            phrase in actors.group_nouns[etype] or lower in actors.group_nouns[etype] for etype in ("Person", "Country"))
        if not maybe_group and lemma not in actors.person_roles and lower not in actors.person_roles \
                and not role_in([tok], lex):
            continue  # neither a group nor a role word: most nouns (cheap test before the parse walk)
        mods = [c for c in tok.children if c.dep_ in ("amod", "compound", "poss", "det", "nummod", "nmod")]
        start = min([tok.i] + [t.i for m in mods for t in m.subtree])
        # groups: "the two heads of state", "both leaders", "our countries"
        for etype in ("Person", "Country"):
            nouns = actors.group_nouns[etype]
            if (phrase in nouns or lower in nouns) and tok.tag_ in ("NNS", "NNPS"):
                markers = {m.lower_ for m in mods}
                size = _group_size(markers)
                if size is None:
                    continue
                if any(p.dep_ == "prep" and p.lower_ in ("from", "of") and any(
                        g.i in state.token_span for g in p.children if g.dep_ == "pobj") for p in tok.children):
                    break  # "their counterparts from Iran and Russia": the text names them
                first = state.sent_of(tok).start
                here = [sp.entity_id for sp in state.spans if first <= sp.start < tok.i
                        and sp.type == etype and sp.kind in ("name", "role", "pronoun")]
                here = list(dict.fromkeys(here))
                # the n named just before in the same sentence, else the n most prominent so far
                subj = _clause_subject_person(state, tok) if etype == "Person" else None
                here = [e for e in here if e != subj]
                members = here[-size:] if len(here) >= size else \
                    _prominent(state, etype, tok.i, exclude={subj} if subj else set())[:size]
                if len(members) == size:
                    end = tok.i + (3 if phrase != lower else 1)
                    span = Span(start, end, etype, "group", members[0], doc[start:end].text, "coref",
                                tuple(members))
                    state.replace(start, end, span)
                    state.note(state.sent_index(tok), "candidate", "coref.group", f"{span.text} -> {', '.join(members)}")
                break
        else:
            # persons by role: "the Russian leader", "the Kremlin chief", "his North Korean counterpart"
            role = role_in([tok], lex)
            is_person_role = lemma in actors.person_roles or lower in actors.person_roles
            if not role and not is_person_role:
                continue
            if tok.tag_ in ("NNS", "NNPS") or tok.dep_ == "compound":
                continue
            named = state.token_span.get(tok.i + 1)
            if named is not None and named.type == "Person" or any(
                    c.dep_ == "appos" and (s := state.token_span.get(c.i)) is not None and s.type == "Person"
                    for c in tok.children):
                continue  # "his Argentine counterpart Javier Milei": the name says who it is
            affil = None
            for m in mods:
                s = state.token_span.get(m.i)
                if s is not None and s.type in ("Country", "Organization"):
                    affil = s.entity_id
            kind = "counterpart" if is_person_role else role[1]
            title = None if is_person_role else role[0]
            pid = _holder(state, affil, title, kind) if (affil or title) else None
            if pid is not None and is_person_role and affil is not None:
                # a counterpart holds the same kind of office: the Gondorian counterpart of a foreign
                # minister (a representative) is not Gondor's prime minister (a leader)
                subj = _clause_subject_person(state, tok)
                own = {r.kind for r in state.roles.get(subj, ())} if subj else set()
                if own and not own & {r.kind for r in state.roles.get(pid, ())}:
                    pid = None
            if pid is None and is_person_role and affil is not None:
                # "his Qatari counterpart" and no Qatari named: a state agent, so the state itself
                # (never another country's person)
                owner = next(s for m in mods if (s := state.token_span.get(m.i)) is not None and s.entity_id == affil)
                span = Span(start, tok.i + 1, owner.type, "role", affil, doc[start:tok.i + 1].text, "coref")
                state.replace(start, tok.i + 1, span)
                state.note(state.sent_index(tok), "candidate", "coref.role", f"{span.text} -> {affil}")
                continue
            if pid is None and is_person_role:
                subj = _clause_subject_person(state, tok)
                others = _prominent(state, "Person", tok.i, exclude={subj} if subj else set())
                pid = others[0] if others else None
            if pid is None:
                continue
            span = Span(start, tok.i + 1, "Person", "role", pid, doc[start:tok.i + 1].text, "coref")
            state.replace(start, tok.i + 1, span)
            state.note(state.sent_index(tok), "candidate", "coref.role", f"{span.text} -> {pid}")


_NUMBERS = {"two": 2, "both": 2, "our": 2, "their": 2, "three": 3, "four": 4, "five": 5, "six": 6}


def _group_size(markers: set[str]) -> int | None:
    """How many actors a group description counts: "the two leaders" 2, "the four countries" 4.

    >>> _group_size({"the", "four"}), _group_size({"both"}), _group_size({"the"})
    (4, 2, None)
    """
    sizes = [_NUMBERS[m] for m in markers if m in _NUMBERS and m not in ("our", "their")]
    if sizes:
        return max(sizes)
    return 2 if markers & {"our", "their"} else None


def _clause_subject_person(state: DocState, tok) -> str | None:
    """The person id that is the subject of the verb governing ``tok`` (to exclude as its own counterpart)."""
    verb = tok.head
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    for c in verb.children:
        if c.dep_ in ("nsubj", "nsubjpass"):
            s = state.token_span.get(c.i)
            if s is not None and s.type == "Person":
                return s.entity_id
    return None


_SPEECH_VERBS = frozenset({"say", "tell", "add", "state", "declare", "insist", "stress", "note", "write", "announce",
                           "quote", "reply", "explain", "claim"})


def _in_quote(state: DocState, i: int) -> bool:
    """True when token ``i`` stands inside a quotation of its sentence."""
    sent = state.sents[state.sent_at(i)]
    opened = False
    for t in state.doc[sent.start:i]:
        if t.text in ("“", "«"):
            opened = True
        elif t.text in ("”", "»"):
            opened = False
        elif t.text == '"':
            opened = not opened
    return opened


def _speakers(state: DocState, i: int) -> set[str]:
    """Ids of who is reported as saying the sentence of token ``i`` ("..., Rutte said")."""
    out = set()
    for t in state.sents[state.sent_at(i)]:
        if t.lemma_.lower() in _SPEECH_VERBS:
            out |= {s.entity_id for c in t.children if c.dep_ in ("nsubj", "nsubjpass")
                    and (s := state.token_span.get(c.i)) is not None}
    return out


def _own_subjects(state: DocState, tok) -> set[str]:
    """The actors that are the subject of an object pronoun's own clause ("Sudan ..., accusing [it]":
    Sudan), climbing through the clauses that share it; an object pronoun never stands for them."""
    v = tok.head
    for _ in range(3):
        found = {s.entity_id for c in v.children if c.dep_ == "nsubj" and (s := state.token_span.get(c.i)) is not None}
        if found or any(c.dep_ in ("nsubj", "nsubjpass") for c in v.children):
            return found
        if v.dep_ not in ("advcl", "xcomp", "conj") or v.head.i == v.i:
            return set()
        v = v.head
    return set()


def _last_before(state: DocState, before: int, types: tuple[str, ...], window: int = 3,
                 exclude: frozenset[str] = frozenset()) -> Span | None:
    """The actor a pronoun at ``before`` stands for: the subject of its own or the previous sentence
    if one fits, else an actor named earlier in its sentence, else the nearest fitting actor within a
    few sentences.  A third-person pronoun inside a quotation is never its speaker."""
    doc = state.doc
    sent_starts = [s.start for s in state.sents]
    cur = state.sent_at(before)
    lower = sent_starts[max(0, cur - window)]
    prev = sent_starts[max(0, cur - 1)]
    here = sent_starts[cur]
    speakers = _speakers(state, before) if _in_quote(state, before) else set()

    def fits(span: Span) -> bool:
        return span.type in types and span.kind not in ("demonym", "group") and span.entity_id not in speakers \
            and span.entity_id not in exclude

    def is_subject(span: Span) -> bool:
        return fits(span) and doc[span.start:span.end].root.dep_ in ("nsubj", "nsubjpass")

    # the nearest subject earlier in the same sentence ("Yoon said he ..."), else the previous sentence's first
    for span in reversed(state.spans):
        if here <= span.start < before and is_subject(span):
            return span
    if exclude:  # an object pronoun whose clause's subject is ruled out: the other party named before it
        for span in reversed(state.spans):
            if here <= span.start < before and fits(span) and span.kind != "pronoun" and span.entity_id:
                return span
    if speakers:  # "... in Putin's war and he is unable ...", Rutte said: the one named in the quote
        for span in reversed(state.spans):
            if here <= span.start < before and fits(span) and span.kind != "pronoun":
                return span
    for span in state.spans:
        if prev <= span.start < here and is_subject(span):
            return span
    for span in reversed(state.spans):
        if span.start >= before or span.start < lower:
            continue
        if fits(span) and span.kind != "pronoun" and span.entity_id:
            return span
    return None


def _speaker_affiliation(state: DocState, tok) -> str | None:
    """Who "we" stands for: the state or organization of the person reported as saying the sentence."""
    for t in state.sent_of(tok):
        if t.lemma_.lower() in _SPEECH_VERBS:
            for c in t.children:
                if c.dep_ in ("nsubj", "nsubjpass"):
                    s = state.token_span.get(c.i)
                    if s is None:
                        continue
                    if s.type in ("Country", "Organization"):
                        return s.entity_id
                    for role in state.roles.get(s.entity_id, ()):
                        if role.kind in ("leader", "representative"):
                            return role.affiliation
    return None


def resolve_pronouns(state: DocState) -> None:
    """Pronouns and definite descriptions ("it", "he", "we", "the alliance") -> the actor they stand for."""
    doc = state.doc
    pron = state.rules.actors.pronouns
    desc = state.rules.actors.descriptions
    new: list[Span] = []
    facilities = state.facility_words
    for tok in doc:
        low = tok.lower_
        cur = state.token_span.get(tok.i)
        if cur is not None:
            # a capitalised description the model took for a name: "the Alliance", "the Union"
            if not (cur.source == "ner" and cur.length == 1 and tok.i > 0 and doc[tok.i - 1].lower_ == "the"
                    and any(low in words for words in desc.values())):
                continue
            state.spans.remove(cur)
            state.index()
        span: Span | None = None
        if low in facilities and tok.pos_ == "NOUN" and tok.i > 0 and doc[tok.i - 1].lower_ == "the":
            for prev in reversed(state.spans):
                if prev.start < tok.i and prev.type == "Location" and prev.text.lower().endswith(low):
                    span = Span(tok.i, tok.i + 1, "Location", "description", prev.entity_id, tok.text, "coref")
                    break
            if span is not None:
                new.append(span)
                continue
        if tok.pos_ == "PRON":
            if low in pron.get("Person", ()):
                found = _last_before(state, tok.i, ("Person",))
                if found is not None:
                    span = Span(tok.i, tok.i + 1, "Person", "pronoun", found.entity_id, tok.text, "coref")
            elif low in pron.get("Thing", ()):
                found = None
                if tok.dep_ == "poss" and tok.head.dep_ == "conj":  # "Kyiv and its allies"
                    found = state.token_span.get(tok.head.head.i)
                    if found is not None and found.type not in ("Country", "Organization"):
                        found = None
                if found is None and tok.dep_ == "poss":  # "over its invasion": the nearest state in the sentence
                    first = state.sent_of(tok).start
                    found = next((sp for sp in reversed(state.spans) if first <= sp.start < tok.i
                                  and sp.type in ("Country", "Organization") and sp.kind not in ("demonym", "group")
                                  and doc[sp.start:sp.end].root.dep_ != "poss"), None)
                own = frozenset(_own_subjects(state, tok)) if tok.dep_ in ("dobj", "dative") else frozenset()
                found = found or _last_before(state, tok.i, ("Country", "Organization"), exclude=own)
                if found is not None:
                    span = Span(tok.i, tok.i + 1, found.type, "pronoun", found.entity_id, tok.text, "coref")
            elif low in pron.get("Speaker", ()):
                eid = _speaker_affiliation(state, tok)
                if eid is not None:
                    span = Span(tok.i, tok.i + 1, state.types.get(eid) or ("Country" if eid.startswith("country:")
                                else "Organization"), "pronoun", eid, tok.text, "coref")
        elif tok.pos_ in ("NOUN", "PROPN") and tok.tag_ in ("NN", "NNP") or low in ("rebels", "militants", "insurgents"):
            for etype, words in desc.items():
                if low not in words and tok.lemma_.lower() not in words:
                    continue
                dets = [c for c in tok.children if c.dep_ == "det"]
                if not dets or dets[0].lower_ != "the":
                    continue
                if any(c.dep_ in ("amod", "compound", "poss") for c in tok.children
                       if c.i in state.token_span or c.pos_ in ("PROPN", "ADJ")):
                    continue
                if any(c.dep_ == "prep" for c in tok.children):
                    continue
                found = _prominent(state, etype, tok.i)
                kinds = state.rules.actors.description_kinds.get(low) or \
                    state.rules.actors.description_kinds.get(tok.lemma_.lower())
                if kinds:
                    found = [eid for eid in found if state.entity_kind(eid) in kinds]
                if found:
                    span = Span(tok.i, tok.i + 1, etype, "description", found[0], tok.text, "coref")
                break
        if span is not None:
            new.append(span)
            state.note(state.sent_index(tok), "candidate", "coref." + span.kind, f"{tok.text} -> {span.entity_id}")
    if new:
        state.spans.extend(new)
        state.index()
