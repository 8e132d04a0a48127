"""Cross-article identity: which extracted names are one actor, decided from the names alone.

Each article's extraction names its entities with ids made from the name it read
(``person:putin`` where it said only "Putin").  :func:`resolve` takes every
:class:`NameRecord` (one per entity and article) of a block of similar names and
decides, for each, the entity it is (:class:`Decision`):

* persons: one spelling of a full name (``Kim Jong Un`` / ``Kim Jong-un``, ``Zelensky`` /
  ``Zelenskyy``, diacritics) or a shorter form of it (``Tayyip Erdogan``) is the same person;
  a surname or given name alone ("Putin", "Mr Xi") is the one known person whose name
  begins or ends with it, and stays its own node, flagged ambiguous, when two known
  persons share it (two Kims) unless the article decides (the country it ties the person
  to, else the countries it names);
* one name in the two orders news writes names in ("Minoru Kihara" / "Kihara Minoru") is one
  person where both are tied to one country; a patronymic alone ("bin Farhan") is the one
  known name it is inside; a part of a name beside its full name in one article is that
  person (``fuller``); a lone surname spelt otherwise than the known one ("Rudaw" / "Rueda")
  is not a person of countries its article does not name;
* a full name its article wrote as one word only (a dictionary's "Sisi") is not the known person when the
  article names none of the countries the person is tied to (a namesake or a misspelling): flagged apart;
* one full name tied by different articles to countries that never meet is two people
  (unless one article says so against :data:`NOISE_AGAINST` or more that agree);
* organisations: one name up to case, diacritics, punctuation, a leading "the" and how its
  country is written; a short form ("RSF") is the organisation that declared it in some article
  ("Rapid Support Forces (RSF)"), a state body's only where its article names that state;
  initials its article uses beside a body they spell are that body (``org_record_key``); a body
  named only by its kind is its state's where its article ties it to one country, else one
  flagged node per set of countries its articles name; a state's embassy is the one in the one
  other country its article names;
* other types keep their id.

The result depends only on the set of records and the user's :class:`IdentityRules`,
never on their order: the canonical id is the most complete form's (a curated
gazetteer id first), ties broken by counts and then alphabetically.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from ..ontology import canonical_id, type_of_id
from .names import (acronym_like, generic_org_key, initials, latin, org_key, patronymic_at, person_tokens, rotated,
                    same_spelling, same_token, skeleton, words)

__all__ = ["Decision", "IdentityRules", "NameRecord", "dependent_keys", "entity_name", "fuller_names", "needed_keys",
           "org_alias_keys", "org_record_key", "record_keys", "resolve", "sited_org_key"]

RecordKey = tuple[str, str]

#: The version of the automatic decisions and blocking keys: a store resolved by another one is resolved
#: again, its keys filed again, when it is next opened for writing (part of :meth:`IdentityRules.fingerprint`).
DECIDER_VERSION = 3

#: One article tying a full name to another country is read as an extraction error, not a
#: namesake, when at least this many articles tie the name to one country.
NOISE_AGAINST = 3


@dataclass(frozen=True)
class NameRecord:
    """One entity as one article's extraction named it.

    ``context``: the countries the article ties it to (its roles); ``scene``: the countries the
    article names at all, for a name its article wrote as one word (decides an ambiguous surname when the
    roles do not; a full name a dictionary gave for one word is not a person of none of these countries); ``fuller``: for a
    person named in part ("Al Thani"), the one full name of the same article that it is part of
    (the article's own full name decides it, whatever else the store knows).
    """

    raw_id: str
    article_id: str
    type: str
    name: str
    aliases: tuple[str, ...] = ()
    context: frozenset[str] = frozenset()
    scene: frozenset[str] = frozenset()
    #: How many articles this record stands for (the store hands over identical records once).
    weight: int = 1
    fuller: str = ""

    @property
    def key(self) -> RecordKey:
        return (self.raw_id, self.article_id)


@dataclass(frozen=True)
class Decision:
    """The entity a record is; ``ambiguous`` when its name fits several known actors."""

    entity_id: str
    ambiguous: bool = False


@dataclass(frozen=True)
class IdentityRules:
    """A user's decisions (the identity file): they win over every automatic one.

    ``merges``: id -> the id it is (either may be an extracted or a resolved id);
    ``distinct``: extracted ids never merged automatically; ``names``: id -> display name;
    ``aliases``: id -> more names that are it.
    """

    merges: Mapping[str, str] = field(default_factory=dict)
    distinct: frozenset[str] = frozenset()
    names: Mapping[str, str] = field(default_factory=dict)
    aliases: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def fingerprint(self) -> str:
        """A hash of the decisions (and of :data:`DECIDER_VERSION`): the store re-resolves when it changes.

        >>> IdentityRules().fingerprint() == IdentityRules().fingerprint()
        True
        """
        data = [sorted(self.merges.items()), sorted(self.distinct), sorted(self.names.items()),
                sorted((k, sorted(v)) for k, v in self.aliases.items()), DECIDER_VERSION]
        return hashlib.sha256(json.dumps(data).encode()).hexdigest()[:16]

    def target(self, entity_id: str) -> str:
        """Follow the merges from ``entity_id`` to the surviving id (a cycle stops where it closes).

        >>> IdentityRules(merges={"person:a": "person:b", "person:b": "person:c"}).target("person:a")
        'person:c'
        """
        seen = {entity_id}
        while entity_id in self.merges and self.merges[entity_id] not in seen:
            entity_id = self.merges[entity_id]
            seen.add(entity_id)
        return entity_id


#: Fewest letters of a person's initials that name them ("MBS"); two letters name too many people.
_MIN_INITIALS = 3


def _person_initials(rec: NameRecord) -> str:
    """The initials a lone person name is, written in capitals ("MBS"), else ''."""
    letters = rec.name.replace(".", "")
    if rec.type != "Person" or not acronym_like(letters) or not letters.isalpha() or len(letters) < _MIN_INITIALS:
        return ""
    return letters.lower()


#: Longest full name a key tells apart; longer ones are filed as this long.
MAX_TOKENS = 8


def record_keys(rec: NameRecord) -> set[str]:
    """Where a record is filed, so the records that can decide it are found without reading the rest.

    A person's full name under its surname and length (``L:``), its first token (``F:``), its
    first two (``P:``), its middle ones (``M:``), its spelling (``V:``, every token's skeleton),
    its spelling with the last token first (``R:``, "Kim Jong Un" / "Jong Un Kim"), its
    given names run together (``C:``, "Abdulhamid" / "Abdul Hamid") and each patronymic inside it
    (``B:``, "bin Farhan"); a lone name under ``S:``; a part of its article's full name (``fuller``)
    as that name; an organisation under ``O:`` of its name and each alias; the other types nowhere
    (they keep their id). Tokens are spelling skeletons (:func:`~graphbuild.resolve.names.skeleton`).

    >>> sorted(record_keys(NameRecord("person:kim-jong-un", "a1", "Person", "Kim Jong Un")))
    ['C:kmjng|un', 'F:km', 'I:kju', 'L:un|3', 'M:jng', 'P:km|jng', 'R:un|km|jng', 'V:km|jng|un']
    >>> sorted(record_keys(NameRecord("person:putin", "a1", "Person", "Mr Putin")))
    ['S:ptn']
    >>> sorted(record_keys(NameRecord("org:rsf", "a1", "Organization", "RSF")))
    ['O:rsf']
    """
    if rec.type == "Person":
        toks = _form(rec)
        if len(toks) >= 2:
            sk = [skeleton(t) for t in toks]
            return {f"L:{sk[-1]}|{min(len(toks), MAX_TOKENS)}", "F:" + sk[0], f"P:{sk[0]}|{sk[1]}",
                    "C:" + skeleton("".join(toks[:-1])) + "|" + sk[-1], "V:" + "|".join(sk),
                    "R:" + "|".join(sk[-1:] + sk[:-1]), *("M:" + m for m in sk[1:-1]),
                    *(["I:" + "".join(t[0] for t in toks)] if len(toks) >= _MIN_INITIALS else []),
                    *(f"B:{sk[i]}|{sk[i + 1]}" for i in patronymic_at(toks) if i)}
        return {"S:" + skeleton(toks[0])} if toks else set()
    if rec.type == "Organization":
        return {"O:" + k for k in {org_record_key(rec), *org_alias_keys(rec)} if k}
    return set()


def _form(rec: NameRecord) -> tuple[str, ...]:
    """The tokens a person record is decided by: its article's full name when it has one (``fuller``)."""
    return person_tokens(rec.fuller or rec.name)


#: Key kinds that file one spelling the other kind reads: a name's ``V:`` is another order's ``R:``.
_TWIN = {"V": "R", "R": "V"}


def dependent_keys(keys: set[str]) -> set[str]:
    """The keys under which records may decide differently when a record filed under ``keys`` comes or goes.

    A full name changes its spelling group (``V:``, ``C:``) and the names in the other order
    (``R:``), the shorter forms of its surname, the prefix forms like it and its patronymics
    alone (they may now fit it), and what a lone name equal to its first or last token decides;
    a lone name changes the other lone spellings.

    >>> sorted(dependent_keys({"L:un|3", "F:km", "P:km|jng", "B:bn|frn", "V:x|jnpng"}))
    ['L:un|2', 'P:bn|frn', 'P:km|jng', 'R:x|jnpng', 'S:km', 'S:un', 'V:x|jnpng']
    """
    out: set[str] = set()
    for key in keys:
        kind, _, body = key.partition(":")
        if kind == "L":
            last, _, n = body.rpartition("|")
            out |= {f"L:{last}|{k}" for k in range(2, int(n))} | {"S:" + last}
        elif kind in ("F", "M"):
            out.add("S:" + body)
        elif kind == "B":
            out.add("P:" + body)
        elif kind == "I":
            out.add("S:" + skeleton(body))
        else:
            out.add(key)
            if kind in _TWIN:
                out.add(_TWIN[kind] + ":" + body)
    return out


def needed_keys(rec: NameRecord) -> set[str]:
    """The keys under which the records that decide ``rec`` are filed (their own groups aside).

    A full name reads its spellings (in either order), its prefix block and the longer names of
    its surname; a patronymic alone ("bin Farhan") the names it is inside; a lone name the other
    lone spellings and the full names it begins or ends.

    >>> sorted(needed_keys(NameRecord("person:putin", "a1", "Person", "Putin")))[:4]
    ['F:ptn', 'L:ptn|2', 'L:ptn|3', 'L:ptn|4']
    >>> sorted(k for k in needed_keys(NameRecord("person:bin-farhan", "a1", "Person", "bin Farhan")) if k[0] in "BP")
    ['B:bn|frn', 'P:bn|frn']
    """
    out: set[str] = set()
    if _person_initials(rec):
        out.add("I:" + _person_initials(rec))
    patronymic = rec.type == "Person" and patronymic_at(_form(rec)[:2]) == [0]
    for key in record_keys(rec):
        kind, _, body = key.partition(":")
        if kind == "S":
            out |= {key, "F:" + body, "M:" + body} | {f"L:{body}|{k}" for k in range(2, MAX_TOKENS + 1)}
        elif kind == "L":
            last, _, n = body.rpartition("|")
            out |= {f"L:{last}|{k}" for k in range(int(n) + 1, MAX_TOKENS + 1)}
        elif kind not in ("F", "M", "B", "I"):
            out.add(key)
            if kind in _TWIN:
                out.add(_TWIN[kind] + ":" + body)
            if kind == "P" and patronymic:
                out.add("B:" + body)
    return out


# -- persons ---------------------------------------------------------------------------------
@dataclass
class _Unit:
    """Records of one full-name form (and one context cluster of it)."""

    form: tuple[str, ...]
    records: list[NameRecord]
    context: frozenset[str]
    suffix: str = ""          # set when one name is several people: "-<iso3>"
    lone: bool = False        # the form's records no article ties to a country, when the name is several people

    @cached_property
    def exact(self) -> bool:
        """Transliterated from another script: no spelling variants."""
        return not all(latin(r.name) for r in self.records)

    @property
    def sort_key(self) -> tuple:
        return (self.form, self.suffix, self.lone)


def _curated(rec: NameRecord) -> bool:
    """An id the gazetteer gave (not the one its name makes)."""
    return _given_id(rec.raw_id, rec.type, rec.name)


@lru_cache(maxsize=1 << 16)
def _given_id(raw_id: str, etype: str, name: str) -> bool:
    return raw_id != canonical_id(etype, name)


def _country_code(country_id: str) -> str:
    return country_id.split(":", 1)[1].lower()


def _clusters(records: list[NameRecord]) -> list[list[NameRecord]]:
    """Records whose contexts share countries, transitively (sorted, deterministic)."""
    groups: list[tuple[set[str], list[NameRecord]]] = []
    for rec in sorted(records, key=lambda r: r.key):
        hit = [g for g in groups if g[0] & rec.context]
        ctx, members = set(rec.context), [rec]
        for g in hit:
            ctx |= g[0]
            members += g[1]
            groups.remove(g)
        groups.append((ctx, members))
    return [sorted(m, key=lambda r: r.key) for _, m in sorted(groups, key=lambda g: sorted(g[0]))]


def _forms_match(a: tuple[str, ...], b: tuple[str, ...], exact: bool = False) -> bool:
    """One name written two ways, or the shorter a part of the longer ending in the same surname.

    >>> _forms_match(("tayyip", "erdogan"), ("recep", "tayyip", "erdogan"))
    True
    >>> _forms_match(("jill", "biden"), ("joe", "biden"))
    False
    """
    s, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if not same_token(s[-1], long_[-1], exact):
        return False
    if len(s) == len(long_):
        return all(same_token(x, y, exact) for x, y in zip(s, long_))
    i = 0
    for tok in long_:
        if i < len(s) and same_token(s[i], tok, exact):
            i += 1
    return i == len(s)


def _inside(short: tuple[str, ...], long_: tuple[str, ...], exact: bool = False) -> bool:
    """``short`` written out, word after word, inside ``long_``: "bin Farhan" in "Faisal bin Farhan Al Saud".

    >>> _inside(("bin", "farhan"), ("faisal", "bin", "farhan", "al", "saud")), _inside(("bin", "farhan"), ("farhan", "bin"))
    (True, False)
    """
    n = len(short)
    return any(all(same_token(x, y, exact) for x, y in zip(short, long_[k:k + n])) for k in range(len(long_) - n + 1))


def _part_of(short: tuple[str, ...], long_: tuple[str, ...], exact: bool = False) -> bool:
    """``short`` names the person ``long_`` names in full, as the store's decisions read it: a lone
    surname (any spelling), or given or middle name (as written); a shorter form ending in the
    surname; the opening of the name; a patronymic inside it.

    >>> _part_of(("thani",), ("tamim", "bin", "hamad", "al", "thani")), _part_of(("al", "thani"), ("tamim", "al", "thani"))
    (True, True)
    >>> _part_of(("hamad",), ("tamim", "bin", "hamad", "al", "thani")), _part_of(("kim",), ("kim", "jong", "un"))
    (True, True)
    >>> _part_of(("jill", "biden"), ("joe", "biden")), _part_of(("jon",), ("kim", "jong", "un"))
    (False, False)
    """
    if not short or len(short) >= len(long_):
        return False
    if len(short) == 1:
        tok = short[0]
        return same_token(tok, long_[-1], exact) or tok in long_[:-1]
    return (_forms_match(short, long_, exact) or _prefix(short, long_, exact)
            or (patronymic_at(short) == [0] and _inside(short, long_, exact)))


def fuller_names(names: Iterable[str]) -> dict[str, str]:
    """The persons one article names: for each named in part, the one full name of the article it is part of.

    A part that fits two of the article's people ("Kim" beside "Kim Jong Un" and "Kim Yo Jong") gets none;
    a part of a part gets the longest ("Erdogan" of "Tayyip Erdogan" of "Recep Tayyip Erdogan").

    >>> fuller_names(["Al Thani", "Tamim bin Hamad Al Thani", "Kim", "Kim Jong Un", "Kim Yo Jong", "Erdogan",
    ...               "Recep Tayyip Erdogan", "Tayyip Erdogan"])
    {'Al Thani': 'Tamim bin Hamad Al Thani', 'Erdogan': 'Recep Tayyip Erdogan', 'Tayyip Erdogan': 'Recep Tayyip Erdogan'}
    >>> fuller_names(["?!", "Aldo Borin"])
    {}
    """
    names = sorted(set(names))
    forms: dict[tuple[str, ...], str] = {}
    for name in names:
        toks = person_tokens(name)
        if toks:
            forms.setdefault(toks, name)
    out: dict[str, str] = {}
    for name in names:
        toks = person_tokens(name)
        if not toks:  # no letters or digits: nothing to compare
            continue
        exact = not latin(name)
        fits = [f for f in forms if _part_of(toks, f, exact or not latin(forms[f]))]
        widest = [f for f in fits if not any(_part_of(f, g, True) for g in fits)]
        if len(widest) == 1:
            out[name] = forms[widest[0]]
    return out


def _prefix(a: tuple[str, ...], b: tuple[str, ...], exact: bool = False) -> bool:
    """The shorter name (two tokens at least) opens the longer: "Abiy Ahmed" / "Abiy Ahmed Ali".

    >>> _prefix(("abiy", "ahmed"), ("abiy", "ahmed", "ali")), _prefix(("ali",), ("ali", "khan"))
    (True, False)
    """
    s, long_ = (a, b) if len(a) <= len(b) else (b, a)
    return 2 <= len(s) < len(long_) and all(same_token(x, y, exact) for x, y in zip(s, long_))


class _Groups:
    """Union-find over units, keeping each group's contexts."""

    def __init__(self, units: list[_Unit]) -> None:
        self.parent = list(range(len(units)))
        self.context = [set(u.context) for u in units]

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> bool:
        a, b = self.find(i), self.find(j)
        if a == b:
            return True
        if self.context[a] and self.context[b] and not self.context[a] & self.context[b]:
            return False  # tied to countries that never meet: two people
        a, b = min(a, b), max(a, b)
        self.parent[b] = a
        self.context[a] |= self.context[b]
        return True


def _unit_id(unit: _Unit) -> str:
    best = min(unit.records, key=lambda r: (not _curated(r), bool(r.fuller), r.raw_id))  # a part gives no id
    return best.raw_id + unit.suffix


def _group_id(units: list[_Unit]) -> str:
    """The most complete form's id: a curated id first, then most tokens, most records, alphabetical."""
    def rank(u: _Unit) -> tuple:
        return (not any(_curated(r) for r in u.records), u.lone, -len(u.form), -sum(r.weight for r in u.records),
                _unit_id(u))
    return _unit_id(min(units, key=rank))


def _persons(records: list[NameRecord], out: dict[RecordKey, Decision]) -> None:
    full: dict[tuple[str, ...], list[NameRecord]] = defaultdict(list)
    single: list[tuple[NameRecord, str]] = []
    for rec in records:
        toks = _form(rec)
        if len(toks) >= 2:
            full[toks].append(rec)
        elif toks:
            single.append((rec, toks[0]))
        else:
            out[rec.key] = Decision(rec.raw_id)
    units: list[_Unit] = []
    for form in sorted(full):
        recs = full[form]
        clusters = _clusters([r for r in recs if r.context])
        if len(clusters) > 1:  # a one-off tie against a steady one is a misreading, not a namesake
            steady = max(sum(r.weight for r in c) for c in clusters)
            if steady >= NOISE_AGAINST:
                noise = [c for c in clusters if sum(r.weight for r in c) == 1]
                clusters = [c for c in clusters if c not in noise]
                recs = [r for r in recs if not any(r in c for c in noise)] + [
                    NameRecord(r.raw_id, r.article_id, r.type, r.name, r.aliases, frozenset(), r.scene, r.weight,
                               r.fuller)
                    for c in noise for r in c]
        if len(clusters) <= 1:
            units.append(_Unit(form, sorted(recs, key=lambda r: r.key), frozenset().union(*(r.context for r in recs))))
            continue
        for members in clusters:  # one name, people of countries that never meet
            ctx = frozenset().union(*(r.context for r in members))
            units.append(_Unit(form, members, ctx, "-" + _country_code(min(ctx))))
        lone = sorted((r for r in recs if not r.context), key=lambda r: r.key)
        if lone:
            units.append(_Unit(form, lone, frozenset(), lone=True))
    units.sort(key=lambda u: u.sort_key)
    # blocks: a longer form is found by its surname's skeleton or its first token's
    by_last: dict[str, list[int]] = defaultdict(list)
    by_prefix: dict[tuple[str, str], list[int]] = defaultdict(list)
    by_patronymic: dict[tuple[str, str], list[int]] = defaultdict(list)  # "bin farhan" inside a longer name
    for i, u in enumerate(units):
        if not u.lone:
            by_last[skeleton(u.form[-1])].append(i)
            by_prefix[(skeleton(u.form[0]), skeleton(u.form[1]))].append(i)
            for k in patronymic_at(u.form):
                if k:
                    by_patronymic[(skeleton(u.form[k]), skeleton(u.form[k + 1]))].append(i)
    longer: dict[int, list[int]] = {}
    for i, u in enumerate(units):
        if u.lone:
            continue
        pair = (skeleton(u.form[0]), skeleton(u.form[1]))
        near = sorted(set(by_last[skeleton(u.form[-1])]) | set(by_prefix[pair]))
        longer[i] = [j for j in near if len(units[j].form) > len(u.form)
                     and (_forms_match(u.form, units[j].form, u.exact or units[j].exact)
                          or _prefix(u.form, units[j].form, u.exact or units[j].exact))]
        if len(u.form) == 2 and patronymic_at(u.form) == [0]:
            longer[i] = sorted(set(longer[i]) | {j for j in by_patronymic[pair]
                                                 if _inside(u.form, units[j].form, u.exact or units[j].exact)})
    # one person's spellings of one full name: the groups
    groups = _Groups(units)
    cores = [i for i in range(len(units)) if not units[i].lone and not longer[i]]
    buckets: dict[tuple, list[int]] = defaultdict(list)  # only forms that can be one spelling are compared
    for i in cores:
        form = units[i].form
        sk = tuple(skeleton(t) for t in form)
        buckets[sk].append(i)
        buckets[("=", skeleton("".join(form[:-1])), skeleton(form[-1]))].append(i)
        buckets[("~", *sk)].append(i)               # the same name in the other order:
        buckets[("~", *sk[-1:], *sk[:-1])].append(i)  # one's spelling is the other's rotated
    for bucket in buckets.values():
        for x, i in enumerate(bucket):
            for j in bucket[x + 1:]:
                ui, uj = units[i], units[j]
                exact = ui.exact or uj.exact
                if ui.form != uj.form and (same_spelling(ui.form, uj.form, exact) or (
                        len(ui.form) == len(uj.form) and _forms_match(ui.form, uj.form, exact))):
                    groups.union(i, j)
                elif ui.context & uj.context and rotated(ui.form, uj.form, exact):
                    groups.union(i, j)  # "Kihara Minoru" / "Minoru Kihara": only when tied to one country
    members_of: dict[int, list[_Unit]] = defaultdict(list)
    for i in cores:
        members_of[groups.find(i)].append(units[i])
    for i, u in enumerate(units):
        if u.lone:
            members_of[groups.find(i)].append(u)
    group_ids = {root: _group_id(us) for root, us in members_of.items()}
    decided: dict[int, int | None] = {}  # unit -> its group's root (None: ambiguous)
    for i, u in enumerate(units):
        if u.lone or not longer[i]:
            decided[i] = groups.find(i)
    # a shorter form of one known full name is that person; of several, stays apart (flagged)
    for i in sorted((i for i in longer if longer[i]), key=lambda i: (len(units[i].form), units[i].sort_key)):
        u = units[i]
        fits = sorted({decided.get(j, -1) for j in longer[i]} - {-1})
        if None in fits:
            decided[i] = None
            continue
        fits = [g for g in fits if not (u.context and groups.context[g] and not u.context & groups.context[g])]
        if len(fits) > 1 and u.context:
            fits = [g for g in fits if groups.context[g] & u.context] or fits
        decided[i] = fits[0] if len(fits) == 1 else None
    for i, u in enumerate(units):
        root = decided.get(i)
        for rec in u.records:
            if root is None:
                out[rec.key] = Decision(_unit_id(u), ambiguous=True)
            elif rec.scene and groups.context[root] and not rec.scene & groups.context[root]:
                # its article wrote one word of the name, and names none of the person's countries: a
                # namesake or a misspelling ("Sisi said" of a Somali governor Sidi), not the known person
                out[rec.key] = Decision(canonical_id("Person", u.form[-1]), ambiguous=True)
            else:
                out[rec.key] = Decision(group_ids[root], ambiguous=u.lone)
    # a name's first or last token alone: the one group it fits
    by_token: dict[str, list[tuple[str, bool, int]]] = defaultdict(list)  # skeleton -> (token, exact, group)
    by_middle: dict[str, list[tuple[str, int]]] = defaultdict(list)  # a middle name as written -> groups
    for i in cores:  # a surname may be spelt otherwise, a given name alone only as written ("Camilla" / "Camille")
        u = units[i]
        by_token[skeleton(u.form[-1])].append((u.form[-1], u.exact, groups.find(i)))
        by_token[skeleton(u.form[0])].append((u.form[0], True, groups.find(i)))
        for t in u.form[1:-1]:
            by_middle[t].append((t, groups.find(i)))
    by_initials: dict[str, set[int]] = defaultdict(set)  # a full name's initials -> its group
    for i, u in enumerate(units):
        root = decided.get(i)
        if not u.lone and root is not None and len(u.form) >= _MIN_INITIALS:
            by_initials["".join(t[0] for t in u.form)].add(root)
    leftovers: list[tuple[NameRecord, str]] = []
    for rec, tok in sorted(single, key=lambda s: s[0].key):
        rec_exact = not latin(rec.name)
        # a spelling variant ("Rudaw" / "Rueda") is a weaker tie than the name as written: it needs an
        # article that does not name only other countries than the person's
        fits = sorted({g for t, ex, g in by_token.get(skeleton(tok), ()) if same_token(t, tok, ex or rec_exact)
                       and (t == tok or not (rec.scene and groups.context[g] and not rec.scene & groups.context[g]))})
        if not fits:  # "Kiir" of Salva Kiir Mayardit, "Lula" of Luiz Inácio Lula da Silva: a middle name as written
            fits = sorted({g for _t, g in by_middle.get(tok, ())})
        if not fits and _person_initials(rec):  # "MBS": the initials of one known full name
            fits = sorted(by_initials.get(_person_initials(rec), ()))
        fits = [g for g in fits if not (rec.context and groups.context[g] and not rec.context & groups.context[g])]
        if len(fits) > 1 and rec.context:
            fits = [g for g in fits if groups.context[g] & rec.context] or fits
        if len(fits) > 1 and rec.scene:
            narrowed = [g for g in fits if groups.context[g] & rec.scene]
            fits = narrowed if len(narrowed) == 1 else fits
        if len(fits) == 1:
            out[rec.key] = Decision(group_ids[fits[0]])
        elif fits:
            out[rec.key] = Decision(rec.raw_id, ambiguous=True)
        else:
            leftovers.append((rec, tok))
    # surnames no full name explains: spellings of one surname are one node
    tokens = sorted({tok for _, tok in leftovers})
    foreign = {tok for rec, tok in leftovers if not latin(rec.name)}
    spelling: dict[str, str] = {}
    by_skeleton: dict[str, list[str]] = defaultdict(list)
    for tok in tokens:  # sorted: a spelling joins the first earlier one it matches
        alike = by_skeleton[skeleton(tok)]
        spelling[tok] = next((spelling[t] for t in alike if same_token(t, tok, t in foreign or tok in foreign)), tok)
        alike.append(tok)
    chosen: dict[str, list[NameRecord]] = defaultdict(list)
    for rec, tok in leftovers:
        chosen[spelling[tok]].append(rec)
    for recs in chosen.values():
        best = min(r.raw_id for r in recs)  # not by count: a lone name seen again changes nothing
        for rec in recs:
            out[rec.key] = Decision(best)


# -- organisations ---------------------------------------------------------------------------
def _organisations(records: list[NameRecord], out: dict[RecordKey, Decision]) -> None:
    by_key: dict[str, list[NameRecord]] = defaultdict(list)
    for rec in records:
        by_key[org_record_key(rec) or rec.raw_id].append(rec)
    keys = sorted(by_key)
    declared: dict[str, set[str]] = defaultdict(set)  # a short form -> the names that declared it
    for k in keys:
        for rec in by_key[k]:
            if not org_record_key(rec):  # a name with no letters or digits declares nothing
                continue
            for ak in org_alias_keys(rec):
                if ak and ak != k:
                    declared[ak].add(k)
    parent = {k: k for k in keys}
    ambiguous: set[str] = set()
    for k in keys:
        owners = sorted(o for o in declared.get(k, ()) if len(o) > len(k))
        if len(owners) == 1:
            parent[k] = owners[0]
        elif len(owners) > 1:
            ambiguous.add(k)

    def root(k: str) -> str:
        seen = {k}
        while parent[k] != k and parent[k] not in seen:
            k = parent[k]
            seen.add(k)
        return k

    groups: dict[str, list[str]] = defaultdict(list)
    for k in keys:
        groups[root(k)].append(k)
    def rank(r: NameRecord) -> tuple:
        k = org_record_key(r)
        return (not _curated(r), _routed(r), acronym_like(r.name), -len(k.split()), -len(by_key.get(k, ())), r.raw_id)

    for ks in groups.values():
        recs = [r for k in ks for r in by_key[k]]
        gid = _org_id(min(recs, key=rank))
        for k in ks:
            for rec in by_key[k]:
                country = _country_of(parent[k])
                if k != parent[k] and country and country not in rec.scene:
                    # a state's body known by initials, read where that state is not named: not it ("AFP")
                    out[rec.key] = Decision(_org_id(min(by_key[k], key=rank)))
                else:
                    out[rec.key] = Decision(gid, ambiguous=k in ambiguous or generic_org_key(k) or sited_org_key(k)
                                            or " of #" in k)


def _state_of(rec: NameRecord) -> str:
    """The country (``#iso3``) a body named only by what it is ("the Foreign Ministry") belongs to: the one
    country its article ties it to (its people's roles), else ''."""
    if len(rec.context) != 1:
        return ""
    return "#" + _country_code(next(iter(rec.context)))


def _with_state(key: str, state: str) -> str:
    return f"{state} {key}" if state and generic_org_key(key) else key


def org_record_key(rec: NameRecord) -> str:
    """An organisation record's key: its name's (:func:`~graphbuild.resolve.names.org_key`), a generic body's
    with the one country its article ties it to ("the Foreign Ministry" whose spokesman speaks for Arnor is
    Arnor's foreign ministry).

    >>> org_record_key(NameRecord("org:foreign-ministry", "a1", "Organization", "the Foreign Ministry",
    ...                           context=frozenset({"country:ARN"})))
    '#arn foreign ministry'
    >>> org_record_key(NameRecord("org:foreign-ministry", "a1", "Organization", "the Foreign Ministry"))
    'foreign ministry'

    Placed in none of the several countries of its article, it is the same body only in an article about
    the same countries (flagged ambiguous):

    >>> org_record_key(NameRecord("org:foreign-ministry", "a1", "Organization", "the Foreign Ministry",
    ...                           scene=frozenset({"country:GON", "country:ARN"})))
    'foreign ministry of #arn #gon'

    A state's embassy is its embassy in the one other country its article names:

    >>> org_record_key(NameRecord("org:chinese-embassy", "a1", "Organization", "the Chinese embassy",
    ...                           scene=frozenset({"country:CHN", "country:NLD"})))
    '#chn embassy in #nld'

    Initials whose article spells them out are the written-out name:

    >>> org_record_key(NameRecord("org:arf", "a1", "Organization", "ARF", ("Ardent Rangers Front",)))
    'ardent rangers front'
    """
    key = _spelt(rec) or org_key(rec.name)
    if generic_org_key(key):
        state = _state_of(rec)
        if state:
            key = f"{state} {key}"
        elif _initials_of(rec):  # "the Ministry of External Affairs" its article calls "MEA" too: MEA
            key = org_key(_initials_of(rec))
        elif rec.context or rec.scene:  # placed nowhere: the same body only in an article about the same countries
            key = f"{key} of " + " ".join("#" + _country_code(c) for c in sorted(rec.context or rec.scene))
    return _with_host(key, rec.scene)


def _initials_of(rec: NameRecord) -> str:
    """The one alias of an organisation that is its initials ("MEA" of the Ministry of External Affairs), else ''."""
    found = {a for a in rec.aliases if acronym_like(a.replace(".", "")) and a.replace(".", "").upper() in initials(rec.name)}
    return next(iter(found)) if len(found) == 1 else ""


def _with_host(key: str, scene: frozenset[str]) -> str:
    """A state's body that it has in many countries ("the Chinese embassy") read where its article names one
    other country: its body there (``#chn embassy in #nld``); where it names several, the same body only in
    an article about the same countries (flagged); else the key as it is."""
    if not sited_org_key(key):
        return key
    home = "country:" + key.split()[0][1:].upper()
    hosts = sorted(scene - {home})
    if len(hosts) == 1:
        return f"{key} in #{_country_code(hosts[0])}"
    return f"{key} of " + " ".join("#" + _country_code(h) for h in hosts) if hosts else key


def sited_org_key(key: str) -> bool:
    """A key of a state's body of which it has one in each country (data: ``sited_org_words``) that says
    its state and not where: "#chn embassy", not "#chn embassy in wellington"."""
    toks = key.split()
    w = words()
    return (len(toks) >= 2 and toks[0].startswith("#") and any(t in w.sited_org for t in toks[1:])
            and all(t in w.generic_org or t in w.sited_org for t in toks[1:]))


def _spelt(rec: NameRecord) -> str:
    """The key of the one written-out alias an organisation named by initials spells ("DFA" whose article
    calls it the Department of Foreign Affairs too), else ''."""
    letters = rec.name.replace(".", "")
    if not rec.aliases or not acronym_like(letters):
        return ""
    keys = {org_key(a) for a in rec.aliases if not acronym_like(a.replace(".", "")) and letters.upper() in initials(a)}
    return next(iter(keys)) if len(keys) == 1 else ""


def org_alias_keys(rec: NameRecord) -> list[str]:
    """The keys of an organisation record's aliases: its name written otherwise, and a generic body's generic
    aliases, keyed as the body is (an embassy's "Russian Embassy" is the embassy its article placed)."""
    name_key, own, state = org_key(rec.name), org_record_key(rec), _state_of(rec)
    out = []
    for k in map(org_key, rec.aliases):
        if k == name_key or (generic_org_key(k) and generic_org_key(name_key)):
            out.append(own)  # its name written otherwise: the body the record is
        elif generic_org_key(k):
            out.append(_with_state(k, state))
        else:
            out.append(_with_host(k, rec.scene))
    return out


def _routed(rec: NameRecord) -> bool:
    """A body its article placed (its key says what its name does not: a country, the article's countries,
    its initials, an embassy's host)."""
    return org_record_key(rec) != (_spelt(rec) or org_key(rec.name))


def _org_id(rec: NameRecord) -> str:
    """The id a record gives its group: its own; a placed body's made from its key ("org:arn-foreign-ministry",
    "org:foreign-ministry-of-arn-gon"), the generic id staying the node of the bodies no article places."""
    if not _routed(rec):
        return rec.raw_id
    return canonical_id("Organization", org_record_key(rec).replace("#", ""))


def _country_of(key: str) -> str | None:
    """The country an organisation key names (``#phl military`` -> ``country:PHL``)."""
    head = key.split(" ", 1)[0]
    return "country:" + head[1:].upper() if head.startswith("#") else None


# -- the whole decision ------------------------------------------------------------------------
def _matches_alias(rec: NameRecord, alias: str) -> bool:
    if rec.type == "Person":
        return person_tokens(rec.name) == person_tokens(alias)
    if rec.type == "Organization":
        return org_key(rec.name) == org_key(alias)
    return rec.name.casefold() == alias.casefold()


def resolve(records: Iterable[NameRecord], rules: IdentityRules | None = None) -> dict[RecordKey, Decision]:
    """Decide the entity of every record (see the module docstring); order of ``records`` does not matter.

    >>> recs = [NameRecord("person:putin", "a1", "Person", "Putin"),
    ...         NameRecord("person:vladimir-putin", "a2", "Person", "Vladimir Putin")]
    >>> resolve(recs)[("person:putin", "a1")]
    Decision(entity_id='person:vladimir-putin', ambiguous=False)
    """
    rules = rules or IdentityRules()
    out: dict[RecordKey, Decision] = {}
    user_alias = sorted((target, alias) for target, aliases in rules.aliases.items() for alias in aliases)
    by_type: dict[str, list[NameRecord]] = defaultdict(list)
    for rec in records:
        hit = next((t for t, a in user_alias if type_of_id(t) == rec.type and _matches_alias(rec, a)), None)
        if hit is not None:
            out[rec.key] = Decision(hit)
        elif rec.raw_id in rules.distinct:
            out[rec.key] = Decision(rec.raw_id)
        else:
            by_type[rec.type].append(rec)
    _persons(by_type.pop("Person", []), out)
    _organisations(by_type.pop("Organization", []), out)
    for recs in by_type.values():
        for rec in recs:
            out[rec.key] = Decision(rec.raw_id)
    if rules.merges:
        for key, dec in list(out.items()):
            target = rules.target(rules.target(key[0]) if key[0] in rules.merges else dec.entity_id)
            if target != dec.entity_id:
                out[key] = Decision(target)
    return out


def entity_name(entity_id: str, names: Mapping[str, int], rules: IdentityRules | None = None,
                kind: str | None = None) -> str:
    """The display name of an entity from the names its records give (name -> count): the user's, else the
    most complete form: most tokens first (persons and organisations), then the most frequent, then alphabetical.
    ``kind``: the entity type (else read from the id).

    >>> entity_name("person:vladimir-putin", {"Putin": 3, "Vladimir Putin": 1})
    'Vladimir Putin'
    """
    if rules and entity_id in rules.names:
        return rules.names[entity_id]
    if not names:
        return entity_id.split(":", 1)[1]
    kind = kind or type_of_id(entity_id)

    def rank(name: str) -> tuple:
        if kind == "Person":
            size = len(person_tokens(name))
        elif kind == "Organization":
            size = 0 if acronym_like(name) else len(org_key(name).split())
        else:
            size = 0
        return (-size, -names[name], name)
    return min(names, key=rank)
