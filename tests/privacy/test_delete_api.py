"""DELETE /users/me: refused while a booking, a dispute or a society order is open (naming each); otherwise the
account is anonymised in place: contacts and free text go, bookings, payments and the ledger stay balanced, the
old tokens stop working, and the deletion is audited."""

from __future__ import annotations

from decimal import Decimal

import pytest

from accounts.models import Address, OtpVerification, User
from accounts.roles import Role
from accounts.services.tokens import tokens_issue
from bookings.models import Booking, BookingStatus
from bookings.models.disputes import DisputeMessage
from bookings.models.reviews import Review
from core.models import AuditLog
from notifications.models import Delivery, DeviceToken, Notification
from orders.models import Order
from payments.models import LedgerEntry, Payment
from payments.services.ledger import ledger_trial_balance
from tests.accounts.helpers import assert_error
from tests.accounts.test_concurrency import run_together
from tests.adminpanel.helpers import paid_booking
from tests.conftest import client_for, make_user
from tests.privacy.helpers import EMAIL, NAME, NOTE, PHONE, history

pytestmark = pytest.mark.django_db(transaction=True)
URL = "/api/v1/users/me"
CONFIRM = {"confirm": "DELETE"}


def test_an_open_booking_refuses_the_deletion_and_names_it():
    story = history()
    open_one = paid_booking(story.user, status=BookingStatus.CONFIRMED)

    response = client_for(story.user).delete(URL, CONFIRM, format="json")

    error = assert_error(response, 409, "CONFLICT", "account")
    assert open_one.booking_number in error["message"]
    assert error["details"]["context"]["open_items"] == [f"booking {open_one.booking_number} (confirmed)"]
    assert User.objects.get(pk=story.user.pk).email == EMAIL
    assert Booking.objects.get(pk=story.booking.pk).customer_notes == NOTE


def test_an_open_society_order_refuses_the_deletion_and_names_it():
    story = history()
    Order.objects.filter(pk=story.order.pk).update(status="PICKUP_SCHEDULED")

    response = client_for(story.user).delete(URL, CONFIRM, format="json")

    assert_error(response, 409, "CONFLICT", "account")
    assert story.order.order_number in response.json()["error"]["message"]


def test_a_partner_account_is_closed_by_the_operations_team_not_here():
    partner = make_user(Role.PARTNER)

    response = client_for(partner).delete(URL, CONFIRM, format="json")

    assert_error(response, 409, "CONFLICT", "account")
    assert User.objects.get(pk=partner.pk).is_active


def test_the_deletion_needs_the_confirmation_word():
    story = history()

    response = client_for(story.user).delete(URL, {"confirm": "yes"}, format="json")

    assert_error(response, 422, "VALIDATION_ERROR", "confirm")
    assert User.objects.get(pk=story.user.pk).is_active


def test_the_deletion_without_a_body_names_the_confirmation():
    story = history()

    response = client_for(story.user).delete(URL, {}, format="json")

    assert_error(response, 400, "INVALID_REQUEST", "confirm")


def test_two_deletions_at_once_anonymise_and_audit_once():
    story = history()
    clients = [client_for(story.user) for _ in range(2)]

    results = run_together(2, lambda i: clients[i].delete(URL, CONFIRM, format="json").status_code)

    assert sorted(results) in ([200, 403], [200, 409]), results
    assert AuditLog.objects.filter(action="delete_account", resource_id=str(story.user.pk)).count() == 1


def test_an_account_with_a_password_needs_it():
    story = history()
    story.user.set_password("s3cret-Pass!")
    story.user.save(update_fields=["password"])

    wrong = client_for(story.user).delete(URL, {**CONFIRM, "password": "nope"}, format="json")
    assert_error(wrong, 422, "VALIDATION_ERROR", "password")

    right = client_for(story.user).delete(URL, {**CONFIRM, "password": "s3cret-Pass!"}, format="json")
    assert right.status_code == 200, right.content


def test_the_deletion_anonymises_in_place_and_keeps_the_books():
    story = history()
    DeviceToken.objects.create(user=story.user, token="fcm-token-of-asha")
    client = client_for(story.user)
    refresh = tokens_issue(user=story.user)["refresh_token"]
    entries, payments = (
        LedgerEntry.objects.count(),
        list(Payment.objects.filter(user=story.user).values("amount", "status")),
    )
    assert entries > 0

    response = client.delete(URL, CONFIRM, format="json")

    assert response.status_code == 200, response.content
    person = User.objects.get(pk=story.user.pk)
    assert (person.email, person.phone, person.username, person.is_active) == (None, None, None, False)
    assert not person.residences.filter(is_active=True).exists()
    assert person.full_name != NAME
    assert not person.has_usable_password()
    booking = Booking.objects.get(pk=story.booking.pk)
    assert (booking.customer_notes, booking.contact_phone, booking.contact_email, booking.contact_name) == ("",) * 4
    assert booking.status == BookingStatus.COMPLETED
    assert booking.grand_total == story.booking.grand_total
    assert set(booking.address_snapshot) <= {"city", "state", "pincode"}
    address = Address.objects.get(user=person)
    assert (address.address_line1, address.lat, address.lng) == ("", None, None)
    assert Review.objects.get(booking=booking).comment == ""
    assert DisputeMessage.objects.get(sender=person).content == ""
    assert not Notification.objects.filter(user=person).exclude(message="").exists()
    assert not Delivery.objects.filter(user=person).exclude(body="").exists()
    assert not Delivery.objects.filter(destination__in=[EMAIL, PHONE]).exists()
    assert not DeviceToken.objects.filter(user=person).exists()
    assert not OtpVerification.objects.filter(destination=PHONE).exists()
    # the money stays, balanced
    assert LedgerEntry.objects.count() == entries
    assert list(Payment.objects.filter(user=person).values("amount", "status")) == payments
    assert Order.objects.get(pk=story.order.pk).final_price == story.order.final_price
    assert ledger_trial_balance() == Decimal("0.00")
    # audited, the actor anonymised
    entry = AuditLog.objects.get(action="delete_account", resource_id=str(person.pk))
    assert entry.actor_id == person.pk
    assert entry.actor_email == ""
    assert NAME not in entry.actor_name
    # the old tokens no longer work: the access token meets the closed account, the refresh token is blacklisted
    assert_error(client.get("/api/v1/users/profile"), 403, "ACCOUNT_BLOCKED")
    assert client.post("/api/v1/auth/refresh", {"refresh_token": refresh}, format="json").status_code == 401


def test_the_export_of_a_deleted_account_holds_no_contacts():
    story = history()
    assert client_for(story.user).delete(URL, CONFIRM, format="json").status_code == 200
    person = User.objects.get(pk=story.user.pk)
    person.is_active = True  # what the export of the anonymised rows would show (the account itself is closed)
    person.save(update_fields=["is_active"])

    body = client_for(person).get("/api/v1/users/me/data").content.decode()

    for secret in (EMAIL, PHONE, NAME, NOTE, "12 Lake Road", "98123 45678", "Lovely work"):
        assert secret not in body
