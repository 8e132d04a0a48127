"""The interactive graph page: one self-contained HTML file drawn with vis-network.

:func:`render_html` turns the networkx graph (see :func:`graphbuild.graph.build_graph`)
and the stored article metadata into a page that needs no network at view time:
the vendored vis-network build (``graphbuild/data/viz/``, see ``VENDORED.md``),
the page's own script and the graph data are all inlined.  The data travels as a
``<script type="application/json">`` block that is never executed, with ``<``,
``>`` and ``&`` escaped, and a Content-Security-Policy lets only the two inline
scripts of the page run (by hash) and forbids every fetch, so a hostile name or
sentence in an article can neither close the block nor run as code.

:func:`write_html` writes the page atomically (temp file + rename).
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx

from ..errors import GraphbuildError
from ..ontology import ENTITY_TYPES, RELATION_TYPES, RELATIONS, SYMMETRIC
from .files import atomic_open

__all__ = [
    "DEFAULT_TITLE",
    "NODE_COLORS",
    "RELATION_COLORS",
    "VIS_NETWORK_VERSION",
    "VizResult",
    "graph_payload",
    "json_for_script",
    "render_html",
    "write_html",
]

#: Version of the vendored ``graphbuild/data/viz/vis-network.min.js``.
VIS_NETWORK_VERSION = "10.1.5"

DEFAULT_TITLE = "graphbuild graph"

#: Entity colours (fill, border), the palette of ``cypher/style.grass``.
NODE_COLORS: dict[str, tuple[str, str]] = {
    "Person": ("#4C8EDA", "#2870C2"),
    "Country": ("#F16667", "#EB2728"),
    "Organization": ("#8DCC93", "#5DB665"),
    "Location": ("#FFC454", "#D7A013"),
    "Weapon": ("#604A0E", "#423204"),
}
_OTHER_NODE = ("#A5ABB6", "#9AA1AC")

#: Relation colours as in ``cypher/style.grass``: cooperative green, hostile red, structural blue.
RELATION_COLORS: dict[str, str] = {
    name: "#4CAF50" if rel.weight > 0 else "#E53935" if rel.weight < 0 else "#57C7E3"
    for name, rel in RELATIONS.items()
}

_DATA = ("graphbuild", "data", "viz")
_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")
_SOURCE_MAP = re.compile(r"\n?//# sourceMappingURL=\S*\s*$")


@dataclass(frozen=True)
class VizResult:
    """What :func:`write_html` wrote: the file, its node and edge counts and its size in bytes."""

    path: Path
    nodes: int
    edges: int
    size: int


def _resource(name: str) -> str:
    package, *parts = _DATA
    ref = resources.files(package)
    for part in (*parts, name):
        ref = ref.joinpath(part)
    return ref.read_text("utf-8")


def json_for_script(data: Any) -> str:
    """JSON text that is safe inside an HTML ``<script>`` element.

    Every non-ASCII character (U+2028/2029 included) and ``<``, ``>``, ``&`` are
    ``\\u`` escapes, so no ``</script>`` or ``<!--`` can appear; ``JSON.parse``
    reads it back unchanged.

    >>> json_for_script({"a": "</script><!-- \\u2028"})
    '{"a": "\\\\u003c/script\\\\u003e\\\\u003c!-- \\\\u2028"}'
    """
    text = json.dumps(data, ensure_ascii=True, sort_keys=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def graph_payload(graph: nx.MultiDiGraph, articles: Iterable[Mapping[str, Any]] = ()) -> dict[str, Any]:
    """The page's data: nodes, edges (with evidence), the articles they cite, and the styles.

    Edge ids are ``e0``, ``e1``, ... in the graph's edge order; parallel edges
    between the same two nodes get distinct curves.
    """
    nodes = []
    for node_id, attrs in graph.nodes(data=True):
        etype = _text(attrs.get("type")) or "Entity"
        nodes.append({
            "id": _text(node_id),
            "name": _text(attrs.get("name")) or _text(node_id),
            "type": etype,
            "aliases": [_text(a) for a in attrs.get("aliases") or ()],
            "iso3": attrs.get("iso3"),
        })
    by_pair: dict[frozenset, int] = {}
    rank: list[tuple[int, frozenset]] = []
    for u, v in graph.edges():
        pair = frozenset((u, v))
        rank.append((by_pair.get(pair, 0), pair))
        by_pair[pair] = by_pair.get(pair, 0) + 1
    edges, cited = [], set()
    for i, ((u, v, key, attrs), (k, pair)) in enumerate(zip(graph.edges(keys=True, data=True), rank)):
        rtype = _text(attrs.get("type") or key)
        evidence = [
            {
                "article_id": _text(ev.get("article_id")),
                "sentence": _text(ev.get("sentence")),
                # the sentence's own event date when it has one, else the article's (dated_by says which)
                "date": ev.get("event_date") or ev.get("date"),
                "dated_by": "event" if ev.get("event_date") else "published" if ev.get("date") else "",
                "modality": ev.get("modality"),
                "rule": ev.get("rule"),
                "confidence": ev.get("confidence"),
                "claimed_by": _text(graph.nodes[who].get("name", who) if (who := ev.get("claimed_by") or "")
                                    in graph else who),
            }
            for ev in attrs.get("evidence") or ()
        ]
        cited.update(ev["article_id"] for ev in evidence)
        edges.append({
            "id": f"e{i}",
            "from": _text(u),
            "to": _text(v),
            "type": rtype,
            "symmetric": rtype in SYMMETRIC,
            "modality": attrs.get("modality"),
            "modalities": list(attrs.get("modalities") or ()),
            "count": attrs.get("count", len(evidence)),
            "first_date": attrs.get("first_date"),
            "last_date": attrs.get("last_date"),
            "cameo": attrs.get("cameo"),
            "weight": attrs.get("weight"),
            "confidence": attrs.get("confidence"),
            "contested": bool(attrs.get("contested")),
            "articles": attrs.get("articles"),
            "outlets": attrs.get("outlets"),
            "corroboration": attrs.get("corroboration"),
            "dated_by": attrs.get("dated_by"),
            "items": [_text(x) for x in attrs.get("items") or ()],
            "inferred": bool(attrs.get("inferred")),
            "evidence": evidence,
            # k-th of n edges between the same two nodes: a curve of its own
            "curve": k,
            "parallel": by_pair[pair],
            "reversed": _text(u) > _text(v),
        })
    arts = {}
    for row in articles:
        aid = _text(row.get("id"))
        if aid in cited:
            arts[aid] = {k: row.get(k) for k in ("title", "date", "url", "source")}
    present = {e["type"] for e in edges}
    return {
        "nodes": nodes,
        "edges": edges,
        "articles": arts,
        "entity_types": [*ENTITY_TYPES, *sorted({n["type"] for n in nodes} - set(ENTITY_TYPES))],
        "relation_types": [*(t for t in RELATION_TYPES if t in present), *sorted(present - set(RELATION_TYPES))],
        "node_colors": {t: list(NODE_COLORS.get(t, _OTHER_NODE)) for t in (*NODE_COLORS, "Entity")},
        "relation_colors": RELATION_COLORS,
    }


def _csp_hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


def render_html(graph: nx.MultiDiGraph, articles: Iterable[Mapping[str, Any]] = (),
                title: str = DEFAULT_TITLE) -> str:
    """The whole page as one HTML string (vis-network, the page script and the data inlined)."""
    vis_js = _SOURCE_MAP.sub("\n", _resource("vis-network.min.js"))
    app_js = _resource("viz.js")
    for name, script in (("vis-network.min.js", vis_js), ("viz.js", app_js)):
        lowered = script.lower()
        if "</script" in lowered or "<!--" in lowered:  # would end the inline <script> early
            raise ValueError(f"{name} cannot be inlined: it contains '</script' or '<!--'")
    data = json_for_script(graph_payload(graph, articles))
    csp = (
        "default-src 'none'; "
        f"script-src {_csp_hash(vis_js)} {_csp_hash(app_js)}; "
        "style-src 'unsafe-inline'; img-src data: blob:; font-src data:; "
        "connect-src 'none'; base-uri 'none'; form-action 'none'"
    )
    values = {
        "title": html.escape(title, quote=True),
        "csp": html.escape(csp, quote=True),
        "vis_version": VIS_NETWORK_VERSION,
        "nodes": str(graph.number_of_nodes()),
        "edges": str(graph.number_of_edges()),
        "vis_js": vis_js,
        "app_js": app_js,
        "data_json": data,
    }
    # One pass over the template only: inserted text is never searched for placeholders.
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], _resource("template.html"))



def write_html(output: str | os.PathLike[str], graph: nx.MultiDiGraph,
               articles: Iterable[Mapping[str, Any]] = (), title: str = DEFAULT_TITLE) -> VizResult:
    """Write :func:`render_html` to ``output`` atomically (temp file in the same folder + rename)."""
    path = Path(output)
    text = render_html(graph, articles, title).encode("utf-8")
    if path.parent.exists() and not path.parent.is_dir():
        raise GraphbuildError(f"{path}: cannot write the page: {path.parent} is not a folder")
    try:
        with atomic_open(path, "wb") as fh:
            fh.write(text)
    except OSError as exc:
        raise GraphbuildError(f"{path}: cannot write the page: {exc.strerror or exc}") from None
    return VizResult(path, graph.number_of_nodes(), graph.number_of_edges(), len(text))
