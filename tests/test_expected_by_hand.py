"""Outputs checked against values written by hand for the fixture corpus (tests/graphdata.py), not
computed by the production row builders they check (issue 19: tests that can fail).

The fixture's 32 evidence rows give 29 relations; by hand, after symmetric types (MEETS,
COOPERATES_WITH, SIGNS_AGREEMENT_WITH) put their ends in id order:
"""

from __future__ import annotations

import csv
import json

import pytest
from graphdata import ENTITIES, build_fixture_store, fixture_extractions
from typer.testing import CliRunner

from graphbuild import cli
from graphbuild.models import Article, Entity, Extraction, Mention
from graphbuild.sinks.neo4j import Neo4jConfig, load_store
from graphbuild.store import Store

runner = CliRunner()

KIM, PUTIN, XI, SHOIGU = "person:kim-jong-un", "person:vladimir-putin", "person:xi-jinping", "person:sergei-shoigu"
RUS, PRK, UKR, CHN, USA, MLI = (f"country:{c}" for c in ("RUS", "PRK", "UKR", "CHN", "USA", "MLI"))
NATO = "org:nato"
#: (type, subject, object): (evidence count, best modality, first date, last date)
RELATIONS = {
    ("MEETS", KIM, PUTIN): (3, "asserted", "2023-09-13", "2024-07-10"),  # asserted twice, possible once
    ("VISITS", KIM, "loc:vostochny-cosmodrome"): (1, "asserted", "2023-09-13", "2023-09-13"),
    ("SUPPORTS", RUS, PRK): (1, "promised", "2023-09-13", "2023-09-13"),
    ("SUPPLIES_ARMS_TO", PRK, RUS): (2, "asserted", "2023-09-13", "2023-10-20"),  # possible, then asserted
    ("LOCATED_IN", "loc:vostochny-cosmodrome", RUS): (1, "asserted", "2023-09-13", "2023-09-13"),
    ("LEADER_OF", PUTIN, RUS): (1, "asserted", "2023-09-13", "2023-09-13"),
    ("MEETS", PRK, RUS): (1, "asserted", "2023-09-13", "2023-09-13"),  # the inferred one
    ("CRITICIZES", USA, PRK): (1, "asserted", "2023-10-20", "2023-10-20"),
    ("SANCTIONS", USA, PRK): (1, "promised", "2023-10-20", "2023-10-20"),
    ("ATTACKS", RUS, UKR): (1, "asserted", "2023-12-29", "2023-12-29"),
    ("CRITICIZES", UKR, RUS): (1, "asserted", "2023-12-29", "2023-12-29"),
    ("LEADER_OF", "person:volodymyr-zelensky", UKR): (1, "asserted", "2023-12-29", "2023-12-29"),
    ("THREATENS", RUS, UKR): (1, "possible", "2023-12-29", "2023-12-29"),
    ("MEETS", PUTIN, XI): (1, "asserted", "2024-03-05", "2024-03-05"),
    ("COOPERATES_WITH", CHN, RUS): (1, "promised", "2024-03-05", "2024-03-05"),
    ("SIGNS_AGREEMENT_WITH", CHN, RUS): (1, "asserted", "2024-03-05", "2024-03-05"),
    ("SUPPLIES_ARMS_TO", CHN, RUS): (1, "denied", "2024-03-05", "2024-03-05"),
    ("REPRESENTS", "person:wang-yi", CHN): (1, "asserted", "2024-03-05", "2024-03-05"),
    ("LOCATED_IN", "loc:site-x-return-1-q-end", CHN): (1, "asserted", "2024-03-05", "2024-03-05"),
    ("SUPPLIES_ARMS_TO", RUS, MLI): (1, "asserted", "2024-05-18", "2024-05-18"),
    ("MEETS", KIM, SHOIGU): (1, "asserted", "2024-05-18", "2024-05-18"),
    ("VISITS", SHOIGU, PRK): (1, "asserted", "2024-05-18", "2024-05-18"),
    ("REPRESENTS", SHOIGU, RUS): (1, "asserted", "2024-05-18", "2024-05-18"),
    ("SUPPORTS", "org:wagner-group", MLI): (1, "asserted", "2024-05-18", "2024-05-18"),
    ("SUPPLIES_ARMS_TO", USA, UKR): (1, "promised", "2024-07-10", "2024-07-10"),
    ("MEMBER_OF", UKR, NATO): (1, "denied", "2024-07-10", "2024-07-10"),
    ("CRITICIZES", USA, RUS): (1, "asserted", "2024-07-10", "2024-07-10"),
    ("THREATENS", RUS, NATO): (1, "asserted", "2024-07-10", "2024-07-10"),
    ("COOPERATES_WITH", UKR, USA): (1, "asserted", "2024-07-10", "2024-07-10"),
}


def test_the_table_above_is_complete():
    assert len(RELATIONS) == 29 and sum(c for c, *_ in RELATIONS.values()) == 32


def test_stats_json_counts_relations_by_their_best_modality(fixture_db):
    res = runner.invoke(cli.app, ["stats", "--json"])
    assert res.exit_code == 0, res.stderr
    by_type: dict[str, dict[str, int]] = {}
    for (rtype, _s, _o), (_n, modality, _f, _l) in RELATIONS.items():
        by_type.setdefault(rtype, {}).setdefault(modality, 0)
        by_type[rtype][modality] += 1
    stats = json.loads(res.stdout)
    assert stats["relations_by_type"] == by_type
    assert stats["relations_by_type"]["MEETS"] == {"asserted": 4}  # not "possible": asserted ranks first
    assert stats["relations_by_type"]["SUPPLIES_ARMS_TO"] == {"asserted": 2, "denied": 1, "promised": 1}
    assert (stats["articles"], stats["entities"], stats["relations"], stats["evidence"]) == (6, 21, 29, 32)
    assert stats["entities_by_type"] == {"Person": 6, "Country": 6, "Organization": 3, "Location": 2, "Weapon": 4}


@pytest.mark.neo4j
def test_neo4j_holds_exactly_the_relations_written_by_hand(neo4j_db, tmp_path):
    store = build_fixture_store(tmp_path / "g.db")
    load_store(store, Neo4jConfig(uri=neo4j_db.uri, user=neo4j_db.user, password=neo4j_db.password))

    def rows(query: str) -> list[tuple]:
        records, _, _ = neo4j_db.driver.execute_query(query, database_=neo4j_db.database)
        return sorted(tuple(r.values()) for r in records)

    # a list, not a dict: a relationship that is there twice shows twice
    got = rows("MATCH (s:Entity)-[r]->(o:Entity) WHERE NOT type(r) IN ['MENTIONS', 'IN_ARTICLE', 'SUPPLIES_ITEM'] "
               "RETURN type(r), s.id, o.id, r.count, r.modality, r.first_date, r.last_date")
    assert got == sorted((*key, *value) for key, value in RELATIONS.items())
    # the weapons each supplier's arms relations carry, with that relation's modality
    assert rows("MATCH (s:Entity)-[x:SUPPLIES_ITEM]->(w:Entity) RETURN s.id, w.id, x.modality") == sorted([
        (PRK, "weapon:artillery-ammunition", "asserted"), (PRK, "weapon:ballistic-missiles", "asserted"),
        (CHN, "weapon:drones", "denied"), (RUS, "weapon:anti-tank-missiles", "asserted"),
        (RUS, "weapon:drones", "asserted"), (USA, "weapon:anti-tank-missiles", "promised")])
    assert rows("MATCH (n) UNWIND labels(n) AS l RETURN l, count(*)") == [
        ("Article", 6), ("Country", 6), ("Entity", 21), ("Evidence", 32), ("Location", 2), ("Organization", 3),
        ("Person", 6), ("Top10", 10), ("Top100", 6), ("Weapon", 4)]  # ranked: the 16 actors with relations
    assert rows("MATCH (:Evidence)-[r:IN_ARTICLE]->(:Article) RETURN count(r)") == [(32,)]
    arms = rows("MATCH (:Entity {id: 'country:PRK'})-[r:SUPPLIES_ARMS_TO]->() RETURN r.items, r.modalities")
    assert arms == [(["weapon:artillery-ammunition", "weapon:ballistic-missiles"], ["asserted", "possible"])]


class _Replay:
    """An extractor that gives the fixture's hand-built extraction of each article it is given."""

    def __init__(self) -> None:
        self.by_id = {ex.article.id: ex for ex in fixture_extractions()}

    def extract_many(self, articles):
        for article in articles:
            ex = self.by_id[article.id]
            yield Extraction(article, ex.entities, ex.mentions, ex.relations)


def test_ingest_json_lists_every_alias(tmp_path, monkeypatch):
    monkeypatch.setattr(cli, "_make_ingest_extractor", lambda *args: _Replay())
    src = tmp_path / "news.jsonl"
    src.write_text("".join(json.dumps({"id": ex.article.id, "text": ex.article.text}) + "\n"
                           for ex in fixture_extractions()), encoding="utf-8")
    res = runner.invoke(cli.app, ["ingest", str(src), "--db", str(tmp_path / "g.db"), "--json"])
    assert res.exit_code == 0, res.stderr
    out = json.loads(res.stdout)
    got = {e["id"]: (e["type"], e["name"], e["aliases"], e["iso3"]) for e in out["entities"]}
    assert got == {i: (e.type, e.name, list(e.aliases), e.iso3) for i, e in ENTITIES.items()}
    assert got["country:RUS"][2] == ["Russian", "Moscow", "the Kremlin"]
    assert out["articles"] == {"new": 6, "replaced": 0, "unchanged": 0, "failed": 0} and out["relations"] == 32


def test_csv_export_turns_a_semicolon_inside_an_alias_into_a_comma(tmp_path):
    text = "Ardor met Belmark."
    ex = Extraction(Article("a1", text), (Entity("country:ARD", "Country", "Ardor", ("Ardor;North", "ARD"), "ARD"),),
                    (Mention("country:ARD", "Ardor", 0, 5),))
    db = tmp_path / "g.db"
    with Store(db) as store:
        store.write(ex)
    out = tmp_path / "csv"
    res = runner.invoke(cli.app, ["export", "--format", "csv", "-o", str(out), "--db", str(db)])
    assert res.exit_code == 0, res.stderr
    with (out / "entities_Country.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 1
    assert sorted(rows[0]["aliases:string[]"].split(";")) == ["ARD", "Ardor,North"]
    assert rows[0]["id:ID(Entity)"] == "country:ARD" and rows[0][":LABEL"] == "Entity;Country"
