#!/usr/bin/env bash
# Runs every benchmark and appends the results to bench/RESULTS.md.
#   bash bench/run_all.sh [ARTICLES]      (BENCH_BIG=0 skips the 100k-article steps)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
N="${1:-300}"
STORE="${BENCH_STORE:-/tmp/bench100k.db}"
python bench/extract_speed.py --articles "$N" --append bench/RESULTS.md
python bench/ingest_speed.py --articles "$N" --append bench/RESULTS.md
python bench/web_fetch.py --pages "$N" --append bench/RESULTS.md
python bench/profile_ingest.py --articles "$N" --append bench/RESULTS.md
python bench/memory_scale.py --sizes "$N,$((N * 10))" --append bench/RESULTS.md
python bench/long_articles.py --sizes 50000,250000,1000000 --append bench/RESULTS.md
python bench/long_articles.py --sizes 250000 --twice --workers 2 --append bench/RESULTS.md
python bench/neo4j_load.py --articles "$((N * 10))" --start-server --append bench/RESULTS.md
if [ "${BENCH_BIG:-1}" != 0 ]; then
    python bench/memory_replay.py --sizes 1000,10000,100000 --cache-mib 2 --append bench/RESULTS.md
    [ -f "$STORE" ] || python bench/make_store.py --articles 100000 --out "$STORE"
    python bench/offline_speed.py --db "$STORE" --append bench/RESULTS.md
    python bench/neo4j_load.py --db "$STORE" --start-server --append bench/RESULTS.md
fi
