"""Long articles (issue 19, item 4): extracted in parts to their end, offsets exact, bounded by the time limit.

Invented texts built here: numbered paragraphs of sentences between real countries,
a different pair every few paragraphs, so the later parts name pairs the first do not.
No test asserts a wall-clock time (the memory and time per size are in bench/RESULTS.md).
"""

from __future__ import annotations

import re
import signal
import time

import pytest

from graphbuild.extract import parallel
from graphbuild.extract.parallel import ParallelExtractor
from graphbuild.extract.parts import PART_CHARS, merge_parts, split_article, split_text
from graphbuild.models import Article, Entity, Evidence, Extraction, InputProblem, Mention, Relation
from graphbuild.pipeline import ingest
from graphbuild.store import Store

PAIRS = [("France", "Germany"), ("Chile", "Peru"), ("Kenya", "Ethiopia"), ("Brazil", "Argentina"),
         ("Poland", "Lithuania"), ("Norway", "Sweden")]
ISO = {"France": "FRA", "Germany": "DEU", "Chile": "CHL", "Peru": "PER", "Kenya": "KEN", "Ethiopia": "ETH",
       "Brazil": "BRA", "Argentina": "ARG", "Poland": "POL", "Lithuania": "LTU", "Norway": "NOR", "Sweden": "SWE"}


def long_text(chars: int) -> str:
    """Paragraphs of ~330 characters; paragraph k uses pair k * len(PAIRS) // n: the last pair only near the end."""
    para = ("Paragraph {k}. {a} condemned {b} on Monday over the border dispute. Officials from {a} met "
            "their counterparts in the capital. The talks ended without an agreement, a spokesman said, "
            "and both delegations left the city before the evening news.")
    n = chars // (len(para) + 12)
    out = [para.format(k=k, a=PAIRS[k * len(PAIRS) // n][0], b=PAIRS[k * len(PAIRS) // n][1]) for k in range(n)]
    return "\n\n".join(out)


# -- cutting and merging, no model ----------------------------------------------
def test_parts_cover_the_text_and_cut_at_the_best_boundary():
    text = long_text(40_000)
    spans = split_text(text, 1000)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(spans, spans[1:]))  # contiguous, nothing lost or repeated
    assert all(0 < e - s <= 1000 for s, e in spans)
    assert all(text[e - 2:e] == "\n\n" for _, e in spans[:-1])  # every cut after a blank line
    one_line = text.replace("\n\n", " ")
    assert all(one_line[e - 2:e] == ". " for _, e in split_text(one_line, 1000)[:-1])  # else at a sentence end
    assert split_text("x" * 25, 10) == [(0, 10), (10, 20), (20, 25)]  # no boundary at all: a hard cut


def test_a_short_article_is_its_own_only_part():
    art = Article("a", "France met Germany.")
    assert split_article(art) == [(0, art)]
    assert len(long_text(PART_CHARS * 3)) > PART_CHARS and len(split_article(Article("b", long_text(30_000)))) == 3


def test_merged_parts_have_offsets_in_the_whole_text_and_every_name():
    art = Article("x", "Putin met Kim.\n\nVladimir Putin met Xi.")
    p1 = Extraction(Article("x", "Putin met Kim.\n\n"),
                    (Entity("person:vladimir-putin", "Person", "Putin"), Entity("country:PRK", "Country", "Kim")),
                    (Mention("person:vladimir-putin", "Putin", 0, 5),),
                    (Relation("person:vladimir-putin", "MEETS", "country:PRK", "asserted",
                              Evidence("x", "Putin met Kim.", 0, 14, "r", 0.9)),))
    p2 = Extraction(Article("x", "Vladimir Putin met Xi."),
                    (Entity("person:vladimir-putin", "Person", "Vladimir Putin", ("Putin",)),),
                    (Mention("person:vladimir-putin", "Vladimir Putin", 0, 14),),
                    (Relation("person:vladimir-putin", "MEETS", "person:xi", "asserted",
                              Evidence("x", "Vladimir Putin met Xi.", 0, 22, "r", 0.8)),))
    merged = merge_parts(art, [(0, p1), (16, p2)])
    assert merged.article is art
    assert merged.entities == (Entity("country:PRK", "Country", "Kim"),
                               Entity("person:vladimir-putin", "Person", "Vladimir Putin", ("Putin",)))
    assert [(m.start, m.end) for m in merged.mentions] == [(0, 5), (16, 30)]
    assert [(r.evidence.start, r.evidence.end) for r in merged.relations] == [(0, 14), (16, 38)]
    assert all(art.text[r.evidence.start:r.evidence.end] == r.evidence.sentence for r in merged.relations)


# -- the real model ------------------------------------------------------------
@pytest.mark.model
def test_a_250k_article_gives_relations_to_its_last_paragraph(tmp_path):
    text = long_text(250_000)
    assert 240_000 < len(text) <= 250_000
    art = Article("long-1", text, "A long report", "2024-05-01", origin="long.jsonl:1")
    with Store(tmp_path / "long.db") as store:
        report = ingest([art], store, ParallelExtractor(workers=1))
        assert report.problems == [] and report.count("new") == 1
        evidence = [e for e in store.evidence() if e.predicate == "CRITICIZES"]
        stored = next(store.articles()).text
    assert stored == text
    # one CRITICIZES per paragraph, each at the exact offsets of its sentence, whatever part it was in
    sentences = {(m.start(), m.group(0)) for m in re.finditer(r"(\w+) condemned (\w+) on Monday over the border "
                                                              r"dispute\.", text)}
    assert len(sentences) == text.count("\n\n") + 1
    got = {(e.evidence.start, e.evidence.sentence) for e in evidence}
    assert got == sentences
    assert all(text[e.evidence.start:e.evidence.end] == e.evidence.sentence for e in evidence)
    last_a, last_b = PAIRS[-1]
    assert {(e.subject, e.object) for e in evidence} == {(f"country:{ISO[a]}", f"country:{ISO[b]}") for a, b in PAIRS}
    late = [e for e in evidence if (e.subject, e.object) == (f"country:{ISO[last_a]}", f"country:{ISO[last_b]}")]
    assert min(e.evidence.start for e in late) > 200_000  # read from the article's last parts


def _slow_parse(monkeypatch) -> None:
    """The spaCy pipeline hangs on a text with SLOWPARSE (a stand-in for a parse that takes minutes)."""
    from spacy.language import Language

    original = Language.pipe

    def pipe(self, texts, *args, **kwargs):
        for item in original(self, texts, *args, **kwargs):
            doc = item[0] if isinstance(item, tuple) else item
            if "SLOWPARSE" in doc.text:
                time.sleep(30)  # the old code waited it out, then stored the article
            yield item

    monkeypatch.setattr(Language, "pipe", pipe)


@pytest.mark.model
def test_the_time_limit_covers_the_parse(tmp_path, monkeypatch):
    _slow_parse(monkeypatch)
    arts = [Article(f"p{i}", text, origin=f"feed.jsonl:{i}") for i, text in enumerate(
        ["France met Germany on Monday.", "SLOWPARSE Chile met Peru.", "Kenya met Ethiopia on Friday."])]
    with Store(tmp_path / "t.db") as store:
        report = ingest(arts, store, ParallelExtractor(workers=1, time_limit=0.5), batch_size=8)
        assert [str(p) for p in report.problems] == [
            "feed.jsonl:1: extraction of this article stopped after 0.5 s (the per-article time limit); "
            "please report this article as a bug"]
        assert sorted(a.id for a in store.articles()) == ["p0", "p2"]


def stuck_on_marker(articles: list[Article]):
    """Worker fault injection: on STUCK the worker hangs where its own alarm cannot reach it."""
    if any("STUCK" in a.text for a in articles):
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        time.sleep(60)
    return parallel._work(articles)


@pytest.mark.model
def test_a_stuck_worker_is_killed_and_replaced():
    arts = [Article(f"a{i}", "STUCK" if i == 3 else f"France met Germany on day {i}.", origin=f"f:{i}")
            for i in range(8)]
    batches = [arts[i:i + 2] for i in range(0, 8, 2)]
    ex = ParallelExtractor(workers=2, batch_size=2, time_limit=1, grace=5, work=stuck_on_marker)
    got = [(a.id, o) for batch, outs in ex.extract_batches(batches) for a, o in zip(batch, outs, strict=True)]
    assert ex.mode == "2 workers"
    assert [aid for aid, _ in got] == [f"a{i}" for i in range(8)]
    assert {aid: o.reason for aid, o in got if isinstance(o, InputProblem)} == {
        "a3": "extraction of this article stopped after 1 s (the per-article time limit); "
              "please report this article as a bug"}
    assert all({(r.subject, r.predicate, r.object) for r in o.relations} == {("country:DEU", "MEETS", "country:FRA")}
               for _, o in got if isinstance(o, Extraction))
