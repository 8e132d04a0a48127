#!/usr/bin/env bash
# Runs every benchmark and appends the results to bench/RESULTS.md.
#   bash bench/run_all.sh [ARTICLES]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
N="${1:-300}"
python bench/extract_speed.py --articles "$N" --append bench/RESULTS.md
python bench/ingest_speed.py --articles "$N" --append bench/RESULTS.md
python bench/profile_ingest.py --articles "$N" --append bench/RESULTS.md
python bench/memory_scale.py --sizes "$N,$((N * 10))" --append bench/RESULTS.md
