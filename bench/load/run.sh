#!/usr/bin/env bash
# Load test: gunicorn on this machine, 50 signed-in unit staff browsing their unit pages and
# 20 public opinion-box submitters at the same time, for DURATION seconds (default 300).
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/campaign_scale bench/load/run.sh
# Needs the scale data (`manage.py seed_scale`), Redis on 127.0.0.1:6379 and wrk
# (apt-get install wrk). Prints wrk's figures and per-page medians from the access log.
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${DATABASE_URL:?set DATABASE_URL to the scale database}"
command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install wrk"; exit 1; }
duration="${DURATION:-300}"
out="${LOAD_DATA:-var/load}"
port="${PORT:-8099}"
export DEBUG=false TRUST_X_REAL_IP=true ALLOWED_HOSTS=127.0.0.1,localhost
export CACHE_URL="${CACHE_URL:-redis://127.0.0.1:6379/3}"
export CELERY_BROKER_URL="${CELERY_BROKER_URL:-redis://127.0.0.1:6379/4}"
export LOAD_DATA="$out" LOAD_SCRIPTS=bench/load
mkdir -p "$out"
rm -f "$out/access.log"

.venv/bin/python manage.py collectstatic --noinput -v0
.venv/bin/python bench/load/prepare.py "$out"
GUNICORN_WORKERS="${GUNICORN_WORKERS:-4}" .venv/bin/gunicorn config.wsgi:application \
  -c deploy/gunicorn.conf.py --bind "127.0.0.1:$port" \
  --access-logfile "$out/access.log" --access-logformat '%(m)s %(U)s %(s)s %(M)s' \
  --error-logfile "$out/gunicorn.log" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null' EXIT
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/accounts/login/" >/dev/null && break; sleep 0.2; done

echo "== ${duration} s: 50 signed-in users browsing + 20 public submitters, at the same time"
wrk -t2 -c50 -d"${duration}s" --timeout 10s -s bench/load/browse.lua "http://127.0.0.1:$port" > "$out/browse.txt" &
browse=$!
wrk -t1 -c20 -d"${duration}s" --timeout 10s -s bench/load/submit.lua "http://127.0.0.1:$port" > "$out/submit.txt" &
submit=$!
wait $browse $submit
echo "-- signed-in browsing (unit page, ledger, opinions, problems)"
tail -2 "$out/browse.txt"
echo "-- public opinion box submissions (POST, 302 to the thanks page)"
tail -2 "$out/submit.txt"
echo "-- per page, from gunicorn's access log (server time, ms)"
.venv/bin/python bench/load/pages.py "$out/access.log"
# The tasks the submissions queued are not consumed here; drop them.
redis-cli -u "$CELERY_BROKER_URL" flushdb >/dev/null || true
