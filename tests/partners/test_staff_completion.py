"""Staff completing a job (``PATCH /admin/bookings/{id}/status`` ``completed``) does what the partner's completion
does, and nobody completes an online booking that is not paid."""

from __future__ import annotations

import pytest

from accounts.roles import Role
from bookings.models import Booking, BookingEvent
from core.models import AuditLog
from partners.models import Partner, PartnerEarning
from partners.services.dispatch import dispatch_booking, offer_accept
from partners.services.jobs import job_advance
from partners.services.manual import assign_manually
from payments.models import Payment
from tests.adminpanel.helpers import paid_booking, staff
from tests.conftest import client_for
from tests.partners import helpers as h

pytestmark = pytest.mark.django_db


def _on_site(booking, partner, *, arrived: bool = True, forced_by=None):
    if forced_by:  # staff put the partner on it by hand (accepted at once), e.g. before an online payment
        assign_manually(booking_id=booking.pk, partner_id=partner.pk, by=forced_by, force=True)
    else:
        dispatch_booking(booking.pk)
        offer_accept(partner=partner, booking_id=booking.pk)
    job_advance(partner=partner, booking_id=booking.pk, status="in_transit")
    if arrived:
        job_advance(partner=partner, booking_id=booking.pk, status="arrived")


def _complete(client, booking, notes="partner's phone died"):
    return client.patch(
        f"/api/v1/admin/bookings/{booking.pk}/status", {"status": "completed", "notes": notes}, format="json"
    )


@pytest.mark.parametrize("arrived", [True, False])
def test_staff_completing_a_cash_job_records_the_cash_the_earning_and_the_counters(
    customer, arrived, django_capture_on_commit_callbacks
):
    ops, client = staff(Role.OPS_MANAGER)
    partner = h.partner()
    booking = h.booking(customer)  # cash, unpaid
    _on_site(booking, partner, arrived=arrived)

    with django_capture_on_commit_callbacks(execute=True):  # the cash payment reaches the booking after commit
        response = _complete(client, booking)

    assert response.status_code == 200, response.content
    booking.refresh_from_db()
    assert (booking.status, booking.payment_status) == ("completed", "paid")
    earning = PartnerEarning.objects.get(booking=booking)
    assert (earning.partner, earning.cash_collected) == (partner, booking.grand_total)
    assert Payment.objects.get(payable_id=str(booking.pk)).status == "success"
    partner.refresh_from_db()
    assert (partner.completed_bookings, partner.total_earnings) == (1, earning.partner_earning)
    event = BookingEvent.objects.get(booking=booking, action="completed_by_staff")
    assert (event.new_status, event.actor, event.note) == ("completed", ops, "partner's phone died")
    assert AuditLog.objects.get(action="update_booking_status").changes["status"] == {
        "old": "in_progress",
        "new": "completed",
    }


def test_staff_cannot_complete_an_in_progress_booking_nobody_is_working():
    _, client = staff(Role.ADMIN)
    booking = paid_booking(status="in_progress")

    response = _complete(client, booking)

    assert response.status_code == 422, response.content
    assert response.json()["error"]["code"] == "INVALID_BOOKING_STATUS"
    assert response.json()["error"]["details"]["reason"] == "no_partner"
    assert Booking.objects.get(pk=booking.pk).status == "in_progress"
    assert not PartnerEarning.objects.exists()
    assert not AuditLog.objects.exists()


def test_an_unpaid_online_job_is_completed_by_neither_the_partner_nor_staff(customer):
    admin, client = staff(Role.ADMIN)
    partner = h.partner()
    booking = h.booking(customer, method="online")  # not paid
    _on_site(booking, partner, forced_by=admin)

    by_partner = client_for(partner.user).post(f"/api/v1/partner/bookings/{booking.pk}/complete", {}, format="json")
    by_staff = _complete(client, booking)

    for response in (by_partner, by_staff):
        assert response.status_code == 422, response.content
        assert response.json()["error"]["code"] == "BOOKING_UNPAID"
    assert Booking.objects.get(pk=booking.pk).status == "in_progress"
    assert not PartnerEarning.objects.exists()
    assert Partner.objects.get(pk=partner.pk).completed_bookings == 0
