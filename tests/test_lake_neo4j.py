"""The daily path into Neo4j through the lake: day 1 imported and loaded, then day 2's slice imported and
loaded as an increment, equals a full load of days 1 + 2; loading again changes nothing (real Neo4j)."""

from __future__ import annotations

import pytest
from graphdata import changed_extraction, expected_graph, extra_extraction, fixture_extractions, neo4j_graph

from graphbuild.lake import LakeWriter, import_lake, outcome_rows
from graphbuild.sinks.neo4j import Neo4jConfig, load_store
from graphbuild.store import Store

pytestmark = pytest.mark.neo4j


def _day(lake, day, extractions) -> None:
    with LakeWriter(lake, day) as writer:
        for seq, ex in enumerate(extractions):
            writer.add(outcome_rows(seq, ex.article, ex))
        writer.commit()


def test_a_day_two_increment_from_the_lake_equals_a_full_load(neo4j_db, tmp_path):
    lake = tmp_path / "lake"
    _day(lake, "2026-12-01", fixture_extractions())
    _day(lake, "2026-12-02", [extra_extraction(), changed_extraction()])  # one new article, one changed
    config = Neo4jConfig(uri=neo4j_db.uri, user=neo4j_db.user, password=neo4j_db.password,
                         database=neo4j_db.database)
    with Store(tmp_path / "daily.db") as store:
        import_lake(lake, store, until="2026-12-01")
        first = load_store(store, config)
        report = import_lake(lake, store, since="2026-12-02")
        assert sorted((r.article_id, r.status) for r in report.results) == sorted(
            [(extra_extraction().article.id, "new"), (changed_extraction().article.id, "replaced")])
        delta = load_store(store, config)
        again = load_store(store, config)
    assert first.articles_new == 6
    assert delta.articles_new == 1 and delta.articles_changed == 1 and delta.articles_unchanged == 5
    assert not again.changed and again.batches == 0 and again.nodes_updated == again.relationships_updated == 0
    with Store(tmp_path / "full.db") as full:
        import_lake(lake, full)
        assert neo4j_graph(neo4j_db.driver) == expected_graph(full)
