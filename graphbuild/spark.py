"""Extraction on Apache Spark: the same per-article code, run in Spark's Python workers, into the same lake.

>>> parse_conf(["spark.master=local[2]", "spark.ui.enabled=false"])
{'spark.master': 'local[2]', 'spark.ui.enabled': 'false'}

* :func:`extract` maps a DataFrame of articles (the JSONL columns ``id``, ``text``, ``title``,
  ``date``, ``url``, ``source``; optional ``origin`` and ``seq``) through ``mapInArrow``.  Each
  Python worker builds one :class:`~graphbuild.extract.engine.Extractor` the first time it is
  asked (the model comes from the installed package; only the small configuration and the
  gazetteer files' bytes travel with the task: no spaCy pipeline or ``Doc`` is pickled) and
  reuses it for every later task.  Rows are made by :func:`graphbuild.lake.outcome_rows`, the
  function the in-process ingest uses, so ids, hashes and rows are the same.  An article that
  fails, or runs past the time limit, becomes a ``problems`` row; the task goes on.
* :meth:`Extracted.write` writes one ingest date of the lake (:mod:`graphbuild.lake`),
  replacing what a previous run wrote for that date.
* :func:`ingest_files` is ``graphbuild ingest ... --engine spark --lake DIR``.

pyspark is imported only inside these functions: ``pip install graphbuild`` stays light, and
without pyspark :func:`require_pyspark` says how to install it.
"""

from __future__ import annotations

import hashlib
import math
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .errors import GraphbuildError
from .lake.tables import TABLES, outcome_rows, problem_rows, spark_ddl
from .models import Article, InputProblem

__all__ = ["PYSPARK_HINT", "Extracted", "LakeSummary", "SparkError", "extract", "get_session", "ingest_files",
           "parse_conf", "require_pyspark"]

PYSPARK_HINT = "pip install 'graphbuild[spark]'"

#: Articles per Arrow batch handed to a Python worker (a few seconds of NLP).
ARROW_BATCH = 64

#: Articles per Spark partition when the CLI reads the inputs (a few minutes of NLP on one core).
PARTITION_ARTICLES = 2000

#: Settings a local session gets unless given: loopback only, no UI, one BLAS/OMP thread per task.
LOCAL_DEFAULTS = {
    "spark.driver.host": "127.0.0.1",
    "spark.driver.bindAddress": "127.0.0.1",
    "spark.ui.enabled": "false",
    "spark.sql.shuffle.partitions": "4",
    "spark.ui.showConsoleProgress": "false",
}
#: Settings every session gets unless given.
DEFAULTS = {
    "spark.executorEnv.OMP_NUM_THREADS": "1",
    "spark.executorEnv.OPENBLAS_NUM_THREADS": "1",
    "spark.sql.execution.arrow.maxRecordsPerBatch": str(ARROW_BATCH),
}

#: The article columns ``extract`` reads, in order (``seq`` is added when missing).
ARTICLE_COLUMNS = ("id", "text", "title", "date", "url", "source", "origin")


class SparkError(GraphbuildError):
    """pyspark is missing, a setting is malformed, or the Spark job failed (one line)."""


def require_pyspark() -> None:
    """:class:`SparkError` with the install command when pyspark (or pyarrow) is missing."""
    try:
        import pyarrow  # noqa: F401
        import pyspark  # noqa: F401
    except ImportError as exc:
        raise SparkError(f"--engine spark needs pyspark and pyarrow ({exc.name} is not installed); "
                         f"install them with: {PYSPARK_HINT}") from None


def parse_conf(items: Iterable[str]) -> dict[str, str]:
    """``k=v`` settings as a dict; :class:`SparkError` names a malformed one."""
    conf: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise SparkError(f"--spark-conf {item!r}: expected key=value, e.g. spark.executor.memory=4g")
        conf[key.strip()] = value.strip()
    return conf


def get_session(conf: dict[str, str] | None = None, app_name: str = "graphbuild"):  # -> SparkSession
    """``SparkSession.builder.getOrCreate()`` with ``conf``: under ``spark-submit`` (or on Databricks) the
    cluster's settings apply; run from a plain Python, a ``local[*]`` session on loopback."""
    require_pyspark()
    from pyspark.sql import SparkSession

    settings = dict(DEFAULTS)
    submitted = "PYSPARK_GATEWAY_PORT" in os.environ  # spark-submit / pyspark shell started this Python
    master = (conf or {}).get("spark.master") or (None if submitted else "local[*]")
    if master and master.startswith("local"):
        settings |= LOCAL_DEFAULTS
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # workers run this environment's Python
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    if master:
        settings["spark.master"] = master
    settings |= conf or {}
    builder = SparkSession.builder.appName(app_name)
    for key, value in settings.items():
        builder = builder.config(key, value)
    try:
        return builder.getOrCreate()
    except Exception as exc:  # noqa: BLE001 - Java missing, a bad setting: one line
        raise SparkError(f"cannot start Spark: {' '.join(str(exc).split())[:500]}") from None


# -- worker side ------------------------------------------------------------------------------
#: This Python worker's extractors by configuration (built once, reused by every later task).
_EXTRACTORS: dict[str, object] = {}


@dataclass(frozen=True)
class _Config:
    """What travels with each task: small, picklable, enough to build the same extractor anywhere."""

    gazetteers: tuple[tuple[str, bytes], ...] = ()
    batch_size: int = 32
    time_limit: float | None = 60.0
    prepared: bool = False  # rows are graphbuild's own articles (ids made): no second normalisation

    @property
    def key(self) -> str:
        digest = hashlib.sha256(repr((self.batch_size, self.time_limit)).encode())
        for name, data in self.gazetteers:
            digest.update(name.encode() + b"\0" + data)
        return digest.hexdigest()[:16]


def _extractor(config: _Config):
    """This worker's extractor for ``config``: the gazetteer files written once to a local temp dir."""
    ex = _EXTRACTORS.get(config.key)
    if ex is None:
        from .extract.engine import Extractor

        paths = []
        if config.gazetteers:
            where = Path(tempfile.gettempdir()) / f"graphbuild-spark-{config.key}"
            where.mkdir(parents=True, exist_ok=True)
            for i, (name, data) in enumerate(config.gazetteers):
                path = where / f"{i}-{name}"
                if not path.exists():
                    path.write_bytes(data)
                paths.append(path)
        ex = _EXTRACTORS[config.key] = Extractor(paths, batch_size=config.batch_size, time_limit=config.time_limit)
    return ex


def _article(row: dict, prepared: bool) -> Article | InputProblem:
    """The article of one input row (validated like a JSONL record unless ``prepared``)."""
    origin = row.get("origin") or row.get("id") or row.get("url") or f"row {row['seq']}"
    if prepared:
        return Article(row["id"], row["text"], row["title"] or "", row["date"], row["url"], row["source"], origin)
    from .sources.jsonl import article_from_record

    return article_from_record({k: row.get(k) for k in ("id", "text", "title", "date", "url", "source")
                                if row.get(k) is not None}, origin)


def _output_schema():  # -> pyarrow.Schema
    import pyarrow as pa

    from .lake.tables import arrow_schema

    return pa.schema([("seq", pa.int64())] + [(t, pa.list_(pa.struct(list(arrow_schema(t))))) for t in TABLES])


def _output_ddl() -> str:
    return ", ".join(["`seq` BIGINT"] + [f"`{t}` ARRAY<STRUCT<{spark_ddl(t)}>>" for t in TABLES])


def extract_arrow(batches: Iterable, config: _Config) -> Iterator:
    """The worker's function: Arrow batches of articles -> Arrow batches of one row per article whose
    columns hold that article's rows of every lake table.  Engine-neutral (Dask or Ray could call it)."""
    import pyarrow as pa

    from .extract.parallel import extract_isolated

    schema = _output_schema()
    for batch in batches:
        rows = batch.to_pylist()
        out: list[dict] = []
        articles: list[tuple[int, Article]] = []
        for row in rows:
            try:
                item = _article(row, config.prepared)
            except Exception as exc:  # noqa: BLE001 - one bad row is one problem
                item = InputProblem.of(f"row {row['seq']}", f"unusable article: {type(exc).__name__}: {exc}")
            if isinstance(item, InputProblem):
                out.append({"seq": row["seq"], **problem_rows(row["seq"], item, row.get("id"))})
            else:
                articles.append((row["seq"], item))
        ex = _extractor(config) if articles else None
        for start in range(0, len(articles), config.batch_size):
            chunk = articles[start:start + config.batch_size]
            outcomes = extract_isolated(ex, [a for _, a in chunk])
            for (seq, article), outcome in zip(chunk, outcomes, strict=True):
                out.append({"seq": seq, **outcome_rows(seq, article, outcome)})
        yield pa.RecordBatch.from_pylist(out, schema=schema)


def _task(config: _Config):
    def run(batches: Iterator) -> Iterator:
        return extract_arrow(batches, config)

    return run


# -- driver side ------------------------------------------------------------------------------
@dataclass
class LakeSummary:
    """What a Spark ingest wrote: rows per table, the problems (origin, reason), the master it ran on."""

    counts: dict[str, int]
    problems: list[dict] = field(default_factory=list)
    master: str = ""


@dataclass
class Extracted:
    """The lazy result of :func:`extract`: one row per article with its rows of every table."""

    frame: object  # pyspark.sql.DataFrame
    extra_problems: list[dict] = field(default_factory=list)

    def table(self, name: str):  # -> pyspark.sql.DataFrame
        """One lake table as a flat DataFrame (its columns in :data:`graphbuild.lake.COLUMNS` order)."""
        from pyspark.sql import functions as F

        if name not in TABLES:
            raise SparkError(f"unknown lake table {name!r}; the tables are {', '.join(TABLES)}")
        flat = self.frame.select(F.explode(name).alias("r")).select("r.*")
        if name == "problems" and self.extra_problems:
            spark = self.frame.sparkSession
            flat = flat.unionByName(spark.createDataFrame(self.extra_problems, schema=spark_ddl("problems")))
        return flat

    def write(self, lake: str | os.PathLike[str], ingest_date: str, *, batch_size: int = 32) -> LakeSummary:
        """Write one ingest date of the lake, replacing that date's partitions, and record it in the manifest
        (a local directory, or a URI such as ``s3://`` or ``hdfs://`` through pyarrow.fs)."""
        from pyspark import StorageLevel
        from pyspark.sql import functions as F

        from .lake.writer import check_date, partition_dir, read_manifest, record_partition

        day = check_date(ingest_date)
        lake = str(lake) if "://" in str(lake) else lake
        read_manifest(lake)  # refuse another lake format before any work
        self.frame = self.frame.persist(StorageLevel.MEMORY_AND_DISK)  # the NLP runs once for all six tables
        try:
            sums = self.frame.select(*[F.sum(F.size(t)).alias(t) for t in TABLES]).first()
            counts = {t: int(sums[t] or 0) for t in TABLES}
            counts["problems"] += len(self.extra_problems)
            local = "://" not in str(lake)
            for name in TABLES:
                target = partition_dir(Path(lake), name, day) if local else f"{str(lake).rstrip('/')}/{name}/" \
                    f"ingest_date={day}"
                self.table(name).write.mode("overwrite").option("compression", "zstd").parquet(str(target))
            problems = [{"origin": r["origin"], "reason": r["reason"]}
                        for r in self.table("problems").orderBy("seq").collect()]
        finally:
            self.frame.unpersist()
        record_partition(lake if not local else Path(lake), day, counts, "spark", batch_size)
        return LakeSummary(counts, problems, self.frame.sparkSession.sparkContext.master)


def extract(df, *, gazetteer: Sequence[str | os.PathLike[str]] = (), batch_size: int = 32,
            time_limit: float | None = 60.0, prepared: bool = False) -> Extracted:
    """Extract every article of ``df`` on Spark (lazy): see the module docstring.

    ``df`` has a ``text`` column and any of ``id``, ``title``, ``date``, ``url``, ``source``, ``origin``
    (strings) and ``seq`` (the input order; made with ``monotonically_increasing_id`` if absent).
    ``gazetteer`` files are read here and travel with the tasks.
    """
    require_pyspark()
    from pyspark.sql import functions as F

    if "text" not in df.columns:
        raise SparkError(f"the articles need a 'text' column; the DataFrame has {', '.join(df.columns) or 'none'}")
    cols = [(F.col(c).cast("string") if c in df.columns else F.lit(None).cast("string")).alias(c)
            for c in ARTICLE_COLUMNS]
    seq = F.col("seq").cast("long") if "seq" in df.columns else F.monotonically_increasing_id()
    articles = df.select(seq.alias("seq"), *cols)
    try:
        blobs = tuple((Path(p).name, Path(p).read_bytes()) for p in gazetteer)
    except OSError as exc:
        raise SparkError(f"{exc.filename}: cannot read the gazetteer: {exc.strerror}") from None
    config = _Config(blobs, batch_size, time_limit, prepared)
    return Extracted(articles.mapInArrow(_task(config), _output_ddl()))


def ingest_files(paths: Sequence[str], lake: str | os.PathLike[str], *, ingest_date: str,
                 conf: dict[str, str] | None = None, max_bytes: int | None = None,
                 gazetteer: Sequence[str | os.PathLike[str]] = (), batch_size: int = 32,
                 time_limit: float | None = 60.0, spark=None) -> LakeSummary:
    """``ingest --engine spark``: read the inputs here with graphbuild's readers (every format, the same
    origins and ids as in process), extract them on Spark, write one ingest date of the lake."""
    from .sources import DEFAULT_MAX_BYTES, read_inputs

    spark = spark or get_session(conf)
    rows: list[tuple] = []
    problems: list[dict] = []
    for seq, item in enumerate(read_inputs(paths, max_bytes=max_bytes or DEFAULT_MAX_BYTES)):
        if isinstance(item, InputProblem):
            problems.extend(problem_rows(seq, item)["problems"])
        else:
            rows.append((seq, item.id, item.text, item.title, item.date, item.url, item.source, item.origin))
    schema = "`seq` BIGINT, " + ", ".join(f"`{c}` STRING" for c in ARTICLE_COLUMNS)
    df = spark.createDataFrame(rows, schema=schema)
    # two partitions per core at least, so one slow partition does not leave a core idle at the end
    slices = max(2 * spark.sparkContext.defaultParallelism, math.ceil(len(rows) / PARTITION_ARTICLES))
    df = df.repartition(slices) if rows else df
    extracted = extract(df, gazetteer=gazetteer, batch_size=batch_size, time_limit=time_limit, prepared=True)
    extracted.extra_problems = problems
    return extracted.write(lake, ingest_date, batch_size=batch_size)
