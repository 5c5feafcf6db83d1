#!/usr/bin/env bash
# The test suite starts its own PostgreSQL from the server binaries (initdb, pg_ctl, postgres).
# If they are neither on PATH nor in Debian's /usr/lib/postgresql/*/bin, install them with apt
# (as root, or through sudo); otherwise say what is missing.
set -euo pipefail

have_pg() {
  command -v initdb >/dev/null 2>&1 && return 0
  compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null 2>&1
}

if have_pg; then
  exit 0
fi

echo "PostgreSQL server binaries not found; installing them with apt-get..." >&2
if [ "$(id -u)" = "0" ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1; then
  SUDO="sudo"
else
  echo "Install the PostgreSQL server (e.g. 'apt-get install postgresql') and run again." >&2
  exit 1
fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
have_pg || { echo "PostgreSQL binaries are still missing after apt-get install." >&2; exit 1; }
