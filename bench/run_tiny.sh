#!/usr/bin/env bash
# Every benchmark once, on a tiny city in a throwaway SQLite database, so none can rot.
# The figures mean nothing; a benchmark that crashes fails the run. CI: `bench/run_tiny.sh`.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export DATABASE_URL="sqlite:///$dir/tiny.sqlite3" BENCH_RUNS=1
export VAR_DIR="$dir/var"
.venv/bin/python manage.py migrate -v0
.venv/bin/python manage.py seed_scale --tiny
for bench in bench/bench_*.py; do
  echo "== $bench"
  started=$(date +%s)
  .venv/bin/python "$bench"
  echo "   ($(( $(date +%s) - started )) s)"
done
