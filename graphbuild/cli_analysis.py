"""The ``analyze`` command: formats what :mod:`graphbuild.analysis` computes (registered by :func:`register`).

Without ``--actor``/``--path``: central actors per entity type, communities,
relation types and contested claims.  ``--actor NAME``: its ego network.  ``--path A B``: shortest
paths.  ``--since/--until`` restrict the graph to evidence from articles in that
date range; ``--json`` prints the same as JSON.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Optional

import typer

from .defaults import LOUVAIN_SEED
from .cli_support import (
    DbOption,
    JsonOption,
    SinceOption,
    UntilOption,
    err_console,
    guarded,
    open_store,
    out_console,
    print_json,
    table,
    window as parse_window,
)

__all__ = ["register"]


def analyze_cmd(
    actor: Optional[str] = typer.Option(None, "--actor", help="Ego network of this actor (id, ISO3, name or alias)."),
    path: Optional[tuple[str, str]] = typer.Option(None, "--path", help="Shortest paths between two actors: --path A B."),
    since: Optional[str] = SinceOption,
    until: Optional[str] = UntilOption,
    top: int = typer.Option(10, "--top", min=1, help="Actors per type, members per community, paths."),
    by: str = typer.Option("pagerank", "--by", help="Rank actors by pagerank, degree or betweenness."),
    seed: int = typer.Option(LOUVAIN_SEED, "--seed", help="Seed of the Louvain community detection."),
    db: Optional[Path] = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """Central actors, communities and relation types; an actor's ego network; shortest paths."""
    from .analysis import METRICS, contested_relations, ego_network, find_paths, overview
    from .graph import build_graph
    from .graph.nx import evidence_attrs

    if by not in METRICS:
        raise typer.BadParameter(f"{by!r}: choose from {', '.join(METRICS)}", param_hint="--by")
    dates = parse_window(since, until)
    result: dict = {"since": since, "until": until}
    with open_store(db) as store:
        graph = build_graph(store, dates, evidence=False)  # the analysis reads no sentence
        if actor is None and path is None:  # ... but the claimants of the few contested relations
            result["contested"] = [asdict(c) for c in contested_relations(graph, lambda s, k, o: [
                evidence_attrs(r) for r in store.evidence(dates, keys=[(s, k, o)])])]
    if actor is None and path is None:
        result["overview"] = asdict(overview(graph, top=top, by=by, seed=seed))
    if actor is not None:
        result["actor"] = asdict(ego_network(graph, actor))
    if path is not None:
        result["paths"] = {"from": path[0], "to": path[1],
                           "paths": [asdict(p) for p in find_paths(graph, path[0], path[1], limit=top)]}
    if as_json:
        print_json(result)
        return
    window = "" if since is None and until is None else f" ({since or '…'} to {until or '…'})"
    if "overview" in result:
        _print_overview(result["overview"], by, window)
        _print_contested(result["contested"], window)
    if "actor" in result:
        _print_actor(result["actor"], window)
    if "paths" in result:
        _print_paths(result["paths"], window)


def _print_overview(o: dict, by: str, window: str) -> None:
    out_console.print(f"{o['actors']} actors with relations, {o['relations']} relations, "
                      f"{o['evidence']} evidence sentences{window}", markup=False)
    for etype, scores in o["central"].items():
        out_console.print(table(
            f"Most central {etype} actors (by {by}; PageRank weighted by evidence count)",
            ["#", "name", "id", "degree", "evidence", "pagerank", "betweenness"],
            [[i, s["name"], s["id"], s["degree"], s["evidence"], f"{s['pagerank']:.4f}", f"{s['betweenness']:.4f}"]
             for i, s in enumerate(scores, 1)]))
    out_console.print(table(
        "Communities (Louvain)", ["#", "size", "members (strongest first)", "types", "relations inside"],
        [[c["index"], c["size"], ", ".join(m["name"] for m in c["members"]),
          ", ".join(f"{t} {n}" for t, n in c["types"].items()),
          ", ".join(f"{t} {n}" for t, n in list(c["relations"].items())[:5])] for c in o["communities"]]))
    from .ontology import MODALITIES

    out_console.print(table(
        "Relation types", ["type", "relations", *MODALITIES, "evidence", "weight"],
        [[r["type"], r["relations"], *(r["modalities"][m] for m in MODALITIES), r["evidence"], r["weight"]]
         for r in o["relation_types"]]))


def _print_contested(rows: list[dict], window: str) -> None:
    out_console.print(table(
        f"Contested claims{window}: asserted by one claimant, denied by another",
        ["subject", "type", "object", "asserted by", "denied by", "articles", "outlets", "corroboration", "dates"],
        [[c["subject_name"], c["type"], c["object_name"], ", ".join(c["asserted_by"]), ", ".join(c["denied_by"]),
          c["articles"], c["outlets"], f"{c['corroboration']:.2f}",
          f"{c['first_date'] or '?'} to {c['last_date'] or '?'}"] for c in rows]))


def _print_actor(a: dict, window: str) -> None:
    b = a["balance"]
    out_console.print(
        f"{a['name']} ({a['id']}, {a['type']}): {a['relations']} relations with {a['neighbours']} actors, "
        f"{a['evidence']} evidence sentences{window}; cooperative {b['cooperative']}, hostile {b['hostile']}, "
        f"net {b['net']} ({b['stance']})", markup=False)
    out_console.print(table(
        f"Relations of {a['name']}", ["type", "direction", "modality", "relations", "evidence", "counterparts"],
        [[g["type"], g["direction"], g["modality"], g["relations"], g["evidence"], ", ".join(g["counterparts"])]
         for g in a["groups"]]))
    if a["counterparts"]:
        out_console.print(table(
            "Cooperative vs hostile (weight x articles)", ["counterpart", "type", "cooperative", "hostile", "net",
                                                           "stance"],
            [[c["name"], c["type"], c["balance"]["cooperative"], c["balance"]["hostile"], c["balance"]["net"],
              c["balance"]["stance"]] for c in a["counterparts"]]))


def _print_paths(p: dict, window: str) -> None:
    if not p["paths"]:
        err_console.print(f"no path of at most 6 relations between {p['from']!r} and {p['to']!r}{window}",
                          markup=False)
        return
    out_console.print(table(f"Shortest paths {p['from']} -> {p['to']}{window}", ["hops", "path"],
                            [[x["hops"], x["text"]] for x in p["paths"]]))


def register(app: typer.Typer) -> None:
    """Add ``analyze`` to the main app."""
    app.command("analyze")(guarded(analyze_cmd))
