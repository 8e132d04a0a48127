"""NLP step: load the spaCy English pipeline (official model preferred, PyPI repack otherwise)."""

from .model import MODEL_NAMES, load_model

__all__ = ["MODEL_NAMES", "load_model"]
