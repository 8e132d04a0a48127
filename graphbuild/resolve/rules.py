"""The identity file: a user's merges, splits, names and aliases, in YAML beside the store.

```yaml
# graphbuild.identity.yaml (beside graphbuild.db), or `identity = "..."` in graphbuild.toml
merge:                       # id: the id it is
  person:putin-v: person:vladimir-putin
distinct: [person:kim]       # extracted ids never merged automatically
names:                       # id: display name
  person:vladimir-putin: Vladimir Vladimirovich Putin
aliases:                     # id: more names that are it
  org:rapid-support-forces: [Janjaweed successors]
```

Every ingest and every read of the store applies it; it is plain text, meant for version control.
"""

from __future__ import annotations

import os
from pathlib import Path

import yaml

from ..errors import InputError
from ..ontology import type_of_id
from .identity import IdentityRules

__all__ = ["identity_path", "read_rules", "write_rules"]

_HEAD = ("# graphbuild identity file: decisions about which names are one actor.\n"
         "# Edited by `graphbuild entities merge/split/rename/alias add`, or by hand; applied on every ingest.\n")


def identity_path(db: str | os.PathLike[str], configured: str | os.PathLike[str] | None = None) -> Path:
    """The identity file of a store: ``configured`` (graphbuild.toml), else ``<store stem>.identity.yaml`` beside it.

    >>> identity_path("data/graph.db").as_posix()
    'data/graph.identity.yaml'
    """
    if configured:
        return Path(configured)
    db = Path(db)
    return db.with_name(db.stem + ".identity.yaml")


def _check_id(value: object, path: Path, where: str) -> str:
    if not isinstance(value, str):
        raise InputError(f"{path}: {where}: {value!r} is not an entity id")
    try:
        type_of_id(value)
    except ValueError:
        raise InputError(f"{path}: {where}: {value!r} is not an entity id (like person:vladimir-putin)") from None
    return value


def read_rules(path: str | os.PathLike[str]) -> IdentityRules:
    """The rules in ``path`` (none when it does not exist); a broken file is an :class:`InputError`."""
    path = Path(path)
    if not path.exists():
        return IdentityRules()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the identity file: {exc}") from None
    except yaml.YAMLError as exc:
        raise InputError(f"{path}: invalid YAML: {' '.join(str(exc).split())}") from None
    if not isinstance(data, dict) or set(data) - {"merge", "distinct", "names", "aliases"}:
        raise InputError(f"{path}: the identity file holds a mapping with merge, distinct, names and aliases")
    merges = data.get("merge") or {}
    names = data.get("names") or {}
    aliases = data.get("aliases") or {}
    distinct = data.get("distinct") or []
    if not (isinstance(merges, dict) and isinstance(names, dict) and isinstance(aliases, dict)
            and isinstance(distinct, list)):
        raise InputError(f"{path}: merge, names and aliases are mappings, distinct a list")
    out_merges = {_check_id(k, path, "merge"): _check_id(v, path, f"merge {k}") for k, v in merges.items()}
    out_names = {}
    for k, v in names.items():
        if not isinstance(v, str) or not v.strip():
            raise InputError(f"{path}: names {k}: the name must be a non-empty string")
        out_names[_check_id(k, path, "names")] = v.strip()
    out_aliases = {}
    for k, v in aliases.items():
        vals = [v] if isinstance(v, str) else v
        if not isinstance(vals, list) or not all(isinstance(a, str) and a.strip() for a in vals):
            raise InputError(f"{path}: aliases {k}: a name or a list of names")
        out_aliases[_check_id(k, path, "aliases")] = tuple(a.strip() for a in vals)
    return IdentityRules(out_merges, frozenset(_check_id(d, path, "distinct") for d in distinct),
                         out_names, out_aliases)


def write_rules(path: str | os.PathLike[str], rules: IdentityRules) -> None:
    """Write ``rules`` to ``path`` atomically (a temporary file renamed over it), keys sorted."""
    path = Path(path)
    data: dict[str, object] = {}
    if rules.merges:
        data["merge"] = dict(sorted(rules.merges.items()))
    if rules.distinct:
        data["distinct"] = sorted(rules.distinct)
    if rules.names:
        data["names"] = dict(sorted(rules.names.items()))
    if rules.aliases:
        data["aliases"] = {k: list(v) for k, v in sorted(rules.aliases.items())}
    text = _HEAD + (yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100) if data else "{}\n")
    tmp = path.with_name(path.name + ".tmp")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
