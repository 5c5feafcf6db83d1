#!/usr/bin/env bash
# Restores a scripts/backup.sh file into a PostgreSQL database, then proves its migrations are at the head.
#
#   scripts/restore.sh var/backups/platform-20261130T004700Z.dump postgres://user:pw@host:5432/platform_copy
#
# The target database is created when missing (through the server's `postgres` database); objects the dump
# holds are dropped first (pg_restore --clean --if-exists) and nothing is owned by the dump's roles
# (--no-owner --no-acl). Then `manage.py migrate --check` runs against the target: it fails when the dump is
# behind this code's migrations (run `DATABASE_URL=<target> manage.py migrate` then).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/pg_common.sh

if [ "$#" -ne 2 ]; then
  echo "usage: scripts/restore.sh <backup file> <target DATABASE_URL>" >&2
  exit 2
fi
file="$1"
if [ ! -f "$file" ]; then
  echo "error: no backup file $file" >&2
  exit 2
fi
target="$(require_postgres "$2")"
pg_restore="$(pg_bin pg_restore)"
psql="$(pg_bin psql)"

# postgresql://user@host:port/name?options -> the name, and the same URL on the `postgres` database.
base="${target%%\?*}"
query=""
if [ "$base" != "$target" ]; then
  query="?${target#*\?}"
fi
dbname="${base##*/}"
admin="${base%/*}/postgres$query"
if [ -z "$dbname" ] || ! [[ "$dbname" =~ ^[A-Za-z0-9_]+$ ]]; then
  echo "error: the target URL must name its database (letters, digits, underscores)" >&2
  exit 2
fi

exists="$("$psql" "$admin" -XtAq -v ON_ERROR_STOP=1 -c "SELECT 1 FROM pg_database WHERE datname = '$dbname'")"
if [ "$exists" != "1" ]; then
  "$psql" "$admin" -XqA -v ON_ERROR_STOP=1 -c "CREATE DATABASE \"$dbname\""
  echo "created database $dbname"
fi

"$pg_restore" --clean --if-exists --no-owner --no-acl --exit-on-error --dbname="$target" "$file"
echo "restored $file into $dbname"

python="${PYTHON:-.venv/bin/python}"
[ -x "$python" ] || python=python3
DATABASE_URL="$target" "$python" manage.py migrate --check
echo "migrations at the head"
