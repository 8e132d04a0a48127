"""Scoring exactly as ONTOLOGY.md describes (no model needed)."""

from __future__ import annotations

import json

import pytest

from graphbuild.errors import InputError
from graphbuild.evaluate import evaluate, read_gold

GOLD = {
    "id": "a1",
    "entities": [
        {"name": "Arnor Republic", "type": "Country", "iso3": "ARN", "aliases": ["Arnor", "Arnorian"]},
        {"name": "Gondor", "type": "Country", "iso3": "GDR", "aliases": []},
        {"name": "Elen Vask", "type": "Person", "aliases": ["Vask"]},
        {"name": "drones", "type": "Weapon", "aliases": ["drone"]},
    ],
    "relations": [
        {"subject": "Elen Vask", "predicate": "LEADER_OF", "object": "Arnor Republic", "modality": "asserted"},
        {"subject": "Gondor", "predicate": "MEETS", "object": "Arnor", "modality": "asserted"},
        {"subject": "Arnor Republic", "predicate": "SUPPLIES_ARMS_TO", "object": "Gondor", "modality": "possible"},
    ],
}


def pred(entities, relations):
    return {"id": "a1", "entities": entities, "relations": relations}


ENTS = [
    {"name": "Arnor", "type": "Country", "aliases": [], "iso3": None},          # matches by alias
    {"name": "Gondor Kingdom", "type": "Country", "aliases": [], "iso3": "GDR"},  # matches by ISO code
    {"name": "  elen   VASK ", "type": "Person", "aliases": []},                 # case/space folded
    {"name": "drones", "type": "Organization", "aliases": []},                    # wrong type: no match
]


def test_entity_matching_rules():
    rep = evaluate([pred(ENTS, [])], [GOLD])
    assert (rep.entities.tp_pred, rep.entities.n_pred, rep.entities.tp_gold, rep.entities.n_gold) == (3, 4, 3, 4)
    assert rep.entities.precision == 0.75 and rep.entities.recall == 0.75
    assert [e["name"] for e in rep.entity_false_negatives] == ["drones"]


def test_relation_matching_direction_symmetry_inferred_and_modality():
    rels = [
        {"subject": "  elen   VASK ", "predicate": "LEADER_OF", "object": "Arnor", "modality": "asserted"},
        {"subject": "Arnor", "predicate": "MEETS", "object": "Gondor Kingdom", "modality": "asserted"},  # symmetric
        {"subject": "Gondor Kingdom", "predicate": "SUPPLIES_ARMS_TO", "object": "Arnor", "modality": "possible"},
        {"subject": "Arnor", "predicate": "ATTACKS", "object": "Gondor Kingdom", "modality": "asserted",
         "inferred": True},                                                                       # not scored
    ]
    rep = evaluate([pred(ENTS, rels)], [GOLD])
    assert (rep.relations.tp_pred, rep.relations.n_pred, rep.relations.n_gold) == (2, 3, 3)
    assert rep.relations.precision == pytest.approx(2 / 3) and rep.relations.recall == pytest.approx(2 / 3)
    assert rep.modality_accuracy == 1.0
    assert [(f["subject"], f["predicate"]) for f in rep.false_positives] == [("Gondor Kingdom", "SUPPLIES_ARMS_TO")]
    assert [(f["subject"], f["predicate"]) for f in rep.false_negatives] == [("Arnor Republic", "SUPPLIES_ARMS_TO")]
    assert rep.per_predicate["MEETS"].f1 == 1.0 and rep.per_predicate["SUPPLIES_ARMS_TO"].f1 == 0.0


def test_modality_accuracy_over_matched_only():
    rels = [{"subject": "Elen Vask", "predicate": "LEADER_OF", "object": "Arnor", "modality": "promised"}]
    ents = [{"name": "Arnor", "type": "Country", "aliases": []}, {"name": "Elen Vask", "type": "Person", "aliases": []}]
    rep = evaluate([pred(ents, rels)], [GOLD])
    assert rep.modality_total == 1 and rep.modality_accuracy == 0.0
    assert rep.modality_errors[0]["gold"] == "asserted" and rep.modality_errors[0]["predicted"] == "promised"


def test_missing_article_counts_as_nothing_predicted():
    rep = evaluate([], [GOLD])
    assert rep.relations.recall == 0.0 and rep.relations.n_gold == 3 and rep.relations.f1 == 0.0


def test_read_gold_errors(tmp_path):
    bad = tmp_path / "g.jsonl"
    bad.write_text(json.dumps(GOLD) + "\n{oops\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"g.jsonl:2: invalid JSON"):
        read_gold(bad)
    bad.write_text(json.dumps({"id": "x", "text": "t"}) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"g.jsonl:1: not a gold record"):
        read_gold(bad)
