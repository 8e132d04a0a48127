"""The ``viz`` command of the CLI (registered on the main app by :func:`register`).

Parses options and calls :func:`graphbuild.sinks.viz.write_html` on the graph of
:func:`graphbuild.graph.build_graph`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .cli_support import DbOption, JsonOption, SinceOption, UntilOption, guarded, open_store, print_json, window, wrote

__all__ = ["register"]


def viz_cmd(
    output: Path = typer.Option(..., "--output", "-o", help="HTML file to write (one self-contained page)."),
    db: Optional[Path] = DbOption,
    since: Optional[str] = SinceOption,
    until: Optional[str] = UntilOption,
    title: str = typer.Option("graphbuild graph", "--title", help="Page title."),
    as_json: bool = JsonOption,
) -> None:
    """Write an interactive graph page (vis-network inlined; opens with no network)."""
    from .graph import build_graph
    from .sinks.viz import write_html

    dates = window(since, until)
    with open_store(db) as store:
        graph = build_graph(store, dates)
        articles = list(store.article_rows())
    result = write_html(output, graph, articles, title)
    if as_json:
        print_json({"path": str(result.path), "nodes": result.nodes, "edges": result.edges})
        return
    wrote(f"wrote {result.path} ({result.nodes} nodes, {result.edges} edges, {result.size / 1024:.0f} KiB); "
          "open it in a browser")


def register(app: typer.Typer) -> None:
    """Add ``viz`` to the main app."""
    app.command("viz")(guarded(viz_cmd))
