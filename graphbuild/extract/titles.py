"""Titles, appositions and locative modifiers -> LEADER_OF, REPRESENTS, MEMBER_OF, LOCATED_IN.

"North Korean leader Kim Jong-un", "Kremlin chief Vladimir Putin",
"Dmitry Peskov, the Kremlin spokesman", "a researcher at the IISS",
"the Vostochny cosmodrome in the Russian Far East", "the Yemeni port of Hodeidah".
Role words and their kind (leader / representative / member) come from the
gazetteer's roles file; only what the text itself states is read.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from .analysis import DocState, Role
from .mentions import Span

__all__ = ["RawRelation", "find_roles", "find_locations", "find_memberships",
           "find_relational_nouns", "find_listed_members", "role_in"]

_KIND_PREDICATE = {"leader": "LEADER_OF", "representative": "REPRESENTS", "member": "MEMBER_OF"}
_NP_DEPS = frozenset({"compound", "amod", "nmod", "poss", "det", "punct", "case", "nummod", "quantmod", "cc",
                      "prep", "pobj"})  # prep/pobj: "Secretary [of State] Marco Rubio"


@dataclass
class RawRelation:
    """A relation found in one sentence, before entities are finalised."""

    subject: str
    predicate: str
    object: str
    sent: object
    rule: str
    confidence: float
    modality: str = "asserted"
    items: tuple[str, ...] = ()
    inferred: bool = False


def role_in(tokens, lexicon: dict[str, str]) -> tuple[str, str] | None:
    """The longest role phrase among ``tokens`` (lemma or lower form), as (phrase, kind)."""
    words = [t.lower_ for t in tokens]
    lemmas = [t.lemma_.lower() for t in tokens]
    best: tuple[str, str] | None = None
    n = len(words)
    for size in (4, 3, 2, 1):
        for i in range(n - size + 1):
            for seq in (words[i:i + size], lemmas[i:i + size]):
                phrase = " ".join(seq)
                kind = lexicon.get(phrase)
                if kind:
                    if best is None or len(phrase) > len(best[0]):
                        best = (phrase, kind)
        if best:
            return best
    return best


def _left_modifiers(doc, span: Span) -> list:
    """Tokens of the noun phrase left of a name: "Russian presidential spokesman [Dmitry Peskov]"."""
    root = doc[span.start:span.end].root
    inside = set(range(span.start, span.end))
    out = []
    i = span.start - 1
    while i >= 0:
        tok = doc[i]
        if tok.is_sent_start and tok.i != i:
            break
        anc = tok
        ok = False
        for _ in range(6):
            if anc.i in inside or anc.i == root.i:
                ok = True
                break
            if anc.dep_ not in _NP_DEPS or anc.head.i == anc.i:
                break
            anc = anc.head
        if not ok or tok.dep_ not in _NP_DEPS:
            break
        out.append(tok)
        inside.add(i)
        i -= 1
    out.reverse()
    return out


def _left_linear(state: DocState, span: Span, sent) -> list:
    """Tokens right before a name that read as "<affiliation> <title>", whatever the parse says."""
    doc = state.doc
    words = state.title_words
    out = []
    i = span.start - 1
    while i >= sent.start:
        tok = doc[i]
        s = state.token_span.get(i)
        if tok.text == ")" and out:
            # "Democratic People's Republic of Korea (DPRK) leader X": a bracketed short form is skipped
            opening = next((j for j in range(i - 1, max(sent.start, i - 4) - 1, -1) if doc[j].text == "("), None)
            if opening is not None and opening > sent.start:
                i = opening - 1
                continue
            break
        if s is not None and s.type in ("Country", "Organization") and s.kind != "group":
            out.append(tok)
        elif s is None and (tok.lower_ in words or tok.lemma_.lower() in words or tok.tag_ == "POS"):
            out.append(tok)
        else:
            break
        i -= 1
    out.reverse()
    # the affiliation must come first: "Solomon Islands prime minister", not "minister ... Islands"
    while out and state.token_span.get(out[0].i) is None:
        out.pop(0)
    return out


def _affiliations(state: DocState, tokens) -> list[Span]:
    """Countries and organizations named among ``tokens`` (demonyms, seats and capitals included);
    a possessive person stands for the state he leads or represents ("his foreign minister")."""
    out: list[Span] = []
    doc = state.doc
    for t in tokens:
        s = state.token_span.get(t.i)
        if s is not None and s.type != "Person":
            root = doc[s.start:s.end].root
            if root.dep_ == "pobj" and root.head.lower_ in ("to", "in"):
                continue  # "ambassador to Spain", "envoy in Kabul": the host ("analyst at X" is X's)
        if s is not None and s.type == "Person" and t.dep_ == "poss":
            home = state.home_country(s.entity_id)
            if home is not None:
                s = Span(s.start, s.end, "Country", "pronoun", home, s.text, "coref")
        if s is not None and s.type in ("Country", "Organization") and s not in out:
            out.append(s)
    return out


def _modified(state: DocState, tokens, kind: str) -> str | None:
    """Apply title modifiers: "former"/"incoming" -> no current role (None); "deputy"/"vice" -> representative."""
    mods = state.role_modifiers
    words = {t.lower_ for t in tokens} | {t.lower_.rstrip("-") for t in tokens}
    if words & (mods.get("not_current", frozenset()) | mods.get("future", frozenset())):
        return None
    if kind == "leader" and words & mods.get("deputy", frozenset()):
        return "representative"
    return kind


def _record(state: DocState, person: Span, kind: str, title: str, affil: Span, sent_i: int, sent, rule: str,
            conf: float, context=()) -> list[RawRelation]:
    """The role relation(s) of one title: a state body's official also represents its state
    ("Polish Foreign Ministry spokesman X" -> REPRESENTS the ministry and Poland)."""
    if affil.entity_id == person.entity_id:
        return []
    kind = _modified(state, context, kind)
    if kind is None:
        state.note(sent_i, "dropped", rule, f"{person.text}: {title} is not a current role")
        return []
    if kind == "member" and affil.type == "Country":
        return []  # "a Russian researcher" says nothing about membership of a state
    country = state.body_country(affil) if affil.type == "Organization" else None
    if kind == "representative" and country is not None and title.split() \
            and title.split()[-1].lower() in state.rules.actors.body_head_titles:
        kind = "leader"  # a minister of his state's ministry heads it
    role = Role(kind, affil.entity_id, title, sent_i)
    if role not in state.roles.setdefault(person.entity_id, []):
        state.roles[person.entity_id].append(role)
    state.note(sent_i, "fired", rule, f"{person.text} is {title} of {affil.text}")
    out = [RawRelation(person.entity_id, _KIND_PREDICATE[kind], affil.entity_id, sent, rule, conf)]
    if affil.type == "Country":  # "French Foreign Minister X" heads the French Foreign Ministry the text names
        for body in _portfolio_bodies(state, title, affil.entity_id):
            state.roles[person.entity_id].append(Role("leader", body, title, sent_i))
            out.append(RawRelation(person.entity_id, "LEADER_OF", body, sent, rule + ".body", conf - 0.05))
    if country is not None and country != person.entity_id:
        state.roles[person.entity_id].append(Role("representative", country, title, sent_i))
        out.append(RawRelation(person.entity_id, "REPRESENTS", country, sent, rule + ".state", conf - 0.05))
    return out


def _portfolio_bodies(state: DocState, title: str, country: str) -> list[str]:
    """The state bodies of ``country`` named in the text whose portfolio a minister's ``title`` names:
    "foreign minister" -> the Foreign Ministry, "defense secretary" -> the Department of Defense."""
    actors = state.rules.actors
    words = title.lower().replace("-", " ").split()
    if not words or words[-1] not in actors.body_head_titles:
        return []
    portfolio = {w for w in words if w not in actors.body_head_titles and w not in ("of", "the", "and", "affairs")}
    if not portfolio:
        return []
    out: list[str] = []
    for span in state.spans:
        if span.type != "Organization" or span.entity_id in out or state.body_country(span) != country:
            continue
        name = (state.names.get(span.entity_id) or span.text).lower().replace("-", " ").split()
        words_of = set(name) | ({"defence", "defense"} if {"defence", "defense"} & set(name) else set())
        if any(w in actors.ministry_words for w in name) and portfolio & words_of:
            out.append(span.entity_id)
    return out


def find_roles(state: DocState) -> Iterator[RawRelation]:
    """LEADER_OF / REPRESENTS / MEMBER_OF from titles and appositions of named persons."""
    doc = state.doc
    lex = state.roles_lexicon
    for sent_i, sent in enumerate(state.sents):
        for span in [s for s in state.spans if s.type == "Person" and s.kind == "name"
                     and sent.start <= s.start < sent.end]:
            # 1. title before the name
            left = _left_modifiers(doc, span)
            role = role_in(left, lex) if left else None
            if not role and left:
                yield from _counterpart(state, span, left, sent_i, sent)
            affils = _affiliations(state, left) if role else []
            linear_used = False
            if not affils:
                # the parser split the title off ("ask Solomon Islands prime minister X"): read it linearly
                linear = _left_linear(state, span, sent)
                lrole = role_in(linear, lex) if linear else None
                if lrole and _affiliations(state, linear):
                    role, left, affils = lrole, linear, _affiliations(state, linear)
                    linear_used = True
            if role:
                for affil in affils[:1]:
                    rule = "role.title_linear" if linear_used else "role.title"
                    yield from _record(state, span, role[1], role[0], affil, sent_i, sent, rule, 0.85, left)
                if not affils:
                    # a bare title whose country is a party of the same sentence ("President X said
                    # Venezuela will ..."): the gazetteer says which of the sentence's countries he serves,
                    # never one the sentence does not name, nor one named only as a place ("arrived in Y")
                    known = state.known_country(span.entity_id)
                    here = [s for s in state.spans if known and s.entity_id == known and s.type == "Country"
                            and s.kind in ("name", "demonym", "capital", "seat")
                            and sent.start <= s.start < sent.end and _acts(doc[s.start:s.end].root)]
                    for affil in here[:1]:
                        yield from _record(state, span, role[1], role[0], affil, sent_i, sent, "role.title_known",
                                           0.7, left)
            root = doc[span.start:span.end].root
            # 2. apposition after the name, or the name as apposition of a role noun
            appos = [c for c in root.children if c.dep_ == "appos"]
            if root.dep_ == "appos" and root.head.i not in state.token_span:
                appos.append(root.head)
            elif root.dep_ == "appos" and root.head.dep_ == "pobj" and root.head.head.lower_ in ("to", "in") \
                    and root.head.head.head.i not in state.token_span and role_in([root.head.head.head], lex):
                appos.append(root.head.head.head)  # "X's ambassador to Spain, Y": read as Spain's apposition
            # "the U.S. special envoy, Witkoff, and ...": an apposition the parser read as a list
            if not appos and span.start >= 2 and doc[span.start - 1].text == "," and root.dep_ == "conj" \
                    and root.head.i == span.start - 2 and root.head.i not in state.token_span \
                    and (span.end >= len(doc) or doc[span.end].text in (",", ")", ".")) \
                    and role_in([root.head], lex):
                appos.append(root.head)
            for ap in appos:
                sub = [t for t in ap.subtree if not (span.start <= t.i < span.end)]
                if ap.i < span.start:  # "the U.S. special envoy, Witkoff, and ...": the title's own words
                    sub = [t for t in sub if t.i < span.start]
                if any(state.token_span.get(t.i) is not None and state.token_span[t.i].type == "Person"
                       and state.token_span[t.i].kind == "name" for t in sub):
                    continue
                head_role = role_in([t for t in sub if t.i <= ap.i], lex)
                if not head_role:
                    yield from _counterpart(state, span, [t for t in sub if t.i <= ap.i], sent_i, sent)
                    continue
                for affil in _affiliations(state, sub)[:1]:
                    yield from _record(state, span, head_role[1], head_role[0], affil, sent_i, sent, "role.appos",
                                       0.8, [t for t in sub if t.i <= ap.i])
            # 3. "X is the president of Y" / "X serves as ..."
            if root.dep_ == "nsubj" and root.head.lemma_ in ("be", "serve", "become", "remain"):
                for attr in (c for c in root.head.children if c.dep_ in ("attr", "prep")):
                    target = attr
                    if attr.dep_ == "prep" and attr.lower_ == "as":
                        target = next((c for c in attr.children if c.dep_ == "pobj"), None)
                    if target is None or target.pos_ not in ("NOUN", "PROPN"):
                        continue
                    sub = list(target.subtree)
                    head_role = role_in([t for t in sub if t.i <= target.i], lex)
                    if head_role:
                        for affil in _affiliations(state, sub)[:1]:
                            yield from _record(state, span, head_role[1], head_role[0], affil, sent_i, sent,
                                          "role.copula", 0.75)
            # 4. "President X of Y"
            if role:
                for prep in (c for c in root.children if c.dep_ == "prep" and c.lower_ == "of"):
                    for affil in _affiliations(state, list(prep.subtree))[:1]:
                        yield from _record(state, span, role[1], role[0], affil, sent_i, sent, "role.title_of", 0.8)


def _acts(tok) -> bool:
    """Whether a token is a party of its clause rather than a place phrase: a subject ("Venezuela will buy"),
    an object, a possessor, or a demonym on a subject (or coordinated with one of them)."""
    while tok.dep_ == "conj" and tok.head.i != tok.i:
        tok = tok.head
    return tok.dep_ in ("nsubj", "nsubjpass", "poss", "dobj") or (tok.dep_ in ("amod", "compound") and tok.head.dep_ in ("nsubj", "nsubjpass"))


def _counterpart(state: DocState, span: Span, left, sent_i: int, sent) -> Iterator[RawRelation]:
    """"his Argentine counterpart Javier Milei": the role of the person he is the counterpart of, for his country.

    The other person is the possessor ("his", resolved by coreference) or, failing that, the
    first person of the sentence holding a role; without one, nothing is said of the role.
    """
    words = state.rules.actors.counterpart_words
    if not any(t.lemma_.lower() in words or t.lower_ in words for t in left):
        return
    affils = _affiliations(state, left)
    others = [s.entity_id for t in left if (s := state.token_span.get(t.i)) is not None
              and s.type == "Person" and s.entity_id != span.entity_id]
    others += [s.entity_id for s in state.spans if s.type == "Person" and sent.start <= s.start < span.start
               and s.entity_id != span.entity_id]
    for other in others:
        roles = [r for r in state.roles.get(other, ()) if r.affiliation.startswith("country:")]
        if not roles:
            continue
        for affil in affils:
            if affil.entity_id != roles[0].affiliation:
                yield from _record(state, span, roles[0].kind, f"counterpart ({roles[0].title})", affil, sent_i,
                                   sent, "role.counterpart", 0.75, left)
                return
        return


_ARMS = frozenset({"arm", "arms", "weapon", "weapons", "military", "defence", "defense", "munitions", "ammunition"})


def find_relational_nouns(state: DocState) -> Iterator[RawRelation]:
    """"X, a treaty ally of Y", "X is Y's biggest arms supplier": relations carried by a noun."""
    nouns = state.rules.relational_nouns
    if not nouns:
        return
    for sent_i, sent in enumerate(state.sents):
        for tok in sent:
            if tok.pos_ != "NOUN":
                continue
            words = {tok.lemma_.lower(), tok.lower_}
            words |= {f"{c.lower_} {tok.lower_}" for c in tok.children if c.dep_ in ("compound", "amod")}
            for rn in nouns:
                if not words & rn.nouns:
                    continue
                if rn.requires_arms and not any(c.lemma_.lower() in _ARMS or c.lower_ in _ARMS
                                                for c in tok.children if c.dep_ in ("compound", "amod")):
                    continue
                if tok.dep_ == "appos":
                    holders = state.actors_at(tok.head, conj=False)
                elif tok.dep_ in ("attr", "oprd") and tok.head.lemma_ in ("be", "remain", "become", "stay"):
                    holders = [s for c in tok.head.children if c.dep_ == "nsubj" for s in state.actors_at(c)]
                else:
                    continue
                owners = [s for c in tok.children if c.dep_ == "poss" for s in state.actors_at(c, conj=False)]
                owners += [s for p in tok.children if p.dep_ == "prep" and p.lower_ in ("of", "to")
                           for c in p.children if c.dep_ == "pobj" for s in state.actors_at(c)]
                for h in holders:
                    for o in owners:
                        if h.entity_id == o.entity_id or h.type not in ("Country", "Organization", "Person") \
                                or o.type not in ("Country", "Organization", "Person"):
                            continue
                        s, ob = (h, o) if rn.holder_is_subject else (o, h)
                        state.note(sent_i, "fired", rn.id, f"{s.text} {rn.predicate} {ob.text}")
                        yield RawRelation(s.entity_id, rn.predicate, ob.entity_id, sent, rn.id, 0.65)


def find_memberships(state: DocState) -> Iterator[RawRelation]:
    """MEMBER_OF for states: "X is / became a member (state) of Y", "X is a Y member", "X, a Y member",
    "X and Z, both Y members", "X became Y's 32nd member"."""
    nouns = state.rules.memberships.member_nouns or frozenset({"member"})
    for sent_i, sent in enumerate(state.sents):
        for tok in sent:
            if tok.dep_ not in ("attr", "oprd", "appos"):
                continue
            member = tok if tok.lower_ in nouns and tok.lemma_.lower() != "ally" else next(
                (c for c in tok.children if c.dep_ in ("compound", "amod") and c.lemma_.lower() == "member"), None)
            if member is None:
                continue
            if tok.dep_ == "appos":
                subjects = state.actors_at(tok.head)
            elif tok.head.lemma_ in ("be", "become", "remain", "stay"):
                subjects = [s for c in tok.head.children if c.dep_ == "nsubj" for s in state.actors_at(c)]
            else:
                continue
            orgs = [s for p in tok.children if p.dep_ == "prep" and p.lower_ in ("of", "in")
                    for c in p.children if c.dep_ == "pobj" for s in state.actors_at(c)]
            orgs += [s for t in dict.fromkeys((tok, member)) for c in t.children if c.dep_ in ("compound", "poss")
                     for s in state.actors_at(c, conj=False)]
            for subj in subjects:
                for org in orgs:
                    if subj.type in ("Country", "Organization") and org.type == "Organization" \
                            and subj.entity_id != org.entity_id:
                        state.note(sent_i, "fired", "member.copula", f"{subj.text} member of {org.text}")
                        yield RawRelation(subj.entity_id, "MEMBER_OF", org.entity_id, sent, "member.copula", 0.75)


def _phrase_at(doc, i: int, end: int, phrases: tuple[tuple[str, ...], ...]) -> int:
    """The index after the first of ``phrases`` that starts at token ``i`` (``i`` when none does)."""
    for words in phrases:
        if i + len(words) <= end and all(doc[i + k].lower_ == w for k, w in enumerate(words)):
            return i + len(words)
    return i


def _listed(state: DocState, i: int, end: int, types: frozenset[str], *, skip: int = 0) -> tuple[list[Span], int]:
    """The actors of ``types`` listed from token ``i`` ("Brazil, Argentina and the UAE"), and where the list
    ends; up to ``skip`` plain words may come first ("including farming powerhouses Brazil")."""
    doc = state.doc
    members: list[Span] = []
    j = i
    while j < end:
        span = state.token_span.get(j)
        if span is not None and span.start == j and span.type in types and span.kind == "name":
            if span not in members:
                members.append(span)
            j = span.end
        elif members and doc[j].text == "(" and j + 2 < end and doc[j + 2].text == ")":
            j += 3  # an acronym after a member's name: "the Arakan National Army (ANA), ..."
        elif doc[j].lower_ in (",", "and", "&", "the") or (doc[j].lower_ == "as" and j + 1 < end
                                                          and doc[j + 1].lower_ == "well"):
            j += 2 if doc[j].lower_ == "as" and j + 2 < end and doc[j + 2].lower_ == "as" else 1
        elif not members and skip and doc[j].is_alpha and doc[j].i not in state.token_span:
            skip -= 1
            j += 1
        else:
            break
    while j > i and doc[j - 1].lower_ in (",", "and", "the", "&"):
        j -= 1
    return members, j


_STATES = frozenset({"Country"})
_MEMBERS = frozenset({"Country", "Organization", "Person"})


def _group_of(state: DocState, org: Span, end: int) -> list[Span]:
    """The states or bodies an organisation is described as a group of, right after its name: "ORG is a
    (security) partnership between A, B and C", "ORG, a bloc of A and B", "the ORG of A, B and C"."""
    doc, cues = state.doc, state.rules.memberships
    i = org.end
    if i < end and doc[i].text == ",":
        i += 1
    if i < end and doc[i].lemma_ == "be":
        i += 1
    if i < end and doc[i].lower_ in ("a", "an", "the"):
        i += 1
    k = i
    while k < end and k - i < 4 and k not in state.token_span and doc[k].pos_ in ("ADJ", "NOUN", "PROPN") \
            and doc[k].lower_ not in cues.group_words:
        k += 1
    if k < end and doc[k].lower_ in cues.group_words:
        k += 1
    elif k != org.end:
        return []
    if k >= end or doc[k].lower_ not in cues.group_links:
        return []
    found, _stop = _listed(state, k + 1, end, _MEMBERS - {"Person"})
    return found


def find_listed_members(state: DocState) -> Iterator[RawRelation]:
    """MEMBER_OF for the members listed right after an organisation's name (the words live in the rules'
    ``memberships`` section): "NATO allies Turkey and Greece", "ASEAN groups Brunei, Cambodia and Laos",
    "Mercosur, including Brazil and Argentina", "the BRICS group (Brazil, Russia, India, China and South
    Africa)"; a bracketed list only when it holds nothing but two or more states."""
    cues = state.rules.memberships
    doc = state.doc
    for sent_i, sent in enumerate(state.sents):
        for org in [s for s in state.spans if s.type == "Organization" and s.kind == "name"
                    and sent.start <= s.start < sent.end]:
            i, end = org.end, sent.end
            members: list[Span] = []
            how = ""
            if i < end and doc[i].lower_ in cues.member_nouns:  # "NATO allies A and B", "EU member states A, B"
                i += 1
                if i < end and doc[i].lower_ in cues.member_suffixes:
                    i += 1
                if i < end and doc[i].text == ",":
                    i += 1
                i = _phrase_at(doc, i, end, cues.listing_words)
                types = _MEMBERS if doc[org.end].lower_ in ("member", "members") else _STATES
                members, _ = _listed(state, i, end, types)
                how = "member.noun_list"
            else:
                k = i + 1 if i < end and doc[i].text == "," else i
                k = k + 1 if k < end and doc[k].lower_ in ("which", "that") else k
                after = _phrase_at(doc, k, end, cues.listing_verbs)
                if after == k and k > i:
                    after = _phrase_at(doc, k, end, cues.listing_words)
                if after == k:
                    after = i
                if after > i:
                    members, _ = _listed(state, after, end, _STATES, skip=3)
                    how = "member.listed"
                else:
                    j = i + 1 if i < end and doc[i].lower_ in cues.group_words else i
                    if j < end and doc[j].text == "(":
                        found, stop = _listed(state, j + 1, end, _STATES)
                        if stop < end and doc[stop].text == ")" and len(found) >= 2:
                            members, how = found, "member.bracketed"
                    if not members:  # "the Quad is a partnership between A, B and C", "X, a bloc of A and B"
                        found = _group_of(state, org, end)
                        if len(found) >= 2:
                            members, how = found, "member.group_of"
            for m in members:
                if m.entity_id == org.entity_id or not m.entity_id:
                    continue
                state.note(sent_i, "fired", how, f"{m.text} member of {org.text}")
                yield RawRelation(m.entity_id, "MEMBER_OF", org.entity_id, sent, how, 0.75)


def find_locations(state: DocState) -> Iterator[RawRelation]:
    """LOCATED_IN from "<place> in <place>", "<place>, <country>" and "the <demonym> city of <place>"."""
    doc = state.doc
    for sent_i, sent in enumerate(state.sents):
        for span in [s for s in state.spans if s.type == "Location" and sent.start <= s.start < sent.end]:
            root = doc[span.start:span.end].root
            targets: list[tuple[Span, str]] = []
            for prep in (c for c in root.children if c.dep_ == "prep" and c.lower_ in ("in", "near")):
                if prep.lower_ != "in":
                    continue
                for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                    targets += [(s, "located.in") for s in state.actors_at(pobj, conj=False)]
            for ap in (c for c in root.children if c.dep_ in ("appos", "npadvmod")):
                if ap.i > root.i and doc[ap.i - 1].text == ",":
                    targets += [(s, "located.comma") for s in state.actors_at(ap, conj=False)]
            # "the Iranian capital Tehran", "the Azerbaijani capital, Baku": a place named by apposition
            nouns = [root.head] if root.dep_ == "appos" and root.head.pos_ == "NOUN" else []
            nouns += [c for c in root.children if c.dep_ in ("compound", "nmod") and c.pos_ == "NOUN"]
            for noun in (n for n in nouns if n.i not in state.token_span):
                for mod in (c for c in noun.children if c.dep_ in ("amod", "compound", "poss", "nmod")):
                    s = state.token_span.get(mod.i)
                    if s is not None and s.type == "Country":
                        targets.append((s, "located.demonym_of"))
            # "X, <country>" ("Dasu, Pakistan", a dateline "JEDDAH, Saudi Arabia -"), not a list of countries
            if span.end + 1 < len(doc) and doc[span.end].text == ",":
                nxt = state.token_span.get(span.end + 1)
                after = doc[nxt.end].lower_ if nxt is not None and nxt.end < len(doc) else ""
                if nxt is not None and nxt.type == "Country" and nxt.kind == "name" and nxt.start == span.end + 1 \
                        and after not in (",", "and", "or"):
                    targets.append((nxt, "located.comma"))
            # "the Yemeni port of Hodeidah", "the village of Banjska in northern Kosovo"
            # ("the Chinese cities of Xiamen and Quanzhou": each of them)
            head_of = root
            while head_of.dep_ == "conj" and head_of.head.i != head_of.i:
                head_of = head_of.head
            if head_of.dep_ == "pobj" and head_of.head.lower_ == "of":
                noun = head_of.head.head
                for mod in (c for c in noun.children if c.dep_ in ("amod", "compound", "poss")):
                    s = state.token_span.get(mod.i)
                    if s is not None and s.type == "Country":
                        targets.append((s, "located.demonym_of"))
                for prep in (c for c in noun.children if c.dep_ == "prep" and c.lower_ == "in"):
                    for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                        targets += [(s, "located.in") for s in state.actors_at(pobj, conj=False)]
            # "Armenia's Syunik province", "Sudan's North Darfur": a possessive country or place
            holder = root.head if root.dep_ in ("compound", "nmod") and root.head.pos_ == "NOUN" else root
            for poss in (c for c in holder.children if c.dep_ == "poss"):
                targets += [(s, "located.poss") for s in state.actors_at(poss, conj=False)]
            # "El Fasher, the capital of Sudan's North Darfur state"
            for ap in (c for c in root.children if c.dep_ == "appos" and c.pos_ == "NOUN"):
                for prep in (c for c in ap.children if c.dep_ == "prep" and c.lower_ in ("of", "in")):
                    for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                        # "of Sudan's North Darfur state": the place named in the compound comes first
                        found = [state.token_span[c.i] for c in pobj.children
                                 if c.dep_ in ("compound", "nmod") and c.i in state.token_span] or \
                            state.actors_at(pobj, conj=False)
                        targets += [(s, "located.appos") for s in found]
            for target, rule in targets:
                if target.type not in ("Location", "Country") or target.entity_id == span.entity_id:
                    continue
                state.note(sent_i, "fired", rule, f"{span.text} in {target.text}")
                yield RawRelation(span.entity_id, "LOCATED_IN", target.entity_id, sent, rule, 0.75)
