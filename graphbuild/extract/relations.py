"""Relation rules over the dependency tree: trigger frames from ``data/rules/relations.yaml``.

For each token whose (lemma, part of speech) triggers a rule, the rule's slots
name where the subject, object and weapon items are found (see the header of
relations.yaml).  Active and passive voice, nominalisations, light verbs
("held talks with", "imposed sanctions on"), coordination and inherited
subjects ("X agreed to supply Y") are handled by the generic slot code here;
nothing in this module names a trigger word.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from ..ontology import SYMMETRIC
from .analysis import DocState
from .mentions import Span
from .modality import modality_of
from .rules import RelationRule
from .titles import RawRelation

__all__ = ["find_presence_visits", "find_relations"]

_ARMS_WORDS = frozenset({"arm", "arms", "weapon", "weapons", "munition", "munitions", "ammunition", "military",
                         "weaponry", "armament", "armaments"})
_RELATIVE = frozenset({"which", "who", "that", "whom"})
#: Verbs whose object is the doer of their of-gerund ("accused X of attacking Y").
_ACCUSE = frozenset({"accuse", "blame", "suspect", "charge", "convict", "condemn", "criticize", "criticise"})
_INHERIT_DEPS = frozenset({"xcomp", "conj", "advcl", "ccomp", "pcomp", "acomp"})


def _children(tok, deps: set[str] | frozenset[str]) -> list:
    return [c for c in tok.children if c.dep_ in deps]


def _is_passive(tok) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children)


def _each_other(tok) -> bool:
    """The trigger's object is "each other" / "one another": its coordinated subjects act on each other.

    (``accused one another of ...`` -> A CRITICIZES B and B CRITICIZES A)."""
    nominals = [c for c in tok.children if c.dep_ == "dobj"]
    nominals += [g for c in tok.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
    return any(" ".join(t.lower_ for t in n.subtree) in ("each other", "one another") for n in nominals)


def _governor(tok):
    """The verb that governs a noun trigger: "held [talks]", "imposed [sanctions] on", "assured Y of [support]"."""
    t = tok
    if t.pos_ == "ADP" and t.dep_ == "prep":
        return t.head  # a preposition trigger: the word it hangs on ("fought [alongside]", "forces, [alongside]")
    if t.dep_ == "conj":
        t = t.head
    if t.dep_ in ("dobj", "nsubjpass", "attr", "oprd", "nsubj") and t.head.pos_ in ("VERB", "AUX"):
        return t.head
    if t.dep_ == "pobj" and t.head.dep_ == "prep":
        h = t.head.head
        if h.pos_ in ("VERB", "AUX"):
            return h
        # "assured [his counterpart] of support": the preposition hangs on the verb's object
        if h.dep_ in ("dobj", "dative") and h.head.pos_ in ("VERB", "AUX"):
            return h.head
        # "called for respect for the [integrity] of X": through the noun a preposition hangs on
        if h.pos_ == "NOUN" and h.dep_ == "pobj" and h.head.dep_ == "prep" and h.head.head.pos_ in ("VERB", "AUX"):
            return h.head.head
    return None


#: Prepositions that date an event rather than make the clause's subject take part in it.
_TIME_PREPS = frozenset({"before", "after", "since", "during", "until", "following", "amid", "ahead"})


class _Frame:
    """Slot resolution for one trigger token."""

    def __init__(self, state: DocState, tok, predicate: str = "") -> None:
        self.state = state
        self.tok = tok
        self.predicate = predicate
        self.inherited = False

    def slot(self, name: str, tok=None) -> list[Span]:
        tok = tok if tok is not None else self.tok
        base, _, arg = name.partition(":")
        st = self.state
        if base == "subj":
            return self._subj(tok)
        if base == "obj":
            deps = {"nsubjpass"} if _is_passive(tok) else {"dobj"}
            found = [s for c in _children(tok, deps) for s in st.actors_at(c)]
            if not found and tok.dep_ == "relcl" and any(c.lower_ in _RELATIVE for c in _children(tok, deps)):
                found = self._antecedent(tok.head)  # "the LNA, which was supported by Russia"
            return found
        if base == "participle_head":
            # "M23 rebels [backed] by Rwanda": the noun a passive participle describes; "[Backed] by X, the
            # rebels launched ...": the subject of the clause it opens
            if tok.tag_ != "VBN":
                return []
            if tok.dep_ in ("acl", "amod"):
                return st.actors_at(tok.head, conj=False)
            if tok.dep_ == "advcl":
                return [s for c in _children(tok.head, {"nsubj"}) for s in st.actors_at(c)]
            return []
        if base == "acl_agent":  # "the blockade imposed by X": the agent of a participle on the noun
            return [s for a in _children(tok, {"acl"}) for g in _children(a, {"agent"})
                    for c in _children(g, {"pobj"}) for s in st.actors_at(c)]
        if base == "copula_subj":  # "Y, which is under siege by X": the subject of the copula over the noun
            gov = _governor(tok)
            return self._subj(gov) if gov is not None and gov.lemma_ == "be" else []
        if base == "pobj":  # a preposition's own object ("fought alongside X")
            return [s for c in _children(tok, {"pobj"}) for s in st.actors_at(c)]
        if base == "head_actor":
            # the one a preposition tells more of: the noun it hangs on ("X forces, alongside Y troops"),
            # else the subject of its verb ("X fought alongside Y")
            head = tok.head
            if head.pos_ in ("NOUN", "PROPN"):
                return st.actors_at(head, conj=False)
            return self._subj(head) if head.pos_ in ("VERB", "AUX") else []
        if base == "obj_prep":
            words = set(arg.split("|"))
            out = []
            nominals = _children(tok, {"dobj"}) + [g for c in _children(tok, {"prep"}) for g in _children(c, {"pobj"})]
            for d in nominals:
                for p in _children(d, {"prep"}):
                    if p.lower_ in words:
                        out += [s for c in _children(p, {"pobj"}) for s in st.actors_at(c)]
            return out
        if base == "dative":
            out = []
            for c in _children(tok, {"dative", "iobj"}):
                if c.pos_ == "ADP":  # "sent drones to Russia" parsed with "to" as dative
                    out += [s for g in _children(c, {"pobj"}) for s in st.actors_at(g)]
                else:
                    out += st.actors_at(c)
            return out
        if base == "prep":
            words = set(arg.split("|"))
            out = []
            for p in _children(tok, {"prep", "agent", "dative"}):
                if p.lower_ in words:
                    for c in _children(p, {"pobj", "pcomp"}):
                        if c.lower_ in _RELATIVE and tok.dep_ == "relcl":  # "Castro, with whom he signed ..."
                            out += st.actors_at(tok.head, conj=False)
                        else:
                            out += st.actors_at(c)
            return out
        if base == "xcomp_obj":
            return [s for x in _children(tok, {"xcomp"}) for c in _children(x, {"dobj"}) for s in st.actors_at(c)]
        if base == "xcomp_prep":
            # "vowed to retaliate against X", "threatened to take action against X"
            words = set(arg.split("|"))
            out = []
            for x in _children(tok, {"xcomp"}):
                for h in [x] + _children(x, {"dobj"}):
                    out += [s for p in _children(h, {"prep"}) if p.lower_ in words
                            for c in _children(p, {"pobj"}) for s in st.actors_at(c)]
            return out
        if base == "own_clause_obj":
            return self._own_clause_obj(tok)
        if base == "hyphen":
            doc = st.doc
            return [s for c in tok.children if c.i + 2 == tok.i and doc[c.i + 1].text == "-"
                    and not doc[c.i].whitespace_ for s in ([st.token_span[c.i]] if c.i in st.token_span else [])]
        if base == "head":
            if tok.dep_ not in ("amod", "acl", "compound"):
                return []
            found = st.actors_at(tok.head, conj=False)
            noun = tok.head
            if not found and noun.pos_ == "NOUN":
                # "Iran-backed militias Kataib Hezbollah and Harakat al-Nujaba": the groups the noun names
                named = [c for c in _children(noun, {"appos"})]
                if noun.dep_ in ("compound", "nmod") and noun.head.i in st.token_span:
                    named.append(noun.head)
                found = [s for c in named for s in st.actors_at(c)]
            return found
        if base == "poss":
            return [s for c in _children(tok, {"poss"}) for s in st.actors_at(c)]
        if base in ("mod", "compound"):
            deps = {"compound"} if base == "compound" else {"amod", "compound", "nmod"}
            out = []
            for c in _children(tok, deps):
                # "the Ethiopia-Somaliland port deal": every actor of the hyphenated modifier
                chain = [c] + [t for t in c.subtree if t.i != c.i and t.dep_ in ("compound", "amod", "nmod", "conj")
                               and base == "mod"]
                for t in chain:
                    s = st.token_span.get(t.i)
                    if s is not None and s not in out:
                        out.append(s)
            return out
        if base == "between":
            out = []
            gov = _governor(tok)
            for owner in (tok, gov) if gov is not None else (tok,):
                for p in _children(owner, {"prep"}):
                    if p.lower_ in ("between", "among", "amongst"):
                        out += [s for c in _children(p, {"pobj"}) for s in st.actors_at(c)]
                if out:
                    break
            return out
        gov = _governor(tok)
        if gov is None:
            return []
        if base == "gov_subj":
            if self.predicate == "ATTACKS" and tok.dep_ == "pobj" and tok.head.lower_ in _TIME_PREPS:
                return []  # "X supplied drones before the war in Y": X does not wage the war it dates
            self.inherited = True
            return self._subj(gov)
        if base == "gov_obj":
            deps = {"dative", "iobj"} | ({"nsubjpass"} if _is_passive(gov) else {"dobj"})
            return [s for c in _children(gov, deps) if c.i != tok.i for s in st.actors_at(c)]
        if base == "gov_prep":
            return self.slot(f"prep:{arg}", gov)
        raise ValueError(f"unknown slot {name!r}")

    def _own_clause_obj(self, tok) -> list[Span]:
        """"X warned that his country is prepared to strike Y": the target of a clause whose subject is X's side.

        The clause (a ``ccomp`` of the trigger) must have X, X's country or a pronoun standing for them as
        its subject; its targets are the objects and against/on/at-phrases of its verbs.
        """
        st = self.state
        own = {s.entity_id for s in self._subj(tok)}
        own |= {home for eid in list(own) if (home := st.home_country(eid)) is not None}
        if not own:
            return []
        out: list[Span] = []
        for clause in _children(tok, {"ccomp"}):
            subjects = [s for c in _children(clause, {"nsubj", "nsubjpass"}) for s in st.actors_at(c)]
            if not subjects or not any(s.entity_id in own or (st.home_country(s.entity_id) in own) for s in subjects):
                continue
            verbs = [clause] + [t for t in clause.subtree if t.dep_ in ("xcomp", "acomp", "conj") and t.pos_ == "VERB"]
            for v in verbs:
                targets = [c for c in v.children if c.dep_ == "dobj"]
                targets += [g for h in [v] + targets for p in h.children if p.dep_ == "prep"
                            and p.lower_ in ("against", "on", "at") for g in p.children if g.dep_ == "pobj"]
                out += [s for c in targets for s in st.actors_at(c) if s.entity_id not in own]
        return out

    def _antecedent(self, noun) -> list[Span]:
        """The actor a relative clause's noun stands for: itself, or the actor it describes
        ("the SPLM-N, a rebel group who ...", "The FARC is a rebel organisation that ...")."""
        st = self.state
        found = st.actors_at(noun, conj=False)
        if found or noun.pos_ not in ("NOUN",):
            return found
        if noun.dep_ == "appos":
            return st.actors_at(noun.head, conj=False)
        if noun.dep_ == "attr" and noun.head.lemma_ == "be":
            return [s for c in _children(noun.head, {"nsubj"}) for s in st.actors_at(c)]
        return []

    def _subj(self, tok) -> list[Span]:
        st = self.state
        t = tok
        via = None  # the dependency we climbed through to reach t
        for _ in range(4):
            if _is_passive(t):
                found = [s for a in _children(t, {"agent"}) for c in _children(a, {"pobj"}) for s in st.actors_at(c)]
                if not found and via == "xcomp":
                    # raising and control: "X is expected to attack Y", "X was asked to sign": X acts
                    found = [s for c in _children(t, {"nsubjpass"}) for s in st.actors_at(c)]
            else:
                found = [s for c in _children(t, {"nsubj"}) for s in st.actors_at(c)]
                if via == "xcomp":
                    # object control: "sent X troops to fight", "urged X to negotiate": X acts
                    found = [s for c in _children(t, {"dobj"}) for s in st.actors_at(c)] or found
            if found:
                return found
            subjects = [c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")]
            relative = all(c.lower_ in _RELATIVE for c in subjects)
            if t.dep_ in ("acl", "relcl") and t.head.pos_ in ("NOUN", "PROPN") and relative and not _is_passive(t):
                return self._antecedent(t.head)  # "Iran, which supplies drones to ..."
            if subjects:
                return []  # a subject that is not an actor ("the talks") is not replaced by another clause's
            if t.dep_ == "pcomp" and t.head.dep_ in ("prep", "mark"):
                owner = t.head.head
                if owner.pos_ == "VERB" and owner.lemma_.lower() not in ("say", "tell"):
                    # "X accused Y of attacking Z": the one accused is the subject of the gerund
                    objs = [s for c in _children(owner, {"dobj"}) for s in st.actors_at(c)]
                    if objs:
                        self.inherited = True
                        return objs
                    if _children(owner, {"dobj"}) and owner.lemma_.lower() in _ACCUSE:
                        return []  # "accusing it of supporting Z": the accused, unknown here, not the accuser
                if owner.pos_ == "NOUN" and owner.dep_ in ("dobj", "attr") and owner.head.pos_ in ("VERB", "AUX"):
                    owner = owner.head  # "Ethiopia had no intention of attacking Eritrea"
                # "after meeting Ali", "before signing": the subject of the governing clause
                t = owner
                self.inherited = True
                continue
            if t.dep_ not in _INHERIT_DEPS or t.head.i == t.i:
                return []
            via = t.dep_
            t = t.head
            self.inherited = True
        return []


def _phrase_ok(rule: RelationRule, tok) -> bool:
    """Multi-word triggers ("hold talks", "travel to", "shoot down") need their other words nearby."""
    lemma = tok.lemma_.lower()
    for phrase in rule.lemmas:
        words = phrase.split()
        if len(words) == 1:
            if lemma == phrase or tok.lower_ == phrase:
                return True
            continue
        if lemma not in words and tok.lower_ not in words:
            continue
        near = {c.lemma_.lower() for c in tok.children} | {c.lower_ for c in tok.children}
        near |= {g.lemma_.lower() for c in tok.children for g in c.children}
        if tok.head.i != tok.i:
            near |= {tok.head.lemma_.lower(), tok.head.lower_}
        if all(w in near or w in (lemma, tok.lower_) for w in words):
            return True
    return False


def _rules_for(state: DocState, tok) -> list[RelationRule]:
    rs = state.rules
    pos = "VERB" if tok.pos_ in ("VERB", "AUX") else tok.pos_
    found: list[RelationRule] = []
    keys = {tok.lemma_.lower(), tok.lower_}
    for key in keys:
        for rule in rs.triggers(key, pos):
            if rule not in found:
                found.append(rule)
        for phrase in rs.phrases.get(key, ()):
            for rule in rs.triggers(phrase, pos):
                if rule not in found and _phrase_ok(rule, tok):
                    found.append(rule)
    # multi-word nouns keyed on their last word ("air strikes")
    return [r for r in found if _phrase_ok(r, tok)]


def _weapons(state: DocState, frame: _Frame, rule: RelationRule) -> list[str]:
    out: list[str] = []
    for slot in rule.items:
        for s in frame.slot(slot):
            if s.type == "Weapon" and s.entity_id not in out:
                out.append(s.entity_id)
    # a weapon in the trigger's own noun phrase ("drone deliveries")
    for c in frame.tok.children:
        s = state.token_span.get(c.i)
        if s is not None and s.type == "Weapon" and s.entity_id not in out and c.dep_ in ("compound", "amod", "nmod"):
            out.append(s.entity_id)
    return out


def _expand(spans: list[Span], types: frozenset[str]) -> list[tuple[str, Span]]:
    """(entity id, span) for each actor a span stands for (groups expand to members)."""
    out: list[tuple[str, Span]] = []
    for s in spans:
        if s.type not in types:
            continue
        for eid in s.members or (s.entity_id,):
            if all(eid != e for e, _ in out):
                out.append((eid, s))
    return out


def find_relations(state: DocState) -> Iterator[RawRelation]:
    """Every relation a trigger rule reads in the document."""
    cues = state.rules.modality
    words = state.rules.trigger_words
    for sent_i, sent in enumerate(state.sents):
        for tok in sent:
            if tok.pos_ not in ("VERB", "AUX", "NOUN", "PROPN", "ADJ", "ADP"):
                continue
            if tok.lower_ not in words and tok.lemma_.lower() not in words:
                continue  # most words trigger nothing: skip the rule lookups
            span = state.token_span.get(tok.i)
            if span is not None and span.type != "Weapon" and tok.pos_ == "PROPN":
                continue
            for rule in _rules_for(state, tok):
                yield from _apply(state, rule, tok, sent_i, sent, cues)


def _apply(state: DocState, rule: RelationRule, tok, sent_i: int, sent, cues) -> Iterator[RawRelation]:
    frame = _Frame(state, tok, rule.predicate)
    subjects: list[Span] = []
    for slot in rule.subject:
        subjects = [s for s in frame.slot(slot) if s.type in rule.subject_types]
        if subjects:
            break
    inherited = frame.inherited
    objects: list[Span] = []
    for slot in rule.object:
        objects = [s for s in frame.slot(slot) if s.type in rule.object_types and s not in subjects]
        if objects:
            break
    items = _weapons(state, frame, rule) if (rule.items or rule.requires_items or rule.not_with_items) else []
    if rule.requires_items:
        arms_word = any(c.lemma_.lower() in _ARMS_WORDS or c.lower_ in _ARMS_WORDS
                        for c in tok.children if c.dep_ in ("compound", "amod", "dobj", "nmod"))
        arms_word = arms_word or any(
            g.lower_ in _ARMS_WORDS for p in tok.children if p.dep_ == "prep" for g in p.children)
        if tok.lemma_.lower() in rule.arms_lemmas:
            arms_word = True
        if not items and not arms_word:
            state.note(sent_i, "dropped", rule.id, f"'{tok.text}': no weapon named")
            return
    if rule.not_with_items and items:
        state.note(sent_i, "dropped", rule.id, f"'{tok.text}': weapons named, arms rule applies")
        return
    if rule.requires_object_lemma:
        heads = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
        # "provided Vietnam with satellite imagery": the goods hang on "with"
        heads += [g for p in tok.children if p.dep_ == "prep" and p.lower_ == "with" for g in p.children
                  if g.dep_ == "pobj"]
        # "agreed on a ceasefire", "agreed to restore ties": the goal hangs on a preposition or a verb
        heads += [g for p in tok.children if p.dep_ == "prep" and p.lower_ in ("on", "to", "for", "as") for g in p.children
                  if g.dep_ == "pobj"]
        heads += [x for x in tok.children if x.dep_ == "xcomp"]
        # "banned X from entering": the barred act hangs on "from"
        heads += [g for p in tok.children if p.dep_ == "prep" and p.lower_ == "from" for g in p.children
                  if g.dep_ == "pcomp"]
        heads += [cc for h in heads for cc in h.conjuncts]
        words = {w for h in heads for t in (h, *(c for c in h.children if c.dep_ in ("compound", "amod", "nmod")))
                 for w in (t.lemma_.lower(), t.lower_)}
        if not words & rule.requires_object_lemma:
            state.note(sent_i, "dropped", rule.id, f"'{tok.text}': object is not one of the rule's nouns")
            return
    if rule.not_governor_lemmas:
        gov = _governor(tok)
        if gov is not None and gov.lemma_.lower() in rule.not_governor_lemmas:
            state.note(sent_i, "dropped", rule.id, f"'{tok.text}': asked for, not given ('{gov.text}')")
            return
    if rule.governor_lemmas:
        gov = _governor(tok)
        if gov is None or gov.lemma_.lower() not in rule.governor_lemmas:
            state.note(sent_i, "dropped", rule.id, f"'{tok.text}': not governed by one of the rule's verbs")
            return
    subj = _expand(subjects, rule.subject_types)
    obj = _expand(objects, rule.object_types)
    if rule.object_as_state:  # "Taiwan's spokeswoman thanked the US for its support": Taiwan is supported
        obj = [(state.home_country(eid) or eid, span) for eid, span in obj]
    pairs: list[tuple[str, str]] = []
    if obj:
        # a state's own body is not another party ("Pakistan's foreign ministry recalled Pakistan's envoy")
        pairs = [(s, o) for s, ss in subj for o, os_ in obj if s != o
                 and state.body_country(ss) != o and state.body_country(os_) != s]
        if rule.mutual and rule.predicate not in SYMMETRIC:  # "X clashed with Y": Y fought X too
            pairs += [(o, s) for s, o in pairs]
        if rule.not_home:  # "left for Pakistan" after a visit abroad: going home is no visit
            spans = dict(obj)
            pairs = [(s, o) for s, o in pairs if _home_country(state, s) is None
                     or _home_country(state, s) != (o if o.startswith("country:") else state.place_home(spans[o]))]
    # "X and Y are at the summit": being at one event is no meeting ("X and Y met at talks in Z" is)
    elif (rule.reciprocal or _each_other(tok)) and len(subj) >= 2 and not (
            inherited and tok.dep_ == "pobj" and tok.head.head.lemma_ == "be"):
        pairs = [(subj[i][0], subj[j][0]) for i in range(len(subj)) for j in range(i + 1, len(subj))]
        if rule.mutual or (_each_other(tok) and rule.predicate not in SYMMETRIC):
            pairs += [(b, a) for a, b in pairs]
    if not pairs:
        if subj or obj:
            state.note(sent_i, "dropped", rule.id,
                       f"'{tok.text}': missing {'object' if subj else 'subject'}")
        return
    modality, cue = modality_of(tok, cues)
    conf = 0.7 - (0.15 if inherited else 0.0)
    predicate, rule_id = rule.predicate, rule.id
    for s, o in pairs:
        state.note(sent_i, "fired", rule_id, f"{s} {predicate} {o} [{modality}{': ' + cue if cue else ''}]")
        yield RawRelation(s, predicate, o, sent, rule_id, conf, modality,
                          tuple(items) if predicate == "SUPPLIES_ARMS_TO" else ())
    if rule.predicate in ("MEETS", "SIGNS_AGREEMENT_WITH"):
        yield from _visits_abroad(state, tok, subj + obj, sent, rule, modality)
    if rule.guest_visits:
        for p in _children(tok, {"prep"}):
            if p.lower_ in ("at", "in"):
                for c in _children(p, {"pobj"}):
                    places = [x for x in state.actors_at(c) if x.type in ("Location", "Country")]
                    for place in places:
                        for o, _ in obj:
                            yield RawRelation(o, "VISITS", place.entity_id, sent, rule.id + ".guest", 0.6, modality)


def _home_country(state: DocState, eid: str) -> str | None:
    """The country an actor belongs to: itself, or the one a person leads or represents."""
    return eid if eid.startswith("country:") else state.home_country(eid)


@lru_cache(maxsize=4)
def _meeting_nouns_of(rules: tuple[RelationRule, ...]) -> frozenset[str]:
    return frozenset(w for r in rules if r.predicate in ("MEETS", "SIGNS_AGREEMENT_WITH") and "NOUN" in r.pos
                     for w in r.lemmas)


def _meeting_nouns(rules) -> frozenset[str]:
    """Nouns that name a meeting or a signed text (the noun triggers of MEETS, SIGNS_AGREEMENT_WITH)."""
    return _meeting_nouns_of(rules.rules)


def _visits_abroad(state: DocState, tok, participants: list[tuple[str, Span]], sent, rule: RelationRule,
                   modality: str) -> Iterator[RawRelation]:
    """A meeting held in a place of another country means the foreign participants visit it."""
    events = _meeting_nouns(state.rules)
    # the one met ("met X in Y") or the meeting held ("held talks in Y"), never a topic ("discussed the war in Y")
    heads = [tok] + [c for c in _children(tok, {"dobj"})
                     if c.lemma_.lower() in events or c.lower_ in events or c.i in state.token_span]
    heads += [c for p in _children(tok, {"prep"}) for c in _children(p, {"pobj"})]
    if tok.dep_ in ("dobj", "nsubj", "nsubjpass", "pobj") and tok.head.pos_ in ("VERB", "AUX"):
        heads.append(tok.head)  # "held talks with X in Jeddah", "In Tehran, the minister held talks"
    if tok.dep_ == "pobj" and tok.head.head.pos_ in ("VERB", "AUX"):
        heads.append(tok.head.head)  # "signed a pact during talks in Beijing"
    for place, where in _places_at(state, heads):
        for eid, _ in participants:
            home = _home_country(state, eid)
            if home is not None and home != where:
                yield RawRelation(eid, "VISITS", place.entity_id, sent, rule.id + ".abroad", 0.55, modality)


def _places_at(state: DocState, heads: list) -> list[tuple[Span, str]]:
    """(place, its country) for the places hanging on ``heads`` by "in"/"at", the most precise only:
    "at the cosmodrome in the Far East" is the cosmodrome; a place of no known country is left out."""
    preps = [p for h in dict.fromkeys(heads) for p in _children(h, {"prep"}) if p.lower_ in ("in", "at")]
    places = [place for p in preps for c in _children(p, {"pobj"}) for place in state.actors_at(c)
              if place.type in ("Location", "Country")]
    inner = {state.located.get(place.entity_id) for place in places}
    out = []
    for place in {p.entity_id: p for p in places if p.entity_id not in inner}.values():
        where = state.place_home(place)
        if where is not None:
            out.append((place, where))
    return out


def find_presence_visits(state: DocState) -> Iterator[RawRelation]:
    """A person who speaks, attends or takes part in a place of another country than his own VISITS it
    ("Macron said at a press conference in Astana"); the words live in the rules' ``presence`` section.

    His country is the one he leads or represents in the article; without one nothing is said.
    """
    cues = state.rules.presence
    if not cues.verbs:
        return
    single = {v for v in cues.verbs if " " not in v}
    double = {tuple(v.split()[:2]) for v in cues.verbs if " " in v}
    events = frozenset(e.split()[-1] for e in cues.events)
    done: set[tuple[str, str, int]] = set()
    for sent_i, sent in enumerate(state.sents):
        for tok in sent:
            if tok.pos_ not in ("VERB", "AUX"):
                continue
            lemma = tok.lemma_.lower()
            if lemma not in single and not any(lemma == a and any(c.lower_ == b for c in tok.children)
                                               for a, b in double):
                continue
            people = [s for c in _children(tok, {"nsubj"}) for s in state.actors_at(c) if s.type == "Person"]
            if not people:
                continue
            heads = [c for c in _children(tok, {"dobj"}) if c.lemma_.lower() in events]
            heads += [c for p in _children(tok, {"prep"}) for c in _children(p, {"pobj"}) if c.lemma_.lower() in events]
            # "on the sidelines of the summit in X": the event the first one belongs to
            heads += [c for h in list(heads) for p in _children(h, {"prep"}) if p.lower_ == "of"
                      for c in _children(p, {"pobj"}) if c.lemma_.lower() in events]
            # "a summit of the SCO in Samarkand": the place may hang on the event's owner
            owners = [c for h in heads for p in _children(h, {"prep"}) if p.lower_ == "of" for c in _children(p, {"pobj"})]
            for place, where in _places_at(state, [tok, *heads, *owners]):
                modality, cue = modality_of(tok, state.rules.modality)
                for person in people:
                    home = _home_country(state, person.entity_id)
                    key = (person.entity_id, place.entity_id, sent_i)
                    if home is None or home == where or key in done:
                        continue
                    done.add(key)
                    state.note(sent_i, "fired", "visits.presence",
                               f"{person.entity_id} VISITS {place.entity_id} [{modality}{': ' + cue if cue else ''}]")
                    yield RawRelation(person.entity_id, "VISITS", place.entity_id, sent, "visits.presence", 0.55,
                                      modality)
