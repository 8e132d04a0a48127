"""Claims, event dates and corroboration without the model (issue 15).

Event dates of invented sentences against invented publication dates (weekday arithmetic across
month and year boundaries, months and years without a day, written and ISO dates, bad article
dates); contested and corroboration on evidence rows; the store's claim columns, their migration,
and the edge every target renders.
"""

from __future__ import annotations

import sqlite3

import pytest
from graphdata import build_fixture_store, claims_extraction

from graphbuild.claims import corroboration, is_contested, noisy_or
from graphbuild.extract.eventdate import EventDate, article_day, event_date
from graphbuild.graph import build_graph, edges
from graphbuild.models import Article, Entity, Evidence, Extraction, Relation
from graphbuild.store import Store


# -- event dates ----------------------------------------------------------------------------
@pytest.mark.parametrize(("sentence", "published", "expected"), [
    # weekdays: the last such day on or before publication (a Friday here: 2024-05-10)
    ("On Tuesday, the two ministers met in Ankara.", "2024-05-10", ("2024-05-07", "day")),
    ("The talks ended on Friday.", "2024-05-10", ("2024-05-10", "day")),
    ("Troops crossed the border on Saturday.", "2024-05-10", ("2024-05-04", "day")),
    # across a month boundary (Wed 2024-05-01 -> Sun 2024-04-28) and a year boundary (Tue 2025-01-02 ...)
    ("The ceasefire collapsed on Sunday.", "2024-05-01", ("2024-04-28", "day")),
    ("On Thursday the envoy arrived.", "2025-01-02", ("2025-01-02", "day")),
    ("On Friday the envoy arrived.", "2025-01-02", ("2024-12-27", "day")),
    ("He left yesterday.", "2024-03-01", ("2024-02-29", "day")),
    ("He left yesterday.", "2025-01-01", ("2024-12-31", "day")),
    # last week / month / year, and "this" ones
    ("Fighting flared last week.", "2024-05-10", ("2024-04-29", "week")),
    ("Fighting flared last month.", "2024-01-15", ("2023-12", "month")),
    ("Fighting flared last year.", "2024-01-15", ("2023", "year")),
    ("Trade grew this year.", "2024-01-15", ("2024", "year")),
    # month names: with a day, with or without a year, alone after a preposition
    ("They met on Aug. 27.", "2024-05-10", ("2023-08-27", "day")),
    ("They met on Aug. 27.", "2024-09-01", ("2024-08-27", "day")),
    ("They met on Aug. 27, 2021.", "2024-05-10", ("2021-08-27", "day")),
    ("They met on 27 August 2021.", "2024-05-10", ("2021-08-27", "day")),
    ("Talks resumed in June.", "2024-03-02", ("2023-06", "month")),
    ("Talks resumed in March.", "2024-03-02", ("2024-03", "month")),
    ("Talks resumed in June 2022.", "2024-03-02", ("2022-06", "month")),
    ("Clashes have continued since mid-2022.", "2024-03-02", ("2022", "year")),
    ("The treaty was signed in 1997.", "2024-03-02", ("1997", "year")),
    ("The treaty was signed on 2019-11-04.", "2024-03-02", ("2019-11-04", "day")),
    # no date in the sentence; words that only look like one
    ("The two sides may meet again.", "2024-03-02", ("", "")),
    ("Protesters march on the capital.", "2024-03-02", ("", "")),
    ("They will meet next Tuesday.", "2024-05-10", ("", "")),
    ("The 2022-23 season ended.", "2024-05-10", ("", "")),
])
def test_event_dates(sentence, published, expected):
    found = event_date(sentence, published)
    assert (found.value, found.precision) == expected


@pytest.mark.parametrize("published", [None, "", "yesterday", "10/05/2024", "2024-13-45", "2024-02-30", "2024"])
def test_bad_or_missing_article_dates_give_no_event_date(published):
    for sentence in ("On Tuesday they met.", "They met yesterday.", "They met on Aug. 27, 2021.", "in June"):
        assert event_date(sentence, published) == EventDate("", "", "")


def test_article_day_accepts_a_time():
    assert str(article_day("2024-05-10T23:59:00+02:00")) == "2024-05-10"
    assert str(article_day("2024-05-10 08:00")) == "2024-05-10"


# -- contested and corroboration --------------------------------------------------------------
def test_contested_needs_two_claimants():
    assert is_contested([("asserted", "country:GHA"), ("denied", "country:TGO")])
    assert is_contested([("asserted", ""), ("denied", "country:TGO")])  # the article's voice vs a denial
    assert is_contested([("possible", "country:COD"), ("denied", "country:RWA")])  # an accusation denied
    assert not is_contested([("asserted", "country:GHA"), ("denied", "country:GHA")])  # one claimant's hedging
    assert not is_contested([("denied", "country:GHA"), ("denied", "country:TGO")])
    assert not is_contested([("asserted", "country:GHA"), ("asserted", "country:TGO")])


def test_two_articles_of_one_outlet_count_once():
    # Reuters twice (0.6, 0.5: counted once at 0.6), AFP once (0.5), an article without outlet (0.2)
    pieces = [("a1", "Reuters", 0.6), ("a2", "Reuters", 0.5), ("a3", "AFP", 0.5), ("a4", None, 0.2),
              ("a1", "Reuters", 0.3)]
    assert corroboration(pieces) == (4, 3, round(1 - 0.4 * 0.5 * 0.8, 4))
    assert noisy_or([0.6, 0.5, 0.2]) == 0.84


# -- the store and the edge -----------------------------------------------------------------------
def _article(aid: str, source: str | None, confidence: float, modality: str = "asserted", who: str = "",
             when: tuple[str, str] = ("", "")) -> Extraction:
    text = "Arnor attacked Gondor."
    art = Article(aid, text, f"title {aid}", "2024-05-10", None, source)
    ents = (Entity("country:ARN", "Country", "Arnor"), Entity("country:GON", "Country", "Gondor"),
            Entity("country:HAR", "Country", "Harad"))
    ev = Evidence(aid, text, 0, len(text), "attack", confidence, who, *when)
    return Extraction(art, ents, (), (Relation("country:ARN", "ATTACKS", "country:GON", modality, ev),))


def test_corroboration_and_contested_in_store_edges_and_networkx(tmp_path):
    with Store(tmp_path / "g.db") as store:
        store.write(_article("a1", "Wire", 0.6, who="country:HAR", when=("2024-05-07", "day")))
        store.write(_article("a2", "Wire", 0.5))
        store.write(_article("a3", "Post", 0.5, "denied", "country:ARN"))
        rows = list(store.evidence())
        assert [(r.article_id, r.claimed_by, r.event_date, r.date_precision, r.source) for r in rows] == [
            ("a1", "country:HAR", "2024-05-07", "day", "Wire"), ("a2", "", "", "", "Wire"),
            ("a3", "country:ARN", "", "", "Post")]
        for with_evidence in (False, True):
            (edge,) = edges(store, evidence=with_evidence)
            assert (edge.contested, edge.articles, edge.outlets, edge.corroboration) == (True, 3, 2, 0.8)
            # one sentence dated 2024-05-07 by its weekday, two by their articles' 2024-05-10
            assert (edge.first_date, edge.last_date, edge.dated_by) == ("2024-05-07", "2024-05-10", "mixed")
        attrs = build_graph(store)["country:ARN"]["country:GON"]["ATTACKS"]
        assert {k: attrs[k] for k in ("contested", "articles", "outlets", "corroboration", "dated_by")} == {
            "contested": True, "articles": 3, "outlets": 2, "corroboration": 0.8, "dated_by": "mixed"}
        assert attrs["evidence"][0]["claimed_by"] == "country:HAR"
        assert attrs["evidence"][0]["event_date"] == "2024-05-07"


def test_an_older_store_opens_with_empty_claims(tmp_path):
    path = tmp_path / "old.db"
    with build_fixture_store(path):
        pass
    db = sqlite3.connect(path)  # forge a store written before issue 15: no claim columns, the old index
    db.executescript("DROP INDEX relations_claims; ALTER TABLE relations DROP COLUMN claimed_by;"
                     " ALTER TABLE relations DROP COLUMN event_date; ALTER TABLE relations DROP COLUMN date_precision;"
                     " CREATE INDEX relations_summary ON relations(subject, predicate, object, modality, article_id,"
                     " confidence, inferred, weight, cameo, items); DROP INDEX articles_id_date_source;"
                     " CREATE INDEX articles_id_date ON articles(id, date); DELETE FROM meta WHERE key = 'schema_ddl';")
    db.close()
    with Store(path) as store:
        rows = list(store.evidence())
        assert rows and {(r.claimed_by, r.event_date, r.date_precision) for r in rows} == {("", "", "")}
        assert not any(e.contested for e in edges(store))
        store.write(claims_extraction())  # new evidence gets its claims
        assert [e.key for e in edges(store) if e.contested] == ["country:TGO|SUPPLIES_ARMS_TO|country:BFA"]
    names = {r[0] for r in sqlite3.connect(path).execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert "relations_claims" in names and "relations_summary" not in names
    assert "articles_id_date_source" in names and "articles_id_date" not in names


def test_the_viz_edge_panel_gets_claims_dates_and_corroboration(tmp_path):
    from graphbuild.sinks import viz

    with build_fixture_store(tmp_path / "g.db") as store:
        store.write(claims_extraction())
        graph = build_graph(store)
        articles = list(store.article_rows())
    payload = viz.graph_payload(graph, articles)
    (arms,) = [e for e in payload["edges"] if e["from"] == "country:TGO" and e["type"] == "SUPPLIES_ARMS_TO"]
    assert {k: arms[k] for k in ("contested", "articles", "outlets", "corroboration", "first_date", "dated_by")} == {
        "contested": True, "articles": 1, "outlets": 1, "corroboration": 0.8, "first_date": "2024-05-07",
        "dated_by": "event"}
    assert [(ev["modality"], ev["claimed_by"], ev["date"], ev["dated_by"]) for ev in arms["evidence"]] == [
        ("asserted", "Ghana", "2024-05-07", "event"), ("denied", "Togo", "2024-05-07", "event")]
    (visit,) = [e for e in payload["edges"] if e["type"] == "VISITS" and e["from"] == "country:TGO"]
    assert [(ev["claimed_by"], ev["date"]) for ev in visit["evidence"]] == [("Western officials", "2024-04")]
    js = (viz._resource("viz.js"))
    assert '["Contested", e.contested' in js and '"Corroboration", e.corroboration' in js
