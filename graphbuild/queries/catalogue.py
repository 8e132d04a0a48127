"""The saved-query catalogue: ``cypher/queries/*.cypher`` files with a header, and typed parameters.

This module only reads and checks; it never talks to a database, so another
backend (e.g. networkx, offline) can answer the same catalogue with the same
columns.  The Neo4j runner is :func:`graphbuild.sinks.neo4j.run_query`.

A query file starts with a header of ``//`` comments::

    // graphbuild · who meets whom
    // name: meetings
    // description: Who meets whom, and how often.
    // param: actor string = null - actor id, name or alias; every meeting when omitted
    // param: limit int = 50 - at most this many rows
    // columns: a_id, a_name, b_id, b_name, count
    // browser: :params {actor: null, limit: 50}

The first line, when it has no ``key:``, is the title (Neo4j Browser names a favourite
after a file's first comment line); ``browser`` is the ``:params`` command that sets
every parameter in Browser (optional ones to null), ready to paste.

``param`` is ``NAME TYPE [= DEFAULT] - HELP``; TYPE is ``string``, ``int``,
``float``, ``bool``, ``date`` (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, kept as
text), ``relation`` (a relation type of the ontology) or a choice ``a|b|c``.
Without a default the parameter is required; ``= null`` makes it optional.
``columns`` are the columns every backend returns, in order.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..ontology import RELATION_TYPES
from ..store import parse_date

__all__ = [
    "PARAM_TYPES",
    "QueryParam",
    "SavedQuery",
    "bind_params",
    "default_query_dir",
    "load_catalogue",
    "parse_query",
]

#: The scalar parameter types (a choice ``a|b|c`` is also allowed).
PARAM_TYPES = ("string", "int", "float", "bool", "date", "relation")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_PARAM = re.compile(r"^(?P<name>\w+)\s+(?P<type>[\w|]+)(?:\s*=\s*(?P<default>\S+))?\s+-\s+(?P<help>.+)$")
_TRUE, _FALSE = {"true", "yes", "1", "on"}, {"false", "no", "0", "off"}


@dataclass(frozen=True)
class QueryParam:
    """One typed parameter of a saved query."""

    name: str
    type: str
    default: Any
    required: bool
    help: str

    @property
    def choices(self) -> tuple[str, ...]:
        """The allowed values of a choice parameter (empty for other types)."""
        return tuple(self.type.split("|")) if "|" in self.type else ()

    def convert(self, raw: str) -> Any:
        """The value of ``raw`` as this parameter's type, or :class:`InputError`.

        >>> QueryParam("limit", "int", 10, False, "rows").convert("25")
        25
        >>> QueryParam("type", "relation", None, False, "").convert("meets")
        'MEETS'
        """
        text = raw.strip()
        if not self.required and text in ("", "null"):
            return None
        expected = self.type
        try:
            if self.type == "string":
                return raw
            if self.type == "int":
                return int(text)
            if self.type == "float":
                return float(text)
            if self.type == "bool":
                if text.lower() in _TRUE | _FALSE:
                    return text.lower() in _TRUE
                expected = "true or false"
            elif self.type == "date":
                try:
                    return parse_date(text)
                except InputError:
                    expected = "a date YYYY-MM-DD (or YYYY-MM, YYYY)"
            elif self.type == "relation":
                if text.upper() in RELATION_TYPES:
                    return text.upper()
                expected = "one of " + ", ".join(RELATION_TYPES)
            elif text in self.choices:
                return text
            else:
                expected = "one of " + ", ".join(self.choices)
        except ValueError:
            pass
        raise InputError(f"--param {self.name}={raw}: expected {expected}")

    def describe(self) -> str:
        """``name:type`` with ``=default`` or ``(required)``."""
        if self.required:
            return f"{self.name}:{self.type} (required)"
        return f"{self.name}:{self.type}={'null' if self.default is None else self.default}"


@dataclass(frozen=True)
class SavedQuery:
    """A saved question: its Cypher text and what its header declares."""

    name: str
    description: str
    params: tuple[QueryParam, ...]
    columns: tuple[str, ...]
    text: str
    path: Path
    title: str = ""
    browser: str = ""

    def param(self, name: str) -> QueryParam | None:
        """The parameter called ``name``, if any."""
        return next((p for p in self.params if p.name == name), None)


def default_query_dir() -> Path:
    """``GRAPHBUILD_QUERIES`` if set, else the packaged ``cypher/queries``.

    ``graphbuild/data/cypher`` links to the top-level ``cypher/`` in the source tree
    and is a copy of it in a built wheel, so both find the same files.
    """
    env = os.environ.get("GRAPHBUILD_QUERIES")
    if env:
        return Path(env)
    return Path(__file__).resolve().parent.parent / "data" / "cypher" / "queries"


def parse_query(path: Path, text: str | None = None) -> SavedQuery:
    """Read one query file and its header; :class:`InputError` with ``file:line`` if the header is wrong."""
    if text is None:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    fields: dict[str, str] = {}
    params: list[QueryParam] = []
    columns: tuple[str, ...] = ()
    title = ""
    for lineno, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("//"):
            break
        key, sep, value = stripped[2:].strip().partition(":")
        key, value = key.strip(), value.strip()
        if lineno == 1 and (not sep or not _NAME.match(key)):
            title = stripped[2:].strip()
            continue
        if not sep or key not in ("name", "description", "param", "columns", "browser"):
            continue
        where = f"{path}:{lineno}"
        if key == "param":
            params.append(_parse_param(value, where))
        elif key == "columns":
            columns = tuple(c.strip() for c in value.split(",") if c.strip())
        else:
            fields[key] = value
    name = fields.get("name") or path.stem
    if name != path.stem or not _NAME.match(name):
        raise InputError(f"{path}:1: query name {name!r} must equal the file name and be lower_snake_case")
    if not fields.get("description"):
        raise InputError(f"{path}:1: missing `// description: ...` header line")
    if not columns:
        raise InputError(f"{path}:1: missing `// columns: a, b, ...` header line")
    names = [p.name for p in params]
    if len(set(names)) != len(names):
        raise InputError(f"{path}:1: a parameter is declared twice")
    return SavedQuery(name, fields["description"], tuple(params), columns, text, path, title,
                      fields.get("browser", ""))


def _parse_param(value: str, where: str) -> QueryParam:
    m = _PARAM.match(value)
    if not m:
        raise InputError(f"{where}: expected `// param: NAME TYPE [= DEFAULT] - HELP`, got {value!r}")
    ptype = m["type"]
    if ptype not in PARAM_TYPES and "|" not in ptype:
        raise InputError(f"{where}: unknown parameter type {ptype!r} (use {', '.join(PARAM_TYPES)} or a|b|c)")
    raw_default = m["default"]
    param = QueryParam(m["name"], ptype, None, raw_default is None, m["help"].strip())
    if raw_default is None or raw_default == "null":
        return param
    try:
        default = param.convert(raw_default)
    except InputError as exc:
        raise InputError(f"{where}: bad default: {exc}") from None
    return QueryParam(param.name, ptype, default, False, param.help)


def load_catalogue(directory: Path | None = None) -> dict[str, SavedQuery]:
    """Every ``*.cypher`` query of ``directory`` (default :func:`default_query_dir`), by name."""
    directory = directory or default_query_dir()
    if not directory.is_dir():
        raise InputError(f"{directory}: no saved-query folder (set GRAPHBUILD_QUERIES)")
    return {q.name: q for q in (parse_query(p) for p in sorted(directory.glob("*.cypher")))}


def bind_params(query: SavedQuery, assignments: list[str]) -> dict[str, Any]:
    """Turn ``key=value`` strings into the query's typed parameters (defaults filled in).

    >>> from pathlib import Path
    >>> q = parse_query(Path("top.cypher"), "// description: d\\n// param: limit int = 5 - n\\n"
    ...                 "// columns: x\\nRETURN $limit AS x")
    >>> bind_params(q, ["limit=7"])
    {'limit': 7}
    """
    values: dict[str, Any] = {}
    for item in assignments:
        key, sep, raw = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise InputError(f"--param {item!r}: expected key=value")
        param = query.param(key)
        if param is None:
            known = ", ".join(p.name for p in query.params) or "none"
            raise InputError(f"query '{query.name}' has no parameter '{key}' (parameters: {known})")
        values[key] = param.convert(raw)
    for param in query.params:
        if param.name not in values:
            if param.required:
                raise InputError(f"query '{query.name}' needs --param {param.name}=<{param.type}> ({param.help})")
            values[param.name] = param.default
    return values
