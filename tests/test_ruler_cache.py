"""The compiled gazetteer table: cached by content, restored identically, never an error when the cache fails."""

from __future__ import annotations

import marshal

import pytest
import spacy

from graphbuild.evaluate import extraction_to_gold
from graphbuild.extract.gazetteer import Gazetteer
from graphbuild.extract.ruler_cache import cache_dir, load_table, save_table, table_key
from graphbuild.models import Article
from graphbuild.nlp.phrase_ruler import PhraseRuler

TEXT = ("Russian President Vladimir Putin met North Korean leader Kim Jong Un at the Vostochny cosmodrome. "
        "The Kremlin said Moscow and Pyongyang would sign an arms deal; NATO and the EU condemned it.")


def _spans(ruler, nlp):
    doc = ruler(nlp(TEXT))
    return sorted((s.start, s.end, s.label_, s.id_) for s in doc.spans[ruler.spans_key])


def test_a_restored_table_finds_exactly_what_the_built_one_finds(tmp_path, monkeypatch):
    monkeypatch.setenv("GRAPHBUILD_CACHE_DIR", str(tmp_path))
    nlp = spacy.blank("en")
    built = PhraseRuler(nlp, "k", "k")
    built.add_patterns(Gazetteer.load(()).span_ruler_patterns())
    save_table(built, "abc", {"role_lexicon": {"president": "leader"}})
    restored = PhraseRuler(nlp, "k", "k")
    assert load_table(restored, "abc") == {"role_lexicon": {"president": "leader"}}
    assert _spans(restored, nlp) == _spans(built, nlp)
    assert len(_spans(built, nlp)) >= 8  # Russian, Putin's title, North Korean, Kremlin, Moscow, NATO, EU ...


def test_no_table_a_broken_table_or_no_cache_is_none_never_an_error(tmp_path, monkeypatch):
    nlp = spacy.blank("en")
    ruler = PhraseRuler(nlp, "k", "k")
    monkeypatch.setenv("GRAPHBUILD_CACHE_DIR", str(tmp_path))
    assert load_table(ruler, "missing") is None
    (tmp_path / "gazetteer-broken.marshal").write_bytes(b"\x00not marshal")
    assert load_table(ruler, "broken") is None
    (tmp_path / "gazetteer-wrong.marshal").write_bytes(marshal.dumps([1, 2, 3]))
    assert load_table(ruler, "wrong") is None
    monkeypatch.setenv("GRAPHBUILD_CACHE_DIR", "none")
    assert cache_dir() is None and load_table(ruler, "x") is None
    save_table(ruler, "x", {})  # nothing to do, no error
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory", encoding="utf-8")
    monkeypatch.setenv("GRAPHBUILD_CACHE_DIR", str(blocker / "cache"))
    save_table(ruler, "x", {})  # cannot write: skipped, no error, nothing half-written
    assert not list(tmp_path.glob(".gazetteer-*"))


def test_the_key_follows_the_user_gazetteer_content(tmp_path):
    nlp = spacy.blank("en")
    user = tmp_path / "actors.yaml"
    user.write_text("- {type: Organization, name: Arnor Guard}\n", encoding="utf-8")
    first = table_key([user], nlp)
    assert table_key([user], nlp) == first
    user.write_text("- {type: Organization, name: Gondor Guard}\n", encoding="utf-8")
    assert table_key([user], nlp) != first
    assert table_key([], nlp) not in (first, table_key([user], nlp))


@pytest.mark.model
def test_a_second_extractor_uses_the_cached_table_and_extracts_the_same(tmp_path, monkeypatch):
    from graphbuild.extract.engine import Extractor

    monkeypatch.setenv("GRAPHBUILD_CACHE_DIR", str(tmp_path))
    first = Extractor(scorer=None)
    assert len(list(tmp_path.glob("gazetteer-*.marshal"))) == 1

    def refuse(self):
        raise AssertionError("the table was rebuilt although it is cached")

    monkeypatch.setattr(Gazetteer, "span_ruler_patterns", refuse)
    second = Extractor(scorer=None)
    article = Article(id="a", text="Talks\n\n" + TEXT)
    assert extraction_to_gold(second.extract(article)) == extraction_to_gold(first.extract(article))
    assert second.roles_lexicon == first.roles_lexicon
