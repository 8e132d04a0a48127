"""Shared helpers of the thin CLI: consoles, JSON output, one-line errors and exit codes.

Exit codes: 0 all good; 1 some inputs failed or an operation failed (one line on
stderr); 2 usage error (typer/click's own).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from .errors import GraphbuildError
from .sinks.store import Store, default_db_path

__all__ = [
    "EXIT_FAILED",
    "EXIT_OK",
    "EXIT_USAGE",
    "DbOption",
    "JsonOption",
    "err_console",
    "guarded",
    "open_store",
    "out_console",
    "print_json",
    "table",
]

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

out_console = Console(highlight=False, soft_wrap=True)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)

DbOption = typer.Option(None, "--db", help="SQLite store file (env GRAPHBUILD_DB; default ./graphbuild.db).")
JsonOption = typer.Option(False, "--json", help="Print machine-readable JSON instead of tables.")

F = TypeVar("F", bound=Callable[..., Any])


def guarded(func: F) -> F:
    """Turn graphbuild's own errors into one line on stderr and exit code 1 (bugs keep their traceback)."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except GraphbuildError as exc:
            err_console.print(f"error: {exc}", markup=False)
            raise typer.Exit(EXIT_FAILED) from None
        except KeyboardInterrupt:
            err_console.print("interrupted: everything committed so far is kept", markup=False)
            raise typer.Exit(130) from None

    return wrapper  # type: ignore[return-value]


@contextmanager
def open_store(db: Path | None) -> Iterator[Store]:
    """Open the store named by ``--db``, env ``GRAPHBUILD_DB``, the config file, or ``./graphbuild.db``."""
    from .config import load_config

    store = Store(default_db_path(db, load_config().db))
    try:
        yield store
    finally:
        store.close()


def print_json(data: Any) -> None:
    """Write ``data`` as JSON to stdout (UTF-8, not ASCII-escaped)."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")
    sys.stdout.flush()


def table(title: str | None, columns: list[str], rows: list[list[Any]]) -> Table:
    """A rich table with the given columns and rows (values shown with str())."""
    t = Table(title=title, title_justify="left", show_lines=False)
    for col in columns:
        t.add_column(col, overflow="fold")
    for row in rows:
        t.add_row(*("" if v is None else str(v) for v in row))
    return t


def is_interactive() -> bool:
    """True when stderr is a terminal (progress bars only then) and not in CI."""
    return err_console.is_terminal and not os.environ.get("CI")
