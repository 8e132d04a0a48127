"""A built wheel carries what an installed graphbuild reads at run time: data files and the saved queries."""

from __future__ import annotations

import subprocess
import sys
import zipfile

from graphbuild.queries import default_query_dir


def test_saved_queries_are_found_through_the_package(repo_root, monkeypatch):
    monkeypatch.delenv("GRAPHBUILD_QUERIES", raising=False)
    packaged = sorted(p.name for p in default_query_dir().glob("*.cypher"))
    assert packaged == sorted(p.name for p in (repo_root / "cypher" / "queries").glob("*.cypher"))
    assert len(packaged) >= 9


def test_wheel_contains_data_and_cypher(repo_root, tmp_path):
    res = subprocess.run([sys.executable, "-m", "pip", "wheel", str(repo_root), "--no-deps", "-q", "-w", str(tmp_path)],
                         capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr
    (wheel,) = tmp_path.glob("graphbuild-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    queries = {f"graphbuild/data/cypher/queries/{p.name}" for p in (repo_root / "cypher" / "queries").glob("*.cypher")}
    assert queries <= names
    assert {"graphbuild/data/cypher/schema.cypher", "graphbuild/data/cypher/style.grass",
            "graphbuild/data/rules/relations.yaml", "graphbuild/data/viz/vis-network.min.js"} <= names
    assert any(n.startswith("graphbuild/data/gazetteer/") for n in names)
