"""The ledger is append-only in the database too: UPDATE and DELETE of an entry are refused.

(TRUNCATE, which the test suite uses between tests, is not a row operation and stays possible.)
"""

from django.db import migrations

POSTGRES = [
    """
    CREATE OR REPLACE FUNCTION payments_ledger_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'the ledger is append-only: % refused', TG_OP;
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER payments_ledgerentry_append_only BEFORE UPDATE OR DELETE ON payments_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION payments_ledger_append_only();
    """,
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS payments_ledgerentry_append_only ON payments_ledgerentry;",
    "DROP FUNCTION IF EXISTS payments_ledger_append_only();",
]
SQLITE = [
    """CREATE TRIGGER payments_ledgerentry_no_update BEFORE UPDATE ON payments_ledgerentry
       BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: UPDATE refused'); END;""",
    """CREATE TRIGGER payments_ledgerentry_no_delete BEFORE DELETE ON payments_ledgerentry
       BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: DELETE refused'); END;""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS payments_ledgerentry_no_update;",
    "DROP TRIGGER IF EXISTS payments_ledgerentry_no_delete;",
]


def forwards(apps, schema_editor):
    statements = POSTGRES if schema_editor.connection.vendor == "postgresql" else SQLITE
    for sql in statements:
        schema_editor.execute(sql, params=None)


def backwards(apps, schema_editor):
    statements = POSTGRES_REVERSE if schema_editor.connection.vendor == "postgresql" else SQLITE_REVERSE
    for sql in statements:
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("payments", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
