"""Per-document working state shared by the extraction steps.

A :class:`DocState` holds the mention spans of one parsed article, an index from
token to span, the entities seen so far and the roles persons hold (from titles
and appositions).  Argument finding (``actors_at``) lives here because titles,
coreference and relation rules all need it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from ..models import Note
from .mentions import Span
from .rules import RuleSet

__all__ = ["DocState", "Role", "ACTOR_TYPES"]

ACTOR_TYPES = frozenset({"Person", "Country", "Organization"})
_PLACE_PREPS = frozenset({"in", "to", "at", "from", "near", "outside", "into", "toward", "towards", "across",
                          "inside", "around", "via", "through", "within"})
_ACTOR_DEPS = frozenset({"nsubj", "nsubjpass", "poss", "dobj", "dative", "conj", "appos", "attr"})


@dataclass(frozen=True)
class Role:
    """A role a person holds in this article: kind (leader/representative/member), affiliation id, title word."""

    kind: str
    affiliation: str
    title: str
    sentence: int


@dataclass
class DocState:
    """Mentions, roles and notes of one article while it is being extracted."""

    doc: object
    rules: RuleSet
    roles_lexicon: dict[str, str]
    facility_words: frozenset[str] = frozenset()
    entity_kind: Callable[[str], str | None] = lambda _eid: None
    role_modifiers: dict[str, frozenset[str]] = field(default_factory=dict)
    title_words: frozenset[str] = frozenset()  # every word of a title phrase or title modifier
    place_country: Callable[[str], str | None] = lambda _name: None  # gazetteer / GeoNames city -> country id
    located: dict[str, str] = field(default_factory=dict)  # place id -> containing place or country (LOCATED_IN)
    body_lookup: Callable[[Span], str | None] = lambda _span: None  # a state body's country ("Polish Foreign Ministry")
    body_states: dict[str, str] = field(default_factory=dict)  # body entity id -> its country, once known
    known_country: Callable[[str], str | None] = lambda _eid: None  # gazetteer: a person's or a body's country
    spans: list[Span] = field(default_factory=list)
    token_span: dict[int, Span] = field(default_factory=dict)
    roles: dict[str, list[Role]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    types: dict[str, str] = field(default_factory=dict)
    iso3: dict[str, str] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    _sents: list | None = field(default=None, repr=False)
    _sent_of: list[int] = field(default_factory=list, repr=False)

    def index(self) -> None:
        """Rebuild the token -> span index after spans changed."""
        self.spans.sort(key=lambda s: s.start)
        self.token_span = {i: s for s in self.spans for i in range(s.start, s.end)}

    def replace(self, start: int, end: int, new: Span) -> None:
        """Put ``new`` in place of every span overlapping [start, end)."""
        self.spans = [s for s in self.spans if s.end <= start or s.start >= end]
        self.spans.append(new)
        self.index()

    def note(self, sent: int, kind: str, rule: str, detail: str) -> None:
        self.notes.append(Note(sent, kind, rule, detail))

    @property
    def sents(self) -> list:
        """The doc's sentences, found once (``doc.sents`` scans the whole doc on every call)."""
        if self._sents is None:
            self._sents = list(self.doc.sents)
            self._sent_of = [0] * len(self.doc)
            for k, sent in enumerate(self._sents):
                self._sent_of[sent.start:sent.end] = [k] * (sent.end - sent.start)
        return self._sents

    def sent_at(self, i: int) -> int:
        """Index of the sentence holding token ``i``."""
        if self._sents is None:
            self.sents  # noqa: B018 - fills the index
        return self._sent_of[i]

    def sent_index(self, tok) -> int:
        """Index of the sentence holding ``tok`` (``tok.sent`` walks the doc each time)."""
        return self.sent_at(tok.i)

    def sent_of(self, tok):
        """The sentence holding ``tok``, as ``tok.sent`` but found once per doc."""
        return self.sents[self.sent_at(tok.i)]

    # -- mention roles -----------------------------------------------------
    def is_place_use(self, span: Span) -> bool:
        """True when a capital or seat is used as a place ("in Moscow"), not as the state acting."""
        doc = self.doc
        if self._is_dateline(span):
            return True
        root = doc[span.start:span.end].root
        tok = root
        while tok.dep_ == "conj" and tok.head.i != tok.i:
            tok = tok.head
        if tok.dep_ == "pobj" and tok.head.lower_ in _PLACE_PREPS:
            return True
        if tok.dep_ == "pobj" and tok.head.lower_ == "for" and \
                tok.head.head.lemma_.lower() in self.rules.actors.departure_verbs:
            return True
        if tok.dep_ == "dobj" and tok.head.lemma_ in ("visit", "tour", "leave", "reach", "enter"):
            return True
        places = self.rules.actors.place_nouns
        if tok.dep_ == "appos" and tok.head.lemma_.lower() in places or any(
                c.dep_ in ("compound", "nmod") and c.lemma_.lower() in places for c in tok.children):
            return True  # "the Azerbaijani capital, Baku", "the Iranian capital Tehran"
        if tok.dep_ in ("compound", "nmod") and tok.head.pos_ in ("NOUN", "PROPN") and tok.head.i not in self.token_span:
            return tok.head.lower_ not in self.roles_lexicon and tok.head.lemma_ not in self.roles_lexicon
        return tok.dep_ not in _ACTOR_DEPS and tok.dep_ not in ("pobj", "compound", "nmod", "amod", "ROOT")

    def _is_dateline(self, span: Span) -> bool:
        """"SEOUL, May 26 (Jiji) --", "KYIV —": a place name opening a sentence, then a date or a dash."""
        doc = self.doc
        first = doc[span.start]
        if not (first.is_sent_start or span.start == 0 or doc[span.start - 1].is_space):
            return False
        nxt = doc[span.end:span.end + 3]
        if not len(nxt):
            return False
        if nxt[0].text in ("—", "–", "-", "--", "(") or nxt[0].text.startswith("--"):
            return True
        return nxt[0].text == "," and len(nxt) > 1 and (nxt[1].ent_type_ == "DATE" or nxt[1].like_num
                                                       or nxt[1].text.isupper())

    def demonym_is_actor(self, span: Span) -> bool:
        """A demonym stands for its country on a state head ("Russian officials") or alone ("the Russians")."""
        root = self.doc[span.start:span.end].root
        if root.dep_ in ("amod", "compound", "nmod"):
            head = root.head
            return head.lemma_.lower() in self.rules.actors.state_heads or head.lower_ in self.rules.actors.state_heads \
                or head.lower_ in self.roles_lexicon or head.lemma_.lower() in self.roles_lexicon
        return root.pos_ in ("NOUN", "PROPN") and root.dep_ in _ACTOR_DEPS | {"pobj"}

    def home_country(self, eid: str) -> str | None:
        """The country a person leads or represents in this article (his first such role), else the one
        the gazetteer says he serves (or an organisation belongs to or operates from), else None."""
        for role in self.roles.get(eid, ()):
            if role.kind in ("leader", "representative") and role.affiliation.startswith("country:"):
                return role.affiliation
        return self.known_country(eid)

    def own_side(self, a: str, b: str) -> bool:
        """Whether one of two actors is a person who leads or represents the other (or the other's country).

        A person does not meet, sign with or cooperate with his own state or organisation.
        """
        for person, other in ((a, b), (b, a)):
            if person.startswith("person:"):
                sides = {r.affiliation for r in self.roles.get(person, ())} | {self.home_country(person)}
                if other in sides:
                    return True
        return False

    def body_country(self, span: Span) -> str | None:
        """The country a government body belongs to ("Polish Foreign Ministry" -> country:POL), else None."""
        if span.type != "Organization":
            return None
        if span.entity_id not in self.body_states:
            found = self.body_lookup(span)
            if found is None:
                return None
            self.body_states[span.entity_id] = found
        return self.body_states[span.entity_id]

    def place_home(self, place: Span) -> str | None:
        """The country a place lies in: the text's own LOCATED_IN first, then world knowledge."""
        if place.type == "Country":
            return place.entity_id
        if place.home is not None and place.home.startswith("country:"):
            return place.home
        eid, seen = place.entity_id, set()
        while eid in self.located and eid not in seen:
            seen.add(eid)
            eid = self.located[eid]
            if eid.startswith("country:"):
                return eid
        return self.place_country(place.name or place.text)

    # -- arguments -----------------------------------------------------------
    def actors_at(self, tok, *, conj: bool = True) -> list[Span]:
        """The actor spans a syntactic argument head stands for (with its conjuncts)."""
        out: list[Span] = []
        seen: set[int] = set()
        stack = [tok]
        while stack:
            t = stack.pop(0)
            if t.i in seen:
                continue
            seen.add(t.i)
            span = self.token_span.get(t.i)
            if span is None:  # "Lebanon's prime minister, Nawaf Salam": the named apposition
                span = next((self.token_span[c.i] for c in t.children
                             if c.dep_ == "appos" and c.i in self.token_span
                             and self.token_span[c.i].type in ("Person", "Organization", "Country")), None)
            if span is not None:
                out.append(span)
            else:
                out.extend(self._state_modifier(t) or self._owner(t))
            if conj:
                stack.extend(c for c in t.children if c.dep_ == "conj")
                if span is not None and span.type in ACTOR_TYPES:
                    # "A, B's president C and D met": a list the parser read as an apposition
                    # (two states alone too, as in a headline: "Tajikistan, Uzbekistan ink pact")
                    stack.extend(c for c in t.children if c.dep_ == "appos" and (c.conjuncts or span.type == "Country")
                                 and (s := self.token_span.get(c.i)) is not None and s.type == span.type
                                 and s.entity_id != span.entity_id)
        return out

    def _owner(self, tok) -> list[Span]:
        """"Tokyo's efforts", "Houthi targets", "Iranian generals": the actor a common noun belongs to."""
        state_head = tok.lemma_.lower() in self.rules.actors.state_heads or tok.lower_ in self.rules.actors.state_heads
        if tok.pos_ != "NOUN" and not (state_head and tok.pos_ == "PROPN" and tok.i == tok.sent.start):
            return []  # a sentence's first word may be tagged a name: "Officials of A and B met"
        for prep in tok.children:  # "the launch pad of the cosmodrome", "the outskirts of Kyiv", "the attack by X"
            # "officials from both countries": the states the officials come from
            words = ("of", "by", "from") if state_head else ("of", "by")
            if prep.dep_ in ("prep", "agent") and prep.lower_ in words:
                for pobj in prep.children:
                    span = self.token_span.get(pobj.i)
                    if span is not None and span.kind == "group" and (not state_head or span.type != "Country"):
                        continue
                    if pobj.dep_ == "pobj" and span is not None and span.type != "Weapon":
                        # "the foreign ministers of Chile and Peru": every coordinated owner
                        more = [self.token_span[c.i] for c in pobj.conjuncts if c.i in self.token_span]
                        owners = [span, *(m for m in more if m.type != "Weapon" and m.kind != "group" and m != span)]
                        return self._office_holders(tok, owners)
        for acl in (c for c in tok.children if c.dep_ == "acl" and c.tag_ == "VBN"):
            # "aggression carried out by X", "strikes launched by X": the agent of the participle
            for agent in (c for c in acl.children if c.dep_ == "agent"):
                found = [s for c in agent.children if c.dep_ == "pobj" and (s := self.token_span.get(c.i)) is not None
                         and s.type in ("Country", "Organization", "Person") and s.kind != "group"]
                if found:
                    return found
        for dep in ("poss", "compound", "amod", "nmod"):
            for child in tok.children:
                if child.dep_ == dep:
                    span = self.token_span.get(child.i)
                    if span is not None and span.type in ("Country", "Organization", "Person") and \
                            span.kind not in ("group", "demonym"):  # "Serb gunmen" are not Serbia
                        if span.type == "Person" and tok.lemma_.lower() in ("country", "nation"):
                            # "his country": the state the person leads or represents
                            home = self.home_country(span.entity_id)
                            if home is not None:
                                return [Span(span.start, span.end, "Country", "pronoun", home, span.text, "coref")]
                        return [span]
        return []

    def holder(self, affiliation: str | None, title: str | None, kind: str | None) -> str | None:
        """The one person of the article holding a role for ``affiliation`` with this title or kind."""
        found = []
        for pid, roles in self.roles.items():
            for r in roles:
                if affiliation and r.affiliation != affiliation:
                    continue
                if title and kind != "counterpart" and r.title != title and r.kind != kind:
                    continue
                found.append(pid)
                break
        return found[0] if len(set(found)) == 1 else None

    def _office_holders(self, tok, owners: list[Span]) -> list[Span]:
        """"the leaders of Chile and Peru": each state's office holder named in the article, else the state."""
        title = tok.lemma_.lower() if tok.lemma_.lower() in self.roles_lexicon else tok.lower_
        kind = self.roles_lexicon.get(title)
        if kind is None:
            return owners
        out = []
        for o in owners:
            pid = self.holder(o.entity_id, title, kind) if o.type in ("Country", "Organization") else None
            if pid is None:
                return owners  # all or none: never a mix of persons and states for one group
            out.append(Span(o.start, o.end, "Person", "role", pid, o.text, "coref"))
        return out

    def _state_modifier(self, tok) -> list[Span]:
        """"Russian officials", "Iran's forces": the modifier span when the head is a state noun."""
        lemma = tok.lemma_.lower()
        if lemma not in self.rules.actors.state_heads and tok.lower_ not in self.rules.actors.state_heads:
            return []
        for child in tok.children:
            if child.dep_ in ("amod", "compound", "poss", "nmod"):
                span = self.token_span.get(child.i)
                country = self.body_country(span) if span is not None else None
                if country is not None:  # "the Polish foreign ministry's spokesman": a state agent of Poland
                    return [Span(span.start, span.end, "Country", "role", country, span.text, "coref")]
                if span is not None and span.type in ("Country", "Organization"):
                    # "the US and British militaries": coordinated modifiers count too
                    more = [self.token_span[c.i] for c in child.conjuncts if c.i in self.token_span]
                    return [span, *(m for m in more if m.type in ("Country", "Organization"))]
        return []
