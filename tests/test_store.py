"""The embedded store: dedupe, replacement, transactions, graph building."""

from __future__ import annotations

import sqlite3

import pytest

from graphbuild.graph import build_graph
from graphbuild.models import Article, Entity, Evidence, Extraction, Relation
from graphbuild.pipeline import ingest
from graphbuild.store import DateWindow, Store
from spine_helpers import FakeExtractor


def art(aid: str, text: str, date: str | None = "2024-01-02") -> Article:
    return Article(id=aid, text=text, title=text.split(".")[0], date=date, origin=f"{aid}.txt")


def test_new_unchanged_replaced(tmp_path):
    store = Store(tmp_path / "g.db")
    fx = FakeExtractor()
    r1 = ingest([art("a1", "Ardor meets Belmark."), art("a2", "Corvania meets Dunmere.")], store, fx)
    assert [r.status for r in r1.results] == ["new", "new"]
    r2 = ingest([art("a1", "Ardor meets Belmark.")], store, fx)
    assert [r.status for r in r2.results] == ["unchanged"]
    assert fx.calls == 2  # unchanged content is not extracted again
    r3 = ingest([art("a1", "Ardor meets Corvania.")], store, fx)
    assert [r.status for r in r3.results] == ["replaced"]
    stats = store.stats()
    assert stats["articles"] == 2
    # Belmark is no longer named by any article and is gone; the old relation too
    assert sorted(e.id for e in store.entities()) == ["country:ARD", "country:COR", "country:DUN"]
    assert sorted((r.subject, r.object) for r in store.evidence()) == [
        ("country:ARD", "country:COR"), ("country:COR", "country:DUN")]


def test_symmetric_relation_stored_once_in_id_order(tmp_path):
    store = Store(tmp_path / "g.db")
    ingest([art("a1", "Dunmere meets Ardor."), art("a2", "Ardor meets Dunmere.")], store, FakeExtractor())
    rels = list(store.evidence())
    assert {(r.subject, r.predicate, r.object) for r in rels} == {("country:ARD", "MEETS", "country:DUN")}
    assert store.stats()["relations_by_type"] == {"MEETS": {"asserted": 1}}
    g = build_graph(store)
    (u, v, k, d), = g.edges(keys=True, data=True)
    assert (u, v, k, d["count"], d["article_ids"]) == ("country:ARD", "country:DUN", "MEETS", 2, ["a1", "a2"])
    assert [e["sentence"] for e in d["evidence"]] == ["Dunmere meets Ardor.", "Ardor meets Dunmere."]


def test_failure_in_the_middle_of_an_article_leaves_no_trace(tmp_path):
    store = Store(tmp_path / "g.db")
    ingest([art("ok", "Ardor meets Belmark.")], store, FakeExtractor())
    bad = Extraction(
        art("bad", "Corvania meets Ardor."),
        (Entity("country:COR", "Country", "Corvania"),),
        (),
        (Relation("country:COR", "MEETS", "country:ARD", "asserted", Evidence("bad", "s", 0, 1, "r", 1.0)),
         Relation("country:COR", "NOT_A_TYPE", "country:ARD", "asserted", Evidence("bad", "s", 0, 1, "r", 1.0))),
    )
    with pytest.raises(ValueError, match="unknown relation type"):
        store.write(bad)
    assert [a.id for a in store.articles()] == ["ok"]
    assert "country:COR" not in {e.id for e in store.entities()}
    assert store.stats()["evidence"] == 1
    db = sqlite3.connect(tmp_path / "g.db")
    assert db.execute("SELECT COUNT(*) FROM aliases WHERE article_id = 'bad'").fetchone()[0] == 0


def test_one_failing_article_does_not_lose_the_others(tmp_path):
    store = Store(tmp_path / "g.db")
    report = ingest([art("a", "Ardor meets Belmark."), art("b", "boom Corvania."), art("c", "Dunmere.")],
                    store, FakeExtractor())
    assert [r.article_id for r in report.results] == ["a", "c"]
    assert [str(p) for p in report.problems] == ["b.txt: extraction failed: RuntimeError: cannot extract b"]
    assert [a.id for a in store.articles()] == ["a", "c"]


def test_date_filter_and_aliases(tmp_path):
    store = Store(tmp_path / "g.db")
    ingest([art("a", "Ardor meets Belmark.", "2023-05-01"), art("b", "Corvania meets Dunmere.", "2024-07-01")],
           store, FakeExtractor())
    assert [r.evidence.article_id for r in store.evidence(DateWindow(since="2024-01-01"))] == ["b"]
    assert [r.evidence.article_id for r in store.evidence(DateWindow(until="2023-12-31"))] == ["a"]
    g = build_graph(store, DateWindow(since="2024-01-01"))
    assert g.number_of_edges() == 1 and g.number_of_nodes() == 4


def test_not_a_store_gives_store_error(tmp_path):
    from graphbuild.errors import StoreError

    bad = tmp_path / "junk.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="junk.db: cannot open the store"):
        Store(bad)
