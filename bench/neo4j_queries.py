"""Neo4j-side timings of every saved query (``cypher/queries`` and ``cypher/browser``): ms and db hits.

    python bench/neo4j_queries.py --uri URI [--user U --password P] [--db STORE.db --load [--allow-wipe]]
                                  [--runs 3] [--before-rev REV] [--append bench/RESULTS.md]

Each query runs as pasted, with the parameters Browser would send (numbers as floats),
``--runs`` times after one warm-up: the best time is ``result_available_after +
result_consumed_after`` as the server reports it (no network or driver time), the db hits
come from ``PROFILE``.  The actors are picked from the loaded graph: the most connected
country (``actor``), its most connected partner and the relation between them with the
most evidence (``evidence``), and a person (``timeline``, ``shortest_paths``).

``evidence (before)`` is the saved ``evidence`` query as it was before the full-text lookup
and the per-relationship index seek (main at 71b0dbd), with the same parameters, side by
side on the same server; ``--no-before`` leaves it out (at 100k articles its hash join over
every Evidence node runs the test server's 1 GB heap out of memory, which stops the server).  ``--load`` empties the database (refused unless
``--allow-wipe`` when it holds data) and loads ``--db`` with ``graphbuild load`` first.

``--before-rev REV`` also times, side by side with the same parameters, every saved query whose
text differs at git revision ``REV`` (``git show REV:cypher/...``), and checks that both texts
give the same rows (exit 1 when they do not).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from results import append_rows, machine, versions  # noqa: E402

from graphbuild.queries import load_catalogue  # noqa: E402
from graphbuild.sinks.browser import browser_query_dir  # noqa: E402
from graphbuild.sinks.neo4j import Neo4jConfig, connect, load_store  # noqa: E402
from graphbuild.store import Store  # noqa: E402

#: cypher/queries/evidence.cypher at 71b0dbd (label scans, a hash join on rel_key over every Evidence).
EVIDENCE_BEFORE = """\
MATCH (s:Entity)
WHERE s.id = $subject OR toLower(s.name) = toLower(trim($subject)) OR s.iso3 = toUpper(trim($subject))
   OR any(alias IN s.aliases WHERE toLower(alias) = toLower(trim($subject)))
MATCH (o:Entity)
WHERE o.id = $object OR toLower(o.name) = toLower(trim($object)) OR o.iso3 = toUpper(trim($object))
   OR any(alias IN o.aliases WHERE toLower(alias) = toLower(trim($object)))
MATCH (s)-[r]-(o)
WHERE ($type IS NULL OR type(r) = $type)
  AND (startNode(r) = s OR type(r) IN ['MEETS', 'COOPERATES_WITH', 'SIGNS_AGREEMENT_WITH'])
MATCH (ev:Evidence {rel_key: r.key})-[:IN_ARTICLE]->(art:Article)
RETURN type(r) AS relation, startNode(r).id AS subject_id, endNode(r).id AS object_id,
       art.id AS article_id, art.title AS title, art.date AS date, art.source AS source, art.url AS url,
       ev.sentence AS sentence, ev.start AS start, ev.end AS end, ev.modality AS modality,
       ev.rule AS rule, ev.confidence AS confidence
ORDER BY date, article_id, start, relation, subject_id, object_id
"""


def text_at(rev: str, path: Path) -> str | None:
    """The text of ``path`` (inside this checkout) at git revision ``rev``, None when it has no such file."""
    rel = path.resolve().relative_to(ROOT)
    proc = subprocess.run(["git", "show", f"{rev}:{rel.as_posix()}"], cwd=ROOT, capture_output=True, text=True)
    return proc.stdout if proc.returncode == 0 else None


def _rows(session, text: str, params: dict[str, Any]) -> list[list[Any]]:
    return [list(r.values()) for r in session.run(text, params)]


def _hits(plan: Any) -> int:
    return plan.get("dbHits", 0) + sum(_hits(c) for c in plan.get("children", []))


def _run(session, text: str, params: dict[str, Any]) -> tuple[int, float]:
    result = session.run(text, params)
    rows = sum(1 for _ in result)
    summary = result.consume()
    return rows, (summary.result_available_after or 0) + (summary.result_consumed_after or 0)


def measure(session, text: str, params: dict[str, Any], runs: int) -> dict[str, Any]:
    """Rows, best ms of ``runs`` (after a warm-up) and the db hits of one PROFILE."""
    _run(session, text, params)
    best = min(_run(session, text, params)[1] for _ in range(runs))
    rows = _run(session, text, params)[0]
    profile = session.run("PROFILE " + text, params)
    for _ in profile:
        pass
    return {"rows": rows, "ms": best, "db_hits": _hits(profile.consume().profile)}


def pick_params(session) -> dict[str, str]:
    """Actors of the loaded graph for the parameters (see the module docstring)."""
    one = lambda q: session.run(q).single(strict=True)  # noqa: E731
    country = one("MATCH (c:Country) RETURN c.name AS n ORDER BY COUNT { (c)--(:Entity) } DESC, c.id LIMIT 1")["n"]
    rel = one("MATCH (c:Country {name: $c})-[r]-(o:Entity) WHERE r.key IS NOT NULL "
              "RETURN startNode(r).name AS s, endNode(r).name AS o, type(r) AS t ORDER BY r.count DESC, r.key LIMIT 1"
              .replace("$c", repr(country)))
    person = one("MATCH (p:Person) RETURN p.name AS n ORDER BY COUNT { (p)--(:Entity) } DESC, p.id LIMIT 1")["n"]
    return {"country": country, "subject": rel["s"], "object": rel["o"], "type": rel["t"], "person": person}


def parameters(name: str, declared: list[str], picked: dict[str, str]) -> dict[str, Any]:
    """Browser-style parameters for one query: numbers as floats, optional ones null."""
    values: dict[str, Any] = {
        "actor": picked["person"] if name in ("timeline", "evidence_graph", "sentences") else picked["country"],
        "subject": picked["subject"], "object": picked["object"], "type": None,
        "from": picked["person"], "to": picked["object"], "direction": "both", "stance": "both",
        "since": "2024-01-01", "until": None, "limit": 50.0,
    }
    if name == "meetings":
        values["actor"] = None
    return {k: values[k] for k in declared}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--uri", required=True)
    parser.add_argument("--user", default="neo4j")
    parser.add_argument("--password", default=None)
    parser.add_argument("--db", type=Path, help="store to load first (with --load); also named in the results")
    parser.add_argument("--load", action="store_true")
    parser.add_argument("--allow-wipe", action="store_true")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-before", action="store_true", help="skip the old evidence query")
    parser.add_argument("--before-rev", default=None, help="also time the saved queries that differ at this git rev")
    parser.add_argument("--append", type=Path, default=None)
    args = parser.parse_args(argv)
    config = Neo4jConfig(uri=args.uri, user=args.user, password=args.password)
    driver = connect(config)
    with driver.session() as session:
        if args.load:
            if session.run("MATCH (n) RETURN count(n) AS n").single()["n"] and not args.allow_wipe:
                print("the database holds data: pass --allow-wipe to empty it", file=sys.stderr)
                return 1
            session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()
            with Store(args.db) as store:
                t0 = time.perf_counter()
                load_store(store, config, driver=driver)
                print(f"loaded {args.db} in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
        counts = session.run("MATCH (n) WITH count(n) AS nodes MATCH ()-[r]->() RETURN nodes, count(r) AS rels").single()
        picked = pick_params(session)
        queries = {**load_catalogue(), **load_catalogue(browser_query_dir())}
        results, changed = [], []
        for name, query in sorted(queries.items()):
            params = parameters(name, [p.name for p in query.params], picked)
            results.append((name, params, measure(session, query.text, params, args.runs)))
            print(f"{name:22} {results[-1][2]['rows']:>6} rows {results[-1][2]['ms']:>7.0f} ms "
                  f"{results[-1][2]['db_hits']:>10,} db hits   {params}", file=sys.stderr)
            old = text_at(args.before_rev, query.path) if args.before_rev else None
            if old is not None and old != query.text:
                if _rows(session, old, params) != _rows(session, query.text, params):
                    print(f"{name}: the text at {args.before_rev} gives other rows", file=sys.stderr)
                    return 1
                changed.append((name, measure(session, old, params, args.runs), results[-1][2]))
                print(f"{name + ' (' + args.before_rev + ')':22} {changed[-1][1]['rows']:>6} rows "
                      f"{changed[-1][1]['ms']:>7.0f} ms {changed[-1][1]['db_hits']:>10,} db hits   same rows",
                      file=sys.stderr)
        ev_params = parameters("evidence", ["subject", "object", "type"], picked)
        before = None if args.no_before else measure(session, EVIDENCE_BEFORE, ev_params, args.runs)
        if before:
            print(f"{'evidence (before)':22} {before['rows']:>6} rows {before['ms']:>7.0f} ms "
                  f"{before['db_hits']:>10,} db hits", file=sys.stderr)
    driver.close()
    after = next(m for n, _p, m in results if n == "evidence")
    print(f"| query | rows | best ms of {args.runs} | db hits |\n|---|---|---|---|")
    for name, _params, m in results:
        print(f"| `{name}` | {m['rows']} | {m['ms']:.0f} | {m['db_hits']:,} |")
    if before:
        print(f"| `evidence` before | {before['rows']} | {before['ms']:.0f} | {before['db_hits']:,} |")
    for name, old_m, _new in changed:
        print(f"| `{name}` at {args.before_rev} | {old_m['rows']} | {old_m['ms']:.0f} | {old_m['db_hits']:,} |")
    if args.append:
        where = f"{args.db.name if args.db else args.uri}: {counts['nodes']:,} nodes, {counts['rels']:,} relationships"
        slowest = max(results, key=lambda r: r[2]["ms"])
        append_rows(args.append, ([] if before is None else [
            ("Neo4j `evidence` saved query, before (label scans + hash join on rel_key) vs after (full-text lookup, "
             f"index seek per relationship): {ev_params['subject']} / {ev_params['object']}",
             machine(), where, f"before {before['ms']:.0f} ms, {before['db_hits']:,} db hits",
             f"after {after['ms']:.0f} ms, {after['db_hits']:,} db hits",
             f"{before['db_hits'] / max(after['db_hits'], 1):.0f}x fewer db hits, "
             f"{before['ms'] / max(after['ms'], 1):.0f}x faster", versions("Neo4j 5.26"),
             f"python bench/neo4j_queries.py --uri ... --db {args.db} --load")]) + [
            (f"Neo4j, all {len(results)} saved queries as pasted (Browser float parameters), best of {args.runs}",
             machine(), where, "-", "; ".join(f"{n} {m['ms']:.0f} ms/{m['db_hits']:,} hits" for n, _p, m in results),
             f"slowest {slowest[0]} {slowest[2]['ms']:.0f} ms", versions("Neo4j 5.26"),
             f"python bench/neo4j_queries.py --uri ... --db {args.db}"
             + (" --no-before" if before is None else "")),
        ] + [
            (f"Neo4j saved query `{name}` as pasted, at {args.before_rev} vs now (same rows), best of {args.runs}",
             machine(), where, f"before {old_m['ms']:.0f} ms, {old_m['db_hits']:,} db hits",
             f"after {new_m['ms']:.0f} ms, {new_m['db_hits']:,} db hits",
             f"{old_m['db_hits'] / max(new_m['db_hits'], 1):.1f}x fewer db hits, "
             f"{old_m['ms'] / max(new_m['ms'], 1):.1f}x faster", versions("Neo4j 5.26"),
             f"python bench/neo4j_queries.py --uri ... --db {args.db} --before-rev {args.before_rev}")
            for name, old_m, new_m in changed
        ])
    return 0


if __name__ == "__main__":
    sys.exit(main())
