"""Score extractions against gold files exactly as ../shared/ONTOLOGY.md describes.

Entities match when the type is equal and a name or alias equals a gold name or
alias (case-insensitive, whitespace-folded; countries also by ISO code).
Relations match when both ends match gold entities, the predicate is equal and,
unless the type is symmetric, the direction too.  Inferred relations are not
scored.  Micro-averaged precision/recall/F1; modality accuracy over matched relations.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .claims import is_contested
from .errors import InputError
from .models import Article, Extraction, Relation
from .ontology import SYMMETRIC, best_modality

__all__ = ["Score", "EvalReport", "evaluate", "evaluate_file", "extraction_to_gold", "fold", "gold_articles",
           "read_gold"]


def fold(name: str) -> str:
    """Case-insensitive, whitespace-folded form of a name.

    >>> fold("  Kim   Jong-Un ")
    'kim jong-un'
    """
    return " ".join(name.split()).casefold()


def claim_dict(rel: Relation, names: dict[str, str]) -> dict[str, Any]:
    """One piece of evidence of a relation as the gold format's ``claims`` list holds it."""
    ev = rel.evidence
    return {"claimed_by": ev.claimed_by, "claimant": names.get(ev.claimed_by, ev.claimed_by),
            "modality": rel.modality, "event_date": ev.event_date, "date_precision": ev.date_precision,
            "evidence": ev.sentence, "start": ev.start, "end": ev.end}


def extraction_to_gold(ex: Extraction) -> dict[str, Any]:
    """An extraction in the gold format: one relation per (subject, predicate, object), most factual modality."""
    names = {e.id: e.name for e in ex.entities}
    entities = []
    for e in ex.entities:
        d: dict[str, Any] = {"name": e.name, "type": e.type, "aliases": list(e.aliases), "id": e.id}
        if e.iso3:
            d["iso3"] = e.iso3
        entities.append(d)
    grouped: dict[tuple[str, str, str, bool], list] = {}
    for r in ex.relations:
        grouped.setdefault((r.subject, r.predicate, r.object, r.inferred), []).append(r)
    relations = []
    for (s, p, o, inferred), rels in grouped.items():
        mod = best_modality(r.modality for r in rels)
        best = max((r for r in rels if r.modality == mod), key=lambda r: r.evidence.confidence)
        items: list[str] = []
        for r in rels:
            items.extend(names.get(i, i) for i in r.items if names.get(i, i) not in items)
        relations.append({
            "subject": names.get(s, s), "predicate": p, "object": names.get(o, o), "modality": mod,
            "evidence": best.evidence.sentence, "start": best.evidence.start, "end": best.evidence.end,
            "rule": best.evidence.rule, "confidence": round(best.evidence.confidence, 3), "inferred": inferred,
            "items": items, "cameo": best.cameo, "weight": best.weight,
            "subject_id": s, "object_id": o,
            "claimed_by": best.evidence.claimed_by, "event_date": best.evidence.event_date,
            "date_precision": best.evidence.date_precision,
            "claims": [claim_dict(r, names) for r in rels], "contested": is_contested(
                (r.modality, r.evidence.claimed_by) for r in rels),
        })
    a = ex.article
    return {"id": a.id, "title": a.title, "date": a.date, "source": a.source, "url": a.url,
            "entities": entities, "relations": relations}


def read_gold(path: Path) -> list[dict[str, Any]]:
    """Read a gold JSONL file (each line: text, entities, relations)."""
    out = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(f"{path}: {exc.strerror or exc}") from None
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}:{n}: invalid JSON: {exc.msg} at column {exc.colno}") from None
        if not isinstance(rec, dict) or "entities" not in rec or "relations" not in rec:
            raise InputError(f"{path}:{n}: not a gold record (needs 'entities' and 'relations')")
        out.append(rec)
    return out


@dataclass
class Score:
    """Counts and precision / recall / F1."""

    tp_pred: int = 0
    n_pred: int = 0
    tp_gold: int = 0
    n_gold: int = 0

    @property
    def precision(self) -> float:
        return self.tp_pred / self.n_pred if self.n_pred else 0.0

    @property
    def recall(self) -> float:
        return self.tp_gold / self.n_gold if self.n_gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4),
                "predicted": self.n_pred, "gold": self.n_gold, "matched_predicted": self.tp_pred,
                "matched_gold": self.tp_gold}


@dataclass
class EvalReport:
    """Scores over a gold file plus the errors, for people to read."""

    entities: Score = field(default_factory=Score)
    relations: Score = field(default_factory=Score)
    per_predicate: dict[str, Score] = field(default_factory=dict)
    modality_total: int = 0
    modality_correct: int = 0
    false_positives: list[dict[str, Any]] = field(default_factory=list)
    false_negatives: list[dict[str, Any]] = field(default_factory=list)
    modality_errors: list[dict[str, Any]] = field(default_factory=list)
    entity_false_positives: list[dict[str, Any]] = field(default_factory=list)
    entity_false_negatives: list[dict[str, Any]] = field(default_factory=list)

    @property
    def modality_accuracy(self) -> float:
        return self.modality_correct / self.modality_total if self.modality_total else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "entities": self.entities.as_dict(),
            "relations": self.relations.as_dict(),
            "per_predicate": {p: s.as_dict() for p, s in sorted(self.per_predicate.items())},
            "modality_accuracy": round(self.modality_accuracy, 4),
            "modality_matched": self.modality_total,
            "false_positives": self.false_positives,
            "false_negatives": self.false_negatives,
            "modality_errors": self.modality_errors,
            "entity_false_positives": self.entity_false_positives,
            "entity_false_negatives": self.entity_false_negatives,
        }


def _keys(ent: dict[str, Any]) -> set[str]:
    keys = {fold(ent["name"])} | {fold(a) for a in ent.get("aliases", ())}
    if ent.get("type") == "Country" and ent.get("iso3"):
        keys.add("iso3:" + ent["iso3"].upper())
    return keys


def _match_entities(pred: list[dict[str, Any]], gold: list[dict[str, Any]]) -> dict[int, set[int]]:
    """For each predicted entity index, the gold entity indices it matches."""
    gold_keys = [(g["type"], _keys(g)) for g in gold]
    out: dict[int, set[int]] = {}
    for i, p in enumerate(pred):
        pk = _keys(p)
        out[i] = {j for j, (t, gk) in enumerate(gold_keys) if t == p["type"] and pk & gk}
    return out


def _score_article(pred: dict[str, Any], gold: dict[str, Any], report: EvalReport) -> None:
    pents, gents = pred["entities"], gold["entities"]
    ematch = _match_entities(pents, gents)
    matched_gold = set().union(*ematch.values()) if ematch else set()
    report.entities.n_pred += len(pents)
    report.entities.tp_pred += sum(1 for v in ematch.values() if v)
    report.entities.n_gold += len(gents)
    report.entities.tp_gold += len(matched_gold)
    for i, v in ematch.items():
        if not v:
            report.entity_false_positives.append({"article": gold.get("id"), "name": pents[i]["name"],
                                                  "type": pents[i]["type"]})
    for j, g in enumerate(gents):
        if j not in matched_gold:
            report.entity_false_negatives.append({"article": gold.get("id"), "name": g["name"], "type": g["type"]})
    # names of predicted entities -> gold entity indices
    by_name: dict[str, set[int]] = {}
    for i, p in enumerate(pents):
        by_name.setdefault(fold(p["name"]), set()).update(ematch[i])
    gold_index = {fold(g["name"]): j for j, g in enumerate(gents)}
    gold_index.update({fold(a): j for j, g in enumerate(gents) for a in g.get("aliases", ())
                       if fold(a) not in gold_index})

    def gkey(s: int, p: str, o: int) -> tuple[int, str, int]:
        return (min(s, o), p, max(s, o)) if p in SYMMETRIC else (s, p, o)

    gold_rels: dict[tuple[int, str, int], dict[str, Any]] = {}
    for g in gold["relations"]:
        s, o = gold_index.get(fold(g["subject"])), gold_index.get(fold(g["object"]))
        if s is None or o is None:
            raise InputError(f"gold article {gold.get('id')}: relation end not among its entities: {g}")
        gold_rels.setdefault(gkey(s, g["predicate"], o), g)
    hit_gold: set[tuple[int, str, int]] = set()
    seen_pred: set[tuple[str, str, str]] = set()
    for r in pred["relations"]:
        if r.get("inferred"):
            continue
        pk = (fold(r["subject"]), r["predicate"], fold(r["object"]))
        if r["predicate"] in SYMMETRIC:
            pk = (min(pk[0], pk[2]), pk[1], max(pk[0], pk[2]))
        if pk in seen_pred:
            continue
        seen_pred.add(pk)
        report.relations.n_pred += 1
        ps = report.per_predicate.setdefault(r["predicate"], Score())
        ps.n_pred += 1
        match = None
        for s in by_name.get(fold(r["subject"]), ()):
            for o in by_name.get(fold(r["object"]), ()):
                k = gkey(s, r["predicate"], o)
                if k in gold_rels:
                    match = k
        if match is None:
            report.false_positives.append({"article": gold.get("id"), "subject": r["subject"],
                                           "predicate": r["predicate"], "object": r["object"],
                                           "modality": r["modality"], "rule": r.get("rule"),
                                           "sentence": r.get("evidence")})
            continue
        report.relations.tp_pred += 1
        ps.tp_pred += 1
        if match not in hit_gold:
            hit_gold.add(match)
            report.modality_total += 1
            g = gold_rels[match]
            if g.get("modality", "asserted") == r["modality"]:
                report.modality_correct += 1
            else:
                report.modality_errors.append({"article": gold.get("id"), "subject": g["subject"],
                                               "predicate": g["predicate"], "object": g["object"],
                                               "gold": g.get("modality"), "predicted": r["modality"],
                                               "sentence": r.get("evidence")})
    for k, g in gold_rels.items():
        report.relations.n_gold += 1
        ps = report.per_predicate.setdefault(g["predicate"], Score())
        ps.n_gold += 1
        if k in hit_gold:
            report.relations.tp_gold += 1
            ps.tp_gold += 1
        else:
            report.false_negatives.append({"article": gold.get("id"), "subject": g["subject"],
                                           "predicate": g["predicate"], "object": g["object"],
                                           "modality": g.get("modality"), "sentence": g.get("evidence")})


def evaluate(predictions: Iterable[dict[str, Any]], gold: Iterable[dict[str, Any]]) -> EvalReport:
    """Score predicted gold-format articles against gold articles (paired by id)."""
    report = EvalReport()
    preds = {p["id"]: p for p in predictions}
    for g in gold:
        p = preds.get(g["id"], {"entities": [], "relations": []})
        _score_article(p, g, report)
    return report


def gold_articles(gold: list[dict[str, Any]], path: Path) -> list[Article]:
    """The articles of gold records, ids as the records give them (else their line number)."""
    return [Article(id=str(g.get("id") or i), text=g["text"], title=g.get("title") or "", date=g.get("date"),
                    origin=f"{path}:{i + 1}") for i, g in enumerate(gold)]


def evaluate_file(path: Path, extractor: Any) -> tuple[EvalReport, int]:
    """Extract the texts of a gold file with ``extractor`` and score them: the report and the article count."""
    gold = read_gold(path)
    preds = [extraction_to_gold(ex) for ex in extractor.extract_many(gold_articles(gold, path))]
    return evaluate(preds, gold), len(gold)
