"""The ``store`` commands of the CLI: ``store import`` fills an embedded store from a Parquet lake.

Thin over :func:`graphbuild.lake.import_lake`; prints what it did like ``ingest``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .cli_support import DbOption, JsonOption, err_console, guarded, open_store, progress

__all__ = ["register"]

store_app = typer.Typer(help="Fill the embedded store from other sources (a Parquet lake).", no_args_is_help=True)


def import_cmd(
    lake: str = typer.Option(..., "--lake", help="The lake: a directory, or a URI such as s3://bucket/lake or "
                             "hdfs://host/lake (read through pyarrow.fs; written by ingest --lake, here or on Spark)."),
    since: Optional[str] = typer.Option(None, "--since", help="Only ingest dates on or after this (YYYY-MM-DD)."),
    until: Optional[str] = typer.Option(None, "--until", help="Only ingest dates up to this (YYYY-MM-DD)."),
    db: Optional[Path] = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """Fill the store from a slice of the lake (the same rows as ingesting the same corpus directly)."""
    from .cli import _print_ingest
    from .lake import import_lake, lake_dates, require_pyarrow

    require_pyarrow()
    lake_dates(lake, since, until)  # a missing or foreign lake fails before the store is created
    with open_store(db) as store, progress("import", show=not as_json) as tick:
        on_item = None if tick is None else (lambda origin, status: tick(description=f"{status}: {origin}"))
        report = import_lake(lake, store, since=since, until=until, on_item=on_item)
    for problem in report.problems:
        err_console.print(f"lake problem (not imported): {problem}", markup=False)
    _print_ingest(report, store.path, as_json, None, f"lake {lake}")


def register(app: typer.Typer) -> None:
    """Add ``store import`` to the main app."""
    store_app.command("import")(guarded(import_cmd))
    app.add_typer(store_app, name="store")
