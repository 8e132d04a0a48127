"""Exception types of graphbuild: one root class the CLI turns into one line and exit 1."""

from __future__ import annotations

__all__ = ["GraphbuildError", "InputError", "ModelMissingError", "OutputError", "StoreError", "Neo4jError"]


class GraphbuildError(Exception):
    """Root of every error graphbuild reports to a user (message is one line)."""


class InputError(GraphbuildError):
    """An input file or record cannot be used (the message names it and why)."""


class ModelMissingError(GraphbuildError):
    """No spaCy English model is installed (the message gives the install command)."""


class OutputError(GraphbuildError):
    """An output file or directory cannot be written (disk full, read-only, no permission); names the path."""


class StoreError(GraphbuildError):
    """The embedded store cannot be opened or written."""


class Neo4jError(GraphbuildError):
    """Neo4j cannot be reached, refuses the credentials or fails a load."""
