"""Seed 002's sign-off (issue #20): POST /bookings/{id}/request_signature, GET /signatures,
POST /signatures/{id}/sign and /refuse, and the expiry scan (rules S1-S9 in bookings.services.signatures)."""

from __future__ import annotations

import io
from datetime import UTC, timedelta

import pytest
from django.utils import timezone
from PIL import Image

from accounts.roles import Role
from bookings.models import BookingEvent, BookingSignature, BookingStatus, Review, SignatureStatus
from bookings.services.signatures import signature_hash_of, signatures_expire_due
from notifications.models import Notification
from partners.models import AssignmentStatus, PartnerAssignment
from tests.accounts.helpers import assert_error
from tests.adminpanel.helpers import query_counts
from tests.conftest import client_for, make_user
from tests.factories import PartnerAssignmentFactory

pytestmark = pytest.mark.django_db


def job(completed: bool = True) -> PartnerAssignment:
    """A partner's accepted job; ``completed``: the job done and the booking completed."""
    assignment = PartnerAssignmentFactory(accepted=True)
    if completed:
        PartnerAssignment.objects.filter(pk=assignment.pk).update(status=AssignmentStatus.COMPLETED)
        assignment.booking.status = BookingStatus.COMPLETED
        assignment.booking.save(update_fields=["status"])
    return assignment


def ask(assignment: PartnerAssignment, who=None):
    client = client_for(who or assignment.partner.user)
    return client.post(f"/api/v1/bookings/{assignment.booking_id}/request_signature")


def requested(assignment: PartnerAssignment) -> str:
    response = ask(assignment)
    assert response.status_code == 201, response.content
    return response.json()["data"]["signature_id"]


def sign(assignment: PartnerAssignment, signature_id: str, who=None, **body):
    client = client_for(who or assignment.booking.user)
    body.setdefault("satisfaction_rating", 5)
    return client.post(f"/api/v1/signatures/{signature_id}/sign", body, format=body.pop("fmt", "json"))


def age(signature_id: str, hours: int) -> None:
    """Move the request's times ``hours`` into the past."""
    row = BookingSignature.objects.get(pk=signature_id)
    BookingSignature.objects.filter(pk=signature_id).update(
        requested_at=row.requested_at - timedelta(hours=hours), expires_at=row.expires_at - timedelta(hours=hours)
    )


@pytest.fixture
def sent(monkeypatch):
    """What reaches the channel layer (group, message), sends run on commit."""
    messages: list[tuple[str, dict]] = []
    monkeypatch.setattr("core.events.group_send_sync", lambda group, message: messages.append((group, message)))
    return messages


# --- request (S1, S2, S6) ---------------------------------------------------------------------------------


def test_the_partner_asks_after_the_job_and_the_customer_hears_live_and_in_the_inbox(
    sent, django_capture_on_commit_callbacks
):
    assignment = job()
    before = timezone.now()

    with django_capture_on_commit_callbacks(execute=True):
        response = ask(assignment)

    assert response.status_code == 201, response.content
    data = response.json()["data"]
    row = BookingSignature.objects.get(pk=data["signature_id"])
    assert row.status == SignatureStatus.PENDING
    assert row.requested_by == assignment.partner.user
    assert row.expires_at - row.requested_at == timedelta(hours=48)
    assert before <= row.requested_at <= timezone.now()
    service = assignment.booking.items.get().name
    assert data["message"] == f"Signature requested for {service}"
    [(group, message)] = [(g, m) for g, m in sent if m.get("event") == "signature_request"]
    customer = assignment.booking.user
    assert group == f"user.{customer.pk}"
    assert message["data"] == {
        "signature_id": str(row.pk),
        "booking_id": str(assignment.booking_id),
        "message": f"Signature requested for {service}",
        "timestamp": row.requested_at.isoformat(),
    }
    inbox = Notification.objects.get(user=customer, event_type="signature_request")
    assert service in inbox.message
    assert inbox.data["signature_id"] == str(row.pk)


def test_signature_hours_is_a_setting(settings):
    settings.SIGNATURE_HOURS = 2
    signature_id = requested(job())
    row = BookingSignature.objects.get(pk=signature_id)
    assert row.expires_at - row.requested_at == timedelta(hours=2)


def test_before_the_job_is_completed_the_request_is_refused():
    assignment = job(completed=False)
    assert_error(ask(assignment), 422, "INVALID_BOOKING_STATUS")
    assert not BookingSignature.objects.exists()


def test_one_pending_request_per_booking_and_none_once_signed():
    assignment = job()
    signature_id = requested(assignment)

    assert_error(ask(assignment), 409, "SIGNATURE_PENDING")
    assert sign(assignment, signature_id).status_code == 200
    assert_error(ask(assignment), 409, "ALREADY_SIGNED")


def test_a_due_pending_request_is_expired_and_a_new_one_stands():
    assignment = job()
    old = requested(assignment)
    age(old, 49)

    new = requested(assignment)

    assert new != old
    assert BookingSignature.objects.get(pk=old).status == SignatureStatus.EXPIRED


def test_staff_may_ask_the_customer_may_not_and_a_stranger_sees_nothing():
    assignment = job()
    assert_error(ask(assignment, assignment.booking.user), 403, "FORBIDDEN")
    assert_error(ask(assignment, make_user(Role.CUSTOMER)), 404, "BOOKING_NOT_FOUND")
    assert_error(ask(assignment, make_user(Role.PARTNER)), 404, "BOOKING_NOT_FOUND")
    assert ask(assignment, make_user(Role.OPS_MANAGER)).status_code == 201


# --- sign (S3, S4, S5, S7) ----------------------------------------------------------------------------------


def test_the_customer_signs_the_hash_is_reproducible_and_the_rating_is_the_review():
    assignment = job()
    signature_id = requested(assignment)

    response = sign(assignment, signature_id, satisfaction_rating=4, comments="Neat work")

    assert response.status_code == 200, response.content
    row = BookingSignature.objects.get(pk=signature_id)
    assert row.status == SignatureStatus.SIGNED
    assert row.signed_by == assignment.booking.user
    assert response.json()["data"]["signature_hash"] == row.signature_hash == signature_hash_of(row)
    assert len(row.signature_hash) == 64
    review = Review.objects.get(booking=assignment.booking)
    assert (review.rating, review.comment, review.customer) == (4, "Neat work", assignment.booking.user)
    assert BookingEvent.objects.filter(booking=assignment.booking, action="signed_off").exists()


def test_the_hash_follows_the_documented_formula():
    import hashlib

    assignment = job()
    signature_id = requested(assignment)
    sign(assignment, signature_id, satisfaction_rating=3)
    row = BookingSignature.objects.get(pk=signature_id)
    at = row.signed_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    text = f"{row.pk}|{row.booking_id}|{row.signed_by_id}|{at}|3"
    assert row.signature_hash == hashlib.sha256(text.encode()).hexdigest()


def test_a_review_already_written_is_kept():
    assignment = job()
    client_for(assignment.booking.user).post(
        "/api/v1/reviews", {"bookingId": str(assignment.booking_id), "rating": 2, "comment": "Late"}, format="json"
    )
    signature_id = requested(assignment)

    assert sign(assignment, signature_id, satisfaction_rating=5).status_code == 200

    review = Review.objects.get(booking=assignment.booking)
    assert (review.rating, review.comment) == (2, "Late")
    assert BookingSignature.objects.get(pk=signature_id).satisfaction_rating == 5


def test_signing_twice_is_a_conflict():
    assignment = job()
    signature_id = requested(assignment)
    assert sign(assignment, signature_id).status_code == 200
    first_hash = BookingSignature.objects.get(pk=signature_id).signature_hash

    assert_error(sign(assignment, signature_id, satisfaction_rating=1), 409, "ALREADY_SIGNED")
    assert BookingSignature.objects.get(pk=signature_id).signature_hash == first_hash


@pytest.mark.parametrize("role", [Role.CUSTOMER, Role.PARTNER, Role.OPS_MANAGER])
def test_only_the_bookings_customer_signs(role):
    assignment = job()
    signature_id = requested(assignment)
    assert_error(sign(assignment, signature_id, who=make_user(role)), 404, "SIGNATURE_NOT_FOUND")
    assert_error(sign(assignment, signature_id, who=assignment.partner.user), 404, "SIGNATURE_NOT_FOUND")
    assert BookingSignature.objects.get(pk=signature_id).status == SignatureStatus.PENDING


def test_after_the_deadline_signing_is_refused_and_the_request_expired():
    assignment = job()
    signature_id = requested(assignment)
    age(signature_id, 48)

    assert_error(sign(assignment, signature_id), 422, "SIGNATURE_EXPIRED")

    row = BookingSignature.objects.get(pk=signature_id)
    assert row.status == SignatureStatus.EXPIRED
    assert row.signature_hash == ""
    assert not Review.objects.exists()


@pytest.mark.parametrize("rating", [0, 6])
def test_the_rating_is_one_to_five(rating):
    assignment = job()
    signature_id = requested(assignment)
    assert_error(
        sign(assignment, signature_id, satisfaction_rating=rating), 422, "VALIDATION_ERROR", "satisfaction_rating"
    )
    assert BookingSignature.objects.get(pk=signature_id).status == SignatureStatus.PENDING


def test_a_drawn_signature_is_stored_re_encoded_and_a_non_image_refused():
    assignment = job()
    signature_id = requested(assignment)
    buffer = io.BytesIO()
    Image.new("RGB", (120, 40), "white").save(buffer, "PNG")
    buffer.seek(0)
    buffer.name = "sig.png"

    bad = io.BytesIO(b"not an image")
    bad.name = "sig.png"
    assert_error(
        sign(assignment, signature_id, signature_image=bad, fmt="multipart"), 422, "INVALID_FILE", "signature_image"
    )
    response = sign(assignment, signature_id, signature_image=buffer, satisfaction_rating="5", fmt="multipart")

    assert response.status_code == 200, response.content
    row = BookingSignature.objects.get(pk=signature_id)
    assert row.signature_image.name.startswith("signatures/")
    assert row.signature_image.name.endswith(".png")


# --- refuse (S9) --------------------------------------------------------------------------------------------


def test_the_customer_refuses_with_a_reason_on_the_timeline():
    assignment = job()
    signature_id = requested(assignment)
    url = f"/api/v1/signatures/{signature_id}/refuse"

    assert_error(
        client_for(make_user(Role.CUSTOMER)).post(url, {"reason": "x"}, format="json"), 404, "SIGNATURE_NOT_FOUND"
    )
    response = client_for(assignment.booking.user).post(url, {"reason": "The tap still leaks"}, format="json")

    assert response.status_code == 200, response.content
    assert BookingSignature.objects.get(pk=signature_id).status == SignatureStatus.REFUSED
    event = BookingEvent.objects.get(booking=assignment.booking, action="signature_refused")
    assert event.note == "The tap still leaks"
    assert event.actor == assignment.booking.user
    assert_error(sign(assignment, signature_id), 422, "INVALID_SIGNATURE_STATUS")


# --- the expiry scan (S8) -----------------------------------------------------------------------------------


def test_the_scan_expires_only_due_requests_tells_ops_once_and_is_idempotent():
    ops = make_user(Role.OPS_MANAGER)
    due, fresh = job(), job()
    due_id, fresh_id = requested(due), requested(fresh)
    age(due_id, 48)

    assert signatures_expire_due() == 1
    assert signatures_expire_due() == 0

    assert BookingSignature.objects.get(pk=due_id).status == SignatureStatus.EXPIRED
    assert BookingSignature.objects.get(pk=fresh_id).status == SignatureStatus.PENDING
    [notice] = Notification.objects.filter(user=ops, event_type="signatures_expired")
    assert due.booking.booking_number in notice.message
    assert not Notification.objects.filter(user=due.booking.user, event_type="signatures_expired").exists()


def test_the_scan_is_a_beat_task():
    from bookings.tasks import expire_signatures
    from config.settings.schedule import BEAT_SCHEDULE

    assert BEAT_SCHEDULE["bookings-expire-signatures"]["task"] == expire_signatures.name
    assert BEAT_SCHEDULE["bookings-expire-signatures"]["schedule"] == timedelta(minutes=5)


# --- GET /signatures ----------------------------------------------------------------------------------------


def test_each_person_lists_their_own_newest_first_in_a_fixed_number_of_queries():
    first, second = job(), job()
    first_id = requested(first)
    second_id = requested(second)
    sign(second, second_id, satisfaction_rating=4)

    mine = client_for(second.booking.user).get("/api/v1/signatures").json()["data"]
    assert mine["count"] == 1
    row = mine["results"][0]
    assert row["id"] == second_id
    assert row["booking"] == str(second.booking_id)
    assert row["booking_number"] == second.booking.booking_number
    assert (row["status"], row["satisfaction_rating"]) == ("signed", 4)
    assert row["signature_hash"] == BookingSignature.objects.get(pk=second_id).signature_hash
    assert [r["id"] for r in client_for(first.partner.user).get("/api/v1/signatures").json()["data"]["results"]] == [
        first_id
    ]
    staff = client_for(make_user(Role.SUPPORT))
    assert [r["id"] for r in staff.get("/api/v1/signatures").json()["data"]["results"]] == [second_id, first_id]
    assert client_for(make_user(Role.CUSTOMER)).get("/api/v1/signatures").json()["data"] == {"count": 0, "results": []}

    small = query_counts(staff, ["/api/v1/signatures"])
    for _ in range(3):
        requested(job())
    assert query_counts(staff, ["/api/v1/signatures"]) == small


# --- concurrency (PostgreSQL, real threads) -----------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_signing_while_the_scan_runs_gives_exactly_one_outcome():
    from django.db import connection

    from tests.accounts.test_concurrency import run_together

    assert connection.vendor == "postgresql"
    outcomes = []
    for _ in range(4):
        assignment = job()
        signature_id = requested(assignment)
        row = BookingSignature.objects.get(pk=signature_id)
        BookingSignature.objects.filter(pk=signature_id).update(expires_at=timezone.now() + timedelta(seconds=30))
        scan_at = timezone.now() + timedelta(seconds=31)  # the scan sees it due; the customer is still in time
        customer = client_for(assignment.booking.user)

        def race(index, customer=customer, signature_id=signature_id, scan_at=scan_at):
            if index == 0:
                return customer.post(
                    f"/api/v1/signatures/{signature_id}/sign", {"satisfaction_rating": 5}, format="json"
                )
            return signatures_expire_due(now=scan_at)

        response, expired = run_together(2, race)
        row.refresh_from_db()
        if row.status == SignatureStatus.SIGNED:
            assert (response.status_code, expired) == (200, 0)
            assert Review.objects.filter(booking=assignment.booking).count() == 1
        else:
            assert row.status == SignatureStatus.EXPIRED
            assert expired == 1
            assert_error(response, 422, "SIGNATURE_EXPIRED")
            assert row.signature_hash == ""
            assert not Review.objects.filter(booking=assignment.booking).exists()
        outcomes.append(row.status)
    assert set(outcomes) <= {SignatureStatus.SIGNED, SignatureStatus.EXPIRED}
