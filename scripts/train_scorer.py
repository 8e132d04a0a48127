#!/usr/bin/env python3
"""Train the learned candidate scorer on eval/news/train.jsonl and write graphbuild/data/models/scorer.json.

    pip install -e '.[train]'
    python scripts/train_scorer.py                 # train, write the model, print a summary
    python scripts/train_scorer.py --report        # also: how many gold relations the candidates reach

Deterministic: the same training file, code and spaCy model give the same weights.  The
model records a fingerprint of its inputs (training split, rule and gazetteer data,
extraction code): tests/test_scorer.py fails when the shipped model is stale.
The extractor runs without a scorer to produce candidates (rules' proposals included),
gold relations label them, and one L2-regularised logistic regression per label is
fitted (scikit-learn, liblinear).  A gold relation stated in another sentence than its
evidence is neither a positive nor a negative for that label there.  The model file
records the SHA-256 of the training file, so a test can tell when it is stale.
Only train.jsonl is read: dev.jsonl is for choosing C and thresholds by hand, and
test.jsonl is never used here.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from graphbuild.evaluate import fold, gold_articles, read_gold  # noqa: E402
from graphbuild.extract.candidates import LABELS, find_candidates, label_of  # noqa: E402
from graphbuild.extract.scorer import MODEL_FORMAT, Scorer, model_path, training_fingerprint  # noqa: E402
from graphbuild.ontology import SYMMETRIC  # noqa: E402

_HIDDEN_KINDS = frozenset({"role", "pronoun", "description", "group"})


def names_of(state, gazetteer) -> dict[str, set[str]]:
    """Folded names an extracted entity is known by in this article (as the scorer matches them)."""
    out: dict[str, set[str]] = defaultdict(set)
    for span in state.spans:
        if span.kind in _HIDDEN_KINDS or not span.entity_id:
            continue
        out[span.entity_id].add(fold(span.text))
        entry = gazetteer.get(span.entity_id)
        if entry is not None:
            out[span.entity_id].add(fold(entry.name))
            if entry.iso3:
                out[span.entity_id].add(fold(entry.iso3))
    return out


def gold_alias_map(gold: dict) -> dict[str, str]:
    """Folded name, alias or ISO code -> the gold entity name it stands for (the first entity wins)."""
    alias_to: dict[str, str] = {}
    for e in gold["entities"]:
        names = [e["name"], *e.get("aliases", []), *([e["iso3"]] if e.get("iso3") else [])]
        for n in names:
            alias_to.setdefault(fold(n), e["name"])
    return alias_to


def examples(path: Path, *, report: bool = False):
    """(features, labels, ignored labels) for every candidate of every training article."""
    from graphbuild.extract.engine import Extractor

    golds = read_gold(path)
    extractor = Extractor(scorer=None)
    out = []
    reach = Counter()
    texts = [a.text for a in gold_articles(golds, path)]
    docs = extractor.nlp.pipe([extractor.nlp_text(t) for t in texts], batch_size=16)
    for gold, text, doc in zip(golds, texts, docs):
        state, raw = extractor.analyse(doc)
        cands = find_candidates(state, raw)
        alias_to = gold_alias_map(gold)
        enames = names_of(state, extractor.gazetteer)

        def golds_of(eid: str) -> set[str]:
            return {alias_to[n] for n in enames.get(eid, ()) if n in alias_to}

        spans = []
        for rel in gold["relations"]:
            if rel.get("inferred"):
                continue
            start = text.find(rel["evidence"])
            spans.append((rel, start, start + len(rel["evidence"]) if start >= 0 else -1))
        triples = {(r["subject"], r["predicate"], r["object"]) for r in gold["relations"]}
        reached = set()
        for cand in cands:
            sent = state.sents[cand.sent_i]
            s0, s1 = sent.start_char, sent.end_char
            ga, gb = golds_of(cand.first), golds_of(cand.second)
            labels, ignore = set(), set()
            for rel, e0, e1 in spans:
                fwd = rel["subject"] in ga and rel["object"] in gb
                bwd = rel["subject"] in gb and rel["object"] in ga
                if not (fwd or bwd):
                    continue
                lab = label_of(rel["predicate"], fwd) if rel["predicate"] not in SYMMETRIC else rel["predicate"]
                if e0 >= 0 and e0 < s1 and e1 > s0:
                    labels.add(lab)
                    reached.add((rel["subject"], rel["predicate"], rel["object"]))
                else:
                    ignore.add(lab)
            out.append((cand.features, labels, ignore - labels))
        reach["gold"] += len(triples)
        reach["reached"] += len(reached)
    if report:
        print(f"candidates reach {reach['reached']} of {reach['gold']} gold relations "
              f"({reach['reached'] / max(reach['gold'], 1):.1%}) in their evidence sentence", file=sys.stderr)
    return out


def train(data, *, c: float, min_count: int) -> tuple[dict, dict]:
    from sklearn.linear_model import LogisticRegression

    counts = Counter(f for feats, _l, _i in data for f in set(feats))
    vocab = sorted(f for f, n in counts.items() if n >= min_count)
    index = {f: i for i, f in enumerate(vocab)}
    from scipy.sparse import csr_matrix

    rows, cols = [], []
    for r, (feats, _l, _i) in enumerate(data):
        for f in sorted({index[f] for f in feats if f in index}):
            rows.append(r)
            cols.append(f)
    x = csr_matrix(([1.0] * len(rows), (rows, cols)), shape=(len(data), len(vocab)))
    weights: dict[str, dict[str, float]] = {}
    bias: dict[str, float] = {}
    for label in LABELS:
        keep = [i for i, (_f, _l, ign) in enumerate(data) if label not in ign]
        y = [1 if label in data[i][1] else 0 for i in keep]
        if sum(y) < 2:
            continue
        model = LogisticRegression(C=c, solver="liblinear", max_iter=1000)
        model.fit(x[keep], y)
        coef = model.coef_[0]
        weights[label] = {vocab[j]: round(float(w), 4) for j, w in enumerate(coef) if abs(w) >= 1e-3}
        bias[label] = round(float(model.intercept_[0]), 4)
    return weights, bias


def _model_name() -> str:
    from graphbuild.extract.engine import Extractor

    meta = Extractor(scorer=None).nlp.meta
    return f"{meta.get('lang')}_{meta.get('name')}-{meta.get('version')}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--train", type=Path, default=REPO / "eval" / "news" / "train.jsonl")
    ap.add_argument("--out", type=Path, default=model_path())
    # defaults chosen on eval/news/dev.jsonl (see bench/RESULTS.md, "learned scorer"); test.jsonl never used
    ap.add_argument("--c", type=float, default=1.0, help="inverse L2 strength")
    ap.add_argument("--min-count", type=int, default=2, help="keep features seen in at least this many candidates")
    ap.add_argument("--threshold", type=float, default=0.4, help="probability a label no rule proposed needs")
    ap.add_argument("--keep-rules-above", type=float, default=0.0,
                    help="a rule's proposal is dropped when the model gives its label less than this")
    ap.add_argument("--prune", type=float, default=0.05, help="drop weights smaller than this in absolute value")
    ap.add_argument("--report", action="store_true")
    args = ap.parse_args()
    data = examples(args.train, report=args.report)
    weights, bias = train(data, c=args.c, min_count=args.min_count)
    weights = {lab: {f: w for f, w in ws.items() if abs(w) >= args.prune} for lab, ws in weights.items()}
    digest = hashlib.sha256(args.train.read_bytes()).hexdigest()
    pos = Counter(lab for _f, labels, _i in data for lab in labels)
    meta = {"trained_on": args.train.name, "train_sha256": digest,
            "inputs_sha256": training_fingerprint(args.train), "spacy_model": _model_name(),
            "candidates": len(data), "positives": dict(sorted(pos.items())), "c": args.c,
            "min_count": args.min_count, "prune": args.prune}
    scorer = Scorer(weights, bias, {lab: args.threshold for lab in weights}, meta,
                    keep_rules_above=args.keep_rules_above)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(scorer.as_dict(), ensure_ascii=False, indent=0, sort_keys=False) + "\n",
                        encoding="utf-8")
    print(f"wrote {args.out}: {len(weights)} labels, {sum(len(w) for w in weights.values())} weights, "
          f"{len(data)} candidates, {sum(pos.values())} positive labels (format {MODEL_FORMAT})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
