"""README documents every command."""

from __future__ import annotations

from graphbuild.cli import app


def test_every_command_is_in_readme(repo_root):
    doc = (repo_root / "README.md").read_text(encoding="utf-8")
    names = [c.name for c in app.registered_commands]
    assert "analyze" in names and "query" in names
    for name in names:
        assert f"graphbuild {name}" in doc, name


def test_readme_states_the_defaults_the_code_uses(repo_root):
    """README and code agree on the batch sizes and workers (they once said 5,000 and 20,000)."""
    from graphbuild import defaults

    doc = " ".join((repo_root / "README.md").read_text(encoding="utf-8").split())
    assert f"`--batch-size` (rows per transaction, default {defaults.LOAD_BATCH})" in doc
    assert f"`--workers` (sessions writing in parallel, default {defaults.LOAD_WORKERS})" in doc
    assert f"in batches of `--batch-size` articles ({defaults.INGEST_BATCH})" in doc
    assert f"({defaults.SCRIPT_BATCH} rows each; `--batch-size`)" in doc
    for command, option, default in (("load", "--batch-size", defaults.LOAD_BATCH),
                                     ("ingest", "--batch-size", defaults.INGEST_BATCH),
                                     ("cypher", "--batch-size", defaults.SCRIPT_BATCH)):
        found = next(c for c in app.registered_commands if c.name == command)
        params = __import__("inspect").signature(found.callback).parameters
        assert params["batch_size"].default.default == default, (command, option)


def test_readme_says_big_json_corpora_go_in_json_lines(repo_root):
    doc = " ".join((repo_root / "README.md").read_text(encoding="utf-8").split())
    assert "for big corpora use JSON Lines, which are streamed one article a line" in doc
