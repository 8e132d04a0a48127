"""Mutation check: apply deliberate one-line breaks to a copy of the code and see whether the tests catch each.

    python scripts/mutation_check.py [--list scripts/mutations.yaml] [--only ID ...] [--json]

The breaks are data (``scripts/mutations.yaml``: file, the original line, its replacement,
the tests to run).  The repository's files (``git ls-files``, tracked and new) are copied
to a temporary directory; the listed tests first run there unchanged (they must pass),
then, for each break, the file is restored, the one line replaced, and its tests run
(``pytest -x``).  A break is *killed* when a test fails, *survived* when they all pass,
*not applied* when its line is not found.  One Neo4j test server is started for the
whole run (unless ``GRAPHBUILD_TEST_NEO4J_URI`` names one).  Exit 0 when every break is
killed.  A tool to run by hand, not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Mutation:
    id: str
    file: str
    line: str
    replace: str
    tests: list[str]
    why: str = ""
    nth: int = 1
    status: str = "pending"
    seconds: float = 0.0
    detail: str = field(default="", repr=False)


def load(path: Path) -> list[Mutation]:
    """The breaks listed in ``path`` (YAML list of mappings)."""
    return [Mutation(**{k: v for k, v in entry.items()}) for entry in yaml.safe_load(path.read_text(encoding="utf-8"))]


def apply(text: str, m: Mutation) -> str | None:
    """``text`` with the ``nth`` line equal (stripped) to ``m.line`` replaced, indentation kept; None if absent."""
    lines = text.splitlines(keepends=True)
    seen = 0
    for i, line in enumerate(lines):
        if line.strip() == m.line.strip():
            seen += 1
            if seen == m.nth:
                indent = line[:len(line) - len(line.lstrip())]
                end = "\n" if line.endswith("\n") else ""
                lines[i] = indent + m.replace + end
                return "".join(lines)
    return None


def copy_repo(dest: Path) -> None:
    """The repository's files (tracked and untracked, not ignored) copied to ``dest``."""
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT, check=True,
                           capture_output=True).stdout.decode().split("\0")
    for name in filter(None, files):
        src = ROOT / name
        if src.is_file():
            target = dest / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, target)


def run_tests(copy: Path, tests: list[str], env: dict[str, str], timeout: float) -> tuple[int, str]:
    """Run ``pytest -x`` on ``tests`` in the copy; its exit code (-1 on timeout) and the tail of its output."""
    cmd = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests]
    try:
        res = subprocess.run(cmd, cwd=copy, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return -1, "timeout"
    return res.returncode, (res.stdout + res.stderr)[-1500:]


def start_neo4j(env: dict[str, str]) -> Path | None:
    """Start the throwaway Neo4j test server once (its state file), unless one is given."""
    if env.get("GRAPHBUILD_TEST_NEO4J_URI"):
        return None
    state = Path(tempfile.mkdtemp(prefix="mutation-neo4j-")) / "state.json"
    server = [sys.executable, str(ROOT / "scripts" / "neo4j_test_server.py")]
    subprocess.run([*server, "provision"], check=True, stdout=subprocess.DEVNULL)
    uri = subprocess.run([*server, "start", "--state", str(state)], check=True, capture_output=True,
                         text=True).stdout.strip()
    env["GRAPHBUILD_TEST_NEO4J_URI"] = uri
    env["GRAPHBUILD_TEST_NEO4J_ALLOW_WIPE"] = "1"  # our own server: each run starts where the last one left it
    env["GRAPHBUILD_TEST_NEO4J_HTTP_URI"] = json.loads(state.read_text())["http_uri"]
    return state


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--list", type=Path, default=ROOT / "scripts" / "mutations.yaml")
    ap.add_argument("--only", nargs="*", default=None, help="ids of the breaks to try (default: all)")
    ap.add_argument("--timeout", type=float, default=900, help="seconds per test run")
    ap.add_argument("--json", action="store_true", help="print the results as JSON")
    ap.add_argument("--skip-baseline", action="store_true", help="do not first run the tests on the unchanged code")
    args = ap.parse_args(argv)
    mutations = [m for m in load(args.list) if args.only is None or m.id in args.only]
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    state = start_neo4j(env)
    try:
        with tempfile.TemporaryDirectory(prefix="mutation-") as tmp:
            copy = Path(tmp)
            copy_repo(copy)
            where = subprocess.run([sys.executable, "-c", "import graphbuild; print(graphbuild.__file__)"],
                                   cwd=copy, env=env, capture_output=True, text=True).stdout.strip()
            if not where.startswith(str(copy)):
                raise SystemExit(f"the copy's tests would import graphbuild from {where}, not from {copy}")
            tests = sorted({t for m in mutations for t in m.tests})
            rc, out = (0, "") if args.skip_baseline else run_tests(copy, tests, env, args.timeout * 2)
            if rc != 0:
                raise SystemExit(f"the listed tests fail on the unchanged code (exit {rc}):\n{out}")
            if not args.skip_baseline:
                print(f"baseline: the {len(tests)} listed test targets pass on the unchanged code", file=sys.stderr)
            for m in mutations:
                path = copy / m.file
                original = path.read_text(encoding="utf-8")
                mutated = apply(original, m)
                if mutated is None:
                    m.status = "not applied"
                else:
                    path.write_text(mutated, encoding="utf-8")
                    t0 = time.perf_counter()
                    rc, m.detail = run_tests(copy, m.tests, env, args.timeout)
                    m.seconds = time.perf_counter() - t0
                    m.status = "survived" if rc == 0 else "killed" if rc in (1, -1) else f"error (exit {rc})"
                    path.write_text(original, encoding="utf-8")
                print(f"{m.status:>12}  {m.id}  ({m.file}, {m.seconds:.0f} s)", file=sys.stderr)
    finally:
        if state is not None:
            subprocess.run([sys.executable, str(ROOT / "scripts" / "neo4j_test_server.py"), "stop", "--state",
                            str(state)], check=False)
    bad = [m for m in mutations if m.status != "killed"]
    if args.json:
        print(json.dumps([{"id": m.id, "file": m.file, "why": m.why, "status": m.status,
                           "seconds": round(m.seconds, 1)} for m in mutations], indent=2))
    else:
        for m in mutations:
            print(f"| {m.id} | {m.file} | {m.why} | {m.status} |")
        print(f"{len(mutations) - len(bad)} of {len(mutations)} breaks killed; survivors or not applied: "
              f"{', '.join(m.id for m in bad) or 'none'}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
