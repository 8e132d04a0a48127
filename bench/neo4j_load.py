"""Relationships/s of ``graphbuild load`` (load_store) vs a naive one-statement-per-relationship load, side by side.

    python bench/neo4j_load.py (--db STORE.db | --articles N) (--start-server | --uri URI [--user U --password P])
                               [--naive-max R] [--batch-size B] [--allow-wipe] [--append bench/RESULTS.md]

Same store, same server, one run (the target database is emptied between the steps,
schema included; a non-empty database is refused unless ``--allow-wipe``):

(a) full load: ``load_store`` into an empty database; then the no-change reload;
(b) naive load: one auto-commit Cypher statement per relationship (MERGE both nodes with
    their properties + MERGE the relationship), parameterised, schema created first; on
    the first ``--naive-max`` relationships only (each kind in proportion), so only its
    *rate* is comparable;
(c) incremental: a copy of the store without 1% of the articles (every 100th) is loaded
    into an empty database, the 1% are written back into the store, and ``load_store``
    runs again: its time as a % of the full load time of (a).

What counts: *relation edges* are the typed relationships between entities
(``MEETS``, ``SANCTIONS``, ... one per logical relation); *all relationships* adds
``MENTIONS`` (article -> entity) and ``IN_ARTICLE`` (evidence -> article).  Rates are
per second of the whole ``load_store`` call (schema, reading the store, planning, writing).

Without ``--db`` a store of N articles is built with ``bench/make_store.py`` when it exists,
else with a built-in synthetic generator (seeded; entities drawn from a skewed pool).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from results import append_rows, machine, versions  # noqa: E402

from graphbuild.models import Article, Entity, Evidence, Extraction, Mention, Relation  # noqa: E402
from graphbuild.ontology import MODALITIES, RELATION_TYPES  # noqa: E402
from graphbuild.sinks import cypher as cy  # noqa: E402
from graphbuild.sinks.neo4j import LoadReport, Neo4jConfig, connect, load_store  # noqa: E402
from graphbuild.store import Store  # noqa: E402

WIPE_BATCH = 10_000


# -- store ---------------------------------------------------------------------------------
def synthetic_extractions(n: int, seed: int = 7) -> Iterator[Extraction]:
    """``n`` articles, each 4-18 relations among a skewed pool of entities sized from ``n`` (deterministic)."""
    pools: dict[str, list[Entity]] = {
        "Country": [Entity(f"country:C{i:03d}", "Country", f"Country {i}", (f"C{i}", f"the C{i} state"), f"C{i:02d}")
                    for i in range(200)],
        "Person": [Entity(f"person:p{i}", "Person", f"Person {i} Name", (f"Name{i}",)) for i in range(max(100, n // 10))],
        "Organization": [Entity(f"org:o{i}", "Organization", f"Organization {i}", (f"O{i}",))
                         for i in range(max(50, n // 40))],
        "Location": [Entity(f"loc:l{i}", "Location", f"Place {i}", ()) for i in range(max(50, n // 100))],
    }
    weapons = [Entity(f"weapon:w{i}", "Weapon", f"weapon {i}", ()) for i in range(30)]
    kinds = list(pools)

    def pick(rng: random.Random) -> Entity:
        pool = pools[rng.choices(kinds, weights=(5, 4, 2, 1))[0]]
        return pool[int(len(pool) * rng.random() ** 2.5)]

    for i in range(n):
        rng = random.Random(seed * 1_000_003 + i)
        aid = f"art-{i:07d}"
        date = f"{rng.randint(2020, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        sentences: list[str] = []
        rels: list[Relation] = []
        ents: dict[str, Entity] = {}
        pos = 0
        for j in range(rng.randint(4, 18)):
            subj = pick(rng)
            obj = pick(rng)
            while obj.id == subj.id:
                obj = pick(rng)
            pred = rng.choice(RELATION_TYPES)
            items: tuple[str, ...] = ()
            if pred == "SUPPLIES_ARMS_TO":
                items = tuple(w.id for w in rng.sample(weapons, rng.randint(0, 2)))
                for w in items:
                    ents[w] = next(x for x in weapons if x.id == w)
            sentence = f"{subj.name} {pred.lower().replace('_', ' ')} {obj.name} ({j}, {rng.random():.6f})."
            start = pos + (1 if sentences else 0)
            sentences.append(sentence)
            pos = start + len(sentence)
            modality = rng.choices(MODALITIES, weights=(6, 2, 2, 1))[0]
            rels.append(Relation(subj.id, pred, obj.id, modality,
                                 Evidence(aid, sentence, start, pos, f"rule-{pred.lower()}-{j % 3}",
                                          round(rng.uniform(0.3, 1.0), 2)), items, rng.random() < 0.05))
            ents[subj.id], ents[obj.id] = subj, obj
        text = " ".join(sentences)
        mentions = sorted((Mention(e.id, e.name, at, at + len(e.name)) for e in ents.values()
                           if (at := text.find(e.name)) >= 0), key=lambda m: m.start)
        article = Article(aid, text, f"Dispatch {i}", date, f"https://example.org/{aid}",
                          rng.choice(["Wire", "Daily", "Gazette"]), origin=f"synthetic#{i}")
        yield Extraction(article, tuple(ents.values()), tuple(mentions), tuple(rels))


def build_store(articles: int, out: Path) -> str:
    """Build a store of ``articles`` articles at ``out``; returns how (for the report)."""
    maker = ROOT / "bench" / "make_store.py"
    if maker.exists():
        subprocess.run([sys.executable, str(maker), "--articles", str(articles), "--out", str(out)], check=True,
                       stdout=subprocess.DEVNULL)
        return f"bench/make_store.py --articles {articles}"
    with Store(out) as store:
        batch: list[Extraction] = []
        for ex in synthetic_extractions(articles):
            batch.append(ex)
            if len(batch) == 2000:
                store.write_many(batch)
                batch = []
        store.write_many(batch)
    return f"synthetic {articles} articles"


def read_extractions(db: Path, ids: set[str]) -> list[Extraction]:
    """Rebuild the extractions of articles ``ids`` from a store file (read-only), as ingest wrote them."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        q = ",".join("?" * len(ids))
        arg = sorted(ids)
        ents = {r[0]: r[1:] for r in con.execute("SELECT id, type, name, iso3 FROM entities")}
        aliases: dict[str, dict[str, list[str]]] = {}
        for eid, alias, aid in con.execute(f"SELECT entity_id, alias, article_id FROM aliases WHERE article_id IN ({q})"
                                           " ORDER BY rowid", arg):
            aliases.setdefault(aid, {}).setdefault(eid, []).append(alias)
        mentions: dict[str, list[Mention]] = {}
        for aid, eid, surface, start, end in con.execute(
                f"SELECT article_id, entity_id, surface, start, end FROM mentions WHERE article_id IN ({q})"
                " ORDER BY rowid", arg):
            mentions.setdefault(aid, []).append(Mention(eid, surface, start, end))
        rels: dict[str, list[Relation]] = {}
        for (aid, s, p, o, mod, sent, start, end, rule, conf, items, inf) in con.execute(
                "SELECT article_id, subject, predicate, object, modality, sentence, start, end, rule, confidence,"
                f" items, inferred FROM relations WHERE article_id IN ({q}) ORDER BY id", arg):
            rels.setdefault(aid, []).append(Relation(s, p, o, mod, Evidence(aid, sent, start, end, rule, conf),
                                                     tuple(json.loads(items)), bool(inf)))
        out = []
        for aid, text, title, date, url, source, origin in con.execute(
                f"SELECT id, text, title, date, url, source, origin FROM articles WHERE id IN ({q}) ORDER BY id", arg):
            names = aliases.get(aid, {})
            involved = set(names) | {m.entity_id for m in mentions.get(aid, [])} | {
                x for r in rels.get(aid, []) for x in (r.subject, r.object)}
            entities = []
            for eid in sorted(involved):
                etype, name, iso3 = ents[eid]
                entities.append(Entity(eid, etype, name, tuple(a for a in names.get(eid, []) if a != name), iso3))
            out.append(Extraction(Article(aid, text, title, date, url, source, origin), tuple(entities),
                                  tuple(mentions.get(aid, [])), tuple(rels.get(aid, []))))
        return out
    finally:
        con.close()


def split_store(full: Path, base: Path, every: int = 100) -> set[str]:
    """Copy ``full`` to ``base`` without every ``every``-th article (and entities left orphaned); returns their ids."""
    src = sqlite3.connect(f"file:{full}?mode=ro", uri=True)
    dst = sqlite3.connect(base)
    src.backup(dst)
    src.close()
    ids = [r[0] for r in dst.execute("SELECT id FROM articles ORDER BY id")]
    held = {aid for k, aid in enumerate(ids) if k % every == every - 1}
    dst.execute("PRAGMA foreign_keys = ON")
    with dst:
        dst.executemany("DELETE FROM articles WHERE id = ?", [(a,) for a in sorted(held)])
        dst.execute("DELETE FROM entities WHERE id NOT IN (SELECT entity_id FROM aliases)"
                    " AND id NOT IN (SELECT entity_id FROM mentions) AND id NOT IN (SELECT subject FROM relations)"
                    " AND id NOT IN (SELECT object FROM relations)")
    dst.close()
    return held


# -- neo4j ---------------------------------------------------------------------------------
def wipe(driver, database: str) -> None:
    """Empty the database: nodes, relationships, constraints and indexes."""
    with driver.session(database=database) as s:
        # Relationships first: DETACH DELETE of a hot entity alone can exceed the transaction memory pool.
        s.run(f"MATCH ()-[r]->() CALL (r) {{ DELETE r }} IN TRANSACTIONS OF {WIPE_BATCH} ROWS").consume()
        s.run(f"MATCH (n) CALL (n) {{ DELETE n }} IN TRANSACTIONS OF {WIPE_BATCH} ROWS").consume()
        for r in list(s.run("SHOW CONSTRAINTS YIELD name")):
            s.run(f"DROP CONSTRAINT {cy.quote_name(r['name'])} IF EXISTS").consume()
        for r in list(s.run("SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP'")):
            s.run(f"DROP INDEX {cy.quote_name(r['name'])} IF EXISTS").consume()


def count_graph(driver, database: str) -> dict[str, int]:
    """Nodes and relationships in Neo4j by kind (relation edges, MENTIONS, IN_ARTICLE)."""
    queries = {"nodes": "MATCH (n) RETURN count(n) AS c", "all": "MATCH ()-[r]->() RETURN count(r) AS c",
               "mentions": f"MATCH ()-[r:{cy.MENTIONS}]->() RETURN count(r) AS c",
               "in_article": f"MATCH ()-[r:{cy.IN_ARTICLE}]->() RETURN count(r) AS c"}
    out = {k: driver.execute_query(q, database_=database)[0][0]["c"] for k, q in queries.items()}
    out["relations"] = out["all"] - out["mentions"] - out["in_article"]
    return out


def _props(row: dict[str, Any], drop: tuple[str, ...] = ()) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k not in drop}


def naive_rows(store: Store, limit: int) -> list[tuple[str, dict[str, Any]]]:
    """Up to ``limit`` (statement, params) pairs, one per relationship, each kind in proportion to its count."""
    from graphbuild.graph.model import aggregate_relations

    entities = {e.id: e for e in store.entities()}
    articles = {a["id"]: cy.article_row(a) for a in store.article_rows()}
    edges = list(aggregate_relations(store.evidence()))
    mentions = list(store.article_entities())
    evidence = list(cy.evidence_rows(store.evidence()))
    total = len(edges) + len(mentions) + len(evidence)
    share = min(1.0, limit / total) if total else 0.0

    def ent(e: Entity) -> dict[str, Any]:
        return _props(cy.entity_row(e))

    out: list[tuple[str, dict[str, Any]]] = []
    node = "MERGE ({v}:Entity {{id: ${v}.id}}) SET {v}:{label}, {v}.name = ${v}.name, {v}.aliases = ${v}.aliases, " \
           "{v}.iso3 = ${v}.iso3\n"
    for edge in edges[:round(len(edges) * share)]:
        s, o = entities[edge.subject], entities[edge.object]
        stmt = (node.format(v="s", label=cy.quote_name(s.type)) + node.format(v="o", label=cy.quote_name(o.type))
                + f"MERGE (s)-[r:{cy.quote_name(edge.predicate)}]->(o) SET r = $r")
        out.append((stmt, {"s": ent(s), "o": ent(o), "r": _props(cy.edge_row(edge), ("subject", "object"))}))
    art = "MERGE (a:Article {id: $a.id}) SET a += $a\n"
    for aid, eid, count in mentions[:round(len(mentions) * share)]:
        e = entities[eid]
        stmt = art + node.format(v="e", label=cy.quote_name(e.type)) + "MERGE (a)-[m:MENTIONS]->(e) SET m.count = $c"
        out.append((stmt, {"a": articles[aid], "e": ent(e), "c": count}))
    for row in evidence[:round(len(evidence) * share)]:
        stmt = art + "MERGE (ev:Evidence {id: $ev.id}) SET ev += $ev\nMERGE (ev)-[:IN_ARTICLE]->(a)"
        out.append((stmt, {"a": articles[row["article_id"]], "ev": row}))
    return out


@dataclass
class Naive:
    """What the naive load did."""

    relationships: int
    relations: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.relationships / self.seconds if self.seconds else 0.0


def naive_load(driver, database: str, rows: list[tuple[str, dict[str, Any]]]) -> Naive:
    """One auto-commit statement per relationship (the schema first, as graphbuild gets it too)."""
    with driver.session(database=database) as s:
        for stmt in cy.schema_statements():
            s.run(stmt).consume()
        s.run(cy.AWAIT_INDEXES).consume()
        t0 = time.perf_counter()
        created = relations = 0
        for stmt, params in rows:
            c = s.run(stmt, params).consume().counters
            created += c.relationships_created
            relations += stmt.count("MERGE (s)-[")
        return Naive(created, relations, time.perf_counter() - t0)


# -- main ----------------------------------------------------------------------------------
def _note(text: str) -> None:
    """A step done, on stderr at once (the table comes at the end, on stdout)."""
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def _rate(n: int, seconds: float) -> float:
    return n / seconds if seconds else 0.0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    src = ap.add_mutually_exclusive_group()
    src.add_argument("--db", type=Path, help="store to load (used read-only)")
    src.add_argument("--articles", type=int, default=2000, help="build a store of N articles (default 2000)")
    ap.add_argument("--uri", default=None, help="Bolt URI of a running server (env NEO4J_URI)")
    ap.add_argument("--user", default=None, help="user (env NEO4J_USER)")
    ap.add_argument("--password", default=None, help="password (env NEO4J_PASSWORD)")
    ap.add_argument("--database", default=None, help="database (default neo4j)")
    ap.add_argument("--start-server", action="store_true",
                    help="provision and start a throwaway server with scripts/neo4j_test_server.py")
    ap.add_argument("--allow-wipe", action="store_true", help="empty the target database even if it holds data")
    ap.add_argument("--batch-size", type=int, default=None, help="load_store batch size (default: its own)")
    ap.add_argument("--naive-max", type=int, default=5000, help="relationships the naive load writes (default 5000)")
    ap.add_argument("--every", type=int, default=100, help="the incremental step holds back every N-th article")
    ap.add_argument("--append", type=Path, default=None, help="append result rows to this RESULTS.md")
    args = ap.parse_args(argv)

    server = None
    if args.start_server:
        import importlib.util

        spec = importlib.util.spec_from_file_location("neo4j_test_server", ROOT / "scripts" / "neo4j_test_server.py")
        launcher = importlib.util.module_from_spec(spec)
        sys.modules["neo4j_test_server"] = launcher
        spec.loader.exec_module(launcher)
        launcher.provision(quiet=True)
        server = launcher.start()
        config = Neo4jConfig(uri=server.bolt_uri, user=server.user, password=server.password)
    else:
        config = Neo4jConfig.resolve(uri=args.uri, user=args.user, password=args.password, database=args.database)
    load_kw: dict[str, Any] = {} if args.batch_size is None else {"batch_size": args.batch_size}
    tmp = Path(tempfile.mkdtemp(prefix="bench-neo4j-"))
    load_before = os.getloadavg()[0]
    driver = connect(config)
    try:
        db = config.database
        if not args.allow_wipe and count_graph(driver, db)["nodes"]:
            print(f"error: the database '{db}' at {config.uri} is not empty; this benchmark empties it "
                  "(pass --allow-wipe if that is fine)", file=sys.stderr)
            return 2
        if args.db:
            store_path, made = args.db, str(args.db)
        else:
            store_path = tmp / "store.db"
            t0 = time.perf_counter()
            made = build_store(args.articles, store_path)
            print(f"built the store ({made}) in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
        with Store(store_path) as store:
            stats = store.stats()
        n_articles = int(stats["articles"])
        ev_rows = int(stats.get("evidence", 0) or 0)

        # (a) full load into an empty database, then the no-change reload.
        wipe(driver, db)
        with Store(store_path) as store:
            full = load_store(store, config, driver=driver, **load_kw)
            counts = count_graph(driver, db)
            _note(f"full load: {full.seconds:.1f} s, {counts['all']:,} relationships")
            noop = load_store(store, config, driver=driver, **load_kw)
            _note(f"no-change reload: {noop.seconds:.2f} s")
            naive_data = naive_rows(store, args.naive_max)

        # (b) naive, on a subset.
        wipe(driver, db)
        naive = naive_load(driver, db, naive_data)
        _note(f"naive: {naive.relationships:,} relationships in {naive.seconds:.1f} s")

        # (c) incremental: 99% loaded, 1% written into the store, load again.
        wipe(driver, db)
        base_path = tmp / "base.db"
        held = split_store(store_path, base_path, args.every)
        with Store(base_path) as base:
            base_load = load_store(base, config, driver=driver, **load_kw)
            _note(f"base load ({base_load.articles_new:,} articles): {base_load.seconds:.1f} s")
            base.write_many(read_extractions(store_path, held))
            inc = load_store(base, config, driver=driver, **load_kw)
            _note(f"incremental load ({inc.articles_new:,} new articles): {inc.seconds:.2f} s")
            again = load_store(base, config, driver=driver, **load_kw)
        inc_counts = count_graph(driver, db)
    finally:
        driver.close()
        shutil.rmtree(tmp, ignore_errors=True)
        if server is not None:
            server.stop()

    rel_rate = _rate(counts["relations"], full.seconds)
    all_rate = _rate(counts["all"], full.seconds)
    ratio = all_rate / naive.rate if naive.rate else 0.0
    inc_pct = 100 * inc.seconds / full.seconds if full.seconds else 0.0
    same = inc_counts == counts
    load = f"load average {load_before:.1f} at start, {os.getloadavg()[0]:.1f} at end"
    print(f"store:              {n_articles:,} articles, {ev_rows:,} evidence rows ({made})")
    print(f"graph:              {counts['nodes']:,} nodes; {counts['all']:,} relationships = {counts['relations']:,} "
          f"relation edges + {counts['mentions']:,} MENTIONS + {counts['in_article']:,} IN_ARTICLE")
    print(f"graphbuild load:    {full.seconds:8.2f} s  {rel_rate:10,.0f} relation edges/s  "
          f"{all_rate:10,.0f} relationships/s  ({full.batches} batches)")
    print(f"naive load:         {naive.seconds:8.2f} s  {_rate(naive.relations, naive.seconds):10,.0f} relation edges/s  "
          f"{naive.rate:10,.0f} relationships/s  (subset: {naive.relationships:,} of {counts['all']:,} relationships, "
          "one auto-commit statement each; rate only)")
    print(f"ratio:              {ratio:8.1f}x relationships/s (graphbuild / naive)")
    print(f"no-change reload:   {noop.seconds:8.2f} s  ({100 * noop.seconds / full.seconds:.1f}% of the full load)")
    print(f"incremental {100 / args.every:g}%:    {inc.seconds:8.2f} s  ({inc_pct:.1f}% of the full load; "
          f"{inc.articles_new:,} new articles on {base_load.articles_new:,} loaded in {base_load.seconds:.1f} s; "
          f"{inc.relations_written:,} relation edges rewritten)")
    print(f"incremental graph:  {'same as the full load' if same else f'DIFFERS: {inc_counts} vs {counts}'}; "
          f"reload after it {'changed nothing' if not again.changed else 'CHANGED something'}")
    print(f"machine:            {os.cpu_count()} cores, {load}")
    if args.append:
        _append(args, made, n_articles, counts, full, naive, noop, inc, rel_rate, all_rate, ratio, inc_pct, load)
    return 0 if same and not again.changed and not noop.changed else 1


def _append(args: argparse.Namespace, made: str, n_articles: int, counts: dict[str, int], full: LoadReport,
            naive: Naive, noop: LoadReport, inc: LoadReport, rel_rate: float, all_rate: float, ratio: float,
            inc_pct: float, load: str) -> None:
    """Rows for bench/RESULTS.md in its table format."""
    import neo4j

    vers = versions("Neo4j 5.26", f"driver {neo4j.__version__}")
    src = f"--db {args.db}" if args.db else f"--articles {args.articles}"
    cmd = f"python bench/neo4j_load.py {src} {'--start-server' if args.start_server else '--uri ...'}" \
          f" --naive-max {args.naive_max}"
    data = (f"{n_articles:,} articles ({made}): {counts['all']:,} relationships = {counts['relations']:,} relation "
            f"edges + {counts['mentions']:,} MENTIONS + {counts['in_article']:,} IN_ARTICLE")
    append_rows(args.append, [
        ("Neo4j load vs naive per-relationship statements", machine(load), data,
         f"naive {naive.rate:,.0f} rel/s (auto-commit MERGE per relationship, {naive.relationships:,}-relationship "
         "subset)", f"graphbuild load {all_rate:,.0f} rel/s, {rel_rate:,.0f} relation edges/s ({full.seconds:.1f} s)",
         f"ratio {ratio:.1f}", vers, cmd),
        ("Neo4j incremental load (1% new articles) vs full load", machine(load), data, f"full load {full.seconds:.1f} s",
         f"incremental {inc.seconds:.2f} s ({inc.articles_new:,} new articles); no-change reload {noop.seconds:.2f} s",
         f"{inc_pct:.1f}% of full", vers, cmd),
    ])


if __name__ == "__main__":
    sys.exit(main())
