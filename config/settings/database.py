"""The ``DATABASES`` setting, read by ``base.py`` after it has read ``.env``.

SQLite (the embedded default) runs in WAL mode, so that the server, worker and beat processes can share it, with
IMMEDIATE transactions, which avoid "database is locked" when a reader turns writer.

PostgreSQL keeps its connections ``DATABASE_CONN_MAX_AGE`` seconds and, unless ``DATABASE_PREPARED_STATEMENTS``
is off, binds parameters on the server and prepares each statement a connection has run five times (psycopg's
``prepare_threshold``): PostgreSQL then neither parses nor plans it again on that connection, and the client does
not quote parameters into the text. Django leaves both off by default for the sake of connection poolers in
transaction mode; PgBouncer before 1.21 cannot carry prepared statements, so a deployment behind one sets it off.
A checkout confirm spent 2.5 ms less of PostgreSQL's CPU with them (``benchmarks/README.md``, sixth pass).
PostgreSQL plans a prepared statement again after a migration touches its tables; only a migration that changes
the type of a column a running process selects makes that process's statement fail ("cached plan must not change
result type") until its connection is replaced, as a deploy restarting the processes does.
"""

from __future__ import annotations

from typing import Any

from config.env import StrictEnv

# psycopg's own default: a statement run this many times on a connection is prepared there.
PREPARE_THRESHOLD = 5


def databases(env: StrictEnv, url: str) -> dict[str, dict[str, Any]]:
    """``DATABASES`` for the database at ``url``."""
    default = env.db_url_config(url)
    options = default.setdefault("OPTIONS", {})
    if default["ENGINE"] == "django.db.backends.sqlite3":
        options.update(
            {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            }
        )
    else:
        default["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
        default["CONN_HEALTH_CHECKS"] = True
        if env.bool("DATABASE_PREPARED_STATEMENTS", default=True):
            options.update({"server_side_binding": True, "prepare_threshold": PREPARE_THRESHOLD})
    return {"default": default}
