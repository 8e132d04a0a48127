"""Neo4j commands of the CLI: ``cypher``, ``load`` and ``query`` (registered on the main app by :func:`register`).

Each command parses options and calls one library function
(:func:`graphbuild.sinks.cypher.write_script`, :func:`graphbuild.sinks.neo4j.load_store`,
:func:`graphbuild.sinks.neo4j.run_query` over :mod:`graphbuild.queries`; offline, without Neo4j,
:func:`graphbuild.graph.offline_queries.run_offline`).
Connection settings: ``--uri/--user/--database`` or env ``NEO4J_URI``, ``NEO4J_USER``,
``NEO4J_DATABASE``; the password preferably from env ``NEO4J_PASSWORD`` (a flag
shows in ``ps`` and the shell history).  It is never printed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, Optional

import typer

from .cli_support import (
    DbOption,
    JsonOption,
    err_console,
    guarded,
    is_interactive,
    open_store,
    out_console,
    print_json,
    table,
)

__all__ = ["register"]

UriOption = typer.Option(None, "--uri", help="Bolt URI (env NEO4J_URI; default bolt://localhost:7687).",
                         show_default=False)
UserOption = typer.Option(None, "--user", help="User (env NEO4J_USER; default neo4j).", show_default=False)
PasswordOption = typer.Option(
    None, "--password",
    help="Password; prefer env NEO4J_PASSWORD (a flag shows in ps and shell history).", show_default=False,
)
DatabaseOption = typer.Option(None, "--database", help="Database (env NEO4J_DATABASE; default neo4j).",
                              show_default=False)


def _config(uri: str | None, user: str | None, password: str | None, database: str | None):
    from .sinks.neo4j import Neo4jConfig

    return Neo4jConfig.resolve(uri=uri, user=user, password=password, database=database)


def cypher_cmd(
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Script file (default: stdout)."),
    db: Optional[Path] = DbOption,
    batch_size: int = typer.Option(1000, "--batch-size", min=1, help="Rows per UNWIND statement."),
) -> None:
    """Write the graph as a self-contained Cypher script (schema, then batched UNWIND + MERGE)."""
    from .sinks.cypher import write_script

    with open_store(db) as store:
        if output is None:
            write_script(store, sys.stdout, batch_size=batch_size)
            sys.stdout.flush()
            return
        from .sinks.files import atomic_open

        with atomic_open(output, newline="\n") as fh:
            report = write_script(store, fh, batch_size=batch_size)
    err_console.print(
        f"wrote {output} ({report.statements} statements: {report.entities} entities, {report.articles} articles, "
        f"{report.relations} relations, {report.evidence} evidence)", markup=False,
    )


def load_cmd(
    uri: Optional[str] = UriOption,
    user: Optional[str] = UserOption,
    password: Optional[str] = PasswordOption,
    database: Optional[str] = DatabaseOption,
    batch_size: int = typer.Option(20_000, "--batch-size", min=1, help="Rows per write transaction."),
    workers: int = typer.Option(2, "--workers", min=1, help="Sessions writing in parallel."),
    db: Optional[Path] = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """Push the store into Neo4j: only new or changed articles and what they touch (idempotent)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from .sinks.neo4j import load_store

    config = _config(uri, user, password, database)
    with open_store(db) as store:
        if is_interactive() and not as_json:
            with Progress(
                TextColumn("[bold]load"), BarColumn(), MofNCompleteColumn(), TextColumn("rows"),
                TimeElapsedColumn(), console=err_console, transient=True,
            ) as bar:
                task = bar.add_task("", total=None)

                def tick(done: int, total: int) -> None:
                    bar.update(task, completed=done, total=total)

                report = load_store(store, config, batch_size=batch_size, workers=workers, progress=tick)
        else:
            report = load_store(store, config, batch_size=batch_size, workers=workers)
    if as_json:
        print_json(report.as_dict())
        return
    out_console.print(table(
        f"Loaded into {report.uri} (database {report.database})",
        ["articles", "new", "changed", "unchanged", "removed"],
        [["", report.articles_new, report.articles_changed, report.articles_unchanged, report.articles_removed]],
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
    from .queries import bind_params, load_catalogue

    catalogue = load_catalogue()
    if list_:
        _print_list(catalogue, as_json)
        return
    if name is None:
        raise typer.BadParameter("give a query NAME or --list", param_hint="NAME")
    if name not in catalogue:
        from .errors import InputError

        raise InputError(f"unknown query '{name}'; `graphbuild query --list` shows the saved queries")
    if backend not in ("auto", "neo4j", "offline"):
        raise typer.BadParameter(f"{backend!r}: choose neo4j, offline or auto", param_hint="--backend")
    query = catalogue[name]
    params = bind_params(query, param)
    if backend == "neo4j" or (backend == "auto" and (uri or os.environ.get("NEO4J_URI"))):
        from .sinks.neo4j import run_query

        config = _config(uri, user, password, database)
        result = run_query(config, query.text, params)
        backend = "neo4j"
    else:
        from .graph.offline_queries import run_offline

        with open_store(db) as store:
            result = run_offline(store, query, params)
        backend = "offline"
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


def register(app: typer.Typer) -> None:
    """Add ``cypher``, ``load`` and ``query`` to the main app."""
    app.command("cypher")(guarded(cypher_cmd))
    app.command("load")(guarded(load_cmd))
    app.command("query")(guarded(query_cmd))
