"""Outbound webhooks: seed 000's internal events, signed, retried, logged; endpoints managed by a super admin."""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import uuid
from datetime import timedelta

import pytest
import responses
from django.db import connection, transaction
from django.utils import timezone

from accounts.roles import Role
from accounts.services.addresses import address_create
from bookings.services.lifecycle import booking_cancel
from catalog.demo import seed
from catalog.models import Service
from core.models import AuditLog
from notifications import webhooks
from notifications.models import Delivery, WebhookEndpoint
from partners.services.dispatch import dispatch_booking, offer_accept
from tests.accounts.helpers import assert_error
from tests.adminpanel.helpers import staff
from tests.conftest import client_for, make_user
from tests.partners import helpers

pytestmark = pytest.mark.django_db

URL = "https://hooks.example.com/in"
API = "/api/v1/admin/webhooks"


def _endpoint(events=(), url=URL) -> tuple[WebhookEndpoint, str]:
    return webhooks.endpoint_create(url=url, events=list(events))


def _sent(event: str) -> list[dict]:
    rows = Delivery.objects.filter(channel="webhook", event_type=event).order_by("created_at")
    return [json.loads(row.body) for row in rows]


# --- the events -----------------------------------------------------------------------------------


def test_the_booking_flow_emits_seed_000s_events(customer, django_capture_on_commit_callbacks):
    _endpoint()
    only_created, _ = _endpoint(events=["booking.created"], url="https://crm.example.com/hook")
    partner = helpers.partner()
    booking = helpers.booking(customer)

    dispatch_booking(booking.pk)
    offer_accept(partner=partner, booking_id=booking.pk)
    booking_cancel(user=customer, booking_id=booking.pk, reason="changed my mind")

    events = list(Delivery.objects.filter(channel="webhook").order_by("created_at").values_list("subject", flat=True))
    assert events == ["partner.assigned", "partner.accepted", "booking.confirmed", "booking.cancelled"]
    [accepted] = _sent("partner.accepted")
    assert accepted["data"]["booking_id"] == str(booking.pk)
    assert accepted["data"]["partner"]["id"] == str(partner.pk)
    assert accepted["data"]["status"] == "confirmed"
    assert not Delivery.objects.filter(endpoint=only_created).exists()


def test_completing_a_booking_emits_booking_completed(customer):
    from bookings.models import Booking
    from bookings.services.lifecycle import booking_transition

    _endpoint(events=["booking.completed"])
    booking = helpers.booking(customer)
    Booking.objects.filter(pk=booking.pk).update(status="in_progress")

    with transaction.atomic():
        booking_transition(Booking.objects.select_for_update().get(pk=booking.pk), "completed", action="completed")

    [completed] = _sent("booking.completed")
    assert (completed["data"]["booking_id"], completed["data"]["status"]) == (str(booking.pk), "completed")


def test_a_checkout_emits_booking_created_to_the_endpoints_that_want_it(customer, settings, monkeypatch):
    settings.SLOTS_REQUIRE_PARTNER = False  # any slot in business hours: no partner needed to book
    numbered, read_after_number = [], []  # the endpoints are read before the day's number locks the day

    def numbering(execute, sql, params, many, context):
        numbered.append("core_sequence" in sql)
        return execute(sql, params, many, context)

    endpoints = webhooks._endpoints
    monkeypatch.setattr(webhooks, "_endpoints", lambda: read_after_number.append(any(numbered)) or endpoints())
    wants, _ = _endpoint(events=["booking.created"])
    other, _ = _endpoint(events=["booking.completed"], url="https://other.example.com/hook")
    seed(io.StringIO())
    address = address_create(
        user=customer,
        data={"name": "Home", "address_line1": "12 Park Street", "city": "Kolkata", "state": "West Bengal",
              "pincode": "700016", "lat": 22.55, "lng": 88.35},
    )  # fmt: skip
    client = client_for(customer)
    day = (timezone.localdate() + timedelta(days=1)).isoformat()
    service = Service.objects.get(name="Facial - Minimal")
    preview = client.post(
        "/api/v1/checkout/prepare", {"service_ids": [str(service.pk)], "booking_date": day}, format="json"
    ).json()["data"]
    with connection.execute_wrapper(numbering):
        response = client.post(
            "/api/v1/checkout/confirm",
            {
                "preview_id": preview["preview_id"],
                "payment_method": "cash",
                "address_id": str(address.pk),
                "booking_date": day,
                "booking_time": preview["available_time_slots"][2],
                "cancellation_policy_accepted": True,
            },
            format="json",
            HTTP_X_IDEMPOTENCY_KEY=str(uuid.uuid4()),
        )
    assert response.status_code in (200, 201), response.content

    assert read_after_number == [False]
    [created] = Delivery.objects.filter(channel="webhook")
    body = json.loads(created.body)
    assert (created.endpoint, created.destination, body["event"]) == (wants, URL, "booking.created")
    assert body["data"]["booking_number"] == response.json()["data"]["booking"]["booking_number"]
    assert body["data"]["payment_method"] == "cash"
    assert body["data"]["customer_id"] == str(customer.pk)
    assert not Delivery.objects.filter(endpoint=other).exists()


@responses.activate
def test_nothing_is_queued_for_a_rolled_back_change_or_a_switched_off_endpoint(
    celery_eager, django_capture_on_commit_callbacks
):
    # tasks run inline and the receiver answers: a send made before the commit would show as a POST
    received = responses.post(URL, status=200, body="ok")
    endpoint, _ = _endpoint()

    def rolled_back() -> None:
        with transaction.atomic():
            webhooks.emit("booking.created", {"booking_id": "x"})
            raise RuntimeError

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        rolled_back()
    assert callbacks == []  # nothing left for after a commit that never came
    assert received.call_count == 0
    assert not Delivery.objects.exists()

    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(is_active=False)
    webhooks.endpoints_changed()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert webhooks.emit("booking.created", {"booking_id": "y"}) == []
    assert received.call_count == 0
    assert not Delivery.objects.exists()

    # the same emit, committed, to a live endpoint: queued after the commit, and received
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(is_active=True)
    webhooks.endpoints_changed()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        [delivery] = webhooks.emit("booking.created", {"booking_id": "z"})
        assert received.call_count == 0  # not before the commit
    assert len(callbacks) >= 1
    assert received.call_count == 1
    delivery.refresh_from_db()
    assert delivery.status == "sent"


# --- delivery over HTTP ---------------------------------------------------------------------------


@responses.activate
def test_a_webhook_is_signed_and_retried_until_the_receiver_takes_it(
    settings, celery_eager, django_capture_on_commit_callbacks
):
    settings.NOTIFICATION_MAX_ATTEMPTS = 3
    endpoint, secret = _endpoint()
    responses.post(URL, status=503, body="deploying")
    responses.post(URL, status=200, body="ok")

    with django_capture_on_commit_callbacks(execute=True):
        [delivery] = webhooks.emit("booking.completed", {"booking_id": "b-1"})

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.provider_message_id) == ("sent", 2, "http-200")
    first, second = (call.request for call in responses.calls)
    assert first.headers["X-Webhook-Id"] == second.headers["X-Webhook-Id"] == str(delivery.pk)
    assert second.headers["X-Webhook-Event"] == "booking.completed"
    timestamp, body = second.headers["X-Webhook-Timestamp"], second.body.decode()
    expected = hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256).hexdigest()
    assert second.headers["X-Webhook-Signature"] == f"sha256={expected}"
    assert json.loads(body)["data"] == {"booking_id": "b-1"}
    assert endpoint.secret == secret
    assert secret not in endpoint.secret_encrypted


@responses.activate
def test_a_receiver_that_is_gone_switches_its_endpoint_off_and_a_4xx_is_not_retried(
    celery_eager, django_capture_on_commit_callbacks
):
    gone, _ = _endpoint()
    refusing, _ = _endpoint(url="https://refusing.example.com/hook")
    responses.post(URL, status=410)
    responses.post("https://refusing.example.com/hook", status=400, body="bad signature")

    with django_capture_on_commit_callbacks(execute=True):
        webhooks.emit("booking.created", {"booking_id": "b-2"})

    gone.refresh_from_db()
    assert gone.is_active is False
    by_endpoint = {d.endpoint_id: d for d in Delivery.objects.filter(channel="webhook")}
    assert (by_endpoint[gone.pk].status, by_endpoint[gone.pk].attempts) == ("failed", 1)
    assert (by_endpoint[refusing.pk].status, by_endpoint[refusing.pk].attempts) == ("failed", 1)
    assert "bad signature" in by_endpoint[refusing.pk].error
    assert webhooks.emit("booking.created", {"booking_id": "b-3"})[0].endpoint_id == refusing.pk


# --- the admin API --------------------------------------------------------------------------------


def test_a_super_admin_registers_changes_rotates_and_removes_an_endpoint():
    _, client = staff(Role.SUPER_ADMIN)

    created = client.post(API, {"url": URL, "events": ["booking.created", "booking.cancelled"]}, format="json")
    assert created.status_code == 201, created.content
    data = created.json()["data"]
    assert data["secret"].startswith("whsec_")
    endpoint = WebhookEndpoint.objects.get(pk=data["id"])
    assert endpoint.secret == data["secret"]

    listed = client.get(API).json()["data"]
    assert [row["id"] for row in listed["endpoints"]] == [data["id"]]
    assert "secret" not in listed["endpoints"][0]
    assert "partner.accepted" in listed["events"]

    changed = client.patch(f"{API}/{data['id']}", {"events": ["booking.completed"], "is_active": False}, format="json")
    assert changed.status_code == 200, changed.content
    assert (changed.json()["data"]["events"], changed.json()["data"]["is_active"]) == (["booking.completed"], False)

    rotated = client.post(f"{API}/{data['id']}/rotate-secret").json()["data"]["secret"]
    endpoint.refresh_from_db()
    assert rotated != data["secret"]
    assert endpoint.secret == rotated

    assert client.delete(f"{API}/{data['id']}").status_code == 200
    assert not WebhookEndpoint.objects.exists()
    actions = set(AuditLog.objects.filter(resource_type="webhookendpoint").values_list("action", flat=True))
    assert actions == {
        "create_webhook_endpoint",
        "update_webhook_endpoint",
        "rotate_webhook_secret",
        "delete_webhook_endpoint",
    }
    assert not AuditLog.objects.filter(changes__icontains=data["secret"]).exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"url": URL, "events": ["booking.exploded"]}, "events"),
        ({"url": URL, "events": "booking.created"}, "events"),
        ({"url": "http://hooks.example.com/in"}, "url"),
        ({"url": "not a url"}, "url"),
        ({}, "url"),
    ],
)
def test_bad_endpoints_are_refused_naming_the_field(body, field):
    _, client = staff(Role.SUPER_ADMIN)

    response = client.post(API, body, format="json")

    assert response.status_code in (400, 422), response.content
    assert response.json()["error"]["details"]["field"] == field
    assert not WebhookEndpoint.objects.exists()


def test_only_a_super_admin_manages_endpoints():
    _, admin_client = staff(Role.ADMIN)
    customer_client = client_for(make_user(Role.CUSTOMER))
    endpoint, _ = _endpoint()

    assert_error(admin_client.post(API, {"url": URL}, format="json"), 403, "FORBIDDEN")
    assert_error(admin_client.get(API), 403, "FORBIDDEN")
    assert_error(customer_client.post(f"{API}/{endpoint.pk}/rotate-secret"), 403, "FORBIDDEN")
    _, root = staff(Role.SUPER_ADMIN)
    assert_error(root.get(f"{API}/{uuid.uuid4()}"), 404, "NOT_FOUND")


def test_the_django_admin_registers_an_endpoint_and_shows_its_secret_once():
    from django.test import Client

    root, _ = staff(Role.SUPER_ADMIN)
    browser = Client()
    browser.force_login(root)
    add = "/admin/notifications/webhookendpoint/add/"

    refused = browser.post(add, {"url": URL, "events": '["booking.exploded"]', "is_active": "on"})
    assert refused.status_code == 200
    assert "Unknown events: booking.exploded" in refused.content.decode()
    assert not WebhookEndpoint.objects.exists()

    saved = browser.post(add, {"url": URL, "events": '["booking.created"]', "is_active": "on"}, follow=True)
    endpoint = WebhookEndpoint.objects.get()
    shown = [str(m) for m in saved.context["messages"] if "Signing secret" in str(m)]
    assert len(shown) == 1
    assert endpoint.secret.startswith("whsec_")
    assert endpoint.secret in shown[0]
    assert (endpoint.events, endpoint.created_by) == (["booking.created"], root)
