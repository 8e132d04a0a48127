"""Extraction always terminates: verbless headlines and fragments once looped forever.

Walking up the parse compared spaCy tokens with ``is``; tokens are new objects on each
access, so "is the root its own head?" was never true and a clause with no verb above
a role word ("Talks with his counterpart in Paris.") spun forever.  These run in a
subprocess with a timeout, so a regression fails the test instead of hanging CI.
"""

from __future__ import annotations

import itertools
import json
import subprocess
import sys

import pytest

pytestmark = pytest.mark.model

FRAGMENTS = [
    "Talks with his counterpart in Paris.",
    "A meeting of the two leaders.",
    "France and its counterpart.",
    "The Kremlin chief and his counterpart.",
    "Both leaders in Geneva.",
    "Counterpart.",
    "The president, the minister and their counterparts.",
    "Again the two heads of state, at the summit in Ankara.",
]
HEADS = ["Germany", "The Russian leader", "Our countries", "Officials", "Xi Jinping"]
TAILS = ["with his counterpart", "and its counterpart", "near the border", "of the two leaders", "in Tehran"]


def test_verbless_fragments_are_extracted_quickly(tmp_path):
    rows = [{"id": f"f{i}", "text": f"Headline {i}\n\n{text}"} for i, text in enumerate(FRAGMENTS)]
    rows += [{"id": f"c{i}", "text": f"{h} {t}.\n\n{h} {t}, {t}."}
             for i, (h, t) in enumerate(itertools.product(HEADS, TAILS))]
    src = tmp_path / "fragments.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    res = subprocess.run([sys.executable, "-m", "graphbuild", "extract", str(src), "--json"],
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    out = [json.loads(line) for line in res.stdout.splitlines()]
    assert [o["id"] for o in out] == [r["id"] for r in rows]
    first = out[0]
    assert [e["name"] for e in first["entities"]] == ["Paris"] and first["relations"] == []
    assert {e["name"] for e in out[2]["entities"]} == {"France"}
