"""The bulk path from a lake: the neo4j-admin CSV set built on Spark vs through a store, on the same lake.

    python bench/spark_graph_speed.py [--articles N] [--append bench/RESULTS.md]

The lake is written once (``ingest --workers 2 --lake``), then, each as the command a user types
(``python -m graphbuild ...`` in a subprocess, wall-clock, interpreter and JVM start included):

1. ``store import --lake`` then ``export --format csv`` (identity resolved in the store, in process);
2. ``export --format csv --lake`` on Spark ``local[2]`` (identity decided in the driver over the distinct
   signatures, relations aggregated in the Python workers).

The two CSV sets must hold the same rows per group (the store's ``entities_<Label>.csv`` files are the Spark
set's ``entities`` folder, and so on), or the benchmark fails.
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from results import append_rows, machine, run_graphbuild as run, versions  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
DAY = "2026-12-01"


def files(directory: Path) -> dict[str, list[list[str]]]:
    """The store export's files merged by group (``entities_<Label>.csv`` -> ``entities``), header first."""
    out: dict[str, list[list[str]]] = {}
    for path in sorted(directory.glob("*.csv")):
        with open(path, encoding="utf-8", newline="") as fh:
            header, *rows = list(csv.reader(fh))
        stem = path.stem
        group = stem.split("_")[0] if stem.startswith(("entities_", "relations_")) else stem
        out.setdefault(group, [header]).extend(rows)
    return {g: [v[0], *sorted(v[1:])] for g, v in sorted(out.items())}


def groups(directory: Path) -> dict[str, list[list[str]]]:
    """The Spark set's groups: each folder's ``header.csv`` line, then the rows of its part files, sorted."""
    from graphbuild.spark_graph import read_csv_set

    return {g: [header, *rows] for g, (header, rows) in read_csv_set(directory).items()}


def unrevise(files_: dict[str, list[list[str]]]) -> int:
    """Strip the store's ``+r<n>`` revision marks from ``articles.csv``'s sha256 (the documented difference:
    the store counts how often identity rewrote an article, the Spark build resolves each once); returns how many."""
    header, *rows = files_["articles"]
    col = header.index("sha256")
    marked = 0
    for row in rows:
        if "+r" in row[col]:
            row[col] = row[col].split("+r")[0]
            marked += 1
    files_["articles"] = [header, *sorted(rows)]
    return marked


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--append", type=Path, default=None)
    ap.add_argument("--keep", type=Path, default=None, help="copy both CSV sets here (store-csv, spark-csv)")
    ap.add_argument("--lake", type=Path, default=None, help="an existing lake (one ingest date) instead of a new "
                    "corpus of --articles written by ingest --workers 2 --lake")
    args = ap.parse_args(argv)

    import pyspark

    with tempfile.TemporaryDirectory(prefix="gb-spark-graph-bench-") as tmp_name:
        tmp = Path(tmp_name)
        lake = args.lake.resolve() if args.lake else tmp / "lake"
        if args.lake is None:
            corpus = tmp / "corpus.jsonl"
            subprocess.run([sys.executable, str(REPO / "bench" / "make_corpus.py"), str(args.articles), str(corpus)],
                           check=True, capture_output=True)
            run(["ingest", str(corpus), "--workers", "2", "--lake", str(lake), "--ingest-date", DAY], tmp)
        load0 = os.getloadavg()[0]
        t_import = run(["store", "import", "--lake", str(lake), "--db", str(tmp / "g.db")], tmp)
        t_export = run(["export", "--format", "csv", "-o", str(tmp / "store-csv"), "--db", str(tmp / "g.db")], tmp)
        t_spark = run(["export", "--format", "csv", "-o", str(tmp / "spark-csv"), "--lake", str(lake),
                       "--spark-conf", "spark.master=local[2]"], tmp)
        load1 = os.getloadavg()[0]
        if args.keep:
            import shutil

            for name in ("store-csv", "spark-csv"):
                shutil.copytree(tmp / name, args.keep / name)
        store_files, spark_files = files(tmp / "store-csv"), groups(tmp / "spark-csv")
        revised = unrevise(store_files)
        if store_files != spark_files:
            for name in sorted(set(store_files) | set(spark_files)):
                a, b = store_files.get(name, []), spark_files.get(name, [])
                only_a = [r for r in a if r not in b][:3]
                only_b = [r for r in b if r not in a][:3]
                if only_a or only_b:
                    print(f"{name}: store {len(a)} rows, spark {len(b)} rows\n  store only: {only_a}\n"
                          f"  spark only: {only_b}", file=sys.stderr)
            raise SystemExit("the Spark CSV set differs from the store's export")
        rows = sum(len(v) - 1 for v in spark_files.values())
        n = len(spark_files["articles"]) - 1
    load = f"load average {load0:.1f} at start, {load1:.1f} at end"
    via_store = t_import + t_export
    row = (f"neo4j-admin CSV set from a lake: Spark local[2] vs store import + export", machine(load),
           f"lake of {n} articles (bench/make_corpus.py; {rows} CSV rows), whole commands incl. interpreter/JVM start",
           f"store import {t_import:.1f} s + export {t_export:.1f} s = {via_store:.1f} s",
           f"Spark export --lake {t_spark:.1f} s",
           f"{via_store / t_spark:.3f}x the speed of the store path; rows equal per group: yes (after "
           f"stripping the store's +r revision marks of {revised} articles' sha256)",
           versions(f"pyspark {pyspark.__version__}"),
           f"python bench/spark_graph_speed.py {'--lake LAKE' if args.lake else f'--articles {n}'}")
    print(" | ".join(row))
    if args.append:
        append_rows(args.append, [row])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
