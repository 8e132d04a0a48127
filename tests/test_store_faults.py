"""Real faults around the store and the files graphbuild writes: a damaged store, a read-only folder, a full disk.

Each failure is one line naming the path and the reason, exit code 1; nothing is half
written (no temporary file left, a CSV import set whole or not at all); what was committed
stays.  The read-only folder and the full disk are real mounts (see tests/faults.py).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from faults import damage_table, limited_runner, read_only_runner
from graphdata import build_fixture_store, extra_extraction
from randomcorpus import build_random_store
from typer.testing import CliRunner

from graphbuild.cli import app
from graphbuild.errors import StoreError
from graphbuild.models import Extraction
from graphbuild.pipeline import ingest
from graphbuild.store import Store


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _damage_message(path: Path, reason: str) -> str:
    saved = path.with_name(path.stem + ".recovered.db")
    return (f"error: {path}: the store is damaged ({reason}); nothing was written. Save what can still be read "
            f"with: sqlite3 {path} .dump | sed '$s/^ROLLBACK.*/COMMIT;/' | sqlite3 {saved} (then use --db {saved})\n")


class _Given:
    """An extractor that returns prepared extractions (the store is under test, not extraction)."""

    def __init__(self, extractions: list[Extraction]) -> None:
        self._by_id = {ex.article.id: ex for ex in extractions}

    def extract_many(self, articles):
        for article in articles:
            yield self._by_id[article.id]


# -- 2. a damaged store ------------------------------------------------------------------------
@pytest.fixture
def damaged(tmp_path) -> Path:
    path = tmp_path / "damaged.db"
    build_fixture_store(path).close()
    damage_table(path, "relations")
    return path


def test_a_read_that_meets_damage_is_one_line_with_the_recovery_command(damaged, tmp_path):
    script = tmp_path / "g.cypher"
    for command in (["export", "-f", "json"], ["analyze"], ["cypher", "-o", str(script)]):
        result = CliRunner().invoke(app, [*command, "--db", str(damaged)])
        assert result.exit_code == 1, (command, result.output)
        assert result.stderr == _damage_message(damaged, "database disk image is malformed"), command
        assert result.stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["damaged.db", "damaged.db-shm", "damaged.db-wal"]


def test_ingest_refuses_to_write_into_a_damaged_store(damaged):
    before = _sha(damaged)
    extra = extra_extraction()
    store = Store(damaged, check=True)
    try:
        with pytest.raises(StoreError) as caught:
            ingest([extra.article], store, _Given([extra]))
    finally:
        store.close()
    assert f"error: {caught.value}\n" == _damage_message(damaged, caught.value.args[0].split("(")[1].split(")")[0])
    assert "damaged" in str(caught.value)
    assert _sha(damaged) == before  # not one page written


def test_the_recovery_command_in_the_message_works(damaged, tmp_path):
    if shutil.which("sqlite3") is None:  # the command is for the user's shell; CI must have one: never skip there
        if os.environ.get("CI"):
            pytest.fail("no sqlite3 shell on this CI machine (apt-get install -y sqlite3)")
        pytest.skip("no sqlite3 shell on this machine")
    result = CliRunner().invoke(app, ["export", "-f", "json", "--db", str(damaged)])
    command = result.stderr.split("with: ")[1].split(" (then use")[0]
    subprocess.run(command, shell=True, check=True, cwd=tmp_path, capture_output=True)
    recovered = damaged.with_name("damaged.recovered.db")
    stats = CliRunner().invoke(app, ["stats", "--json", "--db", str(recovered)])
    assert stats.exit_code == 0, stats.output
    assert json.loads(stats.stdout)["articles"] == 6  # the articles survived; the damaged relations page did not


def test_a_healthy_store_opened_for_reading_is_not_written(tmp_path):
    path = tmp_path / "s.db"
    build_fixture_store(path).close()
    before = _sha(path)
    with Store(path) as store:
        assert store.stats()["articles"] == 6
    assert _sha(path) == before


# -- 3. a read-only folder -----------------------------------------------------------------------
def test_a_store_in_a_read_only_folder_is_read_and_never_written(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    db = folder / "s.db"
    build_fixture_store(db).close()
    (tmp_path / "a.txt").write_text("Russia and China signed a pact in Moscow.\n")
    before = _sha(db)
    run = read_only_runner(folder)
    runs = run([["stats", "--json", "--db", str(db)],
                ["query", "meetings", "--json", "--db", str(db)],
                ["export", "-f", "json", "-o", str(tmp_path / "g.json"), "--db", str(db)],
                ["export", "-f", "json", "-o", str(folder / "g.json"), "--db", str(db)],
                ["ingest", "--workers", "1", str(tmp_path / "a.txt"), "--db", str(db)]], tmp_path)
    stats, query, export, export_inside, ingest_run = runs
    assert stats.returncode == 0, stats.stderr
    assert json.loads(stats.stdout)["articles"] == 6
    assert query.returncode == 0, query.stderr
    assert json.loads(query.stdout)["rows"]
    assert export.returncode == 0, export.stderr
    assert json.loads((tmp_path / "g.json").read_text())["nodes"]
    assert export_inside.returncode == 1
    assert export_inside.stderr in (f"error: cannot write {folder / 'g.json'}: read-only file system\n",
                                    f"error: cannot write {folder / 'g.json'}: permission denied\n")
    assert ingest_run.returncode == 1
    assert ingest_run.stderr == (f"error: {db}: cannot write the store: it was opened read-only "
                                 "(its file or folder cannot be written)\n")
    assert _sha(db) == before
    assert sorted(p.name for p in folder.iterdir()) == ["s.db"]


# -- 3. a full disk --------------------------------------------------------------------------------
def test_exports_to_a_full_disk_fail_in_one_line_leaving_nothing_half_written(tmp_path):
    db = tmp_path / "s.db"
    build_random_store(db).close()  # every export of it is larger than the 100 kB left free
    out = tmp_path / "out"
    out.mkdir()
    first = CliRunner().invoke(app, ["export", "-f", "csv", "-o", str(out / "csv"), "--db", str(db)])
    assert first.exit_code == 0, first.output
    complete = {p.name: p.read_bytes() for p in (out / "csv").iterdir()}
    with Store(db) as store:
        store.write(extra_extraction())  # the next export differs from the set on disk
    run, reason = limited_runner(out, size=4 * 1024 * 1024, free=100_000)
    runs = run([["export", "-f", "csv", "-o", str(out / "csv"), "--db", str(db)],
                ["export", "-f", "csv", "-o", str(out / "csv2"), "--db", str(db)],
                ["export", "-f", "json", "-o", str(out / "g.json"), "--db", str(db)],
                ["export", "-f", "graphml", "-o", str(out / "g.graphml"), "--db", str(db)],
                ["cypher", "-o", str(out / "g.cypher"), "--db", str(db)]], tmp_path)
    for result, target in zip(runs, ["csv", "csv2", "g.json", "g.graphml", "g.cypher"], strict=True):
        assert result.returncode == 1, (result.args, result.stderr)
        assert result.stderr == f"error: cannot write {out / target}: {reason}\n", result.args
    after = tmp_path / ".after"
    # the old CSV set is untouched, no new one began, no temporary file or folder is left
    assert {p.name: p.read_bytes() for p in (after / "csv").iterdir()} == complete
    assert sorted(p.name for p in after.iterdir() if p.name != ".filler") == ["csv"]


def test_ingest_onto_a_full_disk_keeps_what_it_committed_and_says_so(tmp_path):
    folder = tmp_path / "small"
    folder.mkdir()
    db = folder / "s.db"
    build_fixture_store(db).close()
    corpus = tmp_path / "many.jsonl"
    with corpus.open("w") as fh:
        for i in range(200):
            text = f"Russia and China signed a defence pact in Moscow on day {i}. " * 30
            fh.write(json.dumps({"id": f"a{i:03d}", "text": text + "Vladimir Putin met Xi Jinping."}) + "\n")
    run, reason = limited_runner(folder, size=2 * 1024 * 1024, free=400_000)
    ingest_run, = run([["ingest", "--workers", "1", "--batch-size", "4", str(corpus), "--db", str(db)]], tmp_path)
    assert ingest_run.returncode == 1
    lines = ingest_run.stderr.splitlines()
    assert len(lines) == 1, ingest_run.stderr
    if reason == "no space left on device":
        assert lines[0] == (f"error: {db}: cannot write the store: the disk is full (database or disk is full); "
                            "everything committed before is kept")
    else:
        assert lines[0].startswith(f"error: {db}: cannot write the store: disk I/O error")
    kept = tmp_path / ".after" / "s.db"
    con = sqlite3.connect(kept)
    try:
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        ids = [r[0] for r in con.execute("SELECT id FROM articles WHERE id LIKE 'a%' ORDER BY id")]
    finally:
        con.close()
    # whole batches of four were committed before the disk filled, in input order
    assert ids == [f"a{i:03d}" for i in range(len(ids))] and len(ids) % 4 == 0 and 0 < len(ids) < 200
