"""Start-up: a one-article ``graphbuild extract`` vs loading the spaCy model alone, side by side.

    python bench/startup.py [--repeat R] [--append bench/RESULTS.md]

Both are fresh processes (the interpreter start and ``import spacy`` are in both):
the baseline runs ``load_model()`` and exits; graphbuild extracts one short article
from a file and prints it.  They alternate R times and the medians are compared.
Two graphbuild cases: *warm*, with the compiled gazetteer table in the cache
(every run after the first on a machine, see graphbuild/extract/ruler_cache.py),
and *cold*, with the cache switched off (``GRAPHBUILD_CACHE_DIR=none``: the table is
built from the gazetteer, as on the very first run).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from results import append_rows, machine, versions  # noqa: E402

_BASELINE = [sys.executable, "-c", "from graphbuild.nlp.model import load_model; load_model()"]


def _run(cmd: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--append", type=Path, help="append the result rows to this RESULTS.md")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        article = Path(tmp) / "one.txt"
        article.write_text("Talks in Lima\n\nChilean President Ana Torres met her Peruvian counterpart in Lima on "
                           "Monday. Chile and Peru agreed to restore diplomatic relations.\n", encoding="utf-8")
        extract = [sys.executable, "-m", "graphbuild", "extract", str(article), "--json"]
        warm_env = {**os.environ, "GRAPHBUILD_CACHE_DIR": str(Path(tmp) / "cache")}
        cold_env = {**os.environ, "GRAPHBUILD_CACHE_DIR": "none"}
        _run(extract, warm_env)  # fills the cache
        base, warm, cold = [], [], []
        for _ in range(args.repeat):
            base.append(_run(_BASELINE, dict(os.environ)))
            warm.append(_run(extract, warm_env))
            cold.append(_run(extract, cold_env))
    b, w, c = statistics.median(base), statistics.median(warm), statistics.median(cold)
    print(f"model load alone:          {b:5.2f} s (median of {args.repeat})")
    print(f"extract, cache warm:       {w:5.2f} s   ratio {w / b:.2f}")
    print(f"extract, cache off (cold): {c:5.2f} s   ratio {c / b:.2f}")
    if args.append:
        import spacy

        vers = versions(f"spaCy {spacy.__version__}")
        cmd = f"python bench/startup.py --repeat {args.repeat}"
        append_rows(args.append, [
            ("start-up: one-article extract vs model load (gazetteer table cached)", machine(),
             "1 article, 2 sentences", f"model load {b:.2f} s", f"extract {w:.2f} s", f"ratio {w / b:.2f}", vers, cmd),
            ("start-up: one-article extract vs model load (cache off: table built)", machine(),
             "1 article, 2 sentences", f"model load {b:.2f} s", f"extract {c:.2f} s", f"ratio {c / b:.2f}", vers, cmd),
        ])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
