"""The learned candidate scorer: rules propose, a model decides.

A logistic regression per label (``MEETS``, ``ATTACKS>``, ``ATTACKS<``, ...), trained by
``scripts/train_scorer.py`` on ``eval/news/train.jsonl`` and shipped as JSON in
``graphbuild/data/models/scorer.json``: the sparse weights of the features of
:mod:`.candidates`, one threshold per label, and a fingerprint of its training inputs
(the training split, the rule and gazetteer data and the extraction code:
:func:`training_fingerprint`).  Scoring is a dot product over a candidate's features (no scikit-learn
at run time, nothing pickled, nothing downloaded).

For every candidate pair the labels whose probability reaches their threshold become
relations: a rule's proposal for the same label keeps its modality, items and rule id;
a pair no rule proposed gets the modality of the word that joins the two mentions in
the parse and the rule id ``learned``.  A rule proposal the model turns down is dropped,
and ``--explain`` says so with the score.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..ontology import NARROWER, SYMMETRIC
from .analysis import DocState
from .candidates import Candidate, find_candidates, label_of, relation_of_label
from .modality import modality_of
from .titles import RawRelation

__all__ = ["MODEL_FORMAT", "Scorer", "load_scorer", "model_path", "training_fingerprint"]

MODEL_FORMAT = 1
#: Rule id of a relation no rule proposed.
LEARNED = "learned"


@dataclass(frozen=True)
class Scorer:
    """Sparse logistic-regression weights per label, and the threshold of each label."""

    weights: dict[str, dict[str, float]]
    bias: dict[str, float]
    thresholds: dict[str, float]
    meta: dict[str, Any]
    #: A rule's proposal is kept unless the model gives its label less than this.
    keep_rules_above: float = 0.0

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Scorer:
        """A scorer from its JSON form (see :meth:`as_dict`)."""
        if data.get("format") != MODEL_FORMAT:
            raise ValueError(f"scorer model format {data.get('format')!r} is not {MODEL_FORMAT}")
        return cls({lab: dict(w) for lab, w in data["weights"].items()}, dict(data["bias"]),
                   dict(data["thresholds"]), dict(data.get("meta", {})), float(data.get("keep_rules_above", 0.0)))

    def as_dict(self) -> dict[str, Any]:
        """The JSON form: format, meta, bias, thresholds and weights per label (sorted, so diffs stay small)."""
        return {"format": MODEL_FORMAT, "meta": self.meta, "keep_rules_above": self.keep_rules_above,
                "bias": dict(sorted(self.bias.items())),
                "thresholds": dict(sorted(self.thresholds.items())),
                "weights": {lab: dict(sorted(w.items())) for lab, w in sorted(self.weights.items())}}

    def probabilities(self, features: list[str]) -> dict[str, float]:
        """P(label | features) for every label.

        >>> s = Scorer({"MEETS": {"trig=MEETS": 3.0}}, {"MEETS": -1.0}, {"MEETS": 0.5}, {})
        >>> round(s.probabilities(["trig=MEETS"])["MEETS"], 3), round(s.probabilities([])["MEETS"], 3)
        (0.881, 0.269)
        """
        labels, _index, _weights, _bias = self._matrix
        return dict(zip(labels, self.scores([features])[0].tolist()))

    def scores(self, feature_lists: list[list[str]]):
        """P(label | features) of many candidates at once: an array, one row per candidate, labels in order.

        One sum over the weight rows of each candidate's known features (numpy), so a document's
        candidates cost a few array operations, not a Python loop over labels and weights.
        """
        import numpy as np

        labels, index, weights, bias = self._matrix
        if not feature_lists:
            return np.zeros((0, len(labels)))
        zero = len(weights) - 1  # the last row is all zeros: every candidate has at least that one
        rows: list[int] = []
        starts: list[int] = []
        for feats in feature_lists:
            starts.append(len(rows))
            rows.append(zero)
            rows.extend(k for f in set(feats) if (k := index.get(f)) is not None)
        z = bias + np.add.reduceat(weights[np.asarray(rows)], np.asarray(starts), axis=0)
        return 1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))

    @cached_property
    def _matrix(self):
        """Labels in order, feature -> row, the weight matrix (features x labels) and the bias vector."""
        import numpy as np

        labels = sorted(set(self.weights) | set(self.bias))
        features = sorted({f for ws in self.weights.values() for f in ws})
        index = {f: k for k, f in enumerate(features)}
        weights = np.zeros((len(features) + 1, len(labels)))  # + a zero row (see scores)
        for j, label in enumerate(labels):
            for f, w in self.weights.get(label, {}).items():
                weights[index[f], j] = w
        bias = np.asarray([self.bias.get(label, 0.0) for label in labels])
        return labels, index, weights, bias

    def decide(self, state: DocState, proposals: list[RawRelation]) -> list[RawRelation]:
        """The relations the model keeps among the candidates of a document (rule proposals included)."""
        kept: list[RawRelation] = [r for r in proposals if r.inferred]
        cands = find_candidates(state, [r for r in proposals if not r.inferred])
        labels = self._matrix[0]
        limits = [self.thresholds.get(lab, 0.5) for lab in labels]
        for cand, row in zip(cands, self.scores([c.features for c in cands]).tolist()):
            probs = dict(zip(labels, row))
            accepted = {lab: p for lab, p, t in zip(labels, row, limits) if p >= t}
            for r in cand.proposals:  # the rules' own proposals need less: the model only vetoes them
                lab = label_of(r.predicate, r.subject == cand.first)
                if probs.get(lab, 1.0) >= self.keep_rules_above:
                    accepted.setdefault(lab, probs.get(lab, 1.0))
            kept += self._relations(state, cand, accepted, probs)
        return kept

    def _relations(self, state: DocState, cand: Candidate, accepted: dict[str, float],
                   probs: dict[str, float]) -> list[RawRelation]:
        out: list[RawRelation] = []
        used: set[int] = set()
        for label, p in sorted(accepted.items(), key=lambda kv: -kv[1]):
            predicate, forward = relation_of_label(label)
            subject, obj = (cand.first, cand.second) if forward else (cand.second, cand.first)
            match = [r for r in cand.proposals if r.predicate == predicate
                     and (r.subject, r.object) in ((subject, obj), (obj, subject) if predicate in SYMMETRIC else ())]
            if match:
                best = max(match, key=lambda r: r.confidence)
                used.update(id(r) for r in match)
                out.append(RawRelation(best.subject, predicate, best.object, best.sent, best.rule, round(p, 3),
                                       best.modality, best.items))
                state.note(cand.sent_i, "scored", best.rule, f"{label} {_names(state, cand)} p={p:.2f}: kept")
                continue
            if any(r.predicate in NARROWER.get(predicate, ()) and (r.subject, r.object) == (subject, obj)
                   for r in cand.proposals):
                state.note(cand.sent_i, "scored", LEARNED, f"{label} {_names(state, cand)} p={p:.2f}: a rule "
                           "states the narrower type")
                continue
            if predicate == "VISITS" and _at_home(state, subject, obj):
                state.note(cand.sent_i, "scored", LEARNED, f"{label} {_names(state, cand)} p={p:.2f}: at home")
                continue
            sent = state.sents[cand.sent_i]
            modality = "asserted"
            if cand.trigger is not None:
                modality, _cue = modality_of(state.doc[cand.trigger], state.rules.modality)
            items: tuple[str, ...] = ()
            if predicate == "SUPPLIES_ARMS_TO":
                items = tuple(dict.fromkeys(s.entity_id for s in state.spans if s.type == "Weapon"
                                            and sent.start <= s.start < sent.end))
            out.append(RawRelation(subject, predicate, obj, sent, LEARNED, round(p, 3), modality, items))
            state.note(cand.sent_i, "scored", LEARNED, f"{label} {_names(state, cand)} p={p:.2f}: added")
        for r in cand.proposals:
            if id(r) not in used:
                label = label_of(r.predicate, r.subject == cand.first)
                state.note(cand.sent_i, "drop", r.rule,
                           f"{label} {_names(state, cand)} p={probs.get(label, 0.0):.2f}: below the scorer's threshold")
        return out


def _names(state: DocState, cand: Candidate) -> str:
    a = cand.span_a.text if cand.span_a else cand.first
    b = cand.span_b.text if cand.span_b else cand.second
    return f"{a} / {b}"


def training_fingerprint(train: Path) -> str:
    """SHA-256 over everything a trained model depends on: the training split, the rule and gazetteer
    data and the extraction code (candidates and their features come from them).

    A model whose recorded fingerprint differs from this was trained on other inputs: retrain it
    with ``python scripts/train_scorer.py``.
    """
    import hashlib

    package = Path(__file__).resolve().parent.parent
    files = [train, *sorted((package / "data" / "rules").glob("*.yaml")),
             *sorted(f for ext in ("jsonl", "yaml", "tsv") for f in (package / "data" / "gazetteer").glob(f"*.{ext}")), *sorted((package / "extract").glob("*.py"))]
    digest = hashlib.sha256()
    for f in files:
        digest.update(f.name.encode())
        digest.update(f.read_bytes().replace(b"\r\n", b"\n"))
    return digest.hexdigest()


def model_path() -> Path:
    """The packaged model file."""
    return Path(str(resources.files("graphbuild.data").joinpath("models", "scorer.json")))


def load_scorer(path: str | None = None) -> Scorer | None:
    """The scorer of ``path``, else of env ``GRAPHBUILD_SCORER`` (a file, or ``none`` for the rules alone),
    else the packaged model; None when there is no model file."""
    chosen = path or os.environ.get("GRAPHBUILD_SCORER") or str(model_path())
    if chosen.lower() == "none":
        return None
    return _read(chosen)


@lru_cache(maxsize=4)
def _read(path: str) -> Scorer | None:
    file = Path(path)
    if not file.is_file():
        return None
    try:
        return Scorer.from_dict(json.loads(file.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError) as exc:
        raise InputError(f"{file}: not a graphbuild scorer model: {exc}") from None


def _at_home(state: DocState, subject: str, place: str) -> bool:
    """A place in the country the visitor is, leads or represents: no visit (ONTOLOGY: a visit is abroad)."""
    home = subject if subject.startswith("country:") else state.home_country(subject)
    if home is None:
        return False
    spans = [s for s in state.spans if s.entity_id == place]
    return any(state.place_home(s) == home for s in spans)
