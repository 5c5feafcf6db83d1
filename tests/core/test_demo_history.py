"""``seed_demo``'s history (issue #22): about 90 days of bookings, payments, refunds, reviews and payouts made
through the services with the clock set back; ``--no-history`` skips it and a second run adds nothing."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.test import Client, TestCase
from django.utils import timezone

from accounts.demo import DEMO_ADMIN_EMAIL, DEMO_CUSTOMER
from accounts.models import User
from bookings.models import Booking, BookingSignature, Dispute, Review
from core.models import AuditLog
from notifications.models import Notification
from partners.models import EarningStatus, PartnerEarning, PartnerPayout
from payments.models import Payment, Refund
from payments.services.ledger import ledger_balance, ledger_trial_balance

pytestmark = pytest.mark.django_db

HOME_SERVICES = {"requested_partner__isnull": True}  # the clinic's past sessions (partners.demo) are appointments


def counts() -> tuple[int, ...]:
    models = (Booking, Payment, Refund, Review, PartnerPayout, PartnerEarning, Notification, AuditLog)
    return tuple(model.objects.count() for model in models)


def test_seed_demo_writes_90_days_of_history_through_the_services_once():
    out = io.StringIO()
    started = timezone.now()
    with TestCase.captureOnCommitCallbacks(execute=True):  # seed_demo commits: what it queued on commit runs
        call_command("seed_demo", stdout=out)
    today = timezone.localdate()
    bookings = Booking.objects.filter(**HOME_SERVICES)

    days = sorted(set(bookings.values_list("booking_date", flat=True)))
    assert today - timedelta(days=90) == days[0]
    assert len([d for d in days if d < today]) >= 85  # every day or nearly, not a few clusters
    assert days[-1] > today  # upcoming ones for the lists
    statuses = set(bookings.values_list("status", flat=True))
    assert {"completed", "cancelled", "refunded", "confirmed", "partner_assigned", "pending"} <= statuses
    assert bookings.filter(user__email=DEMO_CUSTOMER["email"], booking_date__lt=today).count() > 20
    done = bookings.filter(status="completed")
    assert done.count() > 150
    assert not done.filter(scheduled_end__gt=timezone.now()).exists()
    # The steps happened in the past, in order: booked before the day, reviewed after the job.
    assert not bookings.filter(booking_date__lt=today, created_at__date__gte=today).exists()
    assert not bookings.filter(booking_date__lt=today, updated_at__gte=started).exists()  # paid, refunded: then
    for review in Review.objects.filter(booking__in=done).select_related("booking")[:20]:
        assert review.booking.created_at < review.booking.scheduled_start < review.created_at < timezone.now()

    paid = Payment.objects.filter(payable_type="bookings.booking", status__in=["success", "partially_refunded"])
    assert paid.filter(gateway="cash").exists()
    assert paid.filter(gateway="offline").exists()
    assert Payment.objects.filter(status="failed").exists()  # a declined first attempt, then paid
    assert Refund.objects.filter(status="processed").count() >= 10
    admin = User.objects.get(email=DEMO_ADMIN_EMAIL)
    assert Refund.objects.filter(requested_by=admin).exists()  # staff refunds
    assert AuditLog.objects.filter(action="refund_booking").exists()
    assert PartnerPayout.objects.filter(status="completed").count() >= 2
    assert PartnerPayout.objects.filter(status="processing").exists()
    assert AuditLog.objects.filter(action="process_payout").exists()
    assert Review.objects.filter(booking__in=done).count() > 80
    assert Notification.objects.filter(
        user__email=DEMO_CUSTOMER["email"], created_at__date__lt=today - timedelta(days=30)
    ).exists()

    # The books balance, and what partners are owed is what their unpaid earnings say.
    assert ledger_trial_balance() == 0
    unpaid = PartnerEarning.objects.exclude(status=EarningStatus.PAID).aggregate(total=Sum("partner_earning"))
    assert ledger_balance("partner_payable") == -unpaid["total"]
    assert Payment.objects.filter(payable_type="bookings.booking", status="pending").count() == 1  # the unpaid one

    client = Client()
    client.force_login(admin)
    page = client.get("/admin/")
    assert page.status_code == 200
    assert float(page.context["dashboard"]["stats"]["total_revenue"]) > 0
    assert sum(1 for point in page.context["revenue_chart"]["points"] if point["revenue"] > 0) >= 20
    assert "Demo history" in out.getvalue()
    assert "skipped" not in out.getvalue()  # on a fresh database every booking's story goes through

    # Proof of service (issue #20): yesterday's job awaiting the demo customer's sign-off, and one disputed.
    waiting = BookingSignature.objects.get(booking__user__email=DEMO_CUSTOMER["email"], status="pending")
    assert waiting.expires_at > timezone.now()
    assert sorted(waiting.booking.photos.values_list("image_type", flat=True)) == ["after", "before"]
    dispute = Dispute.objects.get(customer__email=DEMO_CUSTOMER["email"], status="open")
    assert dispute.messages.filter(sender=dispute.vendor.user).exists()
    held = PartnerEarning.objects.filter(booking__in=[waiting.booking_id, dispute.booking_id])
    assert sorted(held.values_list("status", "hold_reason")) == [
        ("on_hold", "dispute"),
        ("on_hold", "signature_pending"),
    ]
    assert "awaiting sign-off" in out.getvalue()

    before = counts()
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("seed_demo", stdout=io.StringIO())
    assert counts() == before


def test_seed_demo_without_history_books_nothing():
    call_command("seed_demo", no_history=True, stdout=io.StringIO())

    assert not Booking.objects.filter(**HOME_SERVICES).exists()
    assert not PartnerPayout.objects.exists()
    assert User.objects.filter(email=DEMO_CUSTOMER["email"]).exists()  # the rest of the demo is there
