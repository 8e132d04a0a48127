"""Neo4j commands of the CLI: ``cypher``, ``load`` and ``query`` (registered on the main app by :func:`register`).

Each command parses options and calls one library function
(:func:`graphbuild.sinks.cypher.write_script`, :func:`graphbuild.sinks.neo4j.load_store`,
:func:`graphbuild.queries.run` on Neo4j or, without it, offline on the store).
Connection settings: ``--uri/--user/--database`` or env ``NEO4J_URI``, ``NEO4J_USER``,
``NEO4J_DATABASE``; the password preferably from env ``NEO4J_PASSWORD`` (a flag
shows in ``ps`` and the shell history).  It is never printed.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Optional

import typer

from .cli_support import (
    DatabaseOption,
    DbOption,
    JsonOption,
    PasswordOption,
    UriOption,
    UserOption,
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
from .defaults import LOAD_BATCH, LOAD_WORKERS, SCRIPT_BATCH

__all__ = ["register"]


def cypher_cmd(
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Script file (default: stdout)."),
    db: Optional[Path] = DbOption,
    batch_size: int = typer.Option(SCRIPT_BATCH, "--batch-size", min=1, help="Rows per UNWIND statement."),
    schema: bool = typer.Option(False, "--schema", help="Print only the schema (constraints and indexes, "
                                "generated from the ontology: cypher/schema.cypher)."),
) -> None:
    """Write the graph as a self-contained Cypher script (schema, then batched UNWIND + MERGE)."""
    from .sinks.cypher import schema_text, write_script

    if schema:
        text = schema_text()
        if output is None:
            sys.stdout.write(text)
            return
        from .sinks.files import atomic_open

        with atomic_open(output, newline="\n") as fh:
            fh.write(text)
        wrote(f"wrote {output} (the schema)")
        return
    with open_store(db) as store:
        if output is None:
            write_script(store, sys.stdout, batch_size=batch_size)
            sys.stdout.flush()
            return
        from .sinks.files import atomic_open

        with atomic_open(output, newline="\n") as fh:
            report = write_script(store, fh, batch_size=batch_size)
    wrote(f"wrote {output} ({report.statements} statements: {report.entities} entities, {report.articles} articles, "
          f"{report.relations} relations, {report.evidence} evidence)")


def load_cmd(
    uri: Optional[str] = UriOption,
    user: Optional[str] = UserOption,
    password: Optional[str] = PasswordOption,
    database: Optional[str] = DatabaseOption,
    batch_size: int = typer.Option(LOAD_BATCH, "--batch-size", min=1, help="Rows per write transaction."),
    workers: int = typer.Option(LOAD_WORKERS, "--workers", min=1, help="Sessions writing in parallel."),
    db: Optional[Path] = DbOption,
    as_json: bool = JsonOption,
    lake: Optional[str] = typer.Option(None, "--lake", help="Load the increment of a Parquet lake's ingest dates "
                                       "from --since on, built on Spark, instead of the store."),
    since: Optional[str] = typer.Option(None, "--since", help="With --lake: the first new ingest date (YYYY-MM-DD)."),
    until: Optional[str] = typer.Option(None, "--until", help="With --lake: the last ingest date."),
    spark_conf: list[str] = typer.Option([], "--spark-conf", help="With --lake: a Spark setting k=v (repeatable)."),
) -> None:
    """Push the store into Neo4j: only new or changed articles and what they touch (idempotent)."""
    from .sinks.neo4j import load_store

    if (lake is None) != (since is None) or (lake is None and (until or spark_conf)):
        raise typer.BadParameter("a lake increment needs both --lake DIR and --since D (--until and --spark-conf "
                                 "go with them)", param_hint="--lake")
    config = neo4j_config(uri, user, password, database)
    if lake is not None:
        from .spark_delta import load_delta

        delta = _lake_delta(lake, since, until, spark_conf)
        with progress("load", "rows", show=not as_json) as tick:  # the increment, then the scores of the whole graph
            report = load_delta(delta, config, batch_size=batch_size, workers=workers, progress=tick)
    else:
        with open_store(db) as store, progress("load", "rows", show=not as_json) as tick:
            report = load_store(store, config, batch_size=batch_size, workers=workers, progress=tick)
    if as_json:
        print_json(report.as_dict())
        return
    out_console.print(table(
        f"Loaded into {report.uri} (database {report.database})",
        ["", "new", "changed", "unchanged", "removed"],
        [["articles", report.articles_new, report.articles_changed, report.articles_unchanged, report.articles_removed]],
    ))
    out_console.print(table(
        None, ["", "created", "updated", "deleted"],
        [["nodes", report.nodes_created, report.nodes_updated, report.nodes_deleted],
         ["relationships", report.relationships_created, report.relationships_updated,
          report.relationships_deleted]],
    ))
    err_console.print(
        f"{report.properties_set} properties set, {report.batches} batches, {report.seconds:.1f} s"
        + ("" if report.changed else " (nothing to change)"), markup=False,
    )


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return ", ".join("" if v is None else str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


#: Rows a query prints as a table: rich measures every cell, so 20,000 rows took 40 s; --json gives them all.
_QUERY_ROWS = 1000


def query_cmd(
    name: Optional[str] = typer.Argument(None, help="Saved query (see --list)."),
    param: list[str] = typer.Option([], "--param", "-p", help="Parameter as key=value (repeatable)."),
    list_: bool = typer.Option(False, "--list", help="List the saved queries with their parameters."),
    uri: Optional[str] = UriOption,
    user: Optional[str] = UserOption,
    password: Optional[str] = PasswordOption,
    database: Optional[str] = DatabaseOption,
    backend: str = typer.Option("auto", "--backend", help="neo4j, offline (embedded store + networkx) or auto: "
                                "Neo4j when NEO4J_URI or --uri is set, else offline."),
    db: Optional[Path] = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """Run a saved question from cypher/queries on Neo4j or offline on the store (or list them with --list)."""
    from .config import load_config
    from .queries import BACKENDS, bind_params, choose_backend, load_catalogue, run
    from .store import default_db_path

    catalogue = load_catalogue()
    if list_:
        _print_list(catalogue, as_json)
        return
    if name is None:
        raise typer.BadParameter("give a query NAME or --list", param_hint="NAME")
    if name not in catalogue:
        from .errors import InputError

        raise InputError(f"unknown query '{name}'; `graphbuild query --list` shows the saved queries")
    if backend not in BACKENDS:
        raise typer.BadParameter(f"{backend!r}: choose neo4j, offline or auto", param_hint="--backend")
    query = catalogue[name]
    params = bind_params(query, param)
    backend = choose_backend(backend, uri)
    config = neo4j_config(uri, user, password, database) if backend == "neo4j" else None
    result = run(query, params, backend=backend, db=default_db_path(db, load_config().db), config=config)
    if as_json:
        print_json({"query": name, "backend": backend, "params": params, "columns": result.columns,
                    "rows": [dict(zip(result.columns, row)) for row in result.rows]})
        return
    shown = result.rows[:_QUERY_ROWS]
    title = f"{name} ({len(result.rows)} rows, {backend})" if len(shown) == len(result.rows) else \
        f"{name}: the first {len(shown)} of {len(result.rows)} rows ({backend}; all with --json)"
    out_console.print(table(title, result.columns, [[_cell(v) for v in row] for row in shown]))


def _print_list(catalogue: dict, as_json: bool) -> None:
    if as_json:
        print_json([
            {"name": q.name, "description": q.description, "columns": list(q.columns),
             "params": [{"name": p.name, "type": p.type, "required": p.required, "default": p.default,
                         "help": p.help} for p in q.params]}
            for q in catalogue.values()
        ])
        return
    out_console.print(table(
        "Saved queries (graphbuild query NAME --param key=value)", ["name", "parameters", "description"],
        [[q.name, "\n".join(p.describe() for p in q.params), q.description] for q in catalogue.values()],
    ))


def browser_cmd(
    host: str = typer.Option("localhost", "--host", help="Host to serve on (Browser accepts guides from localhost)."),
    port: int = typer.Option(7480, "--port", help="Port to serve on (0: any free port)."),
    browser_url: str = typer.Option("http://localhost:7474/browser/", "--browser-url", envvar="NEO4J_BROWSER_URL",
                                    help="Where Neo4j Browser runs (env NEO4J_BROWSER_URL)."),
    write: Optional[Path] = typer.Option(None, "--write", help="Write graphbuild.html and style.grass into this "
                                                                 "folder and exit instead of serving."),
    as_json: bool = JsonOption,
) -> None:
    """Serve the Browser guide (:play) and the style (:style) on localhost, and print the commands to use them."""
    import threading

    from .errors import InputError
    from .sinks.browser import browser_commands, serve, write_guide

    if write is not None:
        try:
            paths = write_guide(write)
        except OSError as exc:
            raise InputError(f"{write}: cannot write the guide: {exc.strerror or exc}") from None
        if as_json:
            print_json({"files": [str(p) for p in paths]})
        else:
            wrote(f"wrote {', '.join(str(p) for p in paths)}; serve the folder with CORS, or drop style.grass on "
                  "Browser and paste the guide's queries")
        return
    try:
        server, base = serve(host, port)
    except OSError as exc:
        raise InputError(f"http://{host}:{port}: cannot serve the guide: {exc.strerror or exc}") from None
    commands = browser_commands(base)
    if as_json:
        print_json({"browser_url": browser_url, **commands})
    else:
        out_console.print(f"Neo4j Browser:   {browser_url}\n"
                          f"open the guide:  {commands['play']}\n"
                          f"apply the style: {commands['style']}\n"
                          f"or both on every connect, in neo4j.conf:\n  {commands['post_connect_cmd']}",
                          markup=False)
        err_console.print(f"serving {commands['guide_url']} and {commands['style_url']}; Ctrl-C stops",
                          markup=False)
    sys.stdout.flush()
    try:
        threading.Event().wait()
    finally:
        server.shutdown()


def _lake_delta(lake: str, since: str, until: str | None, spark_conf: list[str]):
    """``load --lake --since``: the increment built on Spark (:mod:`graphbuild.spark_delta`)."""
    from . import spark as gbs
    from .config import load_config
    from .lake import check_date, lake_dates, require_pyarrow
    from .resolve import read_rules
    from .spark_delta import build_delta

    require_pyarrow()
    gbs.require_pyspark()
    lake_dates(lake, check_date(since), until)  # a missing or foreign lake fails before Spark starts
    identity = load_config().identity
    return build_delta(gbs.get_session(gbs.parse_conf(spark_conf)), lake, since, until=until,
                       rules=read_rules(identity) if identity else None)


def register(app: typer.Typer) -> None:
    """Add ``cypher``, ``load``, ``query`` and ``browser`` to the main app."""
    app.command("cypher")(guarded(cypher_cmd))
    app.command("load")(guarded(load_cmd))
    app.command("query")(guarded(query_cmd))
    app.command("browser")(guarded(browser_cmd))
