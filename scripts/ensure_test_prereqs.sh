#!/usr/bin/env bash
# What the test suite needs from the system, installed with apt (as root, or through sudo) when missing:
# - the PostgreSQL server binaries (initdb, pg_ctl, postgres): the suite starts its own PostgreSQL. Found on PATH
#   or in Debian's /usr/lib/postgresql/*/bin.
# - Debian's `chromium`: the end-to-end check in tests/e2e drives it headless through Playwright (and
#   `make screenshot` too); Playwright never downloads a browser of its own.
set -euo pipefail

have_pg() {
  command -v initdb >/dev/null 2>&1 && return 0
  compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null 2>&1
}

have_chromium() {
  command -v chromium >/dev/null 2>&1
}

missing=()
have_pg || missing+=(postgresql)
have_chromium || missing+=(chromium)
if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi

echo "Not found: ${missing[*]}; installing with apt-get..." >&2
if [ "$(id -u)" = "0" ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1; then
  SUDO="sudo"
else
  echo "Install ${missing[*]} (e.g. 'apt-get install ${missing[*]}') and run again." >&2
  exit 1
fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
have_pg || { echo "PostgreSQL binaries are still missing after apt-get install." >&2; exit 1; }
have_chromium || { echo "chromium is still missing after apt-get install." >&2; exit 1; }
