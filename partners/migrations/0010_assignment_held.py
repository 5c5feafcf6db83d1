"""Issue #23: ``held`` assignments, the partner's time kept by checkout confirm before anyone is offered the job.

A held row is live (one per booking) and busy: the PostgreSQL exclusion constraint of ``0002`` is recreated with
``held`` in its ``WHERE``, so two confirms can never hold one partner's overlapping time. SQLite has no such
constraint (its single writer and the engine's own check stand).
"""

from django.conf import settings
from django.db import migrations, models

BUSY_BEFORE = "'assigned', 'accepted', 'in_transit', 'arrived'"
BUSY_AFTER = "'held', 'assigned', 'accepted', 'in_transit', 'arrived'"
CONSTRAINT = """
ALTER TABLE partners_partnerassignment
ADD CONSTRAINT partner_no_overlapping_jobs
EXCLUDE USING gist (partner_id WITH =, tstzrange(busy_from, busy_until, '[)') WITH &&)
WHERE (status IN ({statuses}))
"""


def _recreate(schema_editor, statuses: str) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE partners_partnerassignment DROP CONSTRAINT partner_no_overlapping_jobs")
    schema_editor.execute(CONSTRAINT.format(statuses=statuses))


def hold_counts(apps, schema_editor):
    _recreate(schema_editor, BUSY_AFTER)


def hold_does_not_count(apps, schema_editor):
    _recreate(schema_editor, BUSY_BEFORE)


class Migration(migrations.Migration):

    dependencies = [
        ('bookings', '0006_loyalty'),
        ('partners', '0009_partner_response_minutes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='partnerassignment',
            name='assignment_one_live_per_booking',
        ),
        migrations.AlterField(
            model_name='partnerassignment',
            name='status',
            field=models.CharField(choices=[('held', 'Held (time kept at checkout, not offered yet)'), ('assigned', 'Assigned (offered)'), ('accepted', 'Accepted'), ('rejected', 'Rejected'), ('expired', 'Expired (no answer)'), ('in_transit', 'On the way'), ('arrived', 'Arrived'), ('completed', 'Completed'), ('cancelled', 'Cancelled')], default='assigned', max_length=16),
        ),
        migrations.AddConstraint(
            model_name='partnerassignment',
            constraint=models.UniqueConstraint(condition=models.Q(('status__in', ('held', 'assigned', 'accepted', 'in_transit', 'arrived', 'completed'))), fields=('booking',), name='assignment_one_live_per_booking'),
        ),
        migrations.RunPython(hold_counts, hold_does_not_count),
    ]
