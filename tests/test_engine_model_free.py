"""The relation, modality and title steps of the extractor, without a statistical model.

Every test builds its parse by hand on a ``spacy.blank("en")`` vocab (words, heads,
dependency labels, tags, lemmas, NER labels) the way spaCy's own tests do, then
drives the steps the engine runs after parsing (``Extractor.extract_doc``):

    gazetteer span ruler -> mentions.find_spans -> DocState
    -> titles.find_roles (LEADER_OF / REPRESENTS) -> relations.find_relations
       (trigger frames from data/rules/relations.yaml, modality from modality.yaml)

The actors are invented (Ardovia, Belmark, the Northern Compact, Tomas Verin ...) and
live in a small gazetteer of their own, so the tests check the rules and the engine,
not world knowledge, and do not move when en_core_web_sm is retrained.  The parses
follow the English model's conventions (ClearNLP labels: nsubj, dobj, agent, xcomp ...).
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest
import spacy
from spacy.tokens import Doc

from graphbuild.extract.analysis import DocState, Role
from graphbuild.extract.gazetteer import Gazetteer, GazetteerEntry
from graphbuild.extract.mentions import GazHit, find_spans
from graphbuild.extract.modality import modality_of
from graphbuild.extract.relations import find_relations
from graphbuild.extract.rules import load_rules
from graphbuild.extract.titles import find_roles
from graphbuild.models import Note
from graphbuild.nlp.phrase_ruler import PhraseRuler
from graphbuild.ontology import canonical_pair

ARDOVIA, BELMARK, COMPACT = "country:XAD", "country:XBM", "org:northern-compact"
VERIN, OSK, BRANN = "person:tomas-verin", "person:lena-osk", "person:ivo-brann"
SPANS_KEY = "test_gazetteer"

#: One token of a hand-built parse: (word, head index, dep, coarse POS, fine tag, lemma, NER IOB tag).
Tok = tuple[str, int, str, str, str, str, str]


# --------------------------------------------------------------------------- the invented world
def _invented_gazetteer() -> Gazetteer:
    """Two invented states and an alliance, with the packaged titles and title modifiers."""
    packaged = Gazetteer.load()
    entries = [
        GazetteerEntry(id=ARDOVIA, type="Country", name="Ardovia", iso3="XAD", demonyms=("Ardovian", "Ardovians")),
        GazetteerEntry(id=BELMARK, type="Country", name="Belmark", iso3="XBM", demonyms=("Belmarkan", "Belmarkans")),
        GazetteerEntry(id=COMPACT, type="Organization", name="Northern Compact", kind="igo"),
    ]
    roles = [r for group in packaged.roles().values() for r in group]
    return Gazetteer(entries, roles=roles, role_modifiers=packaged.role_modifiers(),
                     place_words=packaged.place_words())


@pytest.fixture(autouse=True)
def _no_statistical_model(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail loudly if anything in these tests tries to load a trained pipeline."""
    def refuse(*args, **kwargs):
        raise AssertionError(f"model-free test tried to load a spaCy model: {args!r}")

    monkeypatch.setattr(spacy, "load", refuse)


@pytest.fixture(scope="module")
def world():
    """(blank nlp, invented gazetteer, span ruler over its patterns, packaged rules)."""
    nlp = spacy.blank("en")
    gaz = _invented_gazetteer()
    ruler = PhraseRuler(nlp, SPANS_KEY, SPANS_KEY)
    ruler.add_patterns(gaz.span_ruler_patterns())
    return nlp, gaz, ruler, load_rules()


# --------------------------------------------------------------------------- hand-built parses
_NO_SPACE_BEFORE = frozenset({".", ",", "'s", "?", "!", ";", ":"})


def parse(nlp, toks: Sequence[Tok]) -> Doc:
    """A parsed Doc from explicit tokens; heads are absolute token indices (the root points at itself)."""
    words = [t[0] for t in toks]
    spaces = [i + 1 < len(words) and words[i + 1] not in _NO_SPACE_BEFORE for i in range(len(words))]
    return Doc(nlp.vocab, words=words, spaces=spaces, heads=[t[1] for t in toks], deps=[t[2] for t in toks],
               pos=[t[3] for t in toks], tags=[t[4] for t in toks], lemmas=[t[5] for t in toks],
               ents=[t[6] for t in toks])


def analyse(world, toks: Sequence[Tok]) -> DocState:
    """The engine's steps up to relation finding, on a hand-built parse (see ``Extractor.extract_doc``)."""
    nlp, gaz, ruler, rules = world
    doc = parse(nlp, toks)
    ruler(doc)
    hits = []
    for span in doc.spans[SPANS_KEY]:
        entry = gaz.get(span.id_)
        hits.append(GazHit(span.start, span.end, entry.id, entry.type, gaz.kind_of(span.label_), entry.country))
    lexicon = gaz.role_lexicon()
    modifiers = {k: frozenset(w.lower() for w in v) for k, v in gaz.role_modifiers().items()}
    state = DocState(doc, rules, lexicon, gaz.facility_words(),
                     lambda eid: (e.kind if (e := gaz.get(eid)) is not None else None), modifiers)
    state.spans = find_spans(doc, hits, gaz.facility_words(), rules.actors, frozenset(lexicon))
    state.index()
    return state


def relations(state: DocState) -> list[tuple[str, str, str, str]]:
    return [(r.subject, r.predicate, r.object, r.modality) for r in find_relations(state)]


def roles(state: DocState) -> list[tuple[str, str, str, str]]:
    return [(r.subject, r.predicate, r.object, r.rule) for r in find_roles(state)]


def simple_clause(subject: str, verb: str, verb_tag: str, verb_lemma: str, obj: str, *before_verb) -> list[Tok]:
    """"<Subject> [aux/adverbs] <verb> <Object> ." with both actors as proper nouns."""
    v = 1 + len(before_verb)
    toks: list[Tok] = [(subject, v, "nsubj", "PROPN", "NNP", subject, "B-GPE")]
    for word, dep, pos, tag, lemma in before_verb:
        toks.append((word, v, dep, pos, tag, lemma, "O"))
    toks += [(verb, v, "ROOT", "VERB", verb_tag, verb_lemma, "O"),
             (obj, v, "dobj", "PROPN", "NNP", obj, "B-GPE"),
             (".", v, "punct", "PUNCT", ".", ".", "O")]
    return toks


# --------------------------------------------------------------------------- trigger frames
def test_transitive_verb_gives_subject_predicate_object(world):
    state = analyse(world, simple_clause("Ardovia", "attacked", "VBD", "attack", "Belmark"))
    found = list(find_relations(state))
    assert [(r.subject, r.predicate, r.object, r.modality, r.rule) for r in found] == [
        (ARDOVIA, "ATTACKS", BELMARK, "asserted", "attacks.verb")]
    assert found[0].confidence == 0.7  # own subject, not inherited from another clause


def test_demonym_on_a_state_noun_is_the_state(world):
    # "Ardovian officials condemned Belmark.": the officials stand for Ardovia
    state = analyse(world, [
        ("Ardovian", 1, "amod", "ADJ", "JJ", "Ardovian", "B-NORP"),
        ("officials", 2, "nsubj", "NOUN", "NNS", "official", "O"),
        ("condemned", 2, "ROOT", "VERB", "VBD", "condemn", "O"),
        ("Belmark", 2, "dobj", "PROPN", "NNP", "Belmark", "B-GPE"),
        (".", 2, "punct", "PUNCT", ".", ".", "O"),
    ])
    assert relations(state) == [(ARDOVIA, "CRITICIZES", BELMARK, "asserted")]


def test_passive_with_agent_keeps_the_attacker_as_subject(world):
    # "Belmark was invaded by Ardovia."
    state = analyse(world, [
        ("Belmark", 2, "nsubjpass", "PROPN", "NNP", "Belmark", "B-GPE"),
        ("was", 2, "auxpass", "AUX", "VBD", "be", "O"),
        ("invaded", 2, "ROOT", "VERB", "VBN", "invade", "O"),
        ("by", 2, "agent", "ADP", "IN", "by", "O"),
        ("Ardovia", 3, "pobj", "PROPN", "NNP", "Ardovia", "B-GPE"),
        (".", 2, "punct", "PUNCT", ".", ".", "O"),
    ])
    assert relations(state) == [(ARDOVIA, "ATTACKS", BELMARK, "asserted")]


def test_prepositional_frame_met_with(world):
    # "Tomas Verin met with Lena Osk."
    state = analyse(world, [
        ("Tomas", 1, "compound", "PROPN", "NNP", "Tomas", "B-PERSON"),
        ("Verin", 2, "nsubj", "PROPN", "NNP", "Verin", "I-PERSON"),
        ("met", 2, "ROOT", "VERB", "VBD", "meet", "O"),
        ("with", 2, "prep", "ADP", "IN", "with", "O"),
        ("Lena", 5, "compound", "PROPN", "NNP", "Lena", "B-PERSON"),
        ("Osk", 3, "pobj", "PROPN", "NNP", "Osk", "I-PERSON"),
        (".", 2, "punct", "PUNCT", ".", ".", "O"),
    ])
    found = list(find_relations(state))
    assert [(r.subject, r.predicate, r.object, r.modality, r.rule) for r in found] == [
        (VERIN, "MEETS", OSK, "asserted", "meets.verb")]


@pytest.mark.parametrize("with_head", [2, 1], ids=["with-on-noun", "with-on-verb"])
def test_light_verb_held_talks_with(world, with_head):
    # "Ardovia held talks with Belmark.": the model attaches "with" to the noun or to the verb;
    # either way the noun frame (or the "hold talks" verb phrase) gives one meeting
    state = analyse(world, [
        ("Ardovia", 1, "nsubj", "PROPN", "NNP", "Ardovia", "B-GPE"),
        ("held", 1, "ROOT", "VERB", "VBD", "hold", "O"),
        ("talks", 1, "dobj", "NOUN", "NNS", "talk", "O"),
        ("with", with_head, "prep", "ADP", "IN", "with", "O"),
        ("Belmark", 3, "pobj", "PROPN", "NNP", "Belmark", "B-GPE"),
        (".", 1, "punct", "PUNCT", ".", ".", "O"),
    ])
    assert set(relations(state)) == {(ARDOVIA, "MEETS", BELMARK, "asserted")}


def test_light_verb_imposed_sanctions_on(world):
    # "Ardovia imposed sanctions on Belmark.": the noun's subject is the light verb's subject
    state = analyse(world, [
        ("Ardovia", 1, "nsubj", "PROPN", "NNP", "Ardovia", "B-GPE"),
        ("imposed", 1, "ROOT", "VERB", "VBD", "impose", "O"),
        ("sanctions", 1, "dobj", "NOUN", "NNS", "sanction", "O"),
        ("on", 2, "prep", "ADP", "IN", "on", "O"),
        ("Belmark", 3, "pobj", "PROPN", "NNP", "Belmark", "B-GPE"),
        (".", 1, "punct", "PUNCT", ".", ".", "O"),
    ])
    found = list(find_relations(state))
    assert [(r.subject, r.predicate, r.object, r.modality, r.rule) for r in found] == [
        (ARDOVIA, "SANCTIONS", BELMARK, "asserted", "sanctions.noun")]
    assert found[0].confidence == pytest.approx(0.55)  # subject inherited from the governing verb


def test_coordinated_subjects_meet_each_other(world):
    # "Ardovia and Belmark met.": a reciprocal frame with no object
    state = analyse(world, [
        ("Ardovia", 3, "nsubj", "PROPN", "NNP", "Ardovia", "B-GPE"),
        ("and", 0, "cc", "CCONJ", "CC", "and", "O"),
        ("Belmark", 0, "conj", "PROPN", "NNP", "Belmark", "B-GPE"),
        ("met", 3, "ROOT", "VERB", "VBD", "meet", "O"),
        (".", 3, "punct", "PUNCT", ".", ".", "O"),
    ])
    assert relations(state) == [(ARDOVIA, "MEETS", BELMARK, "asserted")]


def test_symmetric_agreement_is_one_key_whichever_side_signs(world):
    # "Belmark signed a treaty with Ardovia.": read in text order, keyed without direction
    state = analyse(world, [
        ("Belmark", 1, "nsubj", "PROPN", "NNP", "Belmark", "B-GPE"),
        ("signed", 1, "ROOT", "VERB", "VBD", "sign", "O"),
        ("a", 3, "det", "DET", "DT", "a", "O"),
        ("treaty", 1, "dobj", "NOUN", "NN", "treaty", "O"),
        ("with", 1, "prep", "ADP", "IN", "with", "O"),
        ("Ardovia", 4, "pobj", "PROPN", "NNP", "Ardovia", "B-GPE"),
        (".", 1, "punct", "PUNCT", ".", ".", "O"),
    ])
    found = relations(state)
    assert found == [(BELMARK, "SIGNS_AGREEMENT_WITH", ARDOVIA, "asserted")]
    assert canonical_pair("SIGNS_AGREEMENT_WITH", BELMARK, ARDOVIA) == \
        canonical_pair("SIGNS_AGREEMENT_WITH", ARDOVIA, BELMARK) == (ARDOVIA, BELMARK)
    assert canonical_pair("ATTACKS", BELMARK, ARDOVIA) == (BELMARK, ARDOVIA)  # directed types keep their order


def test_non_actor_object_gives_no_relation_and_says_why(world):
    # "Ardovia attacked the convoy.": no actor in the object slot
    state = analyse(world, [
        ("Ardovia", 1, "nsubj", "PROPN", "NNP", "Ardovia", "B-GPE"),
        ("attacked", 1, "ROOT", "VERB", "VBD", "attack", "O"),
        ("the", 3, "det", "DET", "DT", "the", "O"),
        ("convoy", 1, "dobj", "NOUN", "NN", "convoy", "O"),
        (".", 1, "punct", "PUNCT", ".", ".", "O"),
    ])
    assert relations(state) == []
    assert state.notes == [Note(0, "dropped", "attacks.verb", "'attacked': missing object")]


# --------------------------------------------------------------------------- modality
def test_negation_gives_denied(world):
    # "Ardovia did not attack Belmark."
    state = analyse(world, simple_clause("Ardovia", "attack", "VB", "attack", "Belmark",
                                         ("did", "aux", "AUX", "VBD", "do"),
                                         ("not", "neg", "PART", "RB", "not")))
    assert relations(state) == [(ARDOVIA, "ATTACKS", BELMARK, "denied")]
    trigger = state.doc[3]
    assert modality_of(trigger, state.rules.modality) == ("denied", "attack")


def test_denial_verb_governing_the_trigger_gives_denied(world):
    # "Ardovia denied attacking Belmark.": subject inherited from the denying verb
    state = analyse(world, [
        ("Ardovia", 1, "nsubj", "PROPN", "NNP", "Ardovia", "B-GPE"),
        ("denied", 1, "ROOT", "VERB", "VBD", "deny", "O"),
        ("attacking", 1, "xcomp", "VERB", "VBG", "attack", "O"),
        ("Belmark", 2, "dobj", "PROPN", "NNP", "Belmark", "B-GPE"),
        (".", 1, "punct", "PUNCT", ".", ".", "O"),
    ])
    assert relations(state) == [(ARDOVIA, "ATTACKS", BELMARK, "denied")]
    assert modality_of(state.doc[2], state.rules.modality) == ("denied", "denied")


@pytest.mark.parametrize("verb,tag,hedge", [
    ("attack", "VB", ("could", "aux", "AUX", "MD", "could")),              # a modal
    ("attacked", "VBD", ("reportedly", "advmod", "ADV", "RB", "reportedly")),  # a hedging adverb
], ids=["could", "reportedly"])
def test_modal_or_hedge_gives_possible(world, verb, tag, hedge):
    state = analyse(world, simple_clause("Ardovia", verb, tag, "attack", "Belmark", hedge))
    assert relations(state) == [(ARDOVIA, "ATTACKS", BELMARK, "possible")]


def test_commitment_verb_gives_promised(world):
    # "Ardovia promised to support Belmark.": the trigger is the xcomp, its subject the promiser's
    state = analyse(world, [
        ("Ardovia", 1, "nsubj", "PROPN", "NNP", "Ardovia", "B-GPE"),
        ("promised", 1, "ROOT", "VERB", "VBD", "promise", "O"),
        ("to", 3, "aux", "PART", "TO", "to", "O"),
        ("support", 1, "xcomp", "VERB", "VB", "support", "O"),
        ("Belmark", 3, "dobj", "PROPN", "NNP", "Belmark", "B-GPE"),
        (".", 1, "punct", "PUNCT", ".", ".", "O"),
    ])
    found = list(find_relations(state))
    assert [(r.subject, r.predicate, r.object, r.modality, r.rule) for r in found] == [
        (ARDOVIA, "SUPPORTS", BELMARK, "promised", "supports.verb")]
    assert modality_of(state.doc[3], state.rules.modality) == ("promised", "promised")


def test_future_modal_gives_promised(world):
    # "Ardovia will support Belmark."
    state = analyse(world, simple_clause("Ardovia", "support", "VB", "support", "Belmark",
                                         ("will", "aux", "AUX", "MD", "will")))
    assert relations(state) == [(ARDOVIA, "SUPPORTS", BELMARK, "promised")]


@pytest.mark.parametrize("toks", [
    # "Ardovia attacked Belmark."
    simple_clause("Ardovia", "attacked", "VBD", "attack", "Belmark"),
    # "Officials said Ardovia attacked Belmark.": a reporting verb adds no modality
    [("Officials", 1, "nsubj", "NOUN", "NNS", "official", "O"),
     ("said", 1, "ROOT", "VERB", "VBD", "say", "O"),
     ("Ardovia", 3, "nsubj", "PROPN", "NNP", "Ardovia", "B-GPE"),
     ("attacked", 1, "ccomp", "VERB", "VBD", "attack", "O"),
     ("Belmark", 3, "dobj", "PROPN", "NNP", "Belmark", "B-GPE"),
     (".", 1, "punct", "PUNCT", ".", ".", "O")],
], ids=["plain-past", "reported-speech"])
def test_plain_past_gives_asserted(world, toks):
    state = analyse(world, toks)
    assert relations(state) == [(ARDOVIA, "ATTACKS", BELMARK, "asserted")]
    trigger = next(t for t in state.doc if t.lower_ == "attacked")
    assert modality_of(trigger, state.rules.modality) == ("asserted", "")


def test_subject_of_passive_raising_verb_reaches_the_trigger(world):
    # "Ardovia is expected to attack Belmark." (the parse en_core_web_sm gives this sentence)
    state = analyse(world, [
        ("Ardovia", 2, "nsubjpass", "PROPN", "NNP", "Ardovia", "B-GPE"),
        ("is", 2, "auxpass", "AUX", "VBZ", "be", "O"),
        ("expected", 2, "ROOT", "VERB", "VBN", "expect", "O"),
        ("to", 4, "aux", "PART", "TO", "to", "O"),
        ("attack", 2, "xcomp", "VERB", "VB", "attack", "O"),
        ("Belmark", 4, "dobj", "PROPN", "NNP", "Belmark", "B-GPE"),
        (".", 2, "punct", "PUNCT", ".", ".", "O"),
    ])
    assert relations(state) == [(ARDOVIA, "ATTACKS", BELMARK, "possible")]


# --------------------------------------------------------------------------- titles
def _titled_visit(*title: tuple[str, str, str, str, str, str]) -> list[Tok]:
    """"<title words> Tomas Verin visited Belmark ." (title tokens given as (word, dep, pos, tag, lemma, ner);
    the last one modifies the name, the others modify the last one)."""
    n = len(title)
    toks: list[Tok] = []
    for i, (word, dep, pos, tag, lemma, ner) in enumerate(title):
        toks.append((word, n - 1 if i < n - 1 else n + 1, dep, pos, tag, lemma, ner))
    name_ner = "I-PERSON" if title and title[-1][5].endswith("PERSON") else "B-PERSON"
    toks += [("Tomas", n + 1, "compound", "PROPN", "NNP", "Tomas", name_ner),
             ("Verin", n + 2, "nsubj", "PROPN", "NNP", "Verin", "I-PERSON"),
             ("visited", n + 2, "ROOT", "VERB", "VBD", "visit", "O"),
             ("Belmark", n + 2, "dobj", "PROPN", "NNP", "Belmark", "B-GPE"),
             (".", n + 2, "punct", "PUNCT", ".", ".", "O")]
    return toks


_PRESIDENT = ("President", "compound", "PROPN", "NNP", "President", "B-PERSON")


def test_demonym_title_gives_leader_of_the_country(world):
    # "Ardovian President Tomas Verin visited Belmark."
    state = analyse(world, _titled_visit(("Ardovian", "amod", "ADJ", "JJ", "Ardovian", "B-NORP"), _PRESIDENT))
    # the mentions: the title is cut off the NER person; demonym and state come from the gazetteer
    assert [(s.text, s.type, s.kind, s.entity_id, s.source) for s in state.spans] == [
        ("Ardovian", "Country", "demonym", ARDOVIA, "gazetteer"),
        ("Tomas Verin", "Person", "name", VERIN, "ner"),
        ("Belmark", "Country", "name", BELMARK, "gazetteer"),
    ]
    assert roles(state) == [(VERIN, "LEADER_OF", ARDOVIA, "role.title")]
    assert state.roles == {VERIN: [Role("leader", ARDOVIA, "president", 0)]}
    # the visit is read too, with the person as its subject
    assert relations(state) == [(VERIN, "VISITS", BELMARK, "asserted")]


def test_bare_title_without_affiliation_gives_no_role(world):
    # "President Tomas Verin visited Belmark.": the visited country is not his country
    state = analyse(world, _titled_visit(_PRESIDENT))
    assert roles(state) == []
    assert state.roles == {}
    assert relations(state) == [(VERIN, "VISITS", BELMARK, "asserted")]


def test_former_title_gives_no_role(world):
    # "Former Ardovian President Tomas Verin visited Belmark."
    state = analyse(world, _titled_visit(("Former", "amod", "ADJ", "JJ", "former", "O"),
                                         ("Ardovian", "amod", "ADJ", "JJ", "Ardovian", "B-NORP"), _PRESIDENT))
    assert roles(state) == []
    assert state.roles == {}
    assert Note(0, "dropped", "role.title", "Tomas Verin: president is not a current role") in state.notes


@pytest.mark.parametrize("appos,expected", [
    # "Ivo Brann, a spokesman for the Northern Compact, declined to comment."
    ([("a", 4, "det", "DET", "DT", "a", "O"),
      ("spokesman", 1, "appos", "NOUN", "NN", "spokesman", "O"),
      ("for", 4, "prep", "ADP", "IN", "for", "O"),
      ("the", 8, "det", "DET", "DT", "the", "B-ORG"),
      ("Northern", 8, "compound", "PROPN", "NNP", "Northern", "I-ORG"),
      ("Compact", 5, "pobj", "PROPN", "NNP", "Compact", "I-ORG")], COMPACT),
    # "Ivo Brann, the Belmarkan spokesman, declined to comment."
    ([("the", 5, "det", "DET", "DT", "the", "O"),
      ("Belmarkan", 5, "amod", "ADJ", "JJ", "Belmarkan", "B-NORP"),
      ("spokesman", 1, "appos", "NOUN", "NN", "spokesman", "O")], BELMARK),
], ids=["for-organization", "demonym"])
def test_spokesman_apposition_gives_represents(world, appos, expected):
    n = 3 + len(appos)  # index of the comma closing the apposition
    toks: list[Tok] = [("Ivo", 1, "compound", "PROPN", "NNP", "Ivo", "B-PERSON"),
                       ("Brann", n + 1, "nsubj", "PROPN", "NNP", "Brann", "I-PERSON"),
                       (",", 1, "punct", "PUNCT", ",", ",", "O"),
                       *appos,
                       (",", 1, "punct", "PUNCT", ",", ",", "O"),
                       ("declined", n + 1, "ROOT", "VERB", "VBD", "decline", "O"),
                       ("to", n + 3, "aux", "PART", "TO", "to", "O"),
                       ("comment", n + 1, "xcomp", "VERB", "VB", "comment", "O"),
                       (".", n + 1, "punct", "PUNCT", ".", ".", "O")]
    state = analyse(world, toks)
    assert roles(state) == [(BRANN, "REPRESENTS", expected, "role.appos")]
    assert relations(state) == []


# --------------------------------------------------------------------------- headlines
def _headline_state(words, spaces, sent_starts, spans):
    """A DocState over a hand-built doc with the given mention spans (no model, no gazetteer)."""
    import spacy
    from spacy.tokens import Doc

    from graphbuild.extract.analysis import DocState
    from graphbuild.extract.rules import load_rules

    doc = Doc(spacy.blank("en").vocab, words=words, spaces=spaces, sent_starts=sent_starts)
    state = DocState(doc, load_rules(), {})
    state.spans = list(spans)
    state.index()
    return state


def test_headline_names_are_cut_back_to_what_the_body_names():
    from graphbuild.extract.headline import trim_headline
    from graphbuild.extract.mentions import Span

    head = ["Velo", "Signs", "Trade", "Pact", "In", "Annuminas", "\n\n"]
    body = ["President", "Tarin", "Velo", "signed", "a", "pact", "."]
    words = head + body
    spaces = [True] * 5 + [False, False] + [True] * 5 + [False, False]
    starts = [True] + [False] * 6 + [True] + [False] * 6
    swallowed = Span(0, 4, "Person", "name", "person:velo-signs-trade-pact", "Velo Signs Trade Pact", "ner")
    place = Span(5, 6, "Location", "name", "loc:annuminas", "Annuminas", "gazetteer")
    full = Span(8, 10, "Person", "name", "person:tarin-velo", "Tarin Velo", "ner")
    state = _headline_state(words, spaces, starts, [swallowed, place, full])
    trim_headline(state)
    got = [(s.text, s.type, s.entity_id) for s in state.spans]
    assert got == [("Velo", "Person", "person:tarin-velo"), ("Annuminas", "Location", "loc:annuminas"),
                   ("Tarin Velo", "Person", "person:tarin-velo")]
    assert [n.detail for n in state.notes] == ["Velo Signs Trade Pact -> Velo"]


def test_a_headline_phrase_the_body_never_names_is_dropped_and_a_short_one_kept():
    from graphbuild.extract.headline import trim_headline
    from graphbuild.extract.mentions import Span

    words = ["Defense", "Treaty", "After", "Cannon", "Fired", "At", "Gondor", "\n\n", "Talks", "went", "on", "."]
    spaces = [True] * 6 + [False, False, True, True, False, False]
    starts = [True] + [False] * 7 + [True] + [False] * 3
    garbage = Span(0, 5, "Organization", "name", "org:x", "Defense Treaty After Cannon Fired", "ner")
    short = Span(6, 7, "Country", "name", "country:GDR", "Gondor", "ner")
    state = _headline_state(words, spaces, starts, [garbage, short])
    trim_headline(state)
    assert [s.text for s in state.spans] == ["Gondor"]
    assert [n.kind for n in state.notes] == ["dropped"]


def test_no_headline_when_the_first_sentence_runs_on():
    from graphbuild.extract.headline import headline_sentence

    words = ["Gondor", "met", "Arnor", "and", "talked", "."]
    state = _headline_state(words, [True] * 4 + [False, False], [True] + [False] * 5, [])
    assert headline_sentence(state) is None
