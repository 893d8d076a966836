#!/usr/bin/env bash
# Back up the database (pg_dump, custom format) and the private media folder (uploads).
#   deploy/backup.sh [DEST_DIR]            (default /var/backups/campaign)
# Reads DATABASE_URL and MEDIA_ROOT from the environment, or from /etc/campaign/campaign.env.
# Writes campaign-<time>.dump and campaign-<time>.media.tar.gz; keeps KEEP_DAYS (14) days.
# Rendered reports are not backed up: they expire anyway and can be rendered again.
set -euo pipefail
if [[ -z "${DATABASE_URL:-}" && -r /etc/campaign/campaign.env ]]; then
  set -a; source /etc/campaign/campaign.env; set +a
fi
: "${DATABASE_URL:?DATABASE_URL is not set}"
: "${MEDIA_ROOT:?MEDIA_ROOT is not set}"
dest="${1:-/var/backups/campaign}"
keep_days="${KEEP_DAYS:-14}"
stamp="$(date +%Y%m%d-%H%M%S)"
mkdir -p "$dest"
umask 077  # the dump holds who said what about whom

pg_dump --format=custom --no-owner --no-privileges --file="$dest/campaign-$stamp.dump" "$DATABASE_URL"
mkdir -p "$MEDIA_ROOT"
tar -C "$MEDIA_ROOT" -czf "$dest/campaign-$stamp.media.tar.gz" .
# A backup that cannot be listed is not a backup.
pg_restore --list "$dest/campaign-$stamp.dump" >/dev/null
tar -tzf "$dest/campaign-$stamp.media.tar.gz" >/dev/null

find "$dest" -name 'campaign-*' -mtime +"$keep_days" -delete
echo "$dest/campaign-$stamp.dump"
echo "$dest/campaign-$stamp.media.tar.gz"
