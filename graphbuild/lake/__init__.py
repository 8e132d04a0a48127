"""The Parquet lake: the tables every engine writes (in process, ``--workers``, Spark) and a store reads back.

``tables`` says what the rows are (one function for every engine), ``writer`` writes one
ingest date with pyarrow, ``reader`` reads a slice back and fills an embedded store.
Needs pyarrow (``pip install 'graphbuild[lake]'``).
"""

from .tables import COLUMNS, FORMAT_VERSION, TABLES, extraction_of, outcome_rows, problem_rows
from .reader import import_lake, lake_dates, lake_items, read_partition
from .writer import MANIFEST, LakeError, LakeWriter, check_date, read_manifest, today

__all__ = ["COLUMNS", "FORMAT_VERSION", "MANIFEST", "TABLES", "LakeError", "LakeWriter", "check_date",
           "extraction_of", "import_lake", "lake_dates", "lake_items", "outcome_rows", "problem_rows", "read_manifest",
           "read_partition", "require_pyarrow", "today"]

PYARROW_HINT = "pip install 'graphbuild[lake]'"


def require_pyarrow() -> None:
    """:class:`LakeError` with the install command when pyarrow is missing."""
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        raise LakeError(f"the lake needs pyarrow, which is not installed; install it with: {PYARROW_HINT}") from None

