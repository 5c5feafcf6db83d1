"""A partner's offer answers and acceptance rate; every partner's job and offer figures recomputed.

Until now ``total_bookings`` counted every offer and ``cancelled_bookings``
every rejected or expired offer. The rules are in
``partners.services.figures``; :func:`recompute` applies them to the
assignments already stored (a frozen copy, so that later changes to the
service cannot change what this migration did). Going back keeps the new
numbers in the old columns (the old ones cannot be told apart any more).
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db import migrations, models
from django.db.models import Count, Q

HUNDRED, ZERO = Decimal("100.00"), Decimal("0.00")
FIELDS = (
    "total_bookings",
    "cancelled_bookings",
    "cancellation_rate",
    "offers_accepted",
    "offers_rejected",
    "offers_expired",
    "acceptance_rate",
)


def _counts() -> dict:
    taken = Q(accepted_at__isnull=False)  # accepted by the partner, or given by staff
    moved = taken & Q(status="cancelled", rejection_reason="rescheduled")
    return {
        "taken": Count("id", filter=taken),
        "moved": Count("id", filter=moved),
        "dropped": Count("id", filter=taken & Q(status="cancelled") & ~moved),
        "accepted": Count("id", filter=taken & Q(expires_at__isnull=False)),  # offers have a deadline
        "rejected": Count("id", filter=Q(status="rejected")),
        "expired": Count("id", filter=Q(status="expired")),
    }


def _percent(part: int, whole: int, empty: Decimal) -> Decimal:
    """As PostgreSQL's ``ROUND(x, 2)`` rounds the live updates: half away from zero."""
    return (Decimal(part * 100) / whole).quantize(Decimal("0.01"), ROUND_HALF_UP) if whole else empty


def _figures(row: dict) -> dict:
    total, cancelled = row["taken"] - row["moved"], row["dropped"]
    answered = row["accepted"] + row["rejected"] + row["expired"]
    return {
        "total_bookings": total,
        "cancelled_bookings": cancelled,
        "cancellation_rate": _percent(cancelled, total, ZERO),
        "offers_accepted": row["accepted"],
        "offers_rejected": row["rejected"],
        "offers_expired": row["expired"],
        "acceptance_rate": _percent(row["accepted"], answered, HUNDRED),
    }


def recompute(apps, schema_editor) -> None:
    Partner = apps.get_model("partners", "Partner")
    Assignment = apps.get_model("partners", "PartnerAssignment")
    Partner.objects.update(
        **_figures(dict.fromkeys(("taken", "moved", "dropped", "accepted", "rejected", "expired"), 0))
    )
    rows = Assignment.objects.order_by().values("partner_id").annotate(**_counts()).order_by("partner_id")
    batch = []
    for row in rows.iterator(chunk_size=500):
        batch.append(Partner(pk=row["partner_id"], **_figures(row)))
        if len(batch) == 500:
            Partner.objects.bulk_update(batch, FIELDS)
            batch = []
    if batch:
        Partner.objects.bulk_update(batch, FIELDS)


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0002_no_overlapping_jobs"),
    ]

    operations = [
        migrations.AddField(
            model_name="partner",
            name="acceptance_rate",
            field=models.DecimalField(
                decimal_places=2,
                default=Decimal("100.00"),
                help_text="Offers accepted of offers answered or expired, in percent (100 before the first answer).",
                max_digits=5,
            ),
        ),
        migrations.AddField(
            model_name="partner",
            name="offers_accepted",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="partner",
            name="offers_expired",
            field=models.PositiveIntegerField(default=0, help_text="Offers left unanswered until they expired."),
        ),
        migrations.AddField(
            model_name="partner",
            name="offers_rejected",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddConstraint(
            model_name="partner",
            constraint=models.CheckConstraint(
                condition=models.Q(("acceptance_rate__gte", 0), ("acceptance_rate__lte", 100)),
                name="partner_acceptance_rate_0_to_100",
            ),
        ),
        migrations.RunPython(recompute, migrations.RunPython.noop, elidable=True),
    ]
