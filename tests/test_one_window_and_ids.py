"""Regression tests for two bugs that came from duplicated logic: the date window and non-Latin ids.

* ``graphbuild viz --until 2024-03`` dropped every March article while ``analyze --until
  2024-03`` kept them; now one :class:`DateWindow` means "to the end of March" everywhere.
* the gazetteer had its own ``slugify`` that turned every non-Latin name into ``x``, so
  entries without an id collided on ``person:x``; now one ``canonical_id`` serves both paths.
"""

from __future__ import annotations

import json

import pytest
from spine_helpers import FakeExtractor
from typer.testing import CliRunner

from graphbuild.cli import app
from graphbuild.extract.gazetteer import Gazetteer
from graphbuild.models import Article
from graphbuild.ontology import canonical_id, slugify
from graphbuild.pipeline import ingest
from graphbuild.queries import bind_params, load_catalogue
from graphbuild.store import DateWindow, Store

DATED = [("feb", "Ardor meets Belmark.", "2024-02-20"), ("mar", "Corvania meets Dunmere.", "2024-03-15"),
         ("mar-end", "Ardor meets Dunmere.", "2024-03-31"), ("apr", "Belmark meets Corvania.", "2024-04-01")]


@pytest.fixture()
def dated_db(tmp_path):
    path = tmp_path / "w.db"
    with Store(path) as store:
        ingest([Article(id=a, text=t, title=a, date=d, origin=f"{a}.txt") for a, t, d in DATED], store,
               FakeExtractor())
    return path


def test_viz_until_a_month_keeps_that_month(dated_db, tmp_path):
    run = CliRunner().invoke(app, ["viz", "-o", str(tmp_path / "g.html"), "--db", str(dated_db),
                                   "--until", "2024-03", "--json"])
    assert run.exit_code == 0, run.output
    assert json.loads(run.stdout)["edges"] == 3  # February and both March articles, not April


def test_analyze_and_viz_agree_on_a_window(dated_db, tmp_path):
    for since, until, edges in (("2024-03", "2024-03", 2), ("2024", "2024", 4), ("2024-03-31", None, 2)):
        args = ["--db", str(dated_db), "--since", since, "--json"] + (["--until", until] if until else [])
        viz = CliRunner().invoke(app, ["viz", "-o", str(tmp_path / "g.html"), *args])
        analyze = CliRunner().invoke(app, ["analyze", *args])
        assert viz.exit_code == analyze.exit_code == 0, viz.output + analyze.output
        assert json.loads(viz.stdout)["edges"] == json.loads(analyze.stdout)["overview"]["relations"] == edges


def test_a_wrong_date_is_one_line_naming_the_flag_in_every_command(dated_db, tmp_path):
    for cmd in (["viz", "-o", str(tmp_path / "g.html")], ["analyze"]):
        run = CliRunner().invoke(app, [*cmd, "--db", str(dated_db), "--until", "2024-02-30"])
        assert run.exit_code == 1
        assert run.stderr.strip() == "error: --until 2024-02-30: expected a date YYYY-MM-DD (or YYYY-MM, YYYY)"


def test_the_window_means_the_same_in_the_store_and_the_offline_queries(dated_db):
    window = DateWindow.parse("2024-03", "2024-03")
    with Store(dated_db) as store:
        in_store = sorted(r.evidence.article_id for r in store.evidence(window))
    assert in_store == ["mar", "mar-end"]
    assert [d for _, _, d in DATED if window.contains(d)] == ["2024-03-15", "2024-03-31"]
    timeline = load_catalogue()["timeline"]
    assert bind_params(timeline, ["actor=Ardor", "until=2024-03"])["until"] == "2024-03"


@pytest.mark.parametrize("names", [
    ("Владимир Путин", "Владимир Петров", "Владислав Сурков"),
    ("习近平", "李强", "王毅"),
    ("محمد بن سلمان", "محمد بن زايد", "عبد الله الثاني"),
])
def test_non_latin_names_get_distinct_stable_ids(names):
    ids = [canonical_id("Person", n) for n in names]
    assert len(set(ids)) == len(ids)
    assert all(i.startswith("person:") and i != "person:x" for i in ids)
    assert ids == [canonical_id("Person", n) for n in names]  # stable


def test_gazetteer_and_ner_paths_give_one_id_to_one_name(tmp_path):
    user = tmp_path / "people.jsonl"
    user.write_text("\n".join(json.dumps({"name": n, "type": "Person"}, ensure_ascii=False)
                              for n in ("Иван Сидоров", "Пётр Сидоров", "张伟")) + "\n", encoding="utf-8")
    gaz = Gazetteer.load([user])
    ids = {e.name: e.id for e in gaz.entries("Person") if e.name in ("Иван Сидоров", "Пётр Сидоров", "张伟")}
    assert ids == {"Иван Сидоров": "person:ivan-sidorov", "Пётр Сидоров": "person:petr-sidorov", "张伟": "person:zhangwei"}
    assert all(ids[n] == canonical_id("Person", n) for n in ids)
    assert slugify("Łukasz Kowalski") == "lukasz-kowalski"  # NFKD alone dropped the Ł
