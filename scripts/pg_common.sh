# Shared by scripts/backup.sh and scripts/restore.sh (sourced, not run).

# pg_bin NAME: the PostgreSQL client binary on PATH, else Debian's newest /usr/lib/postgresql/*/bin/NAME.
pg_bin() {
  local found
  found="$(command -v "$1" 2>/dev/null || true)"
  if [ -z "$found" ]; then
    found="$(ls -d /usr/lib/postgresql/*/bin/"$1" 2>/dev/null | sort -t/ -k5 -n | tail -n1 || true)"
  fi
  if [ -z "$found" ]; then
    echo "error: $1 not found (install the PostgreSQL client, e.g. apt-get install postgresql-client)" >&2
    exit 127
  fi
  echo "$found"
}

# database_url: DATABASE_URL from the environment, else from ./.env (as the settings read it).
database_url() {
  local url="${DATABASE_URL:-}"
  if [ -z "$url" ] && [ -f .env ]; then
    url="$(sed -n 's/^DATABASE_URL=//p' .env | tail -n1 | sed -e 's/^["'\'']//' -e 's/["'\'']$//')"
  fi
  echo "$url"
}

# require_postgres URL: exits unless URL is a PostgreSQL URL; prints it as libpq reads it (postgresql://).
require_postgres() {
  case "$1" in
    postgres://* | postgresql://*) echo "postgresql://${1#*://}" ;;
    pgsql://*) echo "postgresql://${1#pgsql://}" ;;
    *)
      echo "error: backups need a PostgreSQL DATABASE_URL (postgres://user:password@host:port/name); got '${1%%:*}:...'" >&2
      exit 2
      ;;
  esac
}
