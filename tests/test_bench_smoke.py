"""Each benchmark runs on a tiny corpus (no timing asserted: speed is measured in bench/, not here)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

pytestmark = pytest.mark.model


def run(repo_root, *args: str) -> str:
    res = subprocess.run([sys.executable, *args], cwd=repo_root, capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr
    return res.stdout


def test_make_corpus_is_deterministic(repo_root, tmp_path):
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    run(repo_root, "bench/make_corpus.py", "5", str(a), "--seed", "3")
    run(repo_root, "bench/make_corpus.py", "5", str(b), "--seed", "3")
    assert a.read_bytes() == b.read_bytes()
    rows = [json.loads(line) for line in a.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 5 and all(r["text"].startswith(r["title"] + "\n\n") for r in rows)


def test_speed_benchmarks_run(repo_root, tmp_path):
    results = tmp_path / "RESULTS.md"
    out = run(repo_root, "bench/extract_speed.py", "--articles", "4", "--repeat", "1", "--append", str(results))
    assert "ratio:" in out
    # 6 batches of 1 with 2 workers: enough batches for the workers to start
    out = run(repo_root, "bench/ingest_speed.py", "--articles", "6", "--batch-size", "1", "--workers", "2", "--repeat", "1",
              "--append", str(results))
    assert "ratio:" in out and "peak RSS" in out
    assert "ingest --workers 2 (2 workers)" in out and "identical stores: yes" in out
    rows = [line for line in results.read_text(encoding="utf-8").splitlines() if line.startswith("| 20")]
    assert len(rows) == 3 and "extract vs nlp.pipe" in rows[0] and "ingest vs nlp.pipe" in rows[1]
    assert "ingest --workers 2 vs 1 process" in rows[2] and "identical stores: yes" in rows[2]


def test_memory_benchmark_runs(repo_root, tmp_path):
    results = tmp_path / "RESULTS.md"
    out = run(repo_root, "bench/memory_scale.py", "--sizes", "3,6", "--workers", "1", "--append", str(results))
    assert "      3 articles: ingest peak RSS" in out and "      6 articles: ingest peak RSS" in out
    assert "peak RSS ratio 6/3 articles:" in out
    (row,) = [line for line in results.read_text(encoding="utf-8").splitlines() if line.startswith("| 20")]
    assert "peak RSS, 6 vs 3 articles" in row and "(in-process)" in row


def test_long_article_benchmark_runs(repo_root, tmp_path):
    results = tmp_path / "RESULTS.md"
    out = run(repo_root, "bench/long_articles.py", "--sizes", "12000", "--append", str(results))
    assert out.startswith("   12,000 characters x1: peak RSS ")
    (row,) = [line for line in results.read_text(encoding="utf-8").splitlines() if line.startswith("| 20")]
    assert "peak RSS of one long article, 12,000 characters" in row and "target < 1 GB" in row


def test_profile_benchmark_runs(repo_root, tmp_path):
    results = tmp_path / "RESULTS.md"
    out = run(repo_root, "bench/profile_ingest.py", "--articles", "3", "--top", "4", "--append", str(results))
    assert "Ordered by: internal time" in out
    assert "spaCy parse (nlp.pipe):" in out and "graphbuild steps:" in out and "store writes:" in out
    (row,) = [line for line in results.read_text(encoding="utf-8").splitlines() if line.startswith("| 20")]
    assert "ingest time split" in row and "3 articles" in row


def test_memory_replay_benchmark_runs(repo_root, tmp_path):
    results = tmp_path / "RESULTS.md"
    out = run(repo_root, "bench/memory_replay.py", "--sizes", "5,20", "--base", "3", "--cache-mib", "2",
              "--append", str(results))
    assert "default page cache (64 MiB):       5 articles," in out
    assert "page cache 2 MiB:      20 articles," in out
    rows = [line for line in results.read_text(encoding="utf-8").splitlines() if line.startswith("| 20")]
    assert len(rows) == 2 and "default 64 MiB page cache" in rows[0] and "2 MiB page cache" in rows[1]
    assert all("| 5 articles " in r and "| 20 articles " in r and "ratio " in r for r in rows)


def test_web_fetch_benchmark_runs(repo_root, tmp_path):
    results = tmp_path / "RESULTS.md"
    out = run(repo_root, "bench/web_fetch.py", "--pages", "3", "--latency", "0", "--concurrency", "2",
              "--append", str(results))
    assert "ratio:" in out and "identical stores: yes" in out
    rows = [line for line in results.read_text(encoding="utf-8").splitlines() if line.startswith("| 20")]
    assert len(rows) == 2 and "fetch + read" in rows[0] and "fetch + ingest, --concurrency 2 vs 1" in rows[1]
