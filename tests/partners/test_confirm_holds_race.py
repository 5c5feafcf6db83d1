"""Issue #23's race, with real threads on PostgreSQL: N customers confirm the last K serviceable slots at once.

Three partners can each take one 10:00 visit (their hours end at 11:00); eight customers, each with a preview
that offers 10:00 and a promo code, confirm 10:00 online at the same moment. Exactly three bookings exist
afterwards, each holding a different partner; the five others got 409 ``SLOT_UNAVAILABLE`` and left no booking,
no promo use and no payment order behind.
"""

from __future__ import annotations

from datetime import time

import pytest

from bookings.models import Booking, PromoCodeUsage
from partners.models import AssignmentStatus, PartnerAssignment
from payments.models import Payment
from tests.accounts.test_concurrency import run_together
from tests.bookings.factories import make_promo
from tests.conftest import client_for
from tests.partners import helpers as h
from tests.partners.test_concurrency import overlapping_live_jobs
from tests.partners.test_confirm_holds import customer_with_address, prepare_with

pytestmark = pytest.mark.django_db(transaction=True)

K, N = 3, 8


def test_n_customers_confirming_the_last_k_slots_at_once_make_exactly_k_bookings():
    partners = [h.partner(at=h.NEAR, start=time(10), end=time(11)) for _ in range(K)]
    make_promo(code="RUSH10")
    people = [customer_with_address() for _ in range(N)]
    previews = [prepare_with(user, address, promo="RUSH10") for user, address in people]
    assert all(p["available_time_slots"] == ["10:00 AM"] for p in previews)

    def confirm(i):
        user, address = people[i]
        body = {
            "preview_id": previews[i]["preview_id"],
            "payment_method": "online",
            "address_id": str(address.pk),
            "booking_date": previews[i]["booking_date"],
            "booking_time": "10:00 AM",
            "cancellation_policy_accepted": True,
        }
        response = client_for(user).post(
            "/api/v1/checkout/confirm", body, format="json", HTTP_X_IDEMPOTENCY_KEY=f"k{i}"
        )
        error = response.json().get("error") or {}
        return response.status_code, error.get("code"), (error.get("details") or {}).get("reason")

    answers = run_together(N, confirm)

    assert None not in answers  # every thread answered
    assert sorted(status for status, _, _ in answers) == [201] * K + [409] * (N - K)
    assert {(code, reason) for status, code, reason in answers if status == 409} <= {
        ("SLOT_UNAVAILABLE", "no_partner_free"),
        ("SLOT_UNAVAILABLE", "not_offered"),
    }
    assert Booking.objects.count() == K
    assert PromoCodeUsage.objects.count() == K
    assert Payment.objects.count() == K
    assert set(Payment.objects.values_list("payable_id", flat=True)) == {
        str(pk) for pk in Booking.objects.values_list("pk", flat=True)
    }
    held = PartnerAssignment.objects.filter(status=AssignmentStatus.HELD)
    assert sorted(held.values_list("partner_id", flat=True)) == sorted(p.pk for p in partners)  # one each
    assert set(held.values_list("booking_id", flat=True)) == set(Booking.objects.values_list("pk", flat=True))
    assert overlapping_live_jobs() == []
