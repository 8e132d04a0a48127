"""Writing one ingest date of the lake with pyarrow: staged, then swapped in whole.

Layout: ``LAKE/<table>/ingest_date=YYYY-MM-DD/part-0.parquet`` for every table of
:data:`~graphbuild.lake.tables.TABLES`, and ``LAKE/_graphbuild.json``, the manifest
(format version, graphbuild version, model, and per ingest date the row counts and
the engine that wrote it).  Rows are streamed into files under ``LAKE/_staging/``;
:meth:`LakeWriter.commit` moves each table's partition into place, replacing the
partition a previous run wrote for the same date (a re-run replaces, never
duplicates).  An interrupted run leaves only its staging directory, which readers never see.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from .. import __version__
from ..errors import GraphbuildError
from .tables import FORMAT_VERSION, TABLES, Rows, arrow_schema

__all__ = ["MANIFEST", "LakeError", "LakeWriter", "check_date", "is_uri", "lake_fs", "partition_dir", "read_manifest",
           "record_partition", "today"]

MANIFEST = "_graphbuild.json"

#: Rows buffered per table before they go to the Parquet file as one row group.
_FLUSH_ROWS = 20_000


class LakeError(GraphbuildError):
    """The lake cannot be read or written (the message names the path and why)."""


def today() -> str:
    """Today's date in UTC, the default ingest date."""
    return datetime.now(timezone.utc).date().isoformat()


def check_date(value: str) -> str:
    """An ingest date as ``YYYY-MM-DD``, or :class:`LakeError`.

    >>> check_date("2026-12-07")
    '2026-12-07'
    >>> check_date("2026-13-01")
    Traceback (most recent call last):
    ...
    graphbuild.lake.writer.LakeError: ingest date '2026-13-01' is not a valid YYYY-MM-DD date
    """
    try:
        return datetime.strptime(value, "%Y-%m-%d").date().isoformat()
    except ValueError:
        raise LakeError(f"ingest date {value!r} is not a valid YYYY-MM-DD date") from None


def partition_dir(root: Path, table: str, ingest_date: str) -> Path:
    """Where one table's partition of one ingest date lives."""
    return root / table / f"ingest_date={ingest_date}"


def model_name() -> str:
    """The spaCy model package and version the extraction uses (for the manifest)."""
    from importlib.metadata import PackageNotFoundError, version

    from ..nlp.model import find_model

    name = find_model()
    try:
        return f"{name}=={version(name.replace('_', '-'))}"
    except PackageNotFoundError:  # pragma: no cover - a model installed without metadata
        return name


def is_uri(root: str | os.PathLike[str]) -> bool:
    """Whether ``root`` names a lake by URI (``s3://``, ``hdfs://``, ``gs://``, ``file://``): read through pyarrow.fs.

    >>> is_uri("s3://bucket/lake"), is_uri("file:///data/lake"), is_uri("lake/")
    (True, True, False)
    """
    return isinstance(root, str) and "://" in root


def lake_fs(root: str):  # -> tuple[pyarrow.fs.FileSystem, str]
    """The pyarrow filesystem of a lake URI and the lake's path on it; :class:`LakeError` names a bad URI."""
    from pyarrow import fs

    try:
        filesystem, path = fs.FileSystem.from_uri(root)
    except (ValueError, OSError) as exc:
        raise LakeError(f"{root}: cannot open the lake: {' '.join(str(exc).split())}") from None
    return filesystem, path.rstrip("/")


def read_manifest(root: str | os.PathLike[str]) -> dict:
    """The lake's manifest (an empty one for a new lake); :class:`LakeError` if it is another format."""
    if is_uri(root):
        filesystem, base = lake_fs(root)
        path = f"{root.rstrip('/')}/{MANIFEST}"
        try:
            with filesystem.open_input_stream(f"{base}/{MANIFEST}") as fh:
                text = fh.read().decode("utf-8")
        except FileNotFoundError:
            return {"format": FORMAT_VERSION, "partitions": {}}
        except OSError as exc:
            raise LakeError(f"{path}: cannot read the lake manifest: {exc}") from None
    else:
        path = Path(root) / MANIFEST
        if not path.exists():
            return {"format": FORMAT_VERSION, "partitions": {}}
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise LakeError(f"{path}: cannot read the lake manifest: {exc}") from None
    try:
        manifest = json.loads(text)
    except ValueError as exc:
        raise LakeError(f"{path}: cannot read the lake manifest: {exc}") from None
    if manifest.get("format") != FORMAT_VERSION:
        raise LakeError(f"{path}: lake format {manifest.get('format')!r} is not supported (expected {FORMAT_VERSION})")
    return manifest


def record_partition(root: str | os.PathLike[str], ingest_date: str, counts: Mapping[str, int], engine: str,
                     batch_size: int) -> None:
    """Record one written ingest date in the manifest (locally: a temporary file, then renamed; on a URI:
    one write through pyarrow.fs, which an object store makes whole or not at all)."""
    manifest = read_manifest(root)
    manifest.update({"format": FORMAT_VERSION, "graphbuild": __version__, "model": model_name(),
                     "tables": list(TABLES)})
    manifest.setdefault("partitions", {})[ingest_date] = {
        "engine": engine, "batch_size": batch_size, "rows": dict(counts),
        "written_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    manifest["partitions"] = dict(sorted(manifest["partitions"].items()))
    text = json.dumps(manifest, indent=2, sort_keys=True) + "\n"
    if is_uri(root):
        filesystem, base = lake_fs(root)
        try:
            with filesystem.open_output_stream(f"{base}/{MANIFEST}") as fh:
                fh.write(text.encode("utf-8"))
        except OSError as exc:
            raise LakeError(f"{root}: cannot write the lake manifest: {exc}") from None
        return
    root = Path(root)
    tmp = root / f".{MANIFEST}.{uuid.uuid4().hex}"
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, root / MANIFEST)


@dataclass
class LakeWriter:
    """Streams one ingest date's rows into staged Parquet files; :meth:`commit` swaps them in.

    Use as a context manager: leaving it with an exception removes the staged files and
    leaves the lake as it was.
    """

    root: Path
    ingest_date: str
    engine: str = "in-process"
    batch_size: int = 32
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TABLES, 0))

    def __post_init__(self) -> None:
        if is_uri(self.root):
            if not str(self.root).startswith("file://"):
                raise LakeError(f"{self.root}: this process writes a lake on a local or mounted directory; "
                                "write s3:// or hdfs:// lakes with --engine spark")
            self.root = Path(lake_fs(str(self.root))[1])
        self.root = Path(self.root)
        self.ingest_date = check_date(self.ingest_date)
        read_manifest(self.root)  # refuse another format before any work
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            self._stage = self.root / "_staging" / uuid.uuid4().hex
            self._stage.mkdir(parents=True)
        except OSError as exc:
            raise LakeError(f"{self.root}: cannot write the lake: {exc.strerror or exc}") from None
        self._buffers: dict[str, list[dict]] = {t: [] for t in TABLES}
        self._writers: dict = {}

    def add(self, rows: Rows) -> None:
        """Append one article's (or problem's) rows."""
        for table, table_rows in rows.items():
            if table_rows:
                self._buffers[table].extend(table_rows)
                self.counts[table] += len(table_rows)
                if len(self._buffers[table]) >= _FLUSH_ROWS:
                    self._flush(table)

    def _flush(self, table: str) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        schema = arrow_schema(table)
        writer = self._writers.get(table)
        if writer is None:
            part = self._stage / table
            part.mkdir()
            writer = self._writers[table] = pq.ParquetWriter(part / "part-0.parquet", schema, compression="zstd")
        writer.write_table(pa.Table.from_pylist(self._buffers[table], schema=schema))
        self._buffers[table].clear()

    def commit(self) -> dict[str, int]:
        """Close the files and replace this ingest date's partitions; returns the rows per table."""
        for table in TABLES:
            self._flush(table)  # every table gets its file, empty or not
            self._writers.pop(table).close()
        try:
            for table in TABLES:
                dest = partition_dir(self.root, table, self.ingest_date)
                dest.parent.mkdir(parents=True, exist_ok=True)
                old = dest.with_name(f".old-{dest.name}-{uuid.uuid4().hex}")
                if dest.exists():
                    dest.rename(old)
                (self._stage / table).rename(dest)
                shutil.rmtree(old, ignore_errors=True)
            record_partition(self.root, self.ingest_date, self.counts, self.engine, self.batch_size)
        except OSError as exc:
            raise LakeError(f"{self.root}: cannot write the lake: {exc.strerror or exc}") from None
        finally:
            self._cleanup()
        return dict(self.counts)

    def abort(self) -> None:
        """Drop everything staged; the lake stays as it was."""
        for writer in self._writers.values():
            writer.close()
        self._writers.clear()
        self._cleanup()

    def _cleanup(self) -> None:
        shutil.rmtree(self._stage, ignore_errors=True)
        try:
            self._stage.parent.rmdir()  # unless another writer is staging too
        except OSError:
            pass

    def __enter__(self) -> LakeWriter:
        return self

    def __exit__(self, exc_type, *exc: object) -> None:
        if exc_type is not None:
            self.abort()
