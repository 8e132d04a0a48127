"""Peak memory of ``graphbuild ingest`` as the corpus grows: does RSS stay flat from N to 10N articles?

    python bench/memory_scale.py [--sizes 1000,10000] [--workers W] [--append bench/RESULTS.md]

For each size a fresh corpus (bench/make_corpus.py) is ingested into a fresh store
by ``python -m graphbuild ingest --json`` in its own process.  Reported: the ingest
process's peak RSS (its VmHWM, the high-water mark of its own address space, read
every 0.2 s from /proc: ``ru_maxrss`` would include the parent's RSS carried over
across fork and exec) and the peak summed RSS
of the whole process tree (the workers included), sampled every 0.2 s from /proc.
The ratio largest/smallest is what matters: reading, extracting and committing go
batch by batch, so it should stay near 1.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from results import append_rows, machine, versions  # noqa: E402


def _children(pid: int) -> list[int]:
    """Direct children of ``pid`` (Linux /proc)."""
    out: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            out += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return out


def _status_kb(pid: int, field: str = "VmRSS") -> int:
    """A memory line of /proc/PID/status in kB (0 once the process is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _rss_kb(pid: int) -> int:
    return _status_kb(pid, "VmRSS")


def tree_rss_kb(pid: int) -> int:
    """Summed RSS of ``pid`` and all its descendants, in kB."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += _rss_kb(p)
        todo += _children(p)
    return total


def run_ingest(corpus: Path, db: Path, workers: int, batch_size: int) -> dict[str, float]:
    """Ingest ``corpus`` in a child process; its peak RSS, the tree's sampled peak, seconds, counts."""
    cmd = [sys.executable, "-m", "graphbuild", "ingest", str(corpus), "--db", str(db), "--workers", str(workers),
           "--batch-size", str(batch_size), "--json"]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    peak_tree = peak_own = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak_tree, peak_own
        while not stop.is_set():
            peak_tree = max(peak_tree, tree_rss_kb(proc.pid))
            peak_own = max(peak_own, _status_kb(proc.pid, "VmHWM"))
            stop.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out_chunks: list[bytes] = []
    reader = threading.Thread(target=lambda: out_chunks.append(proc.stdout.read()), daemon=True)
    err_chunks: list[bytes] = []
    err_reader = threading.Thread(target=lambda: err_chunks.append(proc.stderr.read()), daemon=True)
    reader.start()
    err_reader.start()
    _, status, _ = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    stop.set()
    sampler.join()
    reader.join()
    err_reader.join()
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"ingest of {corpus} failed ({proc.returncode}): {b''.join(err_chunks).decode()[-500:]}")
    report = json.loads(b"".join(out_chunks))
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent across fork and exec
    return {"peak_rss_mb": max(peak_own, 1) / 1024, "peak_tree_mb": peak_tree / 1024, "seconds": seconds,
            "articles": report["articles"]["new"], "relations": report["relations"], "mode": report["extraction"]}


def main(argv: list[str] | None = None) -> int:
    from graphbuild.extract.parallel import default_workers
    from make_corpus import build

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000", help="comma-separated corpus sizes (articles)")
    ap.add_argument("--workers", type=int, default=default_workers())
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--append", type=Path, default=None)
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            corpus = Path(tmp) / f"corpus-{n}.jsonl"
            words = build(n, corpus)
            res = run_ingest(corpus, Path(tmp) / f"store-{n}.db", args.workers, args.batch_size)
            res["words"] = words
            rows.append((n, res))
            corpus.unlink()
            print(f"{n:>7} articles: ingest peak RSS {res['peak_rss_mb']:,.0f} MB, process tree peak "
                  f"{res['peak_tree_mb']:,.0f} MB, {res['seconds']:.0f} s ({res['mode']}), "
                  f"{res['relations']:,} relations")
    (n0, first), (n1, last) = rows[0], rows[-1]
    ratio = last["peak_rss_mb"] / first["peak_rss_mb"]
    tree_ratio = last["peak_tree_mb"] / first["peak_tree_mb"]
    print(f"peak RSS ratio {n1}/{n0} articles: {ratio:.2f} (ingest process), {tree_ratio:.2f} (process tree)")
    if args.append:
        import spacy

        append_rows(args.append, [(
            f"peak RSS, {n1} vs {n0} articles", machine(memory=True),
            f"ingest --workers {args.workers} ({last['mode']}), batch {args.batch_size}",
            f"{n0} articles: {first['peak_rss_mb']:,.0f} MB (tree {first['peak_tree_mb']:,.0f} MB), "
            f"{first['seconds']:.0f} s",
            f"{n1} articles: {last['peak_rss_mb']:,.0f} MB (tree {last['peak_tree_mb']:,.0f} MB), "
            f"{last['seconds']:.0f} s",
            f"ratio {ratio:.2f} (tree {tree_ratio:.2f})", versions(f"spaCy {spacy.__version__}"),
            f"python bench/memory_scale.py --sizes {args.sizes} --workers {args.workers}")])
    return 0


if __name__ == "__main__":
    sys.exit(main())
