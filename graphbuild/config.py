"""Optional settings file: ``graphbuild.toml`` in the working directory, or the file named by env
``GRAPHBUILD_CONFIG``.  Command-line options and environment variables win over it.

```toml
db = "data/graph.db"
gazetteers = ["my-actors.jsonl"]   # relative to the config file
identity = "identity.yaml"         # the identity file (default: <store stem>.identity.yaml beside the store)
```
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError

__all__ = ["Config", "load_config"]


@dataclass(frozen=True)
class Config:
    """Settings read from the config file (empty when there is none)."""

    path: Path | None = None
    db: Path | None = None
    gazetteers: tuple[Path, ...] = ()
    identity: Path | None = None


def load_config() -> Config:
    """Read ``GRAPHBUILD_CONFIG`` or ``./graphbuild.toml`` if present; a broken file is an :class:`InputError`."""
    named = os.environ.get("GRAPHBUILD_CONFIG")
    path = Path(named) if named else Path("graphbuild.toml")
    if not path.exists():
        if named:
            raise InputError(f"{path}: config file not found (named by GRAPHBUILD_CONFIG)")
        return Config()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read config: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{path}: invalid TOML: {exc}") from None
    base = path.parent
    gaz = data.get("gazetteers", [])
    if not isinstance(gaz, list) or not all(isinstance(g, str) for g in gaz):
        raise InputError(f"{path}: 'gazetteers' must be a list of file names")
    db = data.get("db")
    if db is not None and not isinstance(db, str):
        raise InputError(f"{path}: 'db' must be a string")
    identity = data.get("identity")
    if identity is not None and not isinstance(identity, str):
        raise InputError(f"{path}: 'identity' must be a file name")
    return Config(path, base / db if db else None, tuple(base / g for g in gaz), base / identity if identity else None)
