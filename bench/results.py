"""Rows for bench/RESULTS.md, one format for every benchmark.

| date | what | machine | input | baseline | graphbuild | ratio | versions | command |
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import time
from collections.abc import Iterable, Sequence
from datetime import datetime, timezone
from pathlib import Path

HEADER = ("# Benchmark results\n\n| date | what | machine | input | baseline | graphbuild | ratio | versions | command |\n"
          "|---|---|---|---|---|---|---|---|---|\n")


def machine(detail: str = "", *, memory: bool = False) -> str:
    """"2 cores", with the memory ("2 cores, 24 GiB") and a detail in brackets when given."""
    text = f"{os.cpu_count()} cores"
    if memory:
        text += f", {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB"
    return f"{text} ({detail})" if detail else text


def versions(*libraries: str) -> str:
    """"spaCy 3.8.18, Python 3.11.7": the given libraries' versions, then Python's."""
    return ", ".join([*libraries, f"Python {platform.python_version()}"])


def append_rows(path: Path, rows: Iterable[Sequence[str]]) -> None:
    """Append ``(what, machine, input, baseline, graphbuild, ratio, versions, command)`` rows, dated today.

    The command is given without backticks; a new file starts with the title and the table header.
    """
    date = f"{datetime.now(timezone.utc):%Y-%m-%d}"
    new = not path.exists()
    with path.open("a", encoding="utf-8") as fh:
        if new:
            fh.write(HEADER)
        for *cells, command in rows:
            fh.write("| " + " | ".join([date, *cells, f"`{command}`"]) + " |\n")


def run_graphbuild(args: list[str], cwd: Path) -> float:
    """Seconds of one graphbuild command (fails loudly unless it exits 0)."""
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "graphbuild", *args], cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"graphbuild {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return elapsed
