"""Reading the lake back: its ingest dates, one date's rows, and a store filled from any slice.

:func:`import_lake` replays a slice through the ordinary ingest (:func:`graphbuild.pipeline.ingest`)
with the stored extractions in place of the NLP, in ingest date then input order and in the
batches the lake was written with: the store resolves identities exactly as a direct ingest
of the same corpus would, and unchanged articles stay unchanged.
"""

from __future__ import annotations

from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from ..models import Article, Extraction, InputProblem
from ..store import Store
from .tables import TABLES, extraction_of
from .writer import LakeError, check_date, is_uri, lake_fs, partition_dir, read_manifest

__all__ = ["import_lake", "lake_dates", "lake_items", "read_partition"]


def _partitions(root: str | Path, table: str) -> list[str] | None:
    """The ingest dates one table has folders for (None when the table is missing), locally or through pyarrow.fs."""
    if is_uri(root):
        from pyarrow import fs

        filesystem, base = lake_fs(str(root))
        try:
            infos = filesystem.get_file_info(fs.FileSelector(f"{base}/{table}"))
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise LakeError(f"{root}: cannot read the lake: {exc}") from None
        names = [i.base_name for i in infos if i.type == fs.FileType.Directory]
    else:
        folder = Path(root) / table
        if not folder.is_dir():
            return None
        names = [p.name for p in folder.iterdir() if p.is_dir()]
    return [n.split("=", 1)[1] for n in names if n.startswith("ingest_date=")]


def lake_dates(root: str | Path, since: str | None = None, until: str | None = None) -> list[str]:
    """The lake's ingest dates (from ``since`` to ``until``, inclusive), oldest first."""
    root = root if is_uri(root) else Path(root)
    found = _partitions(root, "articles")
    if found is None:
        raise LakeError(f"{root}: not a graphbuild lake (no articles table)")
    read_manifest(root)
    dates = sorted(found)
    if since:
        dates = [d for d in dates if d >= check_date(since)]
    if until:
        dates = [d for d in dates if d <= check_date(until)]
    return dates


def read_partition(root: str | Path, ingest_date: str, tables: Iterable[str] = TABLES) -> dict[str, list[dict]]:
    """Every row of one ingest date, per table, sorted by ``seq`` then position (whoever wrote the files)."""
    import pyarrow.parquet as pq

    out: dict[str, list[dict]] = {}
    for table in tables:
        if is_uri(root):
            filesystem, base = lake_fs(str(root))
            path, where = f"{base}/{table}/ingest_date={ingest_date}", f"{str(root).rstrip('/')}/{table}"
            if ingest_date not in (_partitions(root, table) or ()):
                out[table] = []
                continue
        else:
            filesystem, path = None, partition_dir(Path(root), table, ingest_date)
            where = path
            if not path.is_dir():
                out[table] = []
                continue
        try:
            rows = pq.read_table(path, filesystem=filesystem).to_pylist()
        except OSError as exc:
            raise LakeError(f"{where}: cannot read the lake: {exc}") from None
        rows.sort(key=lambda r: (r["seq"], r.get("position", 0), r.get("entity_id") or "", r.get("alias") or ""))
        out[table] = rows
    return out


def lake_items(root: str | Path, since: str | None = None, until: str | None = None
               ) -> Iterator[tuple[str, Extraction | InputProblem]]:
    """(ingest date, outcome) of every input of the slice, in ingest order: each article's extraction
    or the problem it gave."""
    for day in lake_dates(root, since, until):
        rows = read_partition(root, day)
        children: dict[str, dict[int, list[dict]]] = {t: defaultdict(list) for t in ("entities", "mentions",
                                                                                   "relations")}
        for table, by_seq in children.items():
            for row in rows[table]:
                by_seq[row["seq"]].append(row)
        items: list[tuple[int, Extraction | InputProblem]] = [
            (a["seq"], extraction_of(a, children["entities"][a["seq"]], children["mentions"][a["seq"]],
                                     children["relations"][a["seq"]])) for a in rows["articles"]]
        items += [(p["seq"], InputProblem(p["origin"], p["reason"])) for p in rows["problems"]]
        items.sort(key=lambda item: item[0])
        for _, outcome in items:
            yield day, outcome


class _Replay:
    """An extractor that hands back the stored extraction of each article it is given."""

    def __init__(self) -> None:
        self.pending: OrderedDict[int, Extraction] = OrderedDict()

    def offer(self, ex: Extraction) -> Article:
        self.pending[id(ex.article)] = ex
        return ex.article

    def extract_batches(self, batches: Iterable[list[Article]]) -> Iterator[tuple[list[Article], list]]:
        for batch in batches:
            out = []
            for article in batch:
                # articles offered before this one and never asked for were unchanged: forget them
                while (key := next(iter(self.pending))) != id(article):
                    del self.pending[key]
                out.append(self.pending.pop(key))
            yield batch, out

    def extract_many(self, articles: Iterable[Article]) -> Iterator[Extraction]:  # pragma: no cover - protocol
        for _, out in self.extract_batches([list(articles)]):
            yield from out


def import_lake(root: str | Path, store: Store, *, since: str | None = None, until: str | None = None,
                on_item: Callable[[str, str], None] | None = None):  # -> IngestReport
    """Fill ``store`` from the lake's ingest dates ``since``..``until`` (all by default); returns the ingest report."""
    from ..pipeline import DEFAULT_BATCH_SIZE, ingest

    root = root if is_uri(root) else Path(root)
    dates = lake_dates(root, since, until)
    sizes = {read_manifest(root)["partitions"].get(d, {}).get("batch_size", DEFAULT_BATCH_SIZE) for d in dates}
    batch_size = sizes.pop() if len(sizes) == 1 else DEFAULT_BATCH_SIZE
    replay = _Replay()

    def inputs() -> Iterator[Article | InputProblem]:
        for _, outcome in lake_items(root, since, until):
            yield outcome if isinstance(outcome, InputProblem) else replay.offer(outcome)

    return ingest(inputs(), store, replay, batch_size=batch_size, on_item=on_item)
