"""Load the declarative rule files (relations, modality cues, actor heuristics) into dataclasses.

The files live in ``graphbuild/data/rules/`` and are read with importlib.resources;
adding a trigger word or a rule touches no Python.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources
from typing import Any

import yaml

from ..ontology import ENTITY_TYPES, RELATIONS

__all__ = ["ActorRules", "ModalityCues", "RelationRule", "RuleSet", "load_rules"]

_SLOTS = ("subj", "obj", "dative", "poss", "mod", "compound", "gov_subj", "gov_obj", "between", "hyphen", "head", "xcomp_obj",
          "own_clause_obj", "pobj", "head_actor", "acl_agent", "copula_subj", "participle_head")


@dataclass(frozen=True)
class RelationRule:
    """One trigger frame: lemmas + parts of speech -> predicate, with argument slots."""

    id: str
    predicate: str
    pos: frozenset[str]
    lemmas: tuple[str, ...]
    subject: tuple[str, ...]
    object: tuple[str, ...]
    subject_types: frozenset[str]
    object_types: frozenset[str]
    items: tuple[str, ...] = ()
    reciprocal: bool = False
    mutual: bool = False  # with reciprocal: each party acts on the other ("war between A and B")
    object_as_state: bool = False  # a person object stands for the state he leads or represents
    not_home: bool = False  # no relation to a place in the subject's own country ("left for home")
    requires_items: bool = False
    not_with_items: bool = False
    guest_visits: bool = False
    requires_object_lemma: frozenset[str] = frozenset()
    arms_lemmas: frozenset[str] = frozenset()
    governor_lemmas: frozenset[str] = frozenset()  # a noun trigger counts only under one of these verbs
    not_governor_lemmas: frozenset[str] = frozenset()  # ... and never under one of these ("asked X for help")


@dataclass(frozen=True)
class RelationalNoun:
    """A noun that relates its holder to its owner ("Y's ally", "Y's arms supplier")."""

    id: str
    predicate: str
    nouns: frozenset[str]
    holder_is_subject: bool
    requires_arms: bool = False


@dataclass(frozen=True)
class ModalityCues:
    """Words that make a relation denied, possible or promised."""

    negators: frozenset[str]
    denied_verbs: frozenset[str]
    possible_modals: frozenset[str]
    possible_adverbs: frozenset[str]
    possible_adjectives: frozenset[str]
    possible_verbs: frozenset[str]
    promised_modals: frozenset[str]
    promised_verbs: frozenset[str]
    promised_nouns: frozenset[str]
    promised_adjectives: frozenset[str]


@dataclass(frozen=True)
class ActorRules:
    """Heuristics about which noun phrases are actors."""

    state_heads: frozenset[str]
    group_nouns: dict[str, frozenset[str]]
    group_markers: frozenset[str]
    person_roles: frozenset[str]
    not_actors: frozenset[str]
    descriptions: dict[str, frozenset[str]]
    pronouns: dict[str, frozenset[str]]
    vessel_prefixes: frozenset[str] = frozenset()
    description_kinds: dict[str, frozenset[str]] = field(default_factory=dict)
    not_actor_heads: frozenset[str] = frozenset()
    counterpart_words: frozenset[str] = frozenset()
    honorifics: frozenset[str] = frozenset()
    military_heads: frozenset[str] = frozenset()
    directions: frozenset[str] = frozenset()
    state_body_words: frozenset[str] = frozenset()
    org_head_words: frozenset[str] = frozenset()
    place_nouns: frozenset[str] = frozenset()
    departure_verbs: frozenset[str] = frozenset()  # "left for Paris": a capital after "for" is a destination
    body_head_titles: frozenset[str] = frozenset()  # "Foreign Minister X" of a state's ministry heads it
    ministry_words: frozenset[str] = frozenset()  # the words of a state body a minister heads


@dataclass(frozen=True)
class ReportedCues:
    """Words that make a reported claim a criticism of its subject ("S says X violated ...")."""

    speech_verbs: frozenset[str] = frozenset()
    verbs: frozenset[str] = frozenset()
    adjectives: frozenset[str] = frozenset()
    nouns: frozenset[str] = frozenset()
    act_nouns: frozenset[str] = frozenset()


@dataclass(frozen=True)
class MembershipCues:
    """Words that list an organisation's members after its name ("NATO allies A and B", "ASEAN groups A,
    B and C", "Mercosur, including A and B"); phrases are lower-case word sequences."""

    member_nouns: frozenset[str] = frozenset()
    member_suffixes: frozenset[str] = frozenset()
    listing_verbs: tuple[tuple[str, ...], ...] = ()
    listing_words: tuple[tuple[str, ...], ...] = ()
    group_words: frozenset[str] = frozenset()
    group_links: frozenset[str] = frozenset()  # "a partnership between A and B", "the alliance of A and B"


@dataclass(frozen=True)
class PresenceCues:
    """Verbs and event nouns that put their subject in a place ("said at a press conference in X")."""

    verbs: frozenset[str] = frozenset()
    events: frozenset[str] = frozenset()


@dataclass(frozen=True)
class RuleSet:
    """All rules: relation frames indexed by (lemma, coarse POS), modality cues, actor heuristics."""

    rules: tuple[RelationRule, ...]
    modality: ModalityCues
    actors: ActorRules
    by_trigger: dict[tuple[str, str], tuple[RelationRule, ...]] = field(default_factory=dict)
    phrases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    relational_nouns: tuple[RelationalNoun, ...] = ()
    reported: ReportedCues = ReportedCues()
    memberships: MembershipCues = MembershipCues()
    presence: PresenceCues = PresenceCues()

    def triggers(self, lemma: str, pos: str) -> tuple[RelationRule, ...]:
        """Rules whose trigger is ``lemma`` with coarse part of speech ``pos``."""
        return self.by_trigger.get((lemma, pos), ())

    @cached_property
    def trigger_words(self) -> frozenset[str]:
        """Every word that can start a rule lookup (a one-word trigger or a word of a phrase)."""
        return frozenset(lemma for lemma, _pos in self.by_trigger) | frozenset(self.phrases)

    @cached_property
    def trigger_classes(self) -> dict[str, frozenset[str]]:
        """Word -> the predicates of the rules and relational nouns it triggers (any part of speech)."""
        out: dict[str, set[str]] = {}
        for rule in self.rules:
            for phrase in rule.lemmas:
                for word in phrase.split():
                    out.setdefault(word, set()).add(rule.predicate)
        for noun in self.relational_nouns:
            for phrase in noun.nouns:
                for word in phrase.split():
                    out.setdefault(word, set()).add(noun.predicate)
        return {w: frozenset(p) for w, p in out.items()}


def _read_yaml(name: str) -> Any:
    with resources.files("graphbuild.data.rules").joinpath(name).open("r", encoding="utf-8") as fh:
        return yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def _words(items: list[str] | None) -> frozenset[str]:
    return frozenset(w.lower() for w in items or ())


def _check_slots(rule_id: str, slots: list[str]) -> tuple[str, ...]:
    for slot in slots:
        base = slot.split(":", 1)[0]
        if base not in _SLOTS and base not in ("prep", "gov_prep", "obj_prep", "xcomp_prep"):
            raise ValueError(f"rule {rule_id}: unknown slot {slot!r}")
    return tuple(slots)


def _rule(raw: dict[str, Any]) -> RelationRule:
    rid = raw["id"]
    pred = raw["predicate"]
    if pred not in RELATIONS:
        raise ValueError(f"rule {rid}: unknown predicate {pred!r}")
    for key in ("subject_types", "object_types"):
        bad = set(raw.get(key, ())) - set(ENTITY_TYPES)
        if bad:
            raise ValueError(f"rule {rid}: unknown entity types {sorted(bad)}")
    return RelationRule(
        id=rid,
        predicate=pred,
        pos=frozenset(raw["pos"]),
        lemmas=tuple(str(x).lower() for x in raw["lemmas"]),
        subject=_check_slots(rid, raw.get("subject", [])),
        object=_check_slots(rid, raw.get("object", [])),
        subject_types=frozenset(raw.get("subject_types", ENTITY_TYPES)),
        object_types=frozenset(raw.get("object_types", ENTITY_TYPES)),
        items=_check_slots(rid, raw.get("items", [])),
        reciprocal=bool(raw.get("reciprocal", False)),
        mutual=bool(raw.get("mutual", False)),
        object_as_state=bool(raw.get("object_as_state", False)),
        not_home=bool(raw.get("not_home", False)),
        requires_items=bool(raw.get("requires_items", False)),
        not_with_items=bool(raw.get("not_with_items", False)),
        guest_visits=bool(raw.get("guest_visits", False)),
        requires_object_lemma=_words(raw.get("requires_object_lemma")),
        governor_lemmas=_words(raw.get("governor_lemmas")),
        not_governor_lemmas=_words(raw.get("not_governor_lemmas")),
        arms_lemmas=_words(raw.get("arms_lemmas")),
    )


@lru_cache(maxsize=1)
def load_rules() -> RuleSet:
    """Read and index the packaged rule files (cached)."""
    rel = _read_yaml("relations.yaml")
    rules = tuple(_rule(r) for r in rel["rules"])
    ids = [r.id for r in rules]
    if len(ids) != len(set(ids)):
        raise ValueError("duplicate rule ids in relations.yaml")
    by_trigger: dict[tuple[str, str], list[RelationRule]] = {}
    phrases: dict[str, list[str]] = {}
    for rule in rules:
        for lemma in rule.lemmas:
            words = lemma.split()
            if len(words) > 1:  # keyed on the first and the last word ("hold talks", "air strikes")
                phrases.setdefault(words[0], []).append(lemma)
                phrases.setdefault(words[-1], []).append(lemma)
            for pos in rule.pos:
                by_trigger.setdefault((lemma, pos), []).append(rule)
    mod = _read_yaml("modality.yaml")
    cues = ModalityCues(
        negators=_words(mod["denied"]["negators"]),
        denied_verbs=_words(mod["denied"]["verbs"]),
        possible_modals=_words(mod["possible"]["modals"]),
        possible_adverbs=_words(mod["possible"]["adverbs"]),
        possible_adjectives=_words(mod["possible"]["adjectives"]),
        possible_verbs=_words(mod["possible"]["verbs"]),
        promised_modals=_words(mod["promised"]["modals"]),
        promised_verbs=_words(mod["promised"]["verbs"]),
        promised_nouns=_words(mod["promised"].get("nouns")),
        promised_adjectives=_words(mod["promised"].get("adjectives")),
    )
    act = _read_yaml("actors.yaml")
    groups = act["groups"]
    actors = ActorRules(
        state_heads=_words(act["state_heads"]) | _words(act.get("state_acts")),
        group_nouns={t: _words(groups[t]) for t in ("Person", "Country")},
        group_markers=_words(groups["markers"]),
        person_roles=_words(act["person_roles"]),
        counterpart_words=_words(act.get("counterpart_words")),
        honorifics=_words(act.get("honorifics")),
        military_heads=_words(act.get("military_heads")),
        directions=_words(act.get("directions")),
        state_body_words=_words(act.get("state_body_words")),
        org_head_words=_words(act.get("org_head_words")),
        place_nouns=_words(act.get("place_nouns")),
        departure_verbs=_words(act.get("departure_verbs")),
        body_head_titles=_words(act.get("body_head_titles")),
        ministry_words=_words(act.get("ministry_words")),
        not_actors=_words(act["not_actors"]),
        descriptions={t: _words(w) for t, w in act["descriptions"].items()},
        pronouns={t: _words(w) for t, w in act["pronouns"].items()},
        vessel_prefixes=frozenset(act.get("vessel_prefixes", ())),
        description_kinds={w: frozenset(k) for w, k in act.get("description_kinds", {}).items()},
        not_actor_heads=_words(act.get("not_actor_heads")),
    )
    nouns = []
    for raw in rel.get("relational_nouns", ()):
        if raw["predicate"] not in RELATIONS or raw.get("direction") not in ("holder_owner", "owner_holder"):
            raise ValueError(f"relational noun {raw.get('id')}: bad predicate or direction")
        nouns.append(RelationalNoun(raw["id"], raw["predicate"], _words(raw["nouns"]),
                                    raw["direction"] == "holder_owner", bool(raw.get("requires_arms", False))))
    return RuleSet(
        rules, cues, actors,
        {k: tuple(v) for k, v in by_trigger.items()},
        {k: tuple(sorted(set(v), key=lambda p: -len(p))) for k, v in phrases.items()},
        tuple(nouns),
        _reported(rel.get("reported_criticism") or {}),
        _memberships(rel.get("memberships") or {}),
        PresenceCues(_words((rel.get("presence") or {}).get("verbs")), _words((rel.get("presence") or {}).get("events"))),
    )


def _memberships(raw: dict[str, Any]) -> MembershipCues:
    def phrases(key: str) -> tuple[tuple[str, ...], ...]:
        # longest first, so "consists of" is tried before a one-word phrase it starts with
        return tuple(sorted({tuple(str(w).lower().split()) for w in raw.get(key, ())}, key=lambda p: -len(p)))

    return MembershipCues(member_nouns=_words(raw.get("member_nouns")),
                          member_suffixes=_words(raw.get("member_suffixes")),
                          listing_verbs=phrases("listing_verbs"), listing_words=phrases("listing_words"),
                          group_words=_words(raw.get("group_words")),
                          group_links=_words(raw.get("group_links")))


def _reported(raw: dict[str, Any]) -> ReportedCues:
    return ReportedCues(speech_verbs=_words(raw.get("speech_verbs")), verbs=_words(raw.get("verbs")),
                        adjectives=_words(raw.get("adjectives")), nouns=_words(raw.get("nouns")),
                        act_nouns=_words(raw.get("act_nouns")))
