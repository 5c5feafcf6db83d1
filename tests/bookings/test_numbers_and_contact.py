"""Booking numbers under concurrency, and the public contact form."""

from datetime import date

import pytest

from bookings.models import Booking, ContactSubmission
from bookings.services.numbers import next_booking_number, number_booking, provisional_number
from core.models import Sequence
from tests.accounts.helpers import assert_error
from tests.accounts.test_concurrency import run_together
from tests.factories import BookingFactory

CONTACT = {
    "name": "John Doe",
    "email": "john@example.com",
    "phone": "+911234567890",
    "subject": "Service Inquiry",
    "message": "I would like to know about...",
}


@pytest.mark.django_db
def test_booking_numbers_follow_the_seed_format():
    day = date(2024, 1, 20)

    assert [next_booking_number(day=day) for _ in range(2)] == ["BK-20240120-000001", "BK-20240120-000002"]
    assert next_booking_number(day=date(2024, 1, 21)) == "BK-20240121-000001"


@pytest.mark.django_db(transaction=True)
def test_booking_numbers_are_unique_under_concurrency():
    numbers = run_together(20, lambda _: next_booking_number(day=date(2024, 1, 20)))

    assert len(set(numbers)) == 20
    assert sorted(numbers)[-1] == "BK-20240120-000020"


@pytest.mark.django_db
def test_a_booking_written_under_a_provisional_number_gets_the_days_next_one_in_one_statement(
    django_assert_num_queries,
):
    booking = BookingFactory()
    day = booking.booking_date
    Booking.objects.filter(pk=booking.pk).update(booking_number=provisional_number(booking.pk))
    Sequence.objects.update_or_create(name=f"booking:{day:%Y%m%d}", defaults={"last": 41})

    with django_assert_num_queries(1):
        number_booking(booking)

    assert booking.booking_number == f"BK-{day:%Y%m%d}-000042"
    assert Booking.objects.get(pk=booking.pk).booking_number == booking.booking_number
    Sequence.objects.filter(name=f"booking:{day:%Y%m%d}").update(last=999_999)
    number_booking(booking)
    assert booking.booking_number == f"BK-{day:%Y%m%d}-1000000"  # wider, never cut (as Python's :06d)
    assert Booking.objects.get(pk=booking.pk).booking_number == booking.booking_number


@pytest.mark.django_db
def test_contact_form_is_public_and_stored(api_client):
    response = api_client.post("/api/v1/contact", {**CONTACT, "phone": "9876543210"}, format="json")

    assert response.status_code == 201
    assert response.json()["message"] == "Thank you for contacting us. We'll get back to you soon."
    stored = ContactSubmission.objects.get()
    assert stored.phone == "+919876543210"
    assert stored.status == "new"


@pytest.mark.django_db
def test_contact_form_is_rate_limited(api_client, settings):
    settings.CONTACT_MAX_PER_HOUR = 2
    for _ in range(2):
        api_client.post("/api/v1/contact", CONTACT, format="json")

    assert_error(api_client.post("/api/v1/contact", CONTACT, format="json"), 429, "RATE_LIMIT_EXCEEDED")
    assert ContactSubmission.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "status", "code"),
    [
        ("email", "nope", 422, "VALIDATION_ERROR"),
        ("message", "", 400, "INVALID_REQUEST"),  # a blank required field is a missing one (core.exceptions)
        ("phone", "123", 422, "INVALID_PHONE_NUMBER"),
    ],
)
def test_contact_form_bad_input(api_client, field, value, status, code):
    response = api_client.post("/api/v1/contact", {**CONTACT, field: value}, format="json")

    assert_error(response, status, code, field)
    assert not ContactSubmission.objects.exists()
