"""Booking numbers move to the generic counter table (core.Sequence); existing day counters are carried over."""

from django.db import migrations


def carry_over(apps, schema_editor):
    BookingSequence = apps.get_model("bookings", "BookingSequence")
    Sequence = apps.get_model("core", "Sequence")
    for row in BookingSequence.objects.all():
        Sequence.objects.update_or_create(name=f"booking:{row.day:%Y%m%d}", defaults={"last": row.last})


class Migration(migrations.Migration):
    dependencies = [
        ("bookings", "0001_initial"),
        ("core", "0002_sequence"),
    ]

    operations = [
        migrations.RunPython(carry_over, migrations.RunPython.noop),
        migrations.DeleteModel(name="BookingSequence"),
    ]
