"""Atomic writes: complete files with normal permissions, nothing half-written on failure."""

from __future__ import annotations

import os
import stat

import pytest

from graphbuild.sinks.files import atomic_open


def test_atomic_open_writes_with_umask_permissions(tmp_path):
    target = tmp_path / "sub" / "out.txt"
    old = os.umask(0o022)
    try:
        with atomic_open(target) as fh:
            fh.write("hello ✓\n")
    finally:
        os.umask(old)
    assert target.read_text(encoding="utf-8") == "hello ✓\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert [p.name for p in target.parent.iterdir()] == ["out.txt"]


def test_atomic_open_failure_leaves_old_file_and_no_temp(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError):
        with atomic_open(target) as fh:
            fh.write("half")
            raise RuntimeError("boom")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]
