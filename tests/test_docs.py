"""README documents every command."""

from __future__ import annotations

from graphbuild.cli import app


def test_every_command_is_in_readme(repo_root):
    doc = (repo_root / "README.md").read_text(encoding="utf-8")
    names = [c.name for c in app.registered_commands]
    assert "analyze" in names and "query" in names
    for name in names:
        assert f"graphbuild {name}" in doc, name
