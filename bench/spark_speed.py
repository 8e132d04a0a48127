"""Spark ``local[1]`` vs ``local[2]``, Spark vs ``--workers``, and the lake's cost, on the same corpus.

    python bench/spark_speed.py [--articles N] [--workers 2] [--append bench/RESULTS.md]

Each run is the command a user types (``python -m graphbuild ingest ...`` in a subprocess, so
interpreter start, JVM start and each worker's model load count), timed wall-clock:

1. ``ingest --workers W --db`` (the store, no lake): the baseline of a laptop ingest;
2. ``ingest --workers W --lake``: the same extraction into the lake (the lake's write overhead vs 1);
3. ``ingest --engine spark --spark-conf spark.master=local[1] --lake``;
4. ``ingest --engine spark --spark-conf spark.master=local[2] --lake`` (scaling = 3 / 4; overhead vs
   ``--workers`` = 2 / 4);
5. the same two Spark ingests timed inside a running session whose workers already hold the model
   (``graphbuild.spark.ingest_files``): the scaling without JVM start and model loads.

The three lakes must be equal row for row (or the benchmark fails), and the lake's bytes per 1,000
articles are reported.  The Spark workers load the model once each and are reused across tasks.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from results import append_rows, machine, run_graphbuild as run, versions  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
DAY = "2026-12-01"


def steady(master: str, corpus: Path, lake: Path) -> float:
    """Seconds of the Spark ingest in a session whose workers already hold the model (run in a subprocess)."""
    code = (
        "import sys, time\n"
        "from graphbuild import spark as gbs\n"
        "s = gbs.get_session({'spark.master': sys.argv[1]})\n"
        "n = s.sparkContext.defaultParallelism\n"
        "warm = s.createDataFrame([(str(i), 'Russia met China.') for i in range(n)], 'id STRING, text STRING')\n"
        "gbs.extract(warm.repartition(n)).table('articles').count()  # each worker loads the model once\n"
        "t = time.perf_counter()\n"
        f"gbs.ingest_files([sys.argv[2]], sys.argv[3], ingest_date='{DAY}', spark=s)\n"
        "print(time.perf_counter() - t)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code, master, str(corpus), str(lake)], cwd=lake.parent,
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"steady-state Spark run failed:\n{proc.stderr[-3000:]}")
    return float(proc.stdout.strip().splitlines()[-1])


def lake_bytes(lake: Path) -> int:
    return sum(p.stat().st_size for p in lake.rglob("*.parquet"))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--append", type=Path, default=None)
    args = ap.parse_args(argv)

    import pyspark
    import spacy

    from graphbuild.lake import read_partition

    with tempfile.TemporaryDirectory(prefix="gb-spark-bench-") as tmp_name:
        tmp = Path(tmp_name)  # also the commands' working directory: nothing on it shadows a module
        corpus = tmp / "corpus.jsonl"
        subprocess.run([sys.executable, str(REPO / "bench" / "make_corpus.py"), str(args.articles), str(corpus)],
                       check=True, capture_output=True)
        w = str(args.workers)
        load0 = os.getloadavg()[0]
        t_store = run(["ingest", str(corpus), "--workers", w, "--db", str(tmp / "g.db")], tmp)
        t_lake = run(["ingest", str(corpus), "--workers", w, "--lake", str(tmp / "lake"), "--ingest-date", DAY], tmp)
        t_spark = {}
        for cores in (1, 2):
            t_spark[cores] = run(["ingest", str(corpus), "--engine", "spark", "--lake", str(tmp / f"spark{cores}"),
                                  "--ingest-date", DAY, "--spark-conf", f"spark.master=local[{cores}]"], tmp)
        t_steady = {cores: steady(f"local[{cores}]", corpus, tmp / f"steady{cores}") for cores in (1, 2)}
        load1 = os.getloadavg()[0]
        local = read_partition(tmp / "lake", DAY)
        same = all(read_partition(tmp / f"{kind}{c}", DAY) == local for c in (1, 2) for kind in ("spark", "steady"))
        if not same:
            raise SystemExit("the Spark lakes differ from the in-process lake")
        size_local, size_spark = lake_bytes(tmp / "lake"), lake_bytes(tmp / "spark2")

    n = args.articles
    per_k = lambda b: f"{b / n * 1000 / 2**20:.2f} MiB"  # noqa: E731
    load = f"load average {load0:.1f} at start, {load1:.1f} at end"
    corpus_desc = f"{n} articles (bench/make_corpus.py), whole commands incl. interpreter/JVM start and model loads"
    vers = versions(f"pyspark {pyspark.__version__}", f"spaCy {spacy.__version__}")
    cmd = f"python bench/spark_speed.py --articles {n} --workers {w}"
    rows = [
        ("Spark local[2] vs local[1] (scaling)", machine(load), corpus_desc,
         f"local[1] {t_spark[1]:.1f} s", f"local[2] {t_spark[2]:.1f} s",
         f"scaling {t_spark[1] / t_spark[2]:.2f}x (target >= 1.7x)", vers, cmd),
        ("Spark local[2] vs local[1], workers warm (model loaded once per worker before timing)", machine(load),
         f"{n} articles (bench/make_corpus.py), graphbuild.spark.ingest_files in a running session",
         f"local[1] {t_steady[1]:.1f} s", f"local[2] {t_steady[2]:.1f} s",
         f"scaling {t_steady[1] / t_steady[2]:.2f}x (target >= 1.7x)", vers, cmd),
        (f"Spark local[2] vs ingest --workers {w} --lake (overhead)", machine(load), corpus_desc,
         f"--workers {w} {t_lake:.1f} s", f"Spark local[2] {t_spark[2]:.1f} s",
         f"{t_lake / t_spark[2]:.2f}x the speed of --workers (target >= 0.85x); lakes equal row for row: yes",
         vers, cmd),
        (f"ingest --workers {w} --lake vs --db (lake write overhead)", machine(load), corpus_desc,
         f"--db {t_store:.1f} s", f"--lake {t_lake:.1f} s", f"{t_lake / t_store:.2f}x the time", vers, cmd),
        ("lake size per 1,000 articles (zstd Parquet, article text included)", machine(load), corpus_desc,
         f"pyarrow writer {per_k(size_local)}", f"Spark writer {per_k(size_spark)}",
         f"{size_spark / size_local:.2f}x", vers, cmd),
    ]
    for row in rows:
        print(" | ".join(row))
    if args.append:
        append_rows(args.append, rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
