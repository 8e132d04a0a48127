"""Export the networkx graph: node-link JSON and GraphML (lists and dicts as JSON strings)."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

import networkx as nx

__all__ = ["FORMATS", "export_graph", "flat_copy"]

FORMATS: tuple[str, ...] = ("json", "graphml")


def flat_copy(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy whose attributes are scalars (lists/dicts -> JSON text, None dropped), as GraphML needs."""
    def flat(attrs: dict) -> dict:
        out = {}
        for k, v in attrs.items():
            if v is None:
                continue
            out[k] = json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict, tuple)) else v
        return out

    g = nx.MultiDiGraph()
    g.add_nodes_from((n, flat(a)) for n, a in graph.nodes(data=True))
    g.add_edges_from((u, v, k, flat(a)) for u, v, k, a in graph.edges(keys=True, data=True))
    return g


def _render(graph: nx.MultiDiGraph, fmt: str) -> str:
    if fmt == "json":
        data = nx.node_link_data(graph, edges="edges")
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if fmt == "graphml":
        return "\n".join(nx.generate_graphml(flat_copy(graph))) + "\n"
    raise ValueError(f"unknown export format {fmt!r}")


def export_graph(graph: nx.MultiDiGraph, fmt: str, output: Path | None = None) -> None:
    """Write ``graph`` in ``fmt`` to ``output`` atomically (temp file + rename), or to stdout."""
    text = _render(graph, fmt)
    if output is None:
        sys.stdout.write(text)
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{output.name}.", dir=output.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, output)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
