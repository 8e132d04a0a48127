"""The extraction engine: spaCy + gazetteer rulers + rule files -> :class:`Extraction`.

Steps per article (each in its own module):
1. nlp: the spaCy pipeline with a span ruler built from the gazetteer (``nlp/``).
2. mentions: gazetteer spans, NER and facility names, overlaps resolved (``mentions.py``).
3. uses: capitals and seats used as places become Locations; demonyms count only as actors.
4. coreference: surnames -> full names, role and group descriptions -> persons / pairs (``coref.py``).
5. relations: titles (``titles.py``), locatives, trigger frames (``relations.py``), modality (``modality.py``).
6. lift: person relations lifted to the countries they lead or represent (``inferred``).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..models import Article, Entity, Evidence, Extraction, Mention, Relation
from ..nlp import load_model
from ..nlp.phrase_ruler import PhraseRuler
from ..ontology import RELATIONS, canonical_id, canonical_pair
from .analysis import DocState
from .attribution import claims
from .bodies import body_country, institutions
from .coref import resolve_descriptions, resolve_names, resolve_pronouns
from .deadline import DEFAULT_TIME_LIMIT, time_limit
from .eventdate import event_date
from .gazetteer import Gazetteer
from .headline import sentence_case, trim_headline
from .mentions import GazHit, Span, find_spans
from .parts import PART_CHARS, merge_parts, split_article
from .relations import find_presence_visits, find_relations
from .rules import RuleSet, load_rules
from .reported import find_reported_criticism
from .ruler_cache import load_table, save_table, table_key
from .scorer import Scorer, load_scorer
from .titles import (RawRelation, find_listed_members, find_locations, find_memberships,
                     find_relational_nouns, find_roles)

__all__ = ["Extractor", "build_nlp", "nlp_text"]

SPANS_KEY = "graphbuild_gazetteer"
#: Typographic apostrophes and quotes the English model parses badly, mapped one-to-one
#: (same length, so every character offset stays valid for the original text).
_NLP_CHARS = str.maketrans({"\u2019": "'", "\u02bc": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"',
                            "\u00a0": " "})


def nlp_text(text: str, *, headline: bool = True, keep: Collection[str] = ()) -> str:
    r"""The text the model parses: typographic quotes mapped one-to-one and a Title Case headline
    in sentence case (:func:`.headline.sentence_case`); the same length as ``text``, so every
    offset into it is an offset into the original.  ``keep``: headline words that stay capitalised
    (the gazetteer's, :attr:`.Gazetteer.name_words`).

    >>> nlp_text("Chad Closes Border\n\nChad\u2019s army closed it.")
    "Chad closes border\n\nChad's army closed it."
    """
    text = text.translate(_NLP_CHARS)
    return sentence_case(text, keep) if headline else text


#: Relations that persons' states also have (the event types: those with a CAMEO code, not roles or places).
_LIFTABLE = frozenset(name for name, rel in RELATIONS.items() if rel.cameo)


def build_nlp(nlp=None):
    """The spaCy pipeline with dateline-aware tokenizing and sentence breaks at line breaks.

    The changes are idempotent, so the cached model can be shared by every extractor;
    gazetteer matching is per extractor (see :class:`Extractor`), since users may add
    their own actors.
    """
    from spacy.language import Language

    nlp = nlp or load_model()
    # datelines glue tokens: "(Jiji Press)--Japanese" -> "(", "Jiji", "Press", ")", "--", "Japanese"
    from spacy.util import compile_infix_regex

    infixes = list(nlp.Defaults.infixes) + [r"--+", r"(?<=[\w.])[)\]](?=[\w-])", r"(?<=[\w])[(\[](?=[\w])"]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    if "graphbuild_lines" not in Language.factories:
        @Language.component("graphbuild_lines")
        def _lines(doc):  # a line break ends a sentence (titles, datelines, paragraphs)
            for tok in doc[1:]:
                prev = doc[tok.i - 1]
                if "\n" in prev.text_with_ws and not prev.is_space or prev.is_space and "\n" in prev.text:
                    tok.is_sent_start = True
                    # ... and the parser must not cut the line's first words off ("Chile | and | Peru agreed")
                    for nxt in doc[tok.i + 1:tok.i + 3]:
                        if nxt.is_space or "\n" in doc[nxt.i - 1].text_with_ws:
                            break
                        nxt.is_sent_start = False
            return doc
    if "graphbuild_lines" not in nlp.pipe_names:
        nlp.add_pipe("graphbuild_lines", before="parser")
    return nlp


@dataclass(frozen=True)
class _Options:
    batch_size: int


#: Relations two sides enter together: never between a person and the state or body he stands for.
_JOINT = frozenset({"MEETS", "SIGNS_AGREEMENT_WITH", "COOPERATES_WITH"})


class Extractor:
    """Turns articles into extractions; one instance builds the pipeline once."""

    def __init__(self, gazetteer_files: Sequence[Path] = (), *, batch_size: int = 32, nlp=None,
                 rules: RuleSet | None = None, gazetteer: Gazetteer | None = None,
                 time_limit: float | None = DEFAULT_TIME_LIMIT, scorer: Scorer | None | str = "packaged") -> None:
        """``time_limit``: seconds one article's steps may take before it fails alone (None: no limit);
        ``scorer``: the learned candidate scorer (default: the packaged model; None: the rules alone)."""
        self.scorer = load_scorer() if scorer == "packaged" else scorer
        self.gazetteer = gazetteer or Gazetteer.load(tuple(Path(p) for p in gazetteer_files))
        self.rules = rules or load_rules()
        self.nlp = build_nlp(nlp)
        self.ruler = PhraseRuler(self.nlp, SPANS_KEY, SPANS_KEY)
        # the compiled table is cached by the content of everything it is made of (ruler_cache)
        key = table_key(gazetteer_files, self.nlp) if gazetteer is None else None
        cached = load_table(self.ruler, key) if key is not None else None
        if cached is None:
            self.ruler.add_patterns(self.gazetteer.span_ruler_patterns())
            cached = {"role_lexicon": self.gazetteer.role_lexicon()}
            if key is not None:
                save_table(self.ruler, key, cached)
        self.batch_size = batch_size
        self.time_limit = time_limit
        self.roles_lexicon: dict[str, str] = cached["role_lexicon"]
        self.role_words = frozenset(self.roles_lexicon)
        self.facility_words = self.gazetteer.facility_words()
        self.role_modifiers = {k: frozenset(w.lower() for w in v) for k, v in self.gazetteer.role_modifiers().items()}
        places = self.gazetteer.place_words()
        self.admin_words = frozenset(w.lower() for w in places.get("admin", ())) - \
            frozenset(w.lower() for w in places.get("ambiguous", ()))
        self.title_words = frozenset(w for phrase in self.roles_lexicon for w in phrase.split()) | \
            frozenset(w for ws in self.role_modifiers.values() for w in ws)
        self.explain = False

    def _known_country(self, entity_id: str) -> str | None:
        """``country:<ISO3>`` a gazetteer person serves (``persons.jsonl``, user files), or an
        organisation belongs to or operates from, else None."""
        entry = self.gazetteer.get(entity_id) if entity_id.startswith(("person:", "org:")) else None
        code = entry.country or entry.based_in if entry is not None else None
        return f"country:{code}" if code else None

    def _entity_kind(self, entity_id: str) -> str | None:
        """The gazetteer kind of an entity (igo, armed_group, ...), if it is known."""
        entry = self.gazetteer.get(entity_id)
        return entry.kind if entry is not None else None

    def extract(self, article: Article) -> Extraction:
        """Extract one article."""
        (ex,) = self.extract_many([article])
        return ex

    def extract_many(self, articles: Iterable[Article]) -> Iterator[Extraction]:
        """Extract articles in order: short ones in batches through ``nlp.pipe``, a long one alone, in parts.

        The time limit covers the parse: a group's parse and steps run under one budget of
        ``time_limit`` per article, or per :data:`PART_CHARS` characters of a long one (so a long
        article is bounded as a whole), and each document's steps under ``time_limit`` again.
        """
        for group in self._groups(articles):
            yield from self._extract_group(group)

    def _groups(self, articles: Iterable[Article]) -> Iterator[list[Article]]:
        """Batches of ``batch_size`` short articles; an article longer than :data:`PART_CHARS` alone."""
        batch: list[Article] = []
        for article in articles:
            if len(article.text) > PART_CHARS:
                if batch:
                    yield batch
                    batch = []
                yield [article]
                continue
            batch.append(article)
            if len(batch) >= self.batch_size:
                yield batch
                batch = []
        if batch:
            yield batch

    def _extract_group(self, group: list[Article]) -> list[Extraction]:
        """Parse and extract a group (its long article's parts one after the other, each doc dropped once read)."""
        jobs = [(i, offset, part) for i, article in enumerate(group) for offset, part in split_article(article)]
        parts: list[list[tuple[int, Extraction]]] = [[] for _ in group]
        budget = self.time_limit * len(jobs) if self.time_limit else None
        # a long article's parts go through the model one at a time: a batch of them would cost
        # the memory of the whole article again (each part is already a batch's worth of text)
        batch_size = self.batch_size if len(jobs) == len(group) else 1
        with time_limit(budget):
            pairs = ((self.nlp_text(job[2].text, headline=job[1] == 0), job) for job in jobs)
            for doc, (i, offset, part) in self.nlp.pipe(pairs, as_tuples=True, batch_size=batch_size):
                with time_limit(self.time_limit):
                    parts[i].append((offset, self.extract_doc(doc, part)))
        return [merge_parts(article, done) for article, done in zip(group, parts, strict=True)]

    def nlp_text(self, text: str, *, headline: bool = True) -> str:
        """The text of an article (or its first part: ``headline``) as the model parses it (:func:`nlp_text`)."""
        return nlp_text(text, headline=headline, keep=self.gazetteer.name_words)

    # -- one document ----------------------------------------------------------
    def extract_doc(self, doc, article: Article) -> Extraction:
        """Run every step on a parsed document."""
        state, raw = self.analyse(doc)
        if self.scorer is not None:
            raw = self.scorer.decide(state, raw)
        raw = [r for r in raw if r.predicate not in _JOINT or not state.own_side(r.subject, r.object)]
        raw, claimants = claims(state, raw)  # who claims each relation, and second claimants' denials
        return self._assemble(state, article, raw, claimants)

    def analyse(self, doc) -> tuple[DocState, list[RawRelation]]:
        """Mentions, coreference, roles and the rules' relation proposals of a parsed document."""
        self.ruler(doc)
        state = DocState(doc, self.rules, self.roles_lexicon, self.facility_words, self._entity_kind,
                         self.role_modifiers, title_words=self.title_words,
                         place_country=self.gazetteer.place_country,
                         body_lookup=lambda span: body_country(self.gazetteer, self.rules.actors, span),
                         known_country=self._known_country)
        hits = self._gazetteer_hits(doc)
        state.spans = find_spans(doc, hits, self.facility_words, self.rules.actors, self.role_words,
                                 self.admin_words, self.gazetteer.place_country)
        state.index()
        self._uses(state)
        trim_headline(state)
        resolve_names(state)
        raw: list[RawRelation] = list(find_roles(state))
        resolve_descriptions(state)
        resolve_pronouns(state)
        raw += find_roles(state)  # again: titles anchored by pronouns or descriptions ("the group's spokesman X")
        located = list(find_locations(state))
        state.located.update((r.subject, r.object) for r in located)
        raw += located
        raw += find_memberships(state)
        raw += find_listed_members(state)
        raw += find_relational_nouns(state)
        raw += find_relations(state)
        raw += find_presence_visits(state)
        raw += find_reported_criticism(state)
        return state, raw

    def _gazetteer_hits(self, doc) -> list[GazHit]:
        """Gazetteer matches with their entries; ambiguous surfaces decided by the article's other ids."""
        gaz = self.gazetteer
        spans = list(doc.spans.get(SPANS_KEY, ()))
        context = {s.id_ for s in spans if not s.id_.startswith(("ambiguous:", "block:"))}
        out = []
        for span in spans:
            kind = gaz.kind_of(span.label_)
            if kind == "block":
                out.append(GazHit(span.start, span.end, span.id_, "BLOCK", "block"))
                continue
            eid = span.id_
            if kind == "ambiguous" or gaz.ambiguity_of(span.text) is not None:
                eid = gaz.resolve(eid, context, span.text) or ""
                kind = "name" if kind == "ambiguous" else kind
            entry = gaz.get(eid)
            if entry is None:
                continue
            out.append(GazHit(span.start, span.end, entry.id, entry.type, kind, entry.country))
        return out

    def _uses(self, state: DocState) -> None:
        """Capitals/seats used as places become Locations; a name with a role apposition is a person
        ("Jane Roe, a spokeswoman for ..."); a generic government ("the Iranian government") is the state,
        a country's military ("the Sudanese army", "Mali's army") an Organization (ONTOLOGY conventions)."""
        doc = state.doc
        for new in institutions(state, self.gazetteer, self.title_words):
            state.replace(new.start, new.end, new)
        for span in state.spans:
            root = doc[span.start:span.end].root
            if span.source == "ner" and span.type in ("Organization", "Location") and self._role_named(doc, span):
                span.type = "Person"
                span.entity_id = canonical_id("Person", span.text)
            elif span.source == "ner" and span.type == "Person" and self._place_named(doc, span):
                span.type = "Location"  # "shelling near Grozny": a city the model took for a person
                span.entity_id = canonical_id("Location", span.text)
            entry = self.gazetteer.get(span.entity_id) if span.source == "gazetteer" else None
            if entry is not None and entry.type == "Organization" and entry.country and \
                    entry.kind == "government" and span.length > 1:
                tokens = doc[span.start:span.end]
                state_entry = self.gazetteer.get(f"country:{entry.country}")
                demonyms = {d.lower() for d in state_entry.demonyms} if state_entry is not None else set()
                if tokens[0].lower_ in demonyms and all(t.is_lower for t in tokens[1:]):
                    span.type = "Country"
                    span.entity_id = f"country:{entry.country}"
                    span.kind = "demonym"
        for span in state.spans:
            if span.kind in ("capital", "seat") and state.is_place_use(span):
                place = self.gazetteer.place_for(span.text)
                span.home = span.entity_id  # the state (or organization) whose capital or seat it is
                span.type = "Location"
                span.entity_id = place.id if place is not None else canonical_id(
                    "Location", span.text.removeprefix("the ").strip())
                span.kind = "name"
        state.index()

    def _place_named(self, doc, span: Span) -> bool:
        """A "person" that is a known city, after a place preposition and without a title."""
        root = doc[span.start:span.end].root
        if root.dep_ != "pobj" or root.head.lower_ not in ("in", "at", "near", "from", "to", "into", "outside"):
            return False
        if span.start > 0 and (doc[span.start - 1].lower_ in self.role_words
                               or doc[span.start - 1].lower_ in self.rules.actors.honorifics):
            return False
        return self.gazetteer.place_country(span.text) is not None

    def _role_named(self, doc, span: Span) -> bool:
        """A name the model typed as a place or body that a title names: "Jane Roe, a spokeswoman for ...",
        "Kosovo's president, Hashim Thaci", "Prime Minister Abdel Dbeibah"."""
        lex = self.roles_lexicon

        def is_role(t) -> bool:
            return t.lemma_.lower() in lex or t.lower_ in lex

        root = doc[span.start:span.end].root
        if any(c.dep_ == "appos" and is_role(c) for c in root.children):
            return True
        if root.dep_ == "appos" and is_role(root.head) and root.head.i < span.start:
            return True
        words = span.text.split()
        if span.start == 0 or not 1 <= len(words) <= 4 or not all(w[:1].isupper() for w in words):
            return False
        before = doc[span.start - 1]
        if before.lower_ in self.rules.actors.honorifics:
            return True  # "Mr El Sisi"
        return len(words) >= 2 and before.head.i == root.i and before.dep_ == "compound" and is_role(before) and before.is_title

    def _assemble(self, state: DocState, article: Article, raw: list[RawRelation],
                  claimants: list[str] | None = None) -> Extraction:
        doc = state.doc
        gaz = self.gazetteer
        # entities: every span used as an actor, place or weapon (demonyms only where they act)
        generic = {eid for eid in (sp.entity_id for sp in state.spans if sp.type == "Weapon")
                   if (e := gaz.get(eid)) is not None and e.parent is None}
        raw = [RawRelation(r.subject, r.predicate, r.object, r.sent, r.rule, r.confidence, r.modality,
                           tuple(i for i in r.items if i not in generic), r.inferred) for r in raw]
        used_ids: set[str] = set()
        for r in raw:
            used_ids.update((r.subject, r.object, *r.items))
        names: dict[str, str] = {}
        types: dict[str, str] = {}
        aliases: dict[str, list[str]] = {}
        mentions: list[Mention] = []
        for span in state.spans:
            if span.kind == "group":
                continue
            if span.kind == "demonym" and not (state.demonym_is_actor(span) or span.entity_id in used_ids):
                continue
            if span.type == "Weapon" and span.entity_id not in used_ids and (
                    span.entity_id in generic or _modifier_only(doc, span)):
                continue  # "weapons" in general, or "missile technology": no weapon named
            eid = span.entity_id
            start, end = doc[span.start].idx, doc[span.end - 1].idx + len(doc[span.end - 1].text)
            text = article.text[start:end]
            mentions.append(Mention(eid, text, start, end))
            types.setdefault(eid, span.type)
            if span.kind in ("role", "pronoun", "description"):
                continue
            entry = gaz.get(eid)
            if entry is not None:
                names.setdefault(eid, entry.name)
            elif span.home is not None:  # a capital used as a place: keep the name as written
                names.setdefault(eid, text)
            elif span.type == "Person":
                if len(text) > len(names.get(eid, "")):
                    names[eid] = text
            elif span.name:  # "Syunik province" -> "Syunik"
                names.setdefault(eid, span.name)
            elif span.source == "facility":  # "Hmeimim air base" -> "Hmeimim Air Base"
                names.setdefault(eid, " ".join(w[:1].upper() + w[1:] for w in text.split()))
            else:
                names.setdefault(eid, text)
            aliases.setdefault(eid, [])
            if text not in aliases[eid]:
                aliases[eid].append(text)
        for eid in used_ids:
            if eid not in names:
                entry = gaz.get(eid)
                if entry is not None:
                    names[eid], types[eid] = entry.name, entry.type
        entities = []
        for eid, name in names.items():
            entry = gaz.get(eid)
            etype = entry.type if entry is not None else types[eid]
            als = tuple(a for a in aliases.get(eid, ()) if a != name)
            entities.append(Entity(eid, etype, name, als, entry.iso3 if entry is not None else None))
        known = {e.id for e in entities}
        relations = []
        lifted = []
        for r, who in zip(raw, claimants or [""] * len(raw), strict=True):
            if r.subject not in known or r.object not in known or r.subject == r.object:
                continue
            rel = self._relation(article, r, claimed_by=who)
            relations.append(rel)
            lifted += self._lift(state, article, r, known, who)
        seen = {(r.subject, r.predicate, r.object) for r in relations}
        relations += [r for r in lifted if (r.subject, r.predicate, r.object) not in seen]
        return Extraction(article, tuple(sorted(entities, key=lambda e: e.id)), tuple(mentions),
                          tuple(_dedupe(relations)), tuple(state.notes))

    def _relation(self, article: Article, r: RawRelation, *, inferred: bool = False, subject: str | None = None,
                  obj: str | None = None, rule: str | None = None, claimed_by: str = "") -> Relation:
        sent = r.sent
        raw = article.text[sent.start_char:sent.end_char]
        text = raw.strip()
        start = sent.start_char + (len(raw) - len(raw.lstrip()))
        s, o = canonical_pair(r.predicate, subject or r.subject, obj or r.object)
        when = event_date(text, article.date)
        return Relation(s, r.predicate, o, r.modality,
                        Evidence(article.id, text, start, start + len(text), rule or r.rule,
                                 round(r.confidence * (0.8 if inferred else 1.0), 3), claimed_by,
                                 when.value, when.precision),
                        r.items, inferred)

    def _lift(self, state: DocState, article: Article, r: RawRelation, known: set[str],
              claimed_by: str = "") -> list[Relation]:
        """Person -> country relations for the countries the persons lead or represent (inferred)."""
        if r.predicate not in _LIFTABLE:
            return []

        s, o = state.home_country(r.subject) or r.subject, state.home_country(r.object) or r.object
        if (s, o) == (r.subject, r.object) or s == o or s not in known or o not in known:
            return []
        if s.startswith("person:") or o.startswith("person:"):
            return []  # lift only to state-to-state (or state-to-place) relations
        return [self._relation(article, r, inferred=True, subject=s, obj=o, rule=r.rule + "+lift",
                               claimed_by=claimed_by)]


def _modifier_only(doc, span: Span) -> bool:
    """True when a span only modifies another noun ("missile technology", "drone programme")."""
    root = doc[span.start:span.end].root
    return root.dep_ in ("compound", "amod", "nmod") and root.head.pos_ in ("NOUN", "PROPN") \
        and not (span.start <= root.head.i < span.end)


def _dedupe(relations: list[Relation]) -> list[Relation]:
    """One relation per (subject, predicate, object, modality, sentence, claimant): the most confident."""
    best: dict[tuple, Relation] = {}
    for r in relations:
        key = (r.subject, r.predicate, r.object, r.modality, r.evidence.start, r.inferred, r.evidence.claimed_by)
        if key not in best or r.evidence.confidence > best[key].evidence.confidence:
            best[key] = r
    return list(best.values())
