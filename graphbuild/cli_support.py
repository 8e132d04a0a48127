"""Shared helpers of the thin CLI: consoles, JSON output, one-line errors and exit codes.

Exit codes: 0 all good; 1 some inputs failed or an operation failed (one line on
stderr); 2 usage error (typer/click's own).
"""

from __future__ import annotations

import errno
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from .errors import GraphbuildError
from .sources import DEFAULT_MAX_BYTES
from .store import DateWindow, Store, default_db_path

__all__ = [
    "EXIT_FAILED",
    "EXIT_OK",
    "EXIT_USAGE",
    "DatabaseOption",
    "DbOption",
    "GazetteerOption",
    "JsonOption",
    "MaxBytesOption",
    "PasswordOption",
    "SinceOption",
    "UntilOption",
    "UriOption",
    "UserOption",
    "err_console",
    "guarded",
    "neo4j_config",
    "open_store",
    "out_console",
    "print_json",
    "progress",
    "table",
    "window",
    "wrote",
]

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

out_console = Console(highlight=False, soft_wrap=True)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)

DbOption = typer.Option(None, "--db", help="SQLite store file (env GRAPHBUILD_DB; default ./graphbuild.db).")
JsonOption = typer.Option(False, "--json", help="Print machine-readable JSON instead of tables.")
GazetteerOption = typer.Option([], "--gazetteer", help="Extra actor dictionary (repeatable).")
MaxBytesOption = typer.Option(DEFAULT_MAX_BYTES, "--max-bytes",
                              help="Reject input files (and fetched pages) larger than this.")
SinceOption = typer.Option(None, "--since", help="Only evidence from articles dated on or after this "
                           "(YYYY-MM-DD, YYYY-MM or YYYY).")
UntilOption = typer.Option(None, "--until", help="Only evidence from articles dated up to this "
                           "(YYYY-MM-DD; 2024-03 means to the end of March 2024).")
UriOption = typer.Option(None, "--uri", help="Bolt URI (env NEO4J_URI; default bolt://localhost:7687).",
                         show_default=False)
UserOption = typer.Option(None, "--user", help="User (env NEO4J_USER; default neo4j).", show_default=False)
PasswordOption = typer.Option(
    None, "--password",
    help="Password; prefer env NEO4J_PASSWORD (a flag shows in ps and shell history).", show_default=False,
)
DatabaseOption = typer.Option(None, "--database", help="Database (env NEO4J_DATABASE; default neo4j).",
                              show_default=False)

F = TypeVar("F", bound=Callable[..., Any])

#: OS errors that mean "the disk cannot take this output", whatever wrote it.
_WRITE_FAULTS = frozenset({errno.ENOSPC, errno.EFBIG, errno.EDQUOT, errno.EROFS, errno.EIO})


def guarded(func: F) -> F:
    """Turn graphbuild's own errors into one line on stderr and exit code 1 (bugs keep their traceback)."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except GraphbuildError as exc:
            err_console.print(f"error: {exc}", markup=False)
            raise typer.Exit(EXIT_FAILED) from None
        except OSError as exc:
            if exc.errno not in _WRITE_FAULTS:
                raise
            # output redirected to a full disk (`graphbuild cypher > /full/x.cypher`)
            where = exc.filename or "standard output"
            err_console.print(f"error: cannot write {where}: {(exc.strerror or str(exc)).lower()}", markup=False)
            raise typer.Exit(EXIT_FAILED) from None
        except KeyboardInterrupt:
            err_console.print("interrupted: everything committed so far is kept", markup=False)
            raise typer.Exit(130) from None

    return wrapper  # type: ignore[return-value]


@contextmanager
def open_store(db: Path | None, *, write: bool = False) -> Iterator[Store]:
    """Open the store named by ``--db``, env ``GRAPHBUILD_DB``, the config file, or ``./graphbuild.db``.

    ``write``: the command will write (its integrity check starts now, in the background).  A store
    whose location cannot be written is opened read-only.  An SQLite error inside the block (a
    damaged page, a full disk) becomes one :class:`StoreError` line naming the store.
    """
    import sqlite3

    from .config import load_config

    config = load_config()
    store = Store(default_db_path(db, config.db), identity_file=config.identity, check=write)
    try:
        if write:
            store.require_writable()
        yield store
    except sqlite3.DatabaseError as exc:
        raise store.failure(exc) from None
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


def window(since: str | None, until: str | None) -> DateWindow:
    """The date window of ``--since/--until`` (one error line naming the flag when a date is wrong)."""
    return DateWindow.parse(since, until)


def neo4j_config(uri: str | None, user: str | None, password: str | None, database: str | None):
    """The Neo4j connection from the options, else the environment, else the defaults."""
    from .sinks.neo4j import Neo4jConfig

    return Neo4jConfig.resolve(uri=uri, user=user, password=password, database=database)


def wrote(text: str) -> None:
    """Say what a command wrote: always on stderr, so stdout stays the data (or JSON)."""
    err_console.print(text, markup=False)


def progress(label: str, unit: str = "", show: bool = True):
    """A transient progress bar on stderr yielding ``tick(done, total, description)``, or None off a terminal."""
    if not (show and is_interactive()):
        return nullcontext(None)
    return _bar(label, unit)


@contextmanager
def _bar(label: str, unit: str) -> Iterator[Callable[..., None]]:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(SpinnerColumn(), TextColumn(f"[bold]{label}"), BarColumn(), MofNCompleteColumn(),
                  TextColumn(unit or "{task.description}"), TimeElapsedColumn(), console=err_console,
                  transient=True) as bar:
        task = bar.add_task("", total=None)

        def tick(done: int | None = None, total: int | None = None, description: str = "") -> None:
            if done is None:
                bar.update(task, advance=1, description=description[-60:])
            else:
                bar.update(task, completed=done, total=total)

        yield tick
