"""Backups (issue #21): scripts/backup.sh dumps the database with pg_dump's custom format and scripts/restore.sh
restores it into a fresh database that then has the same rows, a ledger that still balances and its migrations at
the head. Runs on the suite's own PostgreSQL; a missing pg_dump or pg_restore fails, never skips."""

from __future__ import annotations

import os
import subprocess
import uuid
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from accounts.models import User
from bookings.models import Booking
from partners.models import EarningStatus, PartnerEarning
from payments.models import LedgerEntry, Payment
from tests.partners import helpers as h
from tests.partners.test_payouts_api import earn

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(settings.BASE_DIR)
TABLES = [model._meta.db_table for model in (User, Booking, Payment, PartnerEarning, LedgerEntry)]


def url_of(name: str) -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{name}"


def run(*command: str, database_url: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, cwd=ROOT, env={**os.environ, "DATABASE_URL": database_url}, capture_output=True, text=True, timeout=180
    )


def snapshot(url: str) -> dict[str, object]:
    """Row counts of the main tables, the ledger's trial balance and the applied migrations, read with psycopg."""
    with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as conn:
        counts = {table: conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in TABLES}
        balance = conn.execute(f'SELECT coalesce(sum(amount), 0) FROM "{LedgerEntry._meta.db_table}"').fetchone()[0]
        migrations = set(conn.execute("SELECT app, name FROM django_migrations").fetchall())
    return {"counts": counts, "trial_balance": balance, "migrations": migrations}


@pytest.fixture
def restored_name():
    name = f"restored_{uuid.uuid4().hex[:12]}"
    yield name
    with psycopg.connect(url_of("postgres").replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_restores_into_a_fresh_database_with_the_same_rows_a_balanced_ledger_and_migrations_at_the_head(
    tmp_path, restored_name
):
    partner = h.partner()
    earned = [earn(partner, 8, online=True), earn(partner, 12)]  # a paid online job and a cash one, both completed
    assert {e.status for e in earned} == {EarningStatus.PENDING}
    source = url_of(connection.settings_dict["NAME"])
    before = snapshot(source)
    assert all(before["counts"].values()), before  # real rows in every table compared
    assert before["trial_balance"] == Decimal("0.00")

    backup = run("scripts/backup.sh", str(tmp_path / "backups") + "/", database_url=source)
    assert backup.returncode == 0, backup.stderr
    dump = Path(backup.stdout.strip().splitlines()[-1])
    assert dump.parent == tmp_path / "backups"
    assert dump.name.startswith("platform-")
    assert dump.name.endswith(".dump")
    assert dump.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format

    target = url_of(restored_name)
    restore = run("scripts/restore.sh", str(dump), target, database_url="postgres://unused@127.0.0.1:1/unused")
    assert restore.returncode == 0, restore.stdout + restore.stderr
    assert f"created database {restored_name}" in restore.stdout
    assert "migrations at the head" in restore.stdout

    after = snapshot(target)
    assert after["counts"] == before["counts"]
    assert after["trial_balance"] == Decimal("0.00")
    assert after["migrations"] == before["migrations"]
    heads = set(MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes())
    assert heads <= after["migrations"]

    again = run("scripts/restore.sh", str(dump), target, database_url=source)  # into an existing database: replaced
    assert again.returncode == 0, again.stdout + again.stderr
    assert snapshot(target) == after


def test_a_backup_of_a_database_that_is_not_postgresql_is_refused(tmp_path):
    result = run("scripts/backup.sh", str(tmp_path) + "/", database_url="sqlite:///var/db.sqlite3")
    assert result.returncode == 2
    assert "PostgreSQL DATABASE_URL" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_restore_needs_an_existing_backup_file_and_a_target():
    assert run("scripts/restore.sh", database_url="").returncode == 2
    missing = run("scripts/restore.sh", "/nonexistent.dump", "postgres://u@127.0.0.1:1/x", database_url="")
    assert missing.returncode == 2
    assert "no backup file" in missing.stderr
