"""config/settings/database.py: SQLite's options, and PostgreSQL's prepared statements (on unless switched off)."""

import pytest
from django.db import connection

from config.env import StrictEnv
from config.settings.database import PREPARE_THRESHOLD, databases

POSTGRES = "postgres://platform:secret@db.example.com:5432/platform"


def test_postgresql_binds_on_the_server_and_prepares_repeated_statements(monkeypatch):
    monkeypatch.delenv("DATABASE_PREPARED_STATEMENTS", raising=False)

    default = databases(StrictEnv(), POSTGRES)["default"]

    assert default["OPTIONS"] == {"server_side_binding": True, "prepare_threshold": PREPARE_THRESHOLD}
    assert default["CONN_MAX_AGE"] == 60
    assert default["CONN_HEALTH_CHECKS"] is True


def test_prepared_statements_can_be_switched_off_for_a_pooler(monkeypatch):
    monkeypatch.setenv("DATABASE_PREPARED_STATEMENTS", "false")

    default = databases(StrictEnv(), POSTGRES)["default"]

    assert "server_side_binding" not in default["OPTIONS"]
    assert "prepare_threshold" not in default["OPTIONS"]


def test_sqlite_keeps_wal_and_immediate_transactions(monkeypatch):
    monkeypatch.setenv("DATABASE_PREPARED_STATEMENTS", "true")

    default = databases(StrictEnv(), "sqlite:////tmp/platform.sqlite3")["default"]

    assert default["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in default["OPTIONS"]["init_command"]
    assert "server_side_binding" not in default["OPTIONS"]
    assert "CONN_MAX_AGE" not in default or default["CONN_MAX_AGE"] == 0


@pytest.mark.django_db
def test_a_statement_run_often_is_prepared_on_the_connection():
    """On the suite's own PostgreSQL: the fifth run of a statement prepares it (PostgreSQL lists it), and it
    answers the same afterwards."""
    assert connection.vendor == "postgresql"
    assert connection.features.uses_server_side_binding
    sql = "SELECT %s::int + 1 AS prepared_statement_probe"

    def prepared() -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            return [row[0] for row in cursor.fetchall() if "prepared_statement_probe" in row[0]]

    answers = []
    for n in range(PREPARE_THRESHOLD + 2):
        if n == PREPARE_THRESHOLD - 1:
            assert prepared() == []
        with connection.cursor() as cursor:
            cursor.execute(sql, [n])
            answers.append(cursor.fetchone()[0])

    assert answers == [n + 1 for n in range(PREPARE_THRESHOLD + 2)]
    assert prepared() == ["SELECT $1::int + 1 AS prepared_statement_probe"]
