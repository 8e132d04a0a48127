"""Exact triples for the error classes found on real news (issue 13), on invented sentences and actors.

The states come from ``tests/fixtures/gazetteer/middle-earth.jsonl`` (Arnor, Gondor), passed
the way a user passes ``--gazetteer``; the people are made up.  Each case is one class of
miss or false positive seen on the project's real-news training split.
"""

from __future__ import annotations

import pytest

from graphbuild.evaluate import extraction_to_gold
from graphbuild.extract.engine import Extractor
from graphbuild.models import Article

pytestmark = pytest.mark.model

INTRO = "Arnorian President Tarin Velo and Gondorian Prime Minister Mira Sund attended.\n\n"


@pytest.fixture(scope="module")
def extractor(repo_root) -> Extractor:
    return Extractor([repo_root / "tests" / "fixtures" / "gazetteer" / "middle-earth.jsonl"], scorer=None)


def triples(extractor, text: str, *, roles: bool = False) -> set[tuple[str, str, str, str]]:
    gold = extraction_to_gold(extractor.extract(Article(id="t", text="Headline\n\n" + text)))
    return {(r["subject"], r["predicate"], r["object"], r["modality"]) for r in gold["relations"]
            if not r["inferred"] and (roles or r["predicate"] not in ("LEADER_OF", "REPRESENTS"))}


@pytest.mark.parametrize("text,expected", [
    # an event noun's agent is the one criticised
    ("Arnor condemned the attack by Gondor.", {("Arnor", "CRITICIZES", "Gondor", "asserted")}),
    ("Arnor deplored Gondor's decision.", {("Arnor", "CRITICIZES", "Gondor", "asserted")}),
    # an envoy summoned or expelled in protest
    ("Arnor summoned the Gondorian ambassador in protest.", {("Arnor", "CRITICIZES", "Gondor", "asserted")}),
    ("Arnor expelled Gondor's ambassador.", {("Arnor", "CRITICIZES", "Gondor", "asserted")}),
    # transfers told from the recipient; non-weapon help is support
    ("Gondor bought drones from Arnor.", {("Arnor", "SUPPLIES_ARMS_TO", "Gondor", "asserted")}),
    ("Arnor will provide Gondor with satellite imagery.", {("Arnor", "SUPPORTS", "Gondor", "promised")}),
])
def test_relation_classes(extractor, text, expected):
    assert triples(extractor, text) == expected


def test_a_named_counterpart_holds_the_same_role_for_his_country(extractor):
    text = INTRO + "President Velo and his Gondorian counterpart Dara Holm signed a trade pact in Annuminas."
    found = triples(extractor, text, roles=True)
    assert ("Dara Holm", "LEADER_OF", "Gondor", "asserted") in found
    assert ("Dara Holm", "SIGNS_AGREEMENT_WITH", "Tarin Velo", "asserted") in found or \
        ("Tarin Velo", "SIGNS_AGREEMENT_WITH", "Dara Holm", "asserted") in found


def test_an_unnamed_counterpart_is_his_state_never_another_person(extractor):
    text = INTRO + "Arnorian Foreign Minister Ilan Roe spoke by telephone with his Gondorian counterpart."
    found = triples(extractor, text)
    assert found == {("Gondor", "MEETS", "Ilan Roe", "asserted")}  # symmetric: ends in id order


@pytest.mark.parametrize("text,expected", [
    # a title the parser splits off its name is still read: "<state> <title> <name>"
    ("Reporters asked Solomon Islands prime minister Tomas Vale to comment on the deal.",
     {("Tomas Vale", "LEADER_OF", "Solomon Islands", "asserted")}),
    # a name in apposition to "<state>'s president" is a person holding that office
    ("The talks were delayed because Gondor's president, Hal Brand, fell ill.",
     {("Hal Brand", "LEADER_OF", "Gondor", "asserted")}),
])
def test_roles_the_parse_misses(extractor, text, expected):
    assert triples(extractor, text, roles=True) == expected


def test_officials_of_coordinated_states_meet_and_visit_a_foreign_city(extractor):
    # "the foreign ministers of A and B": both states; the city's country comes from the GeoNames table
    found = triples(extractor, "The foreign ministers of Chile and Peru met in Jeddah on Monday.")
    assert found == {("Chile", "MEETS", "Peru", "asserted"), ("Chile", "VISITS", "Jeddah", "asserted"),
                     ("Peru", "VISITS", "Jeddah", "asserted")}


def test_a_group_of_office_holders_is_the_named_holders(extractor):
    text = ("Chilean Foreign Minister Ana Torres and Peruvian Foreign Minister Luis Vega arrived on Sunday. "
            "The foreign ministers of Chile and Peru met in Jeddah on Monday.")
    found = triples(extractor, text)
    assert found == {("Ana Torres", "MEETS", "Luis Vega", "asserted"), ("Ana Torres", "VISITS", "Jeddah", "asserted"),
                     ("Luis Vega", "VISITS", "Jeddah", "asserted")}


def test_a_fronted_place_is_where_the_talks_were_held(extractor):
    found = triples(extractor, "In Jeddah, the Chilean minister held talks with his Peruvian counterpart.")
    assert ("Chile", "VISITS", "Jeddah", "asserted") in found and ("Peru", "VISITS", "Jeddah", "asserted") in found


def test_the_host_country_does_not_visit_its_own_city(extractor):
    found = triples(extractor, "Saudi Foreign Minister Omar Hadi met Gondorian Prime Minister Mira Sund in Jeddah.")
    assert ("Mira Sund", "VISITS", "Jeddah", "asserted") in found
    assert not any(t[0] == "Omar Hadi" and t[1] == "VISITS" for t in found)


@pytest.mark.parametrize("text,expected", [
    # criticism of a state's act named by its demonym
    ("Arnor condemned Gondorian strikes on the border.", {("Arnor", "CRITICIZES", "Gondor", "asserted")}),
    # a protest lodged with a state; an ambassador recalled from it
    ("Arnor lodged a protest with Gondor over the incident.", {("Arnor", "CRITICIZES", "Gondor", "asserted")}),
    ("Arnor recalled its ambassador to Gondor.", {("Arnor", "CRITICIZES", "Gondor", "asserted")}),
    # agreements reached, struck or agreed, and a deal named by both parties
    ("Arnor reached an agreement with Gondor on fishing rights.",
     {("Arnor", "SIGNS_AGREEMENT_WITH", "Gondor", "asserted")}),
    ("Chile and Peru agreed to restore diplomatic relations.",
     {("Chile", "SIGNS_AGREEMENT_WITH", "Peru", "asserted")}),
    # ... but agreeing on an opinion is not an agreement
    ("Chile and Peru agreed that the situation was grave.", set()),
    # discussions are talks (also when the partner hangs on the topic)
    ("Chile discussed the crisis with Peru.", {("Chile", "MEETS", "Peru", "asserted")}),
])
def test_more_relation_frames(extractor, text, expected):
    assert triples(extractor, text) == expected


def test_a_topic_of_talks_is_not_a_place_visited(extractor):
    found = triples(extractor, "Chilean Foreign Minister Ana Torres and Peruvian Foreign Minister Luis Vega discussed "
                               "the situation in Bolivia.")
    assert ("Ana Torres", "MEETS", "Luis Vega", "asserted") in found
    assert not any(p == "VISITS" for _, p, _, _ in found)


def test_the_first_words_of_a_paragraph_stay_in_its_sentence(extractor):
    # the parser used to cut "Chile | and | Peru agreed ..." into three sentences after a line break
    assert triples(extractor, "Chile and Peru agreed to restore diplomatic relations.") == \
        {("Chile", "SIGNS_AGREEMENT_WITH", "Peru", "asserted")}


def test_a_list_parsed_as_an_apposition_still_meets(extractor):
    text = ("Arnorian President Tarin Velo, Gondorian Prime Minister Mira Sund and Arnorian Foreign Minister "
            "Ilan Roe met to discuss the crisis.")
    found = triples(extractor, text)
    assert {("Mira Sund", "MEETS", "Tarin Velo", "asserted"), ("Ilan Roe", "MEETS", "Mira Sund", "asserted")} <= \
        {(a, p, b, m) if a < b else (b, p, a, m) for a, p, b, m in found} | found


def test_honorifics_are_not_part_of_a_name(extractor):
    gold = extraction_to_gold(extractor.extract(Article(
        id="t", text="Headline\n\nArnorian President Tarin Velo arrived. Mr Velo met Ms Mira Sund in Annuminas.")))
    names = {e["name"] for e in gold["entities"] if e["type"] == "Person"}
    assert "Tarin Velo" in names and "Mira Sund" in names
    assert not any(n.startswith(("Mr ", "Ms ")) for n in names)


@pytest.mark.parametrize("text,expected", [
    # a war or clashes between two parties: each attacks the other
    ("The war between Chile and Peru has raged since April.",
     {("Chile", "ATTACKS", "Peru", "asserted"), ("Peru", "ATTACKS", "Chile", "asserted")}),
    # rockets fired near a state's positions attack that state
    ("Militants of Hezbollah fired rockets near Israeli positions on Friday.",
     {("Hezbollah", "ATTACKS", "Israel", "asserted")}),
])
def test_attack_frames(extractor, text, expected):
    assert triples(extractor, text) == expected


def test_a_countrys_army_is_an_organization_of_its_own(extractor):
    # ONTOLOGY conventions: "the Sudanese army" is an Organization, its troops are the state
    gold = extraction_to_gold(extractor.extract(Article(
        id="t", text="Headline\n\nChile's army shelled the border town. Peruvian troops withdrew.")))
    by_type = {(e["name"], e["type"]) for e in gold["entities"]}
    assert ("Chile's army", "Organization") in by_type and ("Peru", "Country") in by_type
    assert ("Chile", "Country") not in by_type


def test_a_quoted_he_is_not_the_speaker(extractor):
    text = ("Arnorian President Tarin Velo spoke first. \u201cGondor is suffering in Velo\u2019s war and he cannot "
            "sustain his assault on Gondor,\u201d Mira Sund said.")
    found = {(s, p, o) for s, p, o, _ in triples(extractor, text)}
    assert ("Tarin Velo", "ATTACKS", "Gondor") in found
    assert not any(s == "Mira Sund" and p == "ATTACKS" for s, p, _ in found)


@pytest.mark.parametrize("text,expected", [
    # a state body's official represents the body and its state
    ("Chilean Foreign Ministry spokesman Ali Hassan declined to comment.",
     {("Ali Hassan", "REPRESENTS", "Chilean Foreign Ministry", "asserted"),
      ("Ali Hassan", "REPRESENTS", "Chile", "asserted")}),
    # "his foreign minister": the state of the one he serves
    ("Chilean President Ana Torres said her foreign minister, Luis Vega, would travel.",
     {("Ana Torres", "LEADER_OF", "Chile", "asserted"), ("Luis Vega", "REPRESENTS", "Chile", "asserted")}),
    # an apposition the parser read as a list
    ("The Chilean special envoy, Luis Vega, and the Peruvian envoy talked.",
     {("Luis Vega", "REPRESENTS", "Chile", "asserted")}),
    # a country's name as a first name is part of the name
    ("Defence Minister Israel Katz said the talks were over.", set()),
])
def test_roles_of_officials(extractor, text, expected):
    found = triples(extractor, text, roles=True)
    assert {t for t in found if t[1] in ("LEADER_OF", "REPRESENTS")} == expected


def test_a_rank_the_model_tags_as_a_body_is_not_an_entity(extractor):
    gold = extraction_to_gold(extractor.extract(Article(
        id="t", text="Headline\n\nChile's Defense Minister Ana Torres met Major-General Luis Vega.")))
    assert not any(e["name"] in ("Defense", "Major-General") for e in gold["entities"])


def test_a_direction_into_a_country_is_the_country(extractor):
    assert triples(extractor, "Chile struck southern Peru on Monday.") == {("Chile", "ATTACKS", "Peru", "asserted")}


def test_a_threat_in_a_clause_of_ones_own_side(extractor):
    found = triples(extractor, "Chilean Defence Minister Ana Torres warned that her country is prepared to strike Peru.")
    assert ("Ana Torres", "THREATENS", "Peru", "asserted") in found
    found = triples(extractor, "Chile warned that Peru is preparing to attack Bolivia.")
    assert not any(p == "THREATENS" for _, p, _, _ in found)


@pytest.mark.parametrize("text,expected", [
    # a speaker blaming another actor for a wrong criticises it (reported speech is asserted)
    ("Chile said Peru violated the ceasefire.", {("Chile", "CRITICIZES", "Peru", "asserted")}),
    ("Chile said the decision by Peru was illegal.", {("Chile", "CRITICIZES", "Peru", "asserted")}),
    # ... not when the claim is negated, nor when the speaker is no actor
    ("Chile said Peru did not violate the ceasefire.", set()),
    ("Analysts said Peru violated the ceasefire.", set()),
])
def test_reported_criticism(extractor, text, expected):
    assert triples(extractor, text) == expected


def test_entity_spans_lose_titles_and_trailing_words(extractor):
    gold = extraction_to_gold(extractor.extract(Article(
        id="t", text="Headline\n\nPresident Tarin Velo met Mira Sund and Ilan Roe at the Grand Hall of Annuminas on "
                     "Monday. Arnor's Sovereign Council said so, Telegram posts showed.")))
    names = {(e["name"], e["type"]) for e in gold["entities"]}
    assert not any(n.endswith((" and", " on")) for n, _ in names)
    assert ("Council", "Person") not in names  # a title opening a body's name is not a person's
    assert ("Telegram", "Organization") in names  # platforms are Organizations (ONTOLOGY conventions)


def test_names_with_particles_titles_and_governments(extractor):
    gold = extraction_to_gold(extractor.extract(Article(
        id="t", text="Headline\n\nCommission President Ursula von der Leyen met Crown Prince Mohammed bin Salman. "
                     "The Chilean Government and the German Embassy protested. Shelling was reported near Jeddah.")))
    names = {(e["name"], e["type"]) for e in gold["entities"]}
    assert ("Ursula von der Leyen", "Person") in names and ("Mohammed bin Salman", "Person") in names
    assert ("Chile", "Country") in names and not any(n == "Chilean Government" for n, _ in names)
    assert ("German Embassy", "Organization") in names


@pytest.mark.parametrize("text,expected", [
    # a passive relative clause: the one supported is what "which" stands for
    ("Chile backed the government against the Libyan National Army, which was supported by Peru.",
     {("Peru", "SUPPORTS", "Libyan National Army", "asserted")}),
    # the one thanked for its support supports the one thanking; siding with is support
    ("Chile thanked Peru for its immense support during the crisis.", {("Peru", "SUPPORTS", "Chile", "asserted")}),
    ("Egypt is siding with Somalia in the dispute.", {("Egypt", "SUPPORTS", "Somalia", "asserted")}),
    # suspension from an organisation is a sanction by it
    ("Mali and Niger were suspended from ECOWAS after the coups.",
     {("ECOWAS", "SANCTIONS", "Mali", "asserted"),
      ("ECOWAS", "SANCTIONS", "Niger", "asserted")}),
])
def test_support_and_sanction_frames(extractor, text, expected):
    assert triples(extractor, text) == expected


@pytest.mark.parametrize("text,expected", [
    # a capital named in apposition is a place of its state
    ("The plane flew from the Chilean capital, Santiago, to Lima.", {("Santiago", "LOCATED_IN", "Chile", "asserted")}),
    ("The ministers met in the Peruvian capital Lima on Monday.", {("Lima", "LOCATED_IN", "Peru", "asserted")}),
    # "<place>, <country>", a dateline too, but never a list of states
    ("The bus was going to Dasu, Pakistan, when it was hit.", {("Dasu", "LOCATED_IN", "Pakistan", "asserted")}),
    # each place of "the <demonym> cities of X and Y"
    ("It happened off the coast of the Chinese cities of Xiamen and Quanzhou.",
     {("Xiamen", "LOCATED_IN", "China", "asserted"), ("Quanzhou", "LOCATED_IN", "China", "asserted")}),
])
def test_located_in_frames(extractor, text, expected):
    assert {t for t in triples(extractor, text) if t[1] == "LOCATED_IN"} == expected


@pytest.mark.parametrize("text,expected", [
    # two capitals joined by "and" that the model typed as one body are the two states
    ("The mission is covered by a bilateral agreement between Santiago and Lima.",
     {("Chile", "SIGNS_AGREEMENT_WITH", "Peru", "asserted")}),
    # "with whom": the one the relative clause describes
    (INTRO + "Tarin Velo visited Gondor, where he met Mira Sund, with whom he signed an accord.",
     {("Tarin Velo", "VISITS", "Gondor", "asserted"), ("Mira Sund", "MEETS", "Tarin Velo", "asserted"),
      ("Mira Sund", "SIGNS_AGREEMENT_WITH", "Tarin Velo", "asserted")}),
    # a relative clause on a description of the actor: "X, a rebel group who ...", "X is a group that ..."
    ("There was no comment from the Free Harad Front, a rebel group who have been fighting the Gondorian army.",
     {("Free Harad Front", "ATTACKS", "Gondorian army", "asserted")}),
    # backing a state's integrity is support, under a verb of backing only
    ("Arnor reaffirms the sovereignty and territorial integrity of Gondor.",
     {("Arnor", "SUPPORTS", "Gondor", "asserted")}),
    ("Arnor called for respect for the territorial integrity of Gondor.",
     {("Arnor", "SUPPORTS", "Gondor", "asserted")}),
    ("Arnor violated the sovereignty of Gondor.", set()),
    # a sentence's first word tagged as a name is still the officials of the states
    ("Officials of Arnor and Gondor held talks on Monday.", {("Arnor", "MEETS", "Gondor", "asserted")}),
    # a parliament impeaching a president criticises him
    ("The Arnorian parliament impeached Mira Sund.", {("Arnor", "CRITICIZES", "Mira Sund", "asserted")}),
])
def test_coordination_relatives_and_integrity(extractor, text, expected):
    assert {t for t in triples(extractor, text) if t[1] != "COOPERATES_WITH"} == expected


@pytest.mark.parametrize("text,expected", [
    # a legal designation as terrorists is a sanction, by whoever the by-phrase names, whatever it hangs on
    ("Since 2019 the Harad Liberation Army has been listed as a terrorist organization by Gondor.",
     {("Gondor", "SANCTIONS", "Harad Liberation Army", "asserted")}),
    ("Gondor and its allies have listed the Harad Liberation Army as a terrorist organization.",
     {("Gondor", "SANCTIONS", "Harad Liberation Army", "asserted")}),
    # a passive relative clause on a description: its antecedent is the one designated, not the designator
    ("The strike hit members of the Free Harad Front, a group that has been designated as a terrorist "
     "organization by Arnor.", {("Arnor", "SANCTIONS", "Free Harad Front", "asserted")}),
    ("Arnor was listed as a partner by Gondor.", set()),
    # fighting alongside is cooperation, whether "alongside" hangs on the verb or on the force
    ("Arnorian troops fought alongside the Gondorian army.",
     {("Arnor", "COOPERATES_WITH", "Gondorian army", "asserted")}),
    ("Arnorian forces, alongside Gondorian troops, have helped push the militants out of the hills.",
     {("Arnor", "COOPERATES_WITH", "Gondor", "asserted")}),
    # standing alongside someone at a press conference is not
    (INTRO + "Tarin Velo spoke to reporters alongside Mira Sund.", set()),
    # object control: "urged X to negotiate with Y": X negotiates
    ("Arnor urged Gondor to negotiate with Harad.", {("Gondor", "MEETS", "Harad", "asserted")}),
])
def test_designation_alongside_and_control(extractor, text, expected):
    assert triples(extractor, text) == expected


def test_a_bracketed_short_form_between_state_and_title_keeps_the_role(extractor):
    text = "Kingdom of Arnor (KOA) leader Tarin Velo said the launches were a warning."
    assert ("Tarin Velo", "LEADER_OF", "Arnor", "asserted") in triples(extractor, text, roles=True)


@pytest.mark.parametrize("text,expected", [
    # taking a place by force is an attack on it
    ("The rebels of the Harad Liberation Army seized the Gondorian city of Osgiliath.",
     {("Harad Liberation Army", "ATTACKS", "Osgiliath", "asserted")}),
    # a siege: the besieger from the by-phrase (on the noun or its copula), the besieged from the relative clause
    ("The White Council called for a ceasefire in Osgiliath, which is under siege by the Harad Liberation Army.",
     {("Harad Liberation Army", "ATTACKS", "Osgiliath", "asserted")}),
    # a sanction noun's imposer is the agent of its participle, before the clause's subject
    ("Arnor protested against the blockade on Harad imposed by Gondor.",
     {("Gondor", "SANCTIONS", "Harad", "asserted")}),
    # "each other" / "one another": coordinated subjects act on each other, both ways
    ("Arnor and Gondor blamed each other for the clash.",
     {("Arnor", "CRITICIZES", "Gondor", "asserted"), ("Gondor", "CRITICIZES", "Arnor", "asserted")}),
    ("Arnor and Gondor have accused one another of lying.",
     {("Arnor", "CRITICIZES", "Gondor", "asserted"), ("Gondor", "CRITICIZES", "Arnor", "asserted")}),
    # an object pronoun is never its own clause's subject: "it" is Gondor, who is also the one supporting
    ("Arnor severed relations with Gondor, accusing it of supporting the Harad Liberation Army.",
     {("Arnor", "CRITICIZES", "Gondor", "asserted"), ("Gondor", "SUPPORTS", "Harad Liberation Army", "possible")}),
])
def test_capture_siege_reciprocity_and_object_pronouns(extractor, text, expected):
    assert {t for t in triples(extractor, text) if t[1] != "LOCATED_IN"} == expected


@pytest.mark.parametrize("text,expected", [
    # a passive participle of backing: its agent backs the noun it describes, or the clause it opens
    ("On Monday, rebels of the Harad Liberation Army backed by Gondor attacked Osgiliath.",
     {("Gondor", "SUPPORTS", "Harad Liberation Army", "asserted")}),
    ("Backed by the Gondorian army, the Harad Liberation Army launched an offensive.",
     {("Gondorian army", "SUPPORTS", "Harad Liberation Army", "asserted")}),
    # an organisation's bracketed list of states are its members; anything else in the brackets is not a list
    # (a list the model reads as one name is split on its commas too)
    ("The White Council (Arnor, Gondor and Chile) met on Monday.",
     {("Arnor", "MEMBER_OF", "White Council", "asserted"), ("Gondor", "MEMBER_OF", "White Council", "asserted"),
      ("Chile", "MEMBER_OF", "White Council", "asserted")}),
    ("The White Council (founded in Arnor and Gondor) met on Monday.", set()),
    # members listed right after the organisation's name: by a member noun, a listing verb or "including"
    ("On Monday, White Council allies Arnor and Gondor held a parade.",
     {("Arnor", "MEMBER_OF", "White Council", "asserted"), ("Gondor", "MEMBER_OF", "White Council", "asserted")}),
    ("Founded long ago, the White Council groups Arnor, Gondor and Chile.",
     {("Arnor", "MEMBER_OF", "White Council", "asserted"), ("Gondor", "MEMBER_OF", "White Council", "asserted"),
      ("Chile", "MEMBER_OF", "White Council", "asserted")}),
    ("The White Council, which includes Gondor, held a parade.",
     {("Gondor", "MEMBER_OF", "White Council", "asserted")}),
    ("The White Council, including old powers Arnor and Gondor, held a parade.",
     {("Arnor", "MEMBER_OF", "White Council", "asserted"), ("Gondor", "MEMBER_OF", "White Council", "asserted")}),
    # a member noun the organisation modifies, by apposition or as a copula's complement
    ("Gondor, a White Council member, held a parade.", {("Gondor", "MEMBER_OF", "White Council", "asserted")}),
    ("Arnor and Gondor, both White Council members, held a parade.",
     {("Arnor", "MEMBER_OF", "White Council", "asserted"), ("Gondor", "MEMBER_OF", "White Council", "asserted")}),
    ("Gondor became the White Council's third member in March.",
     {("Gondor", "MEMBER_OF", "White Council", "asserted")}),
    # a list that is not right after the name, or a country that is no member: nothing
    ("The White Council held a parade including Arnor and Gondor.", set()),
    ("The White Council warned Arnor and Gondor.", set()),
])
def test_backed_by_participles_and_bracketed_members(extractor, text, expected):
    assert {t for t in triples(extractor, text) if t[1] in ("SUPPORTS", "MEMBER_OF")} == expected


@pytest.mark.parametrize("text,model_span,expected", [
    # a title and a name the model typed as one body: the person after the title's last word
    ("On Monday, Gondorian National Security Advisor Tarin Velo met the envoy.",
     "Gondorian National Security Advisor Tarin Velo", ("Tarin Velo", "Person")),
    # a known body the model ran on into a place: the body alone
    ("On Monday, the White Council in Osgiliath signed nothing.", "White Council in Osgiliath",
     ("White Council", "Organization")),
])
def test_model_spans_cut_to_the_actor(extractor, text, model_span, expected):
    """The model's span is set by hand (the small English model merges such spans on real news)."""
    doc = extractor.nlp(text)
    start = text.index(model_span)
    doc.ents = [doc.char_span(start, start + len(model_span), label="ORG")]
    state, _raw = extractor.analyse(doc)
    names = {(s.text if s.type != "Country" else s.entity_id, s.type) for s in state.spans}
    assert expected in names
    assert (model_span, "Organization") not in names


@pytest.mark.parametrize("text,expected", [
    # a person who speaks or takes part somewhere in another country than his own visits the place
    ('Arnorian President Tarin Velo arrived on Monday. "We came in peace," Velo said at a press conference '
     "in Minas Tirith.", {("Tarin Velo", "VISITS", "Minas Tirith", "asserted")}),
    ("Arnorian President Tarin Velo will attend a summit of the White Council in Gondor next week.",
     {("Tarin Velo", "VISITS", "Gondor", "promised")}),
    # at home, or with no country of his own in the text: no visit
    ("Gondorian President Halbar Dun said at a press conference in Minas Tirith that talks went well.", set()),
    ("President Halbar Dun said at a press conference in Minas Tirith that talks went well.", set()),
])
def test_presence_abroad_is_a_visit(extractor, text, expected):
    assert {t for t in triples(extractor, text) if t[1] == "VISITS"} == expected


@pytest.mark.parametrize("text,expected", [
    # clashing or exchanging fire goes both ways, like a war between two sides
    ("Arnor clashed with Gondor on Monday.",
     {("Arnor", "ATTACKS", "Gondor", "asserted"), ("Gondor", "ATTACKS", "Arnor", "asserted")}),
    ("Arnorian troops exchanged fire with Gondorian forces near the border.",
     {("Arnor", "ATTACKS", "Gondor", "asserted"), ("Gondor", "ATTACKS", "Arnor", "asserted")}),
    # a barrage noun is an attack; the clause that follows it does not lend it its modality
    ("Gondor vowed to strike back following an Arnorian missile barrage against Gondor on Monday.",
     {("Arnor", "ATTACKS", "Gondor", "asserted")}),
])
def test_clashes_and_barrages(extractor, text, expected):
    assert {t for t in triples(extractor, text) if t[1] == "ATTACKS"} == expected


@pytest.fixture(scope="module")
def known_people(repo_root, tmp_path_factory) -> Extractor:
    """The fixture states plus a user file naming the country a person serves."""
    people = tmp_path_factory.mktemp("people") / "people.jsonl"
    people.write_text('{"id": "person:tarin-velo", "type": "Person", "name": "Tarin Velo", "aliases": ["Velo"], '
                      '"country": "ARN"}\n'
                      '{"id": "org:northern-rangers", "type": "Organization", "name": "Northern Rangers", '
                      '"kind": "armed_group", "based_in": "ARN"}\n', encoding="utf-8")
    return Extractor([repo_root / "tests" / "fixtures" / "gazetteer" / "middle-earth.jsonl", people], scorer=None)


@pytest.mark.parametrize("text,expected", [
    # a bare title: the gazetteer picks his country among the sentence's countries, never another one
    ("President Tarin Velo said Arnor will buy ships.", {("Tarin Velo", "LEADER_OF", "Arnor", "asserted")}),
    ("President Tarin Velo said Gondor must withdraw its ships.", set()),
    ("Former President Tarin Velo said Arnor will buy ships.", set()),
    # his country makes a meeting in another country's city a visit, with no title in the text
    ("Tarin Velo met Gondorian President Halbar Dun in Minas Tirith on Monday.",
     {("Tarin Velo", "VISITS", "Minas Tirith", "asserted"), ("Halbar Dun", "LEADER_OF", "Gondor", "asserted"),
      ("Halbar Dun", "MEETS", "Tarin Velo", "asserted")}),  # a symmetric pair, in the order of its ids
    # a known group's country too: its talks in another country's city are a visit; a tour of a place is one
    ("The Northern Rangers and Gondor started direct talks on Saturday in Minas Tirith.",
     {("Gondor", "MEETS", "Northern Rangers", "asserted"), ("Northern Rangers", "VISITS", "Minas Tirith", "asserted")}),
    ("Arnorian President Tarin Velo ended his tour of Gondor on Monday.",
     {("Tarin Velo", "LEADER_OF", "Arnor", "asserted"), ("Tarin Velo", "VISITS", "Gondor", "asserted")}),
])
def test_known_office_holders(known_people, text, expected):
    assert {t for t in triples(known_people, text, roles=True) if t[1] != "LOCATED_IN"} == expected


@pytest.mark.parametrize("text,expected", [
    # concern voiced about an actor's act; an act judged by the actor of the main clause; a participle's agent
    ("Arnor expressed serious concern about Gondor's military presence near the border.",
     {("Arnor", "CRITICIZES", "Gondor", "asserted")}),
    ("In response to Gondor's provocative move, Arnor suspended all exchanges.",
     {("Arnor", "CRITICIZES", "Gondor", "asserted")}),
    ("Arnor condemned the strikes launched by Gondor on Monday.", {("Arnor", "CRITICIZES", "Gondor", "asserted")}),
    # the judged act belongs to the subject itself, or concern is only felt: nothing
    ("Gondor's provocative move angered Arnor.", set()),
    ("Arnor shares Gondor's concern.", set()),
])
def test_concern_and_judged_acts(extractor, text, expected):
    assert {t for t in triples(extractor, text) if t[1] == "CRITICIZES"} == expected


@pytest.mark.parametrize("text,expected", [
    # a person never meets the state he leads; being at one event is no meeting; talks held are
    ("Gondorian President Halbar Dun held talks with Gondor and Arnor on Monday.",
     {("Arnor", "MEETS", "Halbar Dun", "asserted")}),
    ("Delegations from Arnor and Gondor are also at the summit.", set()),
    ("Arnor and Gondor agreed to restore relations after talks in Osgiliath.",
     {("Arnor", "MEETS", "Gondor", "asserted")}),
])
def test_who_meets_whom(extractor, text, expected):
    assert {t for t in triples(extractor, text) if t[1] == "MEETS"} == expected


@pytest.mark.parametrize("text,expected", [
    # "Y faces sanctions from X": X sanctions Y
    ("Gondor faces new sanctions from the White Council.", {("White Council", "SANCTIONS", "Gondor", "asserted")}),
    ("Gondor may face sanctions from the White Council.", {("White Council", "SANCTIONS", "Gondor", "possible")}),
])
def test_sanctions_faced(extractor, text, expected):
    assert {t for t in triples(extractor, text) if t[1] == "SANCTIONS"} == expected


@pytest.mark.parametrize("text,expected", [
    # the country an ambassador is sent to is his host, not the state he represents
    ("Gondor's ambassador to Arnor, Halbar Dun, returned on Monday.",
     {("Halbar Dun", "REPRESENTS", "Gondor", "asserted")}),
    ("Halbar Dun, ambassador to Arnor, returned on Monday.", set()),
])
def test_an_ambassadors_host_is_not_his_state(extractor, text, expected):
    assert {t for t in triples(extractor, text, roles=True) if t[1] == "REPRESENTS"} == expected


@pytest.mark.parametrize("text,expected", [
    # help told from the one who gets it; a backed group named after its common noun
    ("Gondor received humanitarian aid from Arnor on Monday.", {("Arnor", "SUPPORTS", "Gondor", "asserted")}),
    ("Gondor secured support from the White Council.", {("White Council", "SUPPORTS", "Gondor", "asserted")}),
    ("The raid was claimed by Arnor-backed militia Harad Liberation Army.",
     {("Arnor", "SUPPORTS", "Harad Liberation Army", "asserted")}),
    # help asked for is not help given
    ("Gondor asked Arnor for help on Monday.", set()),
])
def test_support_received(extractor, text, expected):
    assert {t for t in triples(extractor, text) if t[1] == "SUPPORTS"} == expected


@pytest.mark.parametrize("text,expected", [
    # a conversation with a person is a meeting; a speech to a body is not
    ("President Tarin Velo spoke to Mira Sund on Monday.", {("Mira Sund", "MEETS", "Tarin Velo", "asserted")}),
    # an entry ban on a state's minister sanctions the state
    ("Arnor banned Gondor's defence minister from entering the country.",
     {("Arnor", "SANCTIONS", "Gondor", "asserted")}),
    # an organisation described as a group of its members
    ("The White Council is a security partnership between Arnor and Gondor.",
     {("Arnor", "MEMBER_OF", "White Council", "asserted"), ("Gondor", "MEMBER_OF", "White Council", "asserted"),
      ("Arnor", "COOPERATES_WITH", "Gondor", "asserted")}),
    # troops of two states clashing: each attacks the other
    ("Arnorian and Gondorian troops clashed at the border on Monday.",
     {("Arnor", "ATTACKS", "Gondor", "asserted"), ("Gondor", "ATTACKS", "Arnor", "asserted")}),
    # an ambassador recalled from his post in protest
    ("Arnor recalled its ambassador to Gondor for consultations.", {("Arnor", "CRITICIZES", "Gondor", "asserted")}),
    # military operations against a group
    ("Arnor's operations against the White Council continued.",
     {("Arnor", "ATTACKS", "White Council", "asserted")}),
])
def test_frames_from_the_cross_validation_misses(extractor, text, expected):
    assert triples(extractor, text) == expected


def test_a_known_town_the_model_does_not_mark_is_a_place(extractor):
    gold = extraction_to_gold(extractor.extract(Article(id="t", text="Headline\n\nThe delegation arrived in Entebbe.")))
    assert [(e["name"], e["type"]) for e in gold["entities"]] == [("Entebbe", "Location")]


@pytest.mark.parametrize("text,expected", [
    # the destination of a departure, not the place left; a capital after "left for" is a place
    ("President Tarin Velo left Annuminas on Sunday for Gondor.", {("Tarin Velo", "VISITS", "Gondor", "asserted")}),
    ("President Tarin Velo left for Minas Tirith on Monday.",
     {("Tarin Velo", "VISITS", "Minas Tirith", "asserted")}),
    ("President Tarin Velo is on a four-day visit of Gondor.", {("Tarin Velo", "VISITS", "Gondor", "asserted")}),
    # going home is no visit
    ("Arnorian President Tarin Velo left for Arnor after his visit to Gondor.",
     {("Tarin Velo", "VISITS", "Gondor", "asserted")}),
])
def test_departures_and_visits_of(extractor, text, expected):
    assert {t for t in triples(extractor, text) if t[1] == "VISITS"} == expected


@pytest.mark.parametrize("text,expected", [
    # a state's minister heads the ministry of his portfolio when the text names it, and represents the state
    ("The Arnorian Foreign Ministry condemned the move. Arnorian Foreign Minister Tarin Velo called it unacceptable.",
     {("Tarin Velo", "REPRESENTS", "Arnor", "asserted"),
      ("Tarin Velo", "LEADER_OF", "Arnorian Foreign Ministry", "asserted")}),
    ("Arnorian Foreign Minister Tarin Velo called it unacceptable.", {("Tarin Velo", "REPRESENTS", "Arnor", "asserted")}),
    # a rank or princely style is not part of the name
    ("Gondorian Foreign Minister Prince Halbar Dun arrived.", {("Halbar Dun", "REPRESENTS", "Gondor", "asserted")}),
])
def test_ministers_head_their_ministries(extractor, text, expected):
    assert triples(extractor, text, roles=True) == expected


@pytest.mark.parametrize("headline,body,expected", [
    # a Title Case headline is parsed in sentence case: its verb is a verb again
    ("Arnor And Gondor Sign Four Cooperation Agreements",
     "The deals were signed on Monday, officials in Arnor and Gondor said.",
     {("Arnor", "SIGNS_AGREEMENT_WITH", "Gondor", "asserted")}),
    ("Gondor Summons Arnorian Ambassador Over Border Clash",
     "The foreign ministry of Gondor said the envoy of Arnor had been summoned.",
     {("Gondor", "CRITICIZES", "Arnor", "asserted")}),
])
def test_a_title_case_headline_states_relations(extractor, headline, body, expected):
    gold = extraction_to_gold(extractor.extract(Article(id="t", text=f"{headline}\n\n{body}")))
    headline_relations = {(r["subject"], r["predicate"], r["object"], r["modality"]) for r in gold["relations"]
                          if not r["inferred"] and r["evidence"] == headline}
    assert headline_relations == expected
    # evidence and mention text are the article's own, never the case the parser read
    assert all(m["text"] in (headline + body) for m in gold.get("mentions", []))
