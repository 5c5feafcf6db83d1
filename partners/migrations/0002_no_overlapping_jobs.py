"""PostgreSQL: one partner can never hold two offered or accepted jobs whose times overlap.

An exclusion constraint over ``(partner_id, [busy_from, busy_until))`` for
assignments in the busy statuses (``partners.models.BUSY_STATUSES``), with the
``btree_gist`` extension for the equality part. SQLite (the embedded default)
has no such constraint; the dispatch engine's own check stands alone there
and SQLite runs one writer at a time.
"""

from django.db import migrations

CONSTRAINT = """
ALTER TABLE partners_partnerassignment
ADD CONSTRAINT partner_no_overlapping_jobs
EXCLUDE USING gist (partner_id WITH =, tstzrange(busy_from, busy_until, '[)') WITH &&)
WHERE (status IN ('assigned', 'accepted', 'in_transit', 'arrived'))
"""


def add_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(CONSTRAINT)


def drop_constraint(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE partners_partnerassignment DROP CONSTRAINT partner_no_overlapping_jobs")


class Migration(migrations.Migration):
    dependencies = [("partners", "0001_initial")]

    operations = [migrations.RunPython(add_constraint, drop_constraint)]
