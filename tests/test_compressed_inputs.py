"""Compressed inputs (``.gz``, ``.bz2``, ``.xz``) read like their plain forms; inputs that yield nothing say so."""

from __future__ import annotations

import bz2
import gzip
import json
import lzma
from pathlib import Path

from typer.testing import CliRunner

from graphbuild.cli import app
from graphbuild.models import Article, InputProblem
from graphbuild.sources import read_inputs
from graphbuild.store import Store

TEXT = "Russia and China sign a pact\n\nRussia and China signed a defence pact in Moscow on Monday.\n"
RECORDS = [{"id": "r1", "title": "Talks", "date": "2024-05-01", "text": "Vladimir Putin met Xi Jinping in Beijing."},
           {"id": "r2", "text": "Iran sent drones to Russia."}]
HTML = ("<html><head><title>Summit</title></head><body><article><h1>Summit</h1><p>"
        + "Emmanuel Macron met Olaf Scholz in Berlin to discuss aid to Ukraine. " * 3 + "</p></article></body></html>")
FILES = {
    "a.txt": TEXT.encode(),
    "b.jsonl": "".join(json.dumps(r) + "\n" for r in RECORDS).encode(),
    "c.json": json.dumps({"id": "r3", "text": "Turkey bought missiles from Russia."}).encode(),
    "d.html": HTML.encode(),
}
COMPRESS = {".gz": gzip.compress, ".bz2": bz2.compress, ".xz": lzma.compress}


def _plain(tmp_path: Path) -> Path:
    folder = tmp_path / "plain"
    folder.mkdir()
    for name, data in FILES.items():
        (folder / name).write_bytes(data)
    return folder


def _compressed(tmp_path: Path, ext: str) -> Path:
    folder = tmp_path / ext.strip(".")
    folder.mkdir()
    for name, data in FILES.items():
        (folder / (name + ext)).write_bytes(COMPRESS[ext](data))
    return folder


def _content(items) -> list[tuple]:
    out = []
    for item in items:
        assert isinstance(item, Article), item
        out.append((item.id, item.title, item.date, item.text, Path(item.origin.split("#")[0]).name.split(".")[0]))
    return out


def test_every_compression_reads_like_the_plain_files(tmp_path):
    plain = _content(read_inputs([_plain(tmp_path)]))
    assert len(plain) == 5
    for ext in COMPRESS:
        assert _content(read_inputs([_compressed(tmp_path, ext)])) == plain, ext


def test_damaged_and_truncated_compressed_files_are_one_problem_each(tmp_path):
    good = gzip.compress(FILES["b.jsonl"])
    (tmp_path / "cut.jsonl.gz").write_bytes(good[: len(good) // 2])
    (tmp_path / "junk.txt.xz").write_bytes(b"this is not xz data at all")
    (tmp_path / "ok.txt.bz2").write_bytes(bz2.compress(FILES["a.txt"]))
    items = list(read_inputs([tmp_path]))
    problems = [i for i in items if isinstance(i, InputProblem)]
    assert [i.id for i in items if isinstance(i, Article)][-1:] != []  # the good file is still read
    assert [(Path(p.origin).name, p.reason) for p in problems] == [
        ("cut.jsonl.gz:1", "damaged gz data (truncated)"),
        ("junk.txt.xz", "damaged xz data (input format not supported by decoder)"),
    ]


def test_the_size_limit_counts_decompressed_bytes(tmp_path):
    (tmp_path / "bomb.txt.gz").write_bytes(gzip.compress(b"Russia. " * 100_000))  # 800 kB from ~2 kB
    items = list(read_inputs([tmp_path / "bomb.txt.gz"], max_bytes=10_000))
    assert items == [InputProblem(str(tmp_path / "bomb.txt.gz"), "file too large (800000 bytes > limit 10000)")]


def test_ingest_of_a_folder_of_compressed_news(tmp_path):
    folder = _compressed(tmp_path, ".gz")
    db = tmp_path / "g.db"
    result = CliRunner().invoke(app, ["ingest", "--workers", "1", "--json", "--db", str(db), str(folder)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["articles"] == {"new": 5, "replaced": 0, "unchanged": 0, "failed": 0}
    with Store(db) as store:
        assert store.stats()["articles"] == 5


def test_a_folder_with_nothing_to_read_says_so(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.docx").write_bytes(b"PK")
    (empty / "archive.zip").write_bytes(b"PK")
    result = CliRunner().invoke(app, ["ingest", "--workers", "1", "--db", str(tmp_path / "g.db"), str(empty)])
    assert result.exit_code == 1
    assert result.stderr == (f"error: {empty}: no input files here (readable: .atom .htm .html .json .jsonl .md "
                             ".ndjson .rss .txt .xml, also compressed as .gz .bz2 .xz)\n")


def test_a_json_array_over_the_limit_points_to_json_lines(tmp_path):
    data = json.dumps([{"text": f"Iran sent drones to Russia, day {i}."} for i in range(300)]).encode()
    (tmp_path / "big.json.gz").write_bytes(gzip.compress(data))
    items = list(read_inputs([tmp_path / "big.json.gz"], max_bytes=4096))
    assert items == [InputProblem(str(tmp_path / "big.json.gz"), (
        f"file too large ({len(data)} bytes > limit 4096); a .json file is read whole: give big corpora as "
        "JSON Lines (.jsonl, one article a line, streamed)"))]
