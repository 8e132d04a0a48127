"""The ``graphbuild`` command line: thin commands over library functions.

Each command parses options, calls one library function and prints a table
(or JSON with ``--json``).  Exit codes: 0 ok, 1 some input or operation failed,
2 usage error.
"""

from __future__ import annotations

import json
from contextlib import nullcontext
from pathlib import Path
from typing import Optional

import typer

from . import __version__
from .cli_support import (
    EXIT_FAILED,
    DbOption,
    GazetteerOption,
    JsonOption,
    MaxBytesOption,
    err_console,
    guarded,
    neo4j_config,
    open_store,
    out_console,
    print_json,
    progress,
    table,
    wrote,
)
from .cli_web import (
    BackoffOption,
    ConcurrencyOption,
    HostDelayOption,
    IgnoreRobotsOption,
    RetriesOption,
    TimeoutOption,
    UrlsOption,
    UserAgentOption,
    fetch_options,
    web_reader,
)
from .extract.deadline import DEFAULT_TIME_LIMIT
from .pipeline import DEFAULT_BATCH_SIZE, IngestReport, ingest, require_neo4j
from .sources import read_inputs

app = typer.Typer(
    name="graphbuild",
    help="Build a geopolitical knowledge graph from news articles, offline.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        out_console.print(f"graphbuild {__version__}", markup=False)
        raise typer.Exit()


@app.callback()
def _main(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version and exit."),
) -> None:
    """graphbuild: news articles -> actors, relations with modality and evidence -> a graph."""


def _make_extractor(gazetteer: list[Path]):
    """The extraction engine with the packaged gazetteer, the config file's and ``--gazetteer`` files."""
    from .config import load_config
    from .extract.engine import Extractor

    return Extractor([*load_config().gazetteers, *gazetteer])


def _make_ingest_extractor(gazetteer: list[Path], workers: int | None, batch_size: int, time_limit: float | None):
    """An extractor that spreads batches over ``workers`` processes (the CPU count by default)."""
    from .config import load_config
    from .extract.parallel import ParallelExtractor

    return ParallelExtractor([*load_config().gazetteers, *gazetteer], workers=workers, batch_size=batch_size,
                             time_limit=time_limit)


def ingest_cmd(
    paths: list[str] = typer.Argument(None, help="Files, directories (recursive), - for stdin, or http(s) URLs of "
                                      "pages and RSS/Atom feeds.", show_default=False),
    urls: Optional[Path] = UrlsOption,
    db: Optional[Path] = DbOption,
    gazetteer: list[Path] = GazetteerOption,
    max_bytes: int = MaxBytesOption,
    batch_size: int = typer.Option(DEFAULT_BATCH_SIZE, "--batch-size", min=1, help="Articles per nlp.pipe batch."),
    workers: Optional[int] = typer.Option(None, "--workers", "-w", min=1, show_default="the CPU count",
                                          help="Extraction processes (1: all in this process). Inputs of a "
                                               "single batch are always extracted in this process."),
    time_limit: float = typer.Option(DEFAULT_TIME_LIMIT, "--time-limit", min=0,
                                     help="Seconds one article's extraction, its parse included, may take before it fails alone "
                                          "(per 10,000 characters of a longer article; 0: none)."),
    neo4j: bool = typer.Option(False, "--neo4j", help="Then load into Neo4j whatever it lacks (env NEO4J_URI, NEO4J_USER, "
                               "NEO4J_PASSWORD, NEO4J_DATABASE)."),
    user_agent: Optional[str] = UserAgentOption,
    ignore_robots: bool = IgnoreRobotsOption,
    timeout: float = TimeoutOption,
    retries: int = RetriesOption,
    concurrency: int = ConcurrencyOption,
    host_delay: float = HostDelayOption,
    backoff: float = BackoffOption,
    lake: Optional[str] = typer.Option(None, "--lake", help="Write the extractions to this Parquet lake (one "
                                       "ingest date, replaced on a re-run) instead of the store."),
    ingest_date: Optional[str] = typer.Option(None, "--ingest-date", help="The lake partition to write "
                                              "(YYYY-MM-DD; default today, UTC)."),
    engine: str = typer.Option("local", "--engine", help="local (this process and --workers) or spark "
                               "(needs --lake and graphbuild[spark])."),
    spark_conf: list[str] = typer.Option([], "--spark-conf", help="A Spark setting k=v (repeatable; --engine spark)."),
    as_json: bool = JsonOption,
) -> None:
    """Read articles (files, pages, feeds), extract actors and relations, and store them in the embedded store
    (or a Parquet lake)."""
    from .sources.web import is_url, read_sources, read_url_list

    paths = paths or []
    listed = read_url_list(urls) if urls is not None else []
    if not paths and urls is None:
        raise typer.BadParameter("give files, directories, - or URLs (or --urls FILE)", param_hint="PATHS")
    if engine not in ("local", "spark"):
        raise typer.BadParameter(f"unknown engine {engine!r}; choose local or spark", param_hint="--engine")
    if lake is None and (engine == "spark" or ingest_date or spark_conf):
        raise typer.BadParameter("--engine spark, --ingest-date and --spark-conf write a lake: give --lake DIR",
                                 param_hint="--lake")
    if lake is not None:
        if neo4j or db is not None:
            raise typer.BadParameter("--lake writes the lake, not the store: fill a store from it with "
                                     "graphbuild store import --lake DIR", param_hint="--lake")
        if urls is not None or any(is_url(p) for p in paths):
            raise typer.BadParameter("--lake reads files, directories and -; fetch pages and feeds into a store "
                                     "(ingest URL --db FILE)", param_hint="--lake")
        _ingest_lake(paths, lake, ingest_date, engine, spark_conf, gazetteer, max_bytes, batch_size, workers,
                     time_limit or None, as_json)
        return
    config = neo4j_config(None, None, None, None) if neo4j else None
    if config is not None:
        require_neo4j(config)  # before the store is created or a model loaded
    extractor = _make_ingest_extractor(gazetteer, workers, batch_size, time_limit or None)
    notices: list = []
    web = any(is_url(p) for p in paths) or any(isinstance(u, str) for u in listed)
    options = fetch_options(user_agent=user_agent, ignore_robots=ignore_robots, timeout=timeout, retries=retries,
                            concurrency=concurrency, host_delay=host_delay, max_bytes=max_bytes, backoff=backoff)
    with open_store(db, write=True) as store, (web_reader(store.path, options, notices.append) if web else nullcontext()) as \
            reader, progress("ingest", show=not as_json) as tick:
        on_item = None if tick is None else (lambda origin, status: tick(description=f"{status}: {origin}"))
        report = ingest(read_sources(paths, reader, max_bytes=max_bytes, urls=listed), store, extractor,
                        batch_size=batch_size, on_item=on_item, neo4j=config)
    for notice in notices:
        err_console.print(f"warning: {notice}", markup=False)
    for warning in report.warnings:
        err_console.print(f"warning: {warning}", markup=False)
    for problem in report.problems:
        err_console.print(f"error: {problem}", markup=False)
    _print_ingest(report, store.path, as_json, report.loaded, getattr(extractor, "mode", "in-process"), notices)
    if not report.ok:
        raise typer.Exit(EXIT_FAILED)


def _ingest_lake(paths: list[str], lake: str, ingest_date: str | None, engine: str, spark_conf: list[str],
                 gazetteer: list[Path], max_bytes: int, batch_size: int, workers: int | None,
                 time_limit: float | None, as_json: bool) -> None:
    """``ingest --lake``: extract into one ingest date of the lake, here (and in --workers) or on Spark."""
    from .lake import LakeWriter, check_date, require_pyarrow, today

    day = check_date(ingest_date) if ingest_date else today()
    if engine == "spark":
        from . import spark as gbs

        gbs.require_pyspark()
        conf = gbs.parse_conf(spark_conf)
        from .config import load_config

        with progress("spark", show=not as_json) as tick:
            if tick is not None:
                tick(description=f"extracting on Spark into {lake} ({day})")
            summary = gbs.ingest_files(paths, lake, ingest_date=day, conf=conf, max_bytes=max_bytes,
                                       gazetteer=[*load_config().gazetteers, *gazetteer], batch_size=batch_size,
                                       time_limit=time_limit)
        _print_lake(summary.counts, summary.problems, lake, day, f"spark {summary.master}", as_json)
        if summary.problems:
            raise typer.Exit(EXIT_FAILED)
        return
    require_pyarrow()
    from .pipeline import ingest_to_lake

    extractor = _make_ingest_extractor(gazetteer, workers, batch_size, time_limit)
    with LakeWriter(lake if "://" in lake else Path(lake), day, batch_size=batch_size) as writer, \
            progress("ingest", show=not as_json) as tick:
        on_item = None if tick is None else (lambda origin, status: tick(description=f"{status}: {origin}"))
        report = ingest_to_lake(read_inputs(paths, max_bytes=max_bytes), writer, extractor, batch_size=batch_size,
                                on_item=on_item)
        writer.engine = getattr(extractor, "mode", "in-process")
        counts = writer.commit()
    problems = [{"origin": p.origin, "reason": p.reason} for p in report.problems]
    _print_lake(counts, problems, lake, day, writer.engine, as_json)
    if not report.ok:
        raise typer.Exit(EXIT_FAILED)


def _print_lake(counts: dict[str, int], problems: list[dict], lake: str, day: str, engine: str,
                as_json: bool) -> None:
    for problem in problems:
        err_console.print(f"error: {problem['origin']}: {problem['reason']}", markup=False)
    if as_json:
        print_json({"lake": str(lake), "ingest_date": day, "extraction": engine, "rows": counts,
                    "problems": problems})
        return
    out_console.print(table(f"Wrote {lake} ingest_date={day} (extraction: {engine})", list(counts),
                            [list(counts.values())]))


#: Rows of the ingest's entity table on a terminal (a big corpus finds thousands).
_ENTITY_ROWS = 50


def _print_ingest(report: IngestReport, db: Path, as_json: bool, loaded=None, mode: str = "in-process",
                  notices: list | None = None) -> None:
    entities = sorted(report.entities.values(), key=lambda e: (-report.mention_counts[e.id], e.type, e.name))
    if as_json:
        print_json({
            "neo4j": loaded.as_dict() if loaded is not None else None,
            "db": str(db),
            "extraction": mode,
            "articles": {s: report.count(s) for s in ("new", "replaced", "unchanged")} | {"failed": len(report.problems)},
            "entities": [
                {"id": e.id, "type": e.type, "name": e.name, "aliases": list(e.aliases), "iso3": e.iso3,
                 "mentions": report.mention_counts[e.id]} for e in entities
            ],
            "relations": report.relations,
            "problems": [{"origin": p.origin, "reason": p.reason} for p in report.problems],
            "warnings": [{"origin": n.origin, "message": n.message} for n in notices or ()]
                        + [{"origin": w.origin, "message": w.reason} for w in report.warnings],
        })
        return
    out_console.print(table(
        f"Ingested into {db} (extraction: {mode})",
        ["new", "replaced", "unchanged", "failed", "entities", "relations"],
        [[report.count("new"), report.count("replaced"), report.count("unchanged"), len(report.problems),
          len(entities), report.relations]],
    ))
    if loaded is not None:
        out_console.print(table(
            f"Loaded into Neo4j {loaded.uri}", ["nodes created", "relationships created", "seconds"],
            [[loaded.nodes_created, loaded.relationships_created, f"{loaded.seconds:.1f}"]]))
    if entities:
        shown = entities[:_ENTITY_ROWS]
        out_console.print(table(
            "Entities found" if len(shown) == len(entities) else
            f"Entities found: the {len(shown)} most mentioned of {len(entities)} (all with --json)",
            ["type", "name", "id", "mentions", "aliases"],
            [[e.type, e.name, e.id, report.mention_counts[e.id], ", ".join(e.aliases)] for e in shown],
        ))


def _read_articles(paths: list[str], max_bytes: int):
    """Articles from the inputs; problems are printed as they come and counted."""
    problems: list = []

    def gen():
        from .models import InputProblem

        for item in read_inputs(paths, max_bytes=max_bytes):
            if isinstance(item, InputProblem):
                problems.append(item)
                err_console.print(f"error: {item}", markup=False)
            else:
                yield item

    return gen(), problems


def extract_cmd(
    paths: list[str] = typer.Argument(..., help="Files, directories (recursive) or - for stdin."),
    gazetteer: list[Path] = GazetteerOption,
    explain: bool = typer.Option(False, "--explain", help="Show per sentence the candidates, rules fired and drops."),
    max_bytes: int = MaxBytesOption,
    as_json: bool = typer.Option(False, "--json", help="One JSON object per article (gold format), one per line."),
) -> None:
    """Extract entities and relations without storing them (gold-format JSON with --json)."""
    from .evaluate import extraction_to_gold

    extractor = _make_extractor(gazetteer)
    articles, problems = _read_articles(paths, max_bytes)
    for ex in extractor.extract_many(articles):
        gold = extraction_to_gold(ex)
        if as_json:
            if explain:
                gold["explain"] = [n.__dict__ for n in ex.notes]
            print(json.dumps(gold, ensure_ascii=False))
            continue
        _print_extraction(gold, ex if explain else None)
    if problems:
        raise typer.Exit(EXIT_FAILED)


def _print_extraction(gold: dict, ex) -> None:
    title = gold["title"] or gold["id"]
    out_console.print(table(f"{title} [{gold['id']}] entities", ["type", "name", "id", "aliases"],
                            [[e["type"], e["name"], e["id"], ", ".join(e["aliases"])] for e in gold["entities"]]))
    out_console.print(table(
        f"{title} relations", ["subject", "predicate", "object", "modality", "items", "rule", "evidence"],
        [[r["subject"], r["predicate"] + (" (inferred)" if r["inferred"] else ""), r["object"], r["modality"],
          ", ".join(r["items"]), r["rule"], r["evidence"]] for r in gold["relations"]],
    ))
    out_console.print(table(
        f"{title} claims (who says so, and when it happened)",
        ["subject", "predicate", "object", "modality", "claimed by", "event date", "contested"],
        [[r["subject"], r["predicate"], r["object"], c["modality"], c["claimant"] or "(the article)",
          f"{c['event_date']} ({c['date_precision']})" if c["event_date"] else "",
          "yes" if r["contested"] else ""] for r in gold["relations"] for c in r["claims"]],
    ))
    if ex is not None:
        sents = list(ex.notes)
        out_console.print(table(f"{title} explain", ["sentence", "kind", "rule", "detail"],
                                [[n.sentence, n.kind, n.rule, n.detail] for n in sents]))


def eval_cmd(
    gold_file: Path = typer.Argument(..., help="Gold JSONL file (ONTOLOGY.md format)."),
    gazetteer: list[Path] = GazetteerOption,
    errors: int = typer.Option(20, "--errors", help="How many false positives/negatives to show."),
    as_json: bool = JsonOption,
) -> None:
    """Score the extractor on a gold file: P/R/F1 for entities and relations, modality accuracy."""
    from .evaluate import evaluate_file

    report, n_articles = evaluate_file(gold_file, _make_extractor(gazetteer))
    if as_json:
        print_json(report.as_dict())
        return
    rows = [["entities", *_prf(report.entities)], ["relations", *_prf(report.relations)]]
    out_console.print(table(f"Scores on {gold_file} ({n_articles} articles)",
                            ["what", "precision", "recall", "F1", "predicted", "gold"], rows))
    out_console.print(f"modality accuracy: {report.modality_accuracy:.3f} over {report.modality_total} matched relations",
                      markup=False)
    out_console.print(table("Relations per predicate", ["predicate", "precision", "recall", "F1", "predicted", "gold"],
                            [[p, *_prf(s)] for p, s in sorted(report.per_predicate.items())]))
    for name, items in (("False positives", report.false_positives), ("False negatives", report.false_negatives),
                        ("Modality errors", report.modality_errors)):
        if items:
            cols = list(items[0].keys())
            out_console.print(table(f"{name} ({len(items)})", cols, [[x.get(c) for c in cols] for x in items[:errors]]))


def _prf(score) -> list:
    return [f"{score.precision:.3f}", f"{score.recall:.3f}", f"{score.f1:.3f}", score.n_pred, score.n_gold]


def stats_cmd(db: Optional[Path] = DbOption, as_json: bool = JsonOption) -> None:
    """Counts: articles, entities by type, relations by type and modality."""
    with open_store(db) as store:
        stats = store.stats()
    if as_json:
        print_json(stats)
        return
    out_console.print(table("Store", ["articles", "entities", "relations", "evidence"],
                            [[stats["articles"], stats["entities"], stats["relations"], stats["evidence"]]]))
    out_console.print(table("Entities by type", ["type", "count"], [[t, n] for t, n in stats["entities_by_type"].items()]))
    from .ontology import MODALITIES

    rows = [[p, *(m.get(x, 0) for x in MODALITIES), sum(m.values())] for p, m in stats["relations_by_type"].items()]
    out_console.print(table("Relations by type and modality", ["type", *MODALITIES, "total"], rows))


def export_cmd(
    fmt: str = typer.Option("json", "--format", "-f", help="json (node-link), graphml, gexf, or csv (a directory "
                            "for neo4j-admin database import; needs -o DIR)."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Output file, or directory for csv "
                                          "(default: stdout)."),
    db: Optional[Path] = DbOption,
    lake: Optional[str] = typer.Option(None, "--lake", help="Build the csv set from this Parquet lake on Spark "
                                       "(identity resolved, relations aggregated) instead of the store."),
    since: Optional[str] = typer.Option(None, "--since", help="With --lake: ingest dates on or after this."),
    until: Optional[str] = typer.Option(None, "--until", help="With --lake: ingest dates up to this."),
    spark_conf: list[str] = typer.Option([], "--spark-conf", help="With --lake: a Spark setting k=v (repeatable)."),
) -> None:
    """Export the graph (node-link JSON, GraphML, GEXF, or CSV files for neo4j-admin import)."""
    from .graph import build_graph
    from .sinks.export import FORMATS, export_graph, write_import_csv

    if fmt not in FORMATS:
        raise typer.BadParameter(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}", param_hint="--format")
    if lake is None and (since or until or spark_conf):
        raise typer.BadParameter("--since, --until and --spark-conf read a lake: give --lake DIR", param_hint="--lake")
    if lake is not None and fmt != "csv":
        raise typer.BadParameter("--lake builds the neo4j-admin CSV set: use --format csv -o DIR", param_hint="--lake")
    if fmt == "csv":
        if output is None:
            raise typer.BadParameter("csv writes a directory of files: give -o DIR", param_hint="--output")
        if lake is not None:
            report = _export_lake(lake, output, since, until, spark_conf)
        else:
            with open_store(db) as store:
                report = write_import_csv(store, output)
        wrote(f"wrote {len(report.nodes) + len(report.relationships)} files to {output} "
              f"({sum(report.nodes.values())} nodes, {sum(report.relationships.values())} relationships); import with:")
        out_console.print(report.import_command(), markup=False)
        return
    with open_store(db) as store:
        graph = build_graph(store)
    export_graph(graph, fmt, output)
    if output:
        wrote(f"wrote {output} ({graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges)")


def _export_lake(lake: str, output: Path, since: str | None, until: str | None, spark_conf: list[str]):
    """``export --format csv --lake``: the graph of a lake slice built on Spark (:mod:`graphbuild.spark_graph`)."""
    from . import spark as gbs
    from .config import load_config
    from .lake import lake_dates, require_pyarrow
    from .resolve import read_rules
    from .spark_graph import build_graph as spark_graph, write_import_csv as spark_csv

    require_pyarrow()
    gbs.require_pyspark()
    lake_dates(lake, since, until)  # a missing or foreign lake fails before Spark starts
    conf = gbs.parse_conf(spark_conf)
    identity = load_config().identity
    with progress("spark", show=True) as tick:
        if tick is not None:
            tick(description=f"building the graph of {lake} on Spark")
        graph = spark_graph(gbs.get_session(conf), lake, since=since, until=until,
                            rules=read_rules(identity) if identity else None)
        return spark_csv(graph, output)


def register(app: typer.Typer) -> None:
    """Add ``ingest``, ``extract``, ``eval``, ``stats`` and ``export`` to the main app."""
    app.command("ingest")(guarded(ingest_cmd))
    app.command("extract")(guarded(extract_cmd))
    app.command("eval")(guarded(eval_cmd))
    app.command("stats")(guarded(stats_cmd))
    app.command("export")(guarded(export_cmd))


def _register_all() -> None:
    """Every command module registers its commands the same way, in the order of the help text."""
    from . import cli_analysis, cli_entities, cli_neo4j, cli_store, cli_viz, cli_web

    register(app)
    for module in (cli_web, cli_neo4j, cli_analysis, cli_entities, cli_store, cli_viz):
        module.register(app)


_register_all()


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
