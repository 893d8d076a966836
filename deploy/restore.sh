#!/usr/bin/env bash
# Restore a backup made by deploy/backup.sh into an EMPTY database and media folder.
#   deploy/restore.sh campaign-<time>.dump campaign-<time>.media.tar.gz
# Reads DATABASE_URL and MEDIA_ROOT like backup.sh. Stop the web and worker units first:
#   systemctl stop campaign.target
# Create the empty database first: createdb -O campaign campaign
set -euo pipefail
if [[ -z "${DATABASE_URL:-}" && -r /etc/campaign/campaign.env ]]; then
  set -a; source /etc/campaign/campaign.env; set +a
fi
: "${DATABASE_URL:?DATABASE_URL is not set}"
: "${MEDIA_ROOT:?MEDIA_ROOT is not set}"
dump="${1:?usage: restore.sh DUMP MEDIA_TAR}"
media="${2:?usage: restore.sh DUMP MEDIA_TAR}"

tables="$(psql "$DATABASE_URL" -tAc "select count(*) from information_schema.tables where table_schema = 'public'")"
if [[ "$tables" != "0" ]]; then
  echo "restore.sh: the target database is not empty ($tables tables); refusing to restore into it." >&2
  exit 1
fi
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction --dbname="$DATABASE_URL" "$dump"
mkdir -p "$MEDIA_ROOT"
tar -C "$MEDIA_ROOT" -xzf "$media"
echo "restored $dump and $media"
