"""``graphbuild entities``: see and decide which names are one actor (thin over :mod:`graphbuild.resolve.manage`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import typer

from .cli_support import DbOption, JsonOption, guarded, open_store, out_console, print_json, table, wrote

entities_app = typer.Typer(help="List, search, merge, split, rename and alias the store's entities.",
                           no_args_is_help=True)
alias_app = typer.Typer(help="Names of an entity the identity file adds.", no_args_is_help=True)


def _rows(rows: list[dict[str, Any]], title: str,
          cols: tuple[str, ...] = ("id", "type", "name", "articles", "mentions", "relations", "ambiguous")) -> None:
    out_console.print(table(title, cols, [[("yes" if r[c] is True else "" if r[c] is False else
                                            ", ".join(r[c][:5]) + (" ..." if len(r[c]) > 5 else "")
                                            if isinstance(r[c], list) else r[c]) for c in cols] for r in rows]))


def list_cmd(
    entity_type: Optional[str] = typer.Option(None, "--type", "-t", help="Only this type (Person, Organization, ...)."),
    ambiguous: bool = typer.Option(False, "--ambiguous", help="Only names that fit several known actors."),
    limit: Optional[int] = typer.Option(None, "--limit", "-n", min=1, help="At most this many."),
    db: Optional[Path] = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """Entities with their counts, the most-mentioned first."""
    from .resolve.manage import list_entities

    with open_store(db) as store:
        rows = list_entities(store, entity_type=entity_type, ambiguous=ambiguous, limit=limit)
    if as_json:
        print_json(rows)
    else:
        _rows(rows, f"Entities ({len(rows)})")


def search_cmd(
    query: str = typer.Argument(..., help="A name, or part of one; spelling may differ."),
    limit: int = typer.Option(10, "--limit", "-n", min=1, help="At most this many."),
    db: Optional[Path] = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """Entities named like QUERY (fuzzy), with the articles that name them."""
    from .resolve.manage import search_entities

    with open_store(db) as store:
        rows = search_entities(store, query, limit=limit)
    if as_json:
        print_json(rows)
    elif rows:
        _rows(rows, f"Entities like {query!r}", ("id", "name", "score", "articles", "article_ids"))
    else:
        wrote(f"no entity is named like {query!r}")


def _done(result: dict[str, Any], as_json: bool, text: str) -> None:
    if as_json:
        print_json(result)
    else:
        wrote(f"{text}; {result['articles_revised']} article(s) rewritten; decision kept in {result['identity_file']}")


def merge_cmd(
    target: str = typer.Argument(..., help="The id that stays."),
    sources: list[str] = typer.Argument(..., help="Ids that are the same actor."),
    db: Optional[Path] = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """Merge SOURCES into TARGET (the first id survives); `graphbuild load` then moves them in Neo4j."""
    from .resolve.manage import merge_entities

    with open_store(db) as store:
        result = merge_entities(store, target, sources)
    _done(result, as_json, f"merged {', '.join(result['merged'])} into {target}")


def split_cmd(
    entity_id: str = typer.Argument(..., help="An entity that resolved several extracted names."),
    db: Optional[Path] = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """Give each name merged into ENTITY_ID its own node again, for good."""
    from .resolve.manage import split_entity

    with open_store(db) as store:
        result = split_entity(store, entity_id)
    _done(result, as_json, f"split {entity_id} into {', '.join(result['into'])} and itself")


def rename_cmd(
    entity_id: str = typer.Argument(...), name: str = typer.Argument(..., help="The display name."),
    db: Optional[Path] = DbOption, as_json: bool = JsonOption,
) -> None:
    """Show ENTITY_ID as NAME everywhere."""
    from .resolve.manage import rename_entity

    with open_store(db) as store:
        result = rename_entity(store, entity_id, name)
    _done(result, as_json, f"renamed {entity_id} to {result['name']!r}")


def alias_add_cmd(
    entity_id: str = typer.Argument(...), alias: str = typer.Argument(..., help="Another name of it."),
    db: Optional[Path] = DbOption, as_json: bool = JsonOption,
) -> None:
    """Make ALIAS a name of ENTITY_ID: mentions by that name become it."""
    from .resolve.manage import add_alias

    with open_store(db) as store:
        result = add_alias(store, entity_id, alias)
    _done(result, as_json, f"{alias!r} is now a name of {entity_id}")


def register(app: typer.Typer) -> None:
    """Add ``entities`` (list, search, merge, split, rename, alias add) to the main app."""
    for name, cmd in (("list", list_cmd), ("search", search_cmd), ("merge", merge_cmd), ("split", split_cmd),
                      ("rename", rename_cmd)):
        entities_app.command(name)(guarded(cmd))
    alias_app.command("add")(guarded(alias_add_cmd))
    entities_app.add_typer(alias_app, name="alias")
    app.add_typer(entities_app, name="entities")
