"""The ``viz`` command of the CLI (registered on the main app by :func:`register`).

Parses options and calls :func:`graphbuild.sinks.viz.write_html` on the graph of
:func:`graphbuild.graph.build_graph`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Optional

import typer

from .cli_support import DbOption, JsonOption, guarded, open_store, out_console, print_json

__all__ = ["register"]

_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


def _date(value: str | None) -> str | None:
    if value is not None and not _DATE.fullmatch(value):
        raise typer.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD (or YYYY-MM, YYYY)")
    return value


def viz_cmd(
    output: Path = typer.Option(..., "--output", "-o", help="HTML file to write (one self-contained page)."),
    db: Optional[Path] = DbOption,
    since: Optional[str] = typer.Option(None, "--since", callback=_date, help="Only evidence from articles dated on or after this "
                                        "(YYYY-MM-DD)."),
    until: Optional[str] = typer.Option(None, "--until", callback=_date, help="Only evidence from articles dated on or before this "
                                        "(YYYY-MM-DD)."),
    title: str = typer.Option("graphbuild graph", "--title", help="Page title."),
    as_json: bool = JsonOption,
) -> None:
    """Write an interactive graph page (vis-network inlined; opens with no network)."""
    from .graph import build_graph
    from .sinks.viz import write_html

    with open_store(db) as store:
        graph = build_graph(store, since=since, until=until)
        articles = list(store.article_rows())
    result = write_html(output, graph, articles, title)
    if as_json:
        print_json({"path": str(result.path), "nodes": result.nodes, "edges": result.edges})
        return
    out_console.print(f"wrote {result.path} ({result.nodes} nodes, {result.edges} edges, "
                      f"{result.size / 1024:.0f} KiB); open it in a browser", markup=False)


def register(app: typer.Typer) -> None:
    """Add ``viz`` to the main app."""
    app.command("viz")(guarded(viz_cmd))
