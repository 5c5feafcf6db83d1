"""Seed 003's appointment payments: create-order and create-link take ``appointmentId``; ``GET /payments/
{appointmentId}`` is ``GET /bookings/{id}/payment`` (seed 000 owns ``/payments/{payment_id}``)."""

from __future__ import annotations

import uuid

import pytest
from django.test import TestCase

from bookings.models import BookingStatus
from partners.services.appointments import AppointmentRequest, appointment_create
from tests.accounts.helpers import assert_error
from tests.appointments import builders
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def held():
    doctor = builders.clinician()
    patient = builders.patient()
    booking = appointment_create(
        customer=patient, request=AppointmentRequest(provider_id=doctor.pk, start=builders.slot(doctor))
    )
    return patient, booking


def test_create_order_takes_the_appointment_id_and_the_payment_confirms_it():
    patient, booking = held()
    client = client_for(patient)

    order = client.post(
        "/api/v1/payments/create-order",
        {"appointmentId": str(booking.pk), "amount": "800.00"},
        format="json",
        HTTP_X_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    )
    assert order.status_code == 201, order.content
    played = client.post(
        "/api/v1/payments/offline/checkout", {"order_id": order.json()["data"]["order_id"]}, format="json"
    ).json()["data"]
    with TestCase.captureOnCommitCallbacks(execute=True):
        verified = client.post(
            "/api/v1/payments/verify",
            {k: played[k] for k in ("razorpay_order_id", "razorpay_payment_id", "razorpay_signature")},
            format="json",
        )
    assert verified.status_code == 200, verified.content
    booking.refresh_from_db()
    assert (booking.status, booking.payment_status) == (BookingStatus.CONFIRMED, "paid")

    payments = client.get(f"/api/v1/bookings/{booking.pk}/payment")
    assert payments.status_code == 200, payments.content
    [row] = payments.json()["data"]
    assert (row["status"], row["amount"], row["refunds"]) == ("success", 800.0, [])


def test_a_fee_other_than_the_clinicians_is_refused():
    patient, booking = held()
    response = client_for(patient).post(
        "/api/v1/payments/create-order",
        {"appointmentId": str(booking.pk), "amount": "500.00"},
        format="json",
        HTTP_X_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    )
    assert_error(response, 422, "INVALID_PAYMENT_AMOUNT", field="amount")


def test_another_patients_appointment_payments_are_not_found():
    _, booking = held()
    response = client_for(builders.patient()).get(f"/api/v1/bookings/{booking.pk}/payment")
    assert_error(response, 404, "BOOKING_NOT_FOUND")
