"""The learned candidate scorer: its model file, its arithmetic, and how it changes an extraction."""

from __future__ import annotations

import json

import pytest

from graphbuild.errors import InputError
from graphbuild.evaluate import extraction_to_gold
from graphbuild.extract.candidates import LABELS, label_of, relation_of_label
from graphbuild.extract.scorer import MODEL_FORMAT, Scorer, load_scorer, model_path
from graphbuild.models import Article
from graphbuild.ontology import RELATION_TYPES, SYMMETRIC


def test_labels_cover_every_relation_type_and_direction():
    assert len(LABELS) == len(SYMMETRIC) + 2 * (len(RELATION_TYPES) - len(SYMMETRIC))
    for label in LABELS:
        predicate, forward = relation_of_label(label)
        assert label_of(predicate, forward) == label


def test_model_round_trips_through_its_json_form(tmp_path):
    s = Scorer({"MEETS": {"trig=MEETS": 2.5, "types=Person>Person": 0.4}}, {"MEETS": -3.0}, {"MEETS": 0.6},
               {"train_sha256": "x"}, keep_rules_above=0.1)
    path = tmp_path / "m.json"
    path.write_text(json.dumps(s.as_dict()), encoding="utf-8")
    back = load_scorer(str(path))
    assert back == s and back.as_dict()["format"] == MODEL_FORMAT
    p = back.probabilities(["trig=MEETS", "types=Person>Person", "unknown"])["MEETS"]
    assert p == pytest.approx(1 / (1 + 2.718281828459045 ** -(2.5 + 0.4 - 3.0)))


def test_no_model_none_and_bad_files(tmp_path, monkeypatch):
    monkeypatch.setenv("GRAPHBUILD_SCORER", "none")
    assert load_scorer() is None
    monkeypatch.setenv("GRAPHBUILD_SCORER", str(tmp_path / "missing.json"))
    assert load_scorer() is None
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": 99}', encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.json: not a graphbuild scorer model"):
        load_scorer(str(bad))


def test_the_packaged_model_was_trained_on_the_committed_inputs(repo_root):
    """The shipped model records a fingerprint of the training split, the rule and gazetteer data and the
    extraction code it was fitted with: any change to them needs ``python scripts/train_scorer.py``."""
    import hashlib

    from graphbuild.extract.scorer import training_fingerprint

    path = model_path()
    assert path.is_file(), "the packaged scorer model is missing: run python scripts/train_scorer.py"
    meta = json.loads(path.read_text(encoding="utf-8"))["meta"]
    train = repo_root / "eval" / "news" / meta["trained_on"]
    assert meta["trained_on"] == "train.jsonl"  # never dev or test
    assert meta["train_sha256"] == hashlib.sha256(train.read_bytes()).hexdigest()
    assert meta["inputs_sha256"] == training_fingerprint(train), \
        "graphbuild/data/models/scorer.json is stale: run python scripts/train_scorer.py"
    assert load_scorer(str(path)) is not None


@pytest.mark.model
def test_the_scorer_decides_and_explain_says_why(repo_root):
    from graphbuild.extract.engine import Extractor

    gaz = [repo_root / "tests" / "fixtures" / "gazetteer" / "middle-earth.jsonl"]
    text = "Headline\n\nArnor condemned Gondor.\n\nArnor and Gondor were mentioned together."
    rules = Extractor(gaz, scorer=None)
    assert {(r.subject, r.predicate, r.object) for r in rules.extract(Article(id="t", text=text)).relations} == \
        {("country:ARN", "CRITICIZES", "country:GDR")}
    # a model that vetoes every rule proposal and adds MEETS for any two countries in a sentence
    veto = Scorer({"MEETS": {"types=Country>Country": 10.0}}, {"MEETS": -5.0, "CRITICIZES>": -10.0},
                  {"MEETS": 0.5, "CRITICIZES>": 0.5}, {}, keep_rules_above=0.5)
    learned = Extractor(gaz, scorer=veto)
    learned.explain = True
    ex = learned.extract(Article(id="t", text=text))
    got = {(r.subject, r.predicate, r.object, r.evidence.rule) for r in ex.relations if not r.inferred}
    assert got == {("country:ARN", "MEETS", "country:GDR", "learned")}
    notes = [n for n in ex.notes if n.kind in ("scored", "drop")]
    assert any(n.kind == "drop" and n.rule == "criticizes.verb" and "p=0.00" in n.detail for n in notes)
    assert sum(1 for n in notes if n.kind == "scored" and n.rule == "learned") == 2
    gold = extraction_to_gold(ex)
    assert {r["rule"] for r in gold["relations"]} == {"learned"}
