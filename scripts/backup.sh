#!/usr/bin/env bash
# Backs up the platform's PostgreSQL database (DATABASE_URL, from the environment or .env) with pg_dump's
# custom format (-Fc: compressed, restorable table by table with pg_restore).
#
#   scripts/backup.sh                      # var/backups/platform-YYYYmmddTHHMMSSZ.dump
#   scripts/backup.sh /srv/backups/x.dump  # that file
#   scripts/backup.sh /srv/backups/        # a timestamped file in that directory
#
# Prints the file written. Restore with scripts/restore.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/pg_common.sh

url="$(require_postgres "$(database_url)")"
pg_dump="$(pg_bin pg_dump)"
name="platform-$(date -u +%Y%m%dT%H%M%SZ).dump"
target="${1:-var/backups/}"
case "$target" in
  */) target="$target$name" ;;
esac
if [ -d "$target" ]; then
  target="$target/$name"
fi
mkdir -p "$(dirname "$target")"

partial="$target.partial"
trap 'rm -f "$partial"' EXIT
"$pg_dump" --format=custom --no-owner --dbname="$url" --file="$partial"
mv "$partial" "$target"
trap - EXIT
echo "$target"
