"""Where the Spark graph path's time goes: JVM start, each Spark phase (jobs, tasks, executor time, shuffles,
Python workers) and the driver's share, next to the store path on the same lake.

    python bench/spark_graph_profile.py LAKE [--master local[2]] [--json OUT] [--append bench/RESULTS.md]

Runs the steps of :func:`graphbuild.spark_graph.build_graph` and :func:`graphbuild.spark_graph.write_import_csv`
one at a time (each forced with a count, so it is timed alone; the persisted tables are computed once, as in
the real run) in a session with the UI bound to 127.0.0.1, and reads per phase from Spark's REST API: jobs,
stages, tasks, executor run and CPU time, shuffle bytes, and the SQL plans' Python metrics (time in the
Python workers, rows and bytes sent to them).  Also reports what the driver holds for the actor scores:
edge rows vs mention and evidence rows, and the pickled size of the edge rows ``_ranks`` collects.

First, the store path on the same lake as whole commands (``store import --lake`` + ``export --format csv``),
for the ratio; the row says whether the Spark set holds the same rows per group (the store's ``+r`` revision
marks aside) and stderr how many rows differ where not.  ``bench/spark_graph_speed.py`` times both as whole commands.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from results import append_rows, machine, run_graphbuild as run, versions  # noqa: E402
from spark_graph_speed import files, groups, unrevise  # noqa: E402


def _get(base: str, path: str):
    with urllib.request.urlopen(f"{base}{path}", timeout=60) as resp:
        return json.load(resp)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("lake", type=Path)
    ap.add_argument("--master", default="local[2]")
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--append", type=Path, default=None)
    args = ap.parse_args(argv)
    tmpdir = tempfile.TemporaryDirectory(prefix="gb-profile-")
    tmp = Path(tmpdir.name)
    lake = args.lake.resolve()
    load0 = os.getloadavg()[0]
    t_import = run(["store", "import", "--lake", str(lake), "--db", str(tmp / "g.db")], tmp)
    t_export = run(["export", "--format", "csv", "-o", str(tmp / "store-csv"), "--db", str(tmp / "g.db")], tmp)

    t0 = time.perf_counter()
    from pyspark import StorageLevel

    from graphbuild import spark as gbs
    from graphbuild import spark_graph as sg
    from graphbuild.lake.reader import lake_dates

    spark = gbs.get_session({"spark.master": args.master, "spark.ui.enabled": "true", "spark.ui.port": "0"},
                            "graphbuild-profile")
    sc = spark.sparkContext
    base = f"{sc.uiWebUrl}/api/v1/applications/{sc.applicationId}"
    phases: list[dict] = [{"phase": "JVM start (session)", "wall": time.perf_counter() - t0}]

    def phase(name: str, fn):
        sc.setJobGroup(name, name)
        t = time.perf_counter()
        out = fn()
        phases.append({"phase": name, "wall": time.perf_counter() - t})
        return out

    tables = phase("read lake (file listing, schema)", lambda: sg.read_tables(spark, lake, lake_dates(lake)))
    kept = sg._kept_articles(tables["articles"]).persist(StorageLevel.MEMORY_AND_DISK)
    n_articles = phase("kept articles (window)", lambda: kept.count())
    _rec, res, ids, n_sigs = phase("resolve (records on Spark, decisions in driver)",
                                   lambda: sg._resolve(spark, tables, kept, None))
    rels = sg._relations(tables, kept, ids).persist(StorageLevel.MEMORY_AND_DISK)
    n_rels = phase("relations (ids applied)", lambda: rels.count())
    evidence = rels.groupBy("subject", "predicate", "object").applyInArrow(sg._evidence_task, sg._EVIDENCE_DDL) \
        .persist(StorageLevel.MEMORY_AND_DISK)
    n_evidence = phase("evidence rows (Python workers)", lambda: evidence.count())
    edges = phase("edges: item names", lambda: sg._edges(rels, res.names)).persist(StorageLevel.MEMORY_AND_DISK)
    n_edges = phase("edges (Python workers)", lambda: edges.count())
    entities = phase("entities (driver)", lambda: sg._entities(tables, kept, ids, res))
    mentions = sg._mentions(tables, kept, ids)
    n_mentions = phase("mentions count", lambda: mentions.count())
    graph = sg.GraphTables(entities, kept.select("id", "title", "date", "source", "url", "sha256"), evidence, edges,
                           mentions, n_articles, n_sigs)
    edge_rows = phase("ranks: edge rows to driver", lambda: [r.asDict() for r in
                                                            edges.select(*sg._GRAPH_EDGE).toLocalIterator()])
    edge_bytes = len(pickle.dumps(edge_rows))
    from graphbuild.analysis.scores import actor_ranks

    phase("ranks: actor_ranks (driver)", lambda: actor_ranks(sg.rank_graph(entities, edge_rows)))
    out = tmp / "spark-csv"
    report = phase("write_import_csv (all groups, ranks again)", lambda: sg.write_import_csv(graph, out))
    total_wall = sum(p["wall"] for p in phases)
    load1 = os.getloadavg()[0]
    store_files, spark_files = files(tmp / "store-csv"), groups(out)
    revised = unrevise(store_files)
    differ = sorted(g for g in set(store_files) | set(spark_files) if store_files.get(g) != spark_files.get(g))
    for g in differ:  # the timing is still reported; the row says the sets differ
        a, b = set(map(tuple, store_files.get(g, []))), set(map(tuple, spark_files.get(g, [])))
        print(f"{g}: {len(a - b)} rows only in the store's export, {len(b - a)} only in Spark's", file=sys.stderr)

    # per phase: Spark's own accounting
    jobs = _get(base, "/jobs")
    stages = {s["stageId"]: s for s in _get(base, "/stages?details=false") if s["status"] == "COMPLETE"}
    for p in phases:
        mine = [j for j in jobs if j.get("jobGroup") == p["phase"]]
        sids = {s for j in mine for s in j["stageIds"] if s in stages}
        p["jobs"] = len(mine)
        p["stages"] = len(sids)
        p["tasks"] = sum(stages[s]["numCompleteTasks"] for s in sids)
        p["executor_run_s"] = sum(stages[s]["executorRunTime"] for s in sids) / 1000
        p["executor_cpu_s"] = sum(stages[s]["executorCpuTime"] for s in sids) / 1e9
        p["shuffle_mb"] = sum(stages[s]["shuffleReadBytes"] + stages[s]["shuffleWriteBytes"] for s in sids) / 2**20
    python = {}
    try:
        for q in _get(base, "/sql?details=true&planDescription=false"):
            for node in q.get("nodes", []):
                for m in node.get("metrics", []):
                    if m["name"].lower().startswith(("time spent", "python", "data sent", "data returned")):
                        python.setdefault(f"{node['nodeName']}: {m['name']}", []).append(m["value"])
    except Exception as exc:  # the SQL REST endpoint is best effort
        python["error"] = [str(exc)]
    spark.stop()
    result = {"lake": str(lake), "master": args.master, "articles": n_articles, "signatures": n_sigs,
              "relation_rows": n_rels, "evidence_rows": n_evidence, "edge_rows": n_edges, "mention_rows": n_mentions,
              "entities": len(entities), "edge_rows_pickled_bytes": edge_bytes,
              "csv_rows": sum(report.nodes.values()) + sum(report.relationships.values()),
              "total_wall": total_wall, "phases": phases, "python_metrics": python, "load": os.getloadavg()}
    for p in phases:
        print(f"{p['wall']:8.1f} s wall  {p.get('jobs', 0):3d} jobs {p.get('tasks', 0):4d} tasks  "
              f"exec {p.get('executor_run_s', 0):7.1f} s (cpu {p.get('executor_cpu_s', 0):6.1f})  "
              f"shuffle {p.get('shuffle_mb', 0):7.2f} MiB  {p['phase']}")
    print(json.dumps({k: v for k, v in result.items() if k not in ("phases", "python_metrics")}))
    for k, v in sorted(python.items()):
        print(f"  {k}: {v[:6]}{' ...' if len(v) > 6 else ''}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=1))
    tmpdir.cleanup()
    via_store = t_import + t_export
    spark_s = total_wall  # JVM start included
    top = sorted(phases, key=lambda p: -p["wall"])[:4]
    import pyspark

    row = (f"neo4j-admin CSV set from a lake, profiled: Spark {args.master} (in one process, step by step) vs "
           "store import + export (whole commands)", machine(f"load average {load0:.1f} at start, {load1:.1f} at end"),
           f"lake of {n_articles} articles ({result['csv_rows']} CSV rows, {n_edges} edges, {n_mentions} mentions, "
           f"{n_evidence} evidence rows)", f"store import {t_import:.1f} s + export {t_export:.1f} s = {via_store:.1f} s",
           f"Spark {spark_s:.1f} s: " + "; ".join(f"{p['phase']} {p['wall']:.0f} s" for p in top)
           + f"; {sum(p.get('jobs', 0) for p in phases)} jobs, {sum(p.get('tasks', 0) for p in phases)} tasks",
           f"{via_store / spark_s:.3f}x the speed of the store path; rows equal per group: "
           + (f"yes ({revised} +r marks stripped)" if not differ else f"NO ({', '.join(differ)} differ)"), versions(f"pyspark {pyspark.__version__}"),
           f"python bench/spark_graph_profile.py LAKE --master {args.master}")
    print(" | ".join(row))
    if args.append:
        append_rows(args.append, [row])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
