"""A lake named by URI (``s3://``, ``hdfs://``, ``file://``): the manifest and the partitions go through pyarrow.fs.

No network: ``file://`` is pyarrow's LocalFileSystem, and an ``s3://`` lake is played by a pyarrow
``SubTreeFileSystem`` over a temporary folder (the reader and writer only ever see the filesystem object
and the path :func:`graphbuild.lake.writer.lake_fs` gives them).
"""

from __future__ import annotations

import pytest
from graphdata import changed_extraction, extra_extraction, fixture_extractions
from typer.testing import CliRunner

from graphbuild.cli import app
from graphbuild.lake import LakeWriter, import_lake, lake_dates, outcome_rows, read_manifest, read_partition
from graphbuild.lake import reader, writer
from graphbuild.lake.writer import LakeError, record_partition
from graphbuild.store import Store
from storedump import dump

runner = CliRunner()


def _day(root, day, extractions) -> None:
    with LakeWriter(root, day) as w:
        for seq, ex in enumerate(extractions):
            w.add(outcome_rows(seq, ex.article, ex))
        w.commit()


def test_a_file_uri_lake_is_written_and_imported_like_a_directory(tmp_path):
    uri = (tmp_path / "lake").as_uri()
    _day(uri, "2026-12-01", fixture_extractions())  # file:// written in process: the same folder
    _day(tmp_path / "lake", "2026-12-02", [extra_extraction(), changed_extraction()])
    assert read_manifest(uri) == read_manifest(tmp_path / "lake")
    assert sorted(read_manifest(uri)["partitions"]) == lake_dates(uri) == ["2026-12-01", "2026-12-02"]
    assert read_partition(uri, "2026-12-02") == read_partition(tmp_path / "lake", "2026-12-02")
    res = runner.invoke(app, ["store", "import", "--lake", uri, "--db", str(tmp_path / "u.db"), "--json"])
    assert res.exit_code == 0, res.output
    with Store(tmp_path / "d.db") as store:
        import_lake(tmp_path / "lake", store)
    assert dump(tmp_path / "u.db") == dump(tmp_path / "d.db")


def test_an_object_store_lake_through_a_pyarrow_filesystem(tmp_path, monkeypatch):
    from pyarrow import fs

    bucket = tmp_path / "bucket"
    bucket.mkdir()
    seen: list[str] = []

    def fake_lake_fs(root: str):
        assert root.startswith("s3://bucket/")
        seen.append(root)
        return fs.SubTreeFileSystem(str(bucket), fs.LocalFileSystem()), root.removeprefix("s3://bucket/").rstrip("/")

    monkeypatch.setattr(writer, "lake_fs", fake_lake_fs)
    monkeypatch.setattr(reader, "lake_fs", fake_lake_fs)
    uri = "s3://bucket/news/lake"
    assert read_manifest(uri) == {"format": 1, "partitions": {}}  # a new lake
    # the partitions as Spark would put them there; the manifest written through the filesystem object
    _day(bucket / "news" / "lake", "2026-12-01", fixture_extractions())
    (bucket / "news" / "lake" / "_graphbuild.json").unlink()
    record_partition(uri, "2026-12-01", {"articles": 6}, "spark", 32)
    manifest = read_manifest(uri)
    assert manifest["partitions"]["2026-12-01"]["engine"] == "spark" and manifest["format"] == 1
    assert lake_dates(uri) == ["2026-12-01"]
    with Store(tmp_path / "s3.db") as store:
        report = import_lake(uri, store)
    assert len(report.results) == 6
    with Store(tmp_path / "local.db") as store:
        import_lake(bucket / "news" / "lake", store)
    assert dump(tmp_path / "s3.db") == dump(tmp_path / "local.db")
    assert seen  # every read above went through the filesystem object
    with pytest.raises(LakeError, match="^s3://bucket/news/other: not a graphbuild lake"):
        lake_dates("s3://bucket/news/other")


def test_an_object_store_lake_is_written_by_spark_not_in_process(tmp_path):
    with pytest.raises(LakeError) as err:
        LakeWriter("s3://bucket/lake", "2026-12-01")
    assert str(err.value) == ("s3://bucket/lake: this process writes a lake on a local or mounted directory; "
                              "write s3:// or hdfs:// lakes with --engine spark")
