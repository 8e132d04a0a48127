"""Peak memory of the ingest loop and store without the NLP: does it stay flat from 1k to 100k articles?

    python bench/memory_replay.py [--sizes 1000,10000,100000] [--cache-mib M] [--append bench/RESULTS.md]

``bench/memory_scale.py`` runs the real ``graphbuild ingest``, which needs about 0.1 s
of CPU per article; 100k articles would take hours there.  This benchmark isolates
what does *not* depend on the model: the real ``pipeline.ingest`` loop writing into
a real ``Store``, fed by an extractor that replays the extractions of
``bench/make_store.py`` (K real extractions cloned with new ids, persons and
dates).  Each size runs in its own child process; its peak RSS (VmHWM) is reported.

With ``--cache-mib M`` each child also runs with SQLite's page cache set to M MiB
instead of the store's default (64 MiB): the difference between the two runs is
the page cache, which fills up as the store grows past it and then stays put.
"""

from __future__ import annotations

import argparse
import pickle
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from results import append_rows, machine, versions  # noqa: E402


class ReplayExtractor:
    """Hands back pre-made extractions, one per article asked for (the article itself is ignored)."""

    def __init__(self, extractions: Iterator) -> None:
        self._it = extractions

    def extract_many(self, articles: Iterable) -> Iterator:
        for _ in articles:
            yield next(self._it)


def _peak_rss_mb() -> float:
    """This process's peak RSS: VmHWM belongs to the address space made at exec, whereas Linux
    carries ``ru_maxrss`` over from the parent (here the parent ran the model, ~400 MB)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # not Linux


def child(n: int, bases_file: Path, cache_mib: int | None) -> None:
    """Ingest ``n`` replayed articles into a fresh store; print articles, entities, seconds and peak RSS (MB)."""
    from make_store import clones

    from graphbuild.pipeline import ingest
    from graphbuild.store import Store

    bases = pickle.loads(bases_file.read_bytes())
    inputs = (ex.article for ex in clones(bases, n, 7))
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "replay.db") as store:
        if cache_mib is not None:
            store._db.execute(f"PRAGMA cache_size = -{int(cache_mib) * 1024}")
        t0 = time.perf_counter()
        report = ingest(inputs, store, ReplayExtractor(clones(bases, n, 7)))
        seconds = time.perf_counter() - t0
    rss = _peak_rss_mb()
    print(f"{report.count('new')} {len(report.entities)} {seconds:.1f} {rss:.1f}")


def run_child(n: int, bases_file: Path, cache_mib: int | None) -> dict[str, float]:
    cmd = [sys.executable, __file__, "--child", str(n), "--bases", str(bases_file)]
    if cache_mib is not None:
        cmd += ["--cache-mib", str(cache_mib)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.split()
    articles, entities, seconds, rss = out[-4:]
    return {"articles": int(articles), "entities": int(entities), "seconds": float(seconds), "rss_mb": float(rss)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000,100000", help="comma-separated store sizes (articles)")
    ap.add_argument("--base", type=int, default=100, help="articles run through the real extractor (default 100)")
    ap.add_argument("--cache-mib", type=int, default=None, help="also run with this SQLite page cache (MiB)")
    ap.add_argument("--append", type=Path, default=None)
    ap.add_argument("--child", type=int, default=None, help=argparse.SUPPRESS)
    ap.add_argument("--bases", type=Path, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child is not None:
        child(args.child, args.bases, args.cache_mib)
        return 0

    from make_store import base_extractions

    sizes = [int(s) for s in args.sizes.split(",")]
    caches: list[int | None] = [None] + ([args.cache_mib] if args.cache_mib is not None else [])
    with tempfile.TemporaryDirectory() as tmp:
        bases_file = Path(tmp) / "bases.pkl"
        bases_file.write_bytes(pickle.dumps(base_extractions(args.base, 7)))
        results = {}
        for cache in caches:
            label = "default page cache (64 MiB)" if cache is None else f"page cache {cache} MiB"
            for n in sizes:
                r = results[cache, n] = run_child(n, bases_file, cache)
                print(f"{label:>28}: {n:>7} articles, {r['entities']:>6} entities in the report: "
                      f"peak RSS {r['rss_mb']:6.1f} MB ({r['seconds']:.0f} s)", flush=True)
    first, last = sizes[0], sizes[-1]
    if args.append:
        import spacy

        command = f"python bench/memory_replay.py --sizes {args.sizes}" + (
            f" --cache-mib {args.cache_mib}" if args.cache_mib is not None else "")
        rows = []
        for cache in caches:
            label = "default 64 MiB page cache" if cache is None else f"{cache} MiB page cache"
            a, b = results[cache, first], results[cache, last]
            rows.append((
                f"peak RSS of the ingest loop + store without NLP (replayed extractions, {label})",
                machine(memory=True), ", ".join(f"{n}: {results[cache, n]['rss_mb']:.0f} MB" for n in sizes),
                f"{first} articles {a['rss_mb']:.0f} MB", f"{last} articles {b['rss_mb']:.0f} MB",
                f"ratio {b['rss_mb'] / a['rss_mb']:.2f}", versions(f"spaCy {spacy.__version__}"), command))
        append_rows(args.append, rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
