"""What PageRank, degree and community on entity nodes cost a load (issue 16, item 4).

    python bench/actor_ranks.py --db STORE.db [--uri URI [--user U --password P]] [--append bench/RESULTS.md]

Times the three parts of :func:`graphbuild.sinks.cypher.entity_ranks` on the store (the relation
graph without sentences, weighted PageRank, Louvain communities), then, with ``--uri``, a
``graphbuild load`` into a database that already holds the store but no scores (one loaded by
an older graphbuild: every entity gets its scores) and a second, no-change load (which skips
the computation).  The side-by-side ratio is the scores' share of that load.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from results import append_rows, machine, versions  # noqa: E402

from graphbuild.analysis.centrality import weighted_pagerank  # noqa: E402
from graphbuild.analysis.communities import communities  # noqa: E402
from graphbuild.graph.nx import build_graph  # noqa: E402
from graphbuild.store import Store  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--uri")
    parser.add_argument("--user", default="neo4j")
    parser.add_argument("--password", default=None)
    parser.add_argument("--append", type=Path, default=None)
    args = parser.parse_args(argv)
    with Store(args.db) as store:
        t0 = time.perf_counter()
        graph = build_graph(store, evidence=False)
        t1 = time.perf_counter()
        weighted_pagerank(graph)
        t2 = time.perf_counter()
        found = communities(graph)
        t3 = time.perf_counter()
        parts = {"graph": t1 - t0, "pagerank": t2 - t1, "louvain": t3 - t2}
        where = f"{args.db.name}: {graph.number_of_nodes():,} entities, {graph.number_of_edges():,} relations"
        print(f"{where}; graph {parts['graph']:.1f} s, PageRank {parts['pagerank']:.1f} s, "
              f"Louvain {parts['louvain']:.1f} s ({len(found)} communities)", file=sys.stderr)
        loads = None
        if args.uri:
            from graphbuild.sinks.neo4j import Neo4jConfig, load_store

            config = Neo4jConfig(uri=args.uri, user=args.user, password=args.password)
            first = load_store(store, config)
            again = load_store(store, config)
            loads = (first, again)
            print(f"load writing the scores: {first.seconds:.1f} s ({first.entities_written:,} entities); "
                  f"no-change load: {again.seconds:.1f} s", file=sys.stderr)
    total = sum(parts.values())
    if args.append:
        rows = [("PageRank, degree and community of every entity (entity_ranks: graph, PageRank, Louvain)",
                 machine(), where, "-", f"{total:.1f} s (graph {parts['graph']:.1f} s, PageRank "
                 f"{parts['pagerank']:.1f} s, Louvain {parts['louvain']:.1f} s)", "-", versions("networkx 3.6"),
                 f"python bench/actor_ranks.py --db {args.db}")]
        if loads:
            first, again = loads
            rows.append(("Neo4j load writing the scores onto a graph loaded without them, vs the no-change load",
                         machine(), where, f"no-change load {again.seconds:.1f} s",
                         f"{first.seconds:.1f} s ({first.entities_written:,} entities written)",
                         f"scores computed in {total:.1f} s of it", versions("Neo4j 5.26"),
                         f"python bench/actor_ranks.py --db {args.db} --uri ..."))
        append_rows(args.append, rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
