"""Reading gazetteer records: packaged data files and user files -> ``(record, "file:line")`` pairs.

Owns the file formats (JSONL, YAML, CSV), where packaged data lives
(``graphbuild/data/gazetteer/``), the fields a record may carry and the
parse-level checks (invalid JSON/YAML, unknown CSV columns, string lists).  It
knows nothing of entries, fold keys or patterns, so :mod:`.gazetteer`
(which validates records into :class:`~.gazetteer.GazetteerEntry` and builds
the :class:`~.gazetteer.Gazetteer`) imports it, never the other way round.
Every error is an :class:`~graphbuild.errors.InputError` naming ``file:line``.
"""

from __future__ import annotations

import csv
import io
import json
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

from ..errors import InputError

#: libyaml's safe loader when PyYAML was built with it (10x faster on the packaged files), else the pure one.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DATA_FILES = ("countries.jsonl", "organizations.jsonl", "locations.jsonl", "weapons.jsonl", "persons.jsonl")
_LIST_FIELDS = ("aliases", "demonyms", "capitals", "seats", "members", "case_sensitive")
_ALLOWED = {"id", "type", "name", "aliases", "iso3", "iso2", "country", "kind", "demonyms", "capitals",
            "seats", "members", "parent", "based_in", "sovereign", "un_member", "case_sensitive", "note",
            "merge"}


# --------------------------------------------------------------------------- reading files
@lru_cache(maxsize=1)
def place_countries() -> dict[str, str]:
    """Folded city name -> ISO3 of its country (``place_countries.tsv``, generated from GeoNames).

    >>> place_countries()["jeddah"]
    'SAU'
    """
    out: dict[str, str] = {}
    for line in _package_text("place_countries.tsv").splitlines():
        if line and not line.startswith("#"):
            name, _, iso3 = line.partition("\t")
            out[name.casefold()] = iso3
    return out


def _package_text(name: str) -> str:
    return resources.files("graphbuild").joinpath("data").joinpath("gazetteer").joinpath(name).read_text("utf-8")


def _jsonl_records(text: str, origin: str) -> list[tuple[dict, str]]:
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{origin}:{n}: invalid JSON: {exc.msg}") from None
        out.append((rec, f"{origin}:{n}"))
    return out


def _yaml_records(text: str, origin: str) -> list[tuple[dict, str]]:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{origin}:{mark.line + 1}" if mark is not None else origin
        raise InputError(f"{where}: invalid YAML: {getattr(exc, 'problem', None) or exc}") from None
    if data is None:
        return []
    if isinstance(data, dict) and "entries" in data:
        data = data["entries"]
        node = next(v for k, v in node.value if k.value == "entries")
    if not isinstance(data, list):
        raise InputError(f"{origin}:1: expected a list of entries (or a mapping with 'entries')")
    return [(rec, f"{origin}:{item.start_mark.line + 1}") for rec, item in zip(data, node.value)]


def _csv_records(text: str, origin: str) -> list[tuple[dict, str]]:
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames:
        return []
    unknown = [f for f in reader.fieldnames if f not in _ALLOWED]
    if unknown:
        raise InputError(f"{origin}:1: unknown column(s) {', '.join(unknown)}; allowed: {', '.join(sorted(_ALLOWED))}")
    out = []
    for row in reader:
        rec: dict = {}
        for key, value in row.items():
            value = (value or "").strip()
            if not value:
                continue
            if key in _LIST_FIELDS:
                rec[key] = [v.strip() for v in re.split(r"[|;]", value) if v.strip()]
            elif key in ("sovereign", "un_member", "merge"):
                rec[key] = value.lower() in ("1", "true", "yes")
            else:
                rec[key] = value
        out.append((rec, f"{origin}:{reader.line_num}"))
    return out


def _read_user_file(path: Path) -> list[tuple[dict, str]]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read gazetteer file: {exc}") from None
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        return _jsonl_records(text, str(path))
    if suffix in (".yaml", ".yml"):
        return _yaml_records(text, str(path))
    if suffix == ".csv":
        return _csv_records(text, str(path))
    raise InputError(f"{path}: unsupported gazetteer format {suffix or '(none)'}; use .jsonl, .yaml, .yml or .csv")


# --------------------------------------------------------------------------- packaged data
@lru_cache(maxsize=1)
def _package_records() -> tuple[tuple[dict, str], ...]:
    out: list[tuple[dict, str]] = []
    for name in _DATA_FILES:
        out += _jsonl_records(_package_text(name), f"gazetteer/{name}")
    return tuple(out)


@lru_cache(maxsize=8)  # one per packaged YAML file (read-only callers)
def _package_yaml(name: str) -> dict:
    return yaml.load(_package_text(name), Loader=_LOADER) or {}


# --------------------------------------------------------------------------- list fields (used by gazetteer._entry)
def _str_list(value, where: str, key: str, nested: bool = False) -> tuple[list[str], list[tuple[str, ...]]]:
    """A list of strings (``nested``: items may be lists of spellings). Returns (flat, groups)."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise InputError(f"{where}: '{key}' must be a list of strings")
    flat: list[str] = []
    groups: list[tuple[str, ...]] = []
    for item in value:
        group = item if nested and isinstance(item, list) else [item]
        if not group or not all(isinstance(s, str) and s.strip() for s in group):
            raise InputError(f"{where}: '{key}' must be a list of non-empty strings")
        group = [" ".join(s.split()) for s in group]
        flat.extend(group)
        groups.append(tuple(group))
    return flat, groups
