"""Seed 004 "Monitoring & Logging": sign-ins and failed payments are business events, one JSON line each, with
ids and never a phone number or an email."""

from __future__ import annotations

import logging
import uuid

import pytest
from django.test import TestCase
from rest_framework.test import APIClient

from partners.services.appointments import AppointmentRequest, appointment_create
from tests.accounts.helpers import last_sms_code
from tests.appointments import builders
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
PHONE = "+919812300011"


def events(caplog, message):
    return [r for r in caplog.records if r.name == "platform.events" and r.getMessage() == message]


def test_a_sign_in_is_logged_with_its_method_platform_and_address_and_no_contact(caplog):
    caplog.set_level(logging.INFO, logger="platform.events")
    client = APIClient()
    with TestCase.captureOnCommitCallbacks(execute=True):  # the code goes out when the request commits
        client.post("/api/v1/auth/send-otp", {"phone": PHONE}, format="json")
    response = client.post(
        "/api/v1/auth/verify-otp",
        {"phone": PHONE, "otp": last_sms_code(PHONE), "platform": "telegram_mini_app"},
        format="json",
        REMOTE_ADDR="203.0.113.7",
    )
    assert response.status_code == 200, response.content

    [record] = events(caplog, "User authenticated")
    user_id = response.json()["data"]["user"]["id"]
    assert (record.user_id, record.method, record.platform, record.ip) == (
        user_id,
        "verify-otp",
        "telegram_mini_app",
        "203.0.113.7",
    )
    assert record.new_user is True
    assert PHONE not in str(record.__dict__)


def test_a_declined_payment_is_logged_once_with_what_it_was_for(caplog):
    caplog.set_level(logging.INFO, logger="platform.events")
    expert = builders.specialist()
    customer = builders.patient()
    booking = appointment_create(
        customer=customer, request=AppointmentRequest(provider_id=expert.pk, start=builders.slot(expert, days=3))
    )
    client = client_for(customer)
    order = client.post(
        "/api/v1/payments/process-deposit",
        {"bookingId": str(booking.pk), "amount": "200.00"},
        format="json",
        HTTP_X_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    ).json()["data"]
    played = client.post(
        "/api/v1/payments/offline/checkout", {"order_id": order["order_id"], "outcome": "failure"}, format="json"
    ).json()["data"]
    with TestCase.captureOnCommitCallbacks(execute=True):
        declined = client.post(
            "/api/v1/payments/verify",
            {k: played[k] for k in ("razorpay_order_id", "razorpay_payment_id", "razorpay_signature")},
            format="json",
        )
    assert declined.status_code == 402, declined.content

    [record] = events(caplog, "Payment processing failed")
    assert (record.levelname, record.payable_id, record.kind, record.amount) == (
        "ERROR",
        str(booking.pk),
        "deposit",
        "200.00",
    )
    assert record.payment_id == str(order["payment_id"])
