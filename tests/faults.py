"""Real faults for tests: a damaged store file, a read-only folder, a small file system that fills up.

The read-only folder and the full disk are real: ``graphbuild`` runs as a subprocess inside a
user and mount namespace (``unshare --map-root-user --mount``, no privileges needed where the
kernel allows them) that bind-mounts the folder read-only, or mounts a small ``tmpfs`` there.
Where namespaces are off, a non-root user gets a ``chmod``-ed folder and the full disk becomes
``RLIMIT_FSIZE`` (writes past the limit fail with "file too large", like a full disk).  What
the machine cannot make is skipped, except in CI (``CI=true``), where it fails.
"""

from __future__ import annotations

import os
import resource
import shlex
import shutil
import signal
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

__all__ = ["Run", "damage_table", "limited_runner", "read_only_runner"]


def damage_table(path: Path, table: str) -> None:
    """Overwrite the root page of ``table`` in the (closed, checkpointed) store with garbage."""
    con = sqlite3.connect(path)
    page = con.execute("PRAGMA page_size").fetchone()[0]
    root = con.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    with open(path, "r+b") as fh:
        fh.seek((root - 1) * page)
        fh.write(b"\xa5" * page)


@dataclass(frozen=True)
class Run:
    """The outcome of one ``graphbuild`` command."""

    args: list[str]
    returncode: int
    stdout: str
    stderr: str


def _cannot(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"this machine cannot make the fault ({reason}); CI must be able to")
    pytest.skip(f"this machine cannot make the fault: {reason}")


@cache
def _namespaces() -> bool:
    """True if ``unshare`` can give a mount namespace where tmpfs and bind mounts work."""
    if shutil.which("unshare") is None or os.environ.get("GRAPHBUILD_TEST_NO_NAMESPACES"):
        return False  # the variable tries the stand-ins on a machine that has namespaces
    probe = subprocess.run(["unshare", "--map-root-user", "--mount", "sh", "-c",
                            "d=$(mktemp -d) && mount -t tmpfs -o size=64k tmpfs \"$d\" && umount \"$d\"; rc=$?; "
                            "rmdir \"$d\"; exit $rc"], capture_output=True, timeout=30)
    return probe.returncode == 0


def _graphbuild(args: list[str]) -> str:
    return " ".join(shlex.quote(a) for a in [sys.executable, "-m", "graphbuild", *args])


def _run_in_namespace(setup: str, commands: list[list[str]], cwd: Path, keep: Path | None = None) -> list[Run]:
    """Run ``setup`` (mounts) then each command in one namespace; each command's output kept apart.

    ``keep``: a folder copied to ``cwd/.after`` at the end (a tmpfs vanishes with the namespace).
    """
    outdir = cwd / ".runs"
    outdir.mkdir(exist_ok=True)
    lines = ["set -u", setup]
    for i, args in enumerate(commands):
        lines.append(f"{_graphbuild(args)} >{outdir}/{i}.out 2>{outdir}/{i}.err; echo $? >{outdir}/{i}.rc")
    if keep is not None:
        lines.append(f"rm -rf {cwd}/.after && cp -a {shlex.quote(str(keep))} {cwd}/.after")
    done = subprocess.run(["unshare", "--map-root-user", "--mount", "sh", "-c", "\n".join(lines)],
                          capture_output=True, text=True, cwd=cwd, timeout=600)
    assert done.returncode == 0, done.stderr
    return [Run(args, int((outdir / f"{i}.rc").read_text()), (outdir / f"{i}.out").read_text(),
                (outdir / f"{i}.err").read_text()) for i, args in enumerate(commands)]


def read_only_runner(folder: Path):
    """A function running graphbuild commands while ``folder`` is read-only (a real read-only mount)."""
    if _namespaces():
        def run(commands: list[list[str]], cwd: Path) -> list[Run]:
            q = shlex.quote(str(folder))
            return _run_in_namespace(f"mount --bind {q} {q} && mount -o remount,bind,ro {q} || exit 97",
                                     commands, cwd)
        return run
    if os.geteuid() == 0:
        _cannot("no user namespaces, and root ignores file permissions")

    def run_chmod(commands: list[list[str]], cwd: Path) -> list[Run]:
        modes = {p: p.stat().st_mode for p in [folder, *folder.iterdir()]}
        for p in modes:
            p.chmod(0o555 if p.is_dir() else 0o444)
        try:
            return [_plain(args, cwd) for args in commands]
        finally:
            for p, mode in modes.items():
                p.chmod(mode)
    return run_chmod


def _plain(args: list[str], cwd: Path, preexec=None) -> Run:
    done = subprocess.run([sys.executable, "-m", "graphbuild", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=600, preexec_fn=preexec)
    return Run(args, done.returncode, done.stdout, done.stderr)


def limited_runner(folder: Path, size: int, free: int):
    """A function running graphbuild commands with ``folder`` on a file system of ``size`` bytes.

    What the folder holds afterwards is in ``cwd/.after``.  ``fill`` bytes are taken first by a filler file.  Returns ``(run, reason)``: the reason a
    full disk gives there ("no space left on device" on tmpfs, "file too large" with the
    RLIMIT_FSIZE stand-in, where every file the command writes is limited to ``size - fill``).
    """
    if _namespaces():
        def run(commands: list[list[str]], cwd: Path) -> list[Run]:
            q = shlex.quote(str(folder))
            # copy what the folder holds onto the small file system, then fill it
            setup = (f"tar -C {q} -cf {q}.tar . && mount -t tmpfs -o size={size} tmpfs {q} && tar -C {q} -xf {q}.tar"
                     f" && rm {q}.tar && avail=$(df -B1 --output=avail {q} | tail -n 1)"
                     f" && head -c $((avail - {free})) /dev/zero > {q}/.filler || exit 98")
            return _run_in_namespace(setup, commands, cwd, keep=folder)
        return run, "no space left on device"

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (free, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))

    def run_limited(commands: list[list[str]], cwd: Path) -> list[Run]:
        runs = [_plain(args, cwd, limit) for args in commands]
        shutil.rmtree(cwd / ".after", ignore_errors=True)
        shutil.copytree(folder, cwd / ".after", symlinks=True)
        return runs
    return run_limited, "file too large"
