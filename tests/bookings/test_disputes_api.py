"""Seed 002's disputes (issue #20, rules D1-D6 in bookings.services.disputes): opening one, the conversation,
staff's steps and the resolution with a refund shared with the partner's earning."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from PIL import Image

from accounts.roles import Role
from bookings.models import BookingEvent, Dispute, DisputeMessage, DisputeStatus
from bookings.services.dispute_resolution import disputes_close_resolved
from core.models import AuditLog
from notifications.models import Notification
from partners.models import EarningStatus, PartnerEarning
from payments.models import Refund
from payments.services.ledger import ledger_trial_balance
from tests.accounts.helpers import assert_error
from tests.adminpanel.helpers import query_counts
from tests.conftest import client_for, make_user
from tests.factories import PaymentFactory
from tests.partners import helpers as h
from tests.partners.test_payouts_api import earn

pytestmark = pytest.mark.django_db

DISPUTES = "/api/v1/disputes"


@pytest.fixture
def earning() -> PartnerEarning:
    """A completed, paid online job: 1,180 paid (1,000 + 180 GST; captured on the cash gateway, so a refund is paid
    at once), the partner's 700 earned."""
    return paid_job(8)


def paid_job(hour: int) -> PartnerEarning:
    done = earn(h.partner(), hour, online=True)
    PaymentFactory(booking=done.booking, captured=True, cash=True)
    return done


def open_dispute(earning: PartnerEarning, **body):
    body = {
        "booking_id": str(earning.booking_id),
        "dispute_type": "quality_issue",
        "title": "Stains left on the sofa",
        "description": "The cleaning left two stains.",
        **body,
    }
    return client_for(earning.booking.user).post(f"{DISPUTES}/create_dispute", body, format="json")


def opened(earning: PartnerEarning) -> str:
    response = open_dispute(earning)
    assert response.status_code == 201, response.content
    return response.json()["data"]["id"]


def resolve(dispute_id: str, who=None, **body):
    client = client_for(who or make_user(Role.OPS_MANAGER))
    body.setdefault("resolution_notes", "Agreed with both sides.")
    return client.post(f"{DISPUTES}/{dispute_id}/resolve", body, format="json")


def png(size=(40, 30)) -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, "PNG")
    buffer.seek(0)
    buffer.name = "stain.png"
    return buffer


# --- opening (D1, D2, D4, D6) ------------------------------------------------------------------------------


def test_the_customer_opens_a_dispute_and_the_earning_is_held(earning, django_capture_on_commit_callbacks):
    ops = make_user(Role.OPS_MANAGER)

    with django_capture_on_commit_callbacks(execute=True):
        response = open_dispute(earning, evidence={"photos": 2})

    assert response.status_code == 201, response.content
    data = response.json()["data"]
    assert data["status"] == "open"
    assert data["dispute_type"] == "quality_issue"
    assert data["booking"] == str(earning.booking_id)
    dispute = Dispute.objects.get(pk=data["id"])
    assert dispute.vendor_id == earning.partner_id
    assert dispute.evidence == {"photos": 2}
    earning.refresh_from_db()
    assert (earning.status, earning.hold_reason) == (EarningStatus.ON_HOLD, "dispute")
    told = set(Notification.objects.filter(event_type="dispute_update").values_list("user_id", flat=True))
    assert told == {earning.booking.user_id, earning.partner.user_id}
    assert Notification.objects.filter(event_type="dispute_opened", user=ops).exists()
    assert BookingEvent.objects.filter(booking=earning.booking, action="dispute_opened").exists()
    assert AuditLog.objects.filter(action="open_dispute", resource_id=str(dispute.pk)).exists()
    assert dispute.messages.get().message_type == "system"


def test_a_second_open_dispute_on_the_booking_is_a_conflict(earning):
    first = opened(earning)

    second = open_dispute(earning, title="Again")

    assert_error(second, 409, "DISPUTE_EXISTS")
    assert second.json()["error"]["details"]["context"]["dispute_id"] == first


def test_only_the_bookings_customer_may_open_one():
    earning = earn(h.partner(), 8, online=True)
    stranger = client_for(make_user())
    body = {"booking_id": str(earning.booking_id), "dispute_type": "damage", "title": "t", "description": "d"}

    assert_error(stranger.post(f"{DISPUTES}/create_dispute", body, format="json"), 404, "BOOKING_NOT_FOUND")


def test_a_booking_not_completed_or_past_the_window_cannot_be_disputed(earning):
    upcoming = h.booking(start=h.next_weekday_at(9))
    body = {"booking_id": str(upcoming.pk), "dispute_type": "no_show", "title": "t", "description": "d"}
    not_done = client_for(upcoming.user).post(f"{DISPUTES}/create_dispute", body, format="json")
    assert_error(not_done, 422, "DISPUTE_NOT_ALLOWED", "booking_id")
    assert not_done.json()["error"]["details"]["reason"] == "not_completed"

    BookingEvent.objects.filter(booking=earning.booking, new_status="completed").update(
        created_at=timezone.now() - timedelta(days=8)
    )
    late = open_dispute(earning)
    assert_error(late, 422, "DISPUTE_NOT_ALLOWED", "booking_id")
    assert late.json()["error"]["details"]["reason"] == "window_closed"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"dispute_type": ""}, "dispute_type"),
        ({"dispute_type": "angry"}, "dispute_type"),
        ({"booking_id": "nope"}, "booking_id"),
        ({"severity": "extreme"}, "severity"),
    ],
)
def test_bad_input_names_the_field(earning, change, field):
    assert_error(open_dispute(earning, **change), 422, "VALIDATION_ERROR", field)


def test_a_missing_title_is_a_bad_request_naming_it(earning):
    assert_error(open_dispute(earning, title=""), 400, "INVALID_REQUEST", "title")


def test_camel_case_and_the_rest_path_open_one_too(earning):
    body = {
        "bookingId": str(earning.booking_id),
        "disputeType": "damage",
        "title": "Broken tile",
        "description": "A tile cracked.",
    }
    response = client_for(earning.booking.user).post(DISPUTES, body, format="json")
    assert response.status_code == 201, response.content


# --- who sees what, and the list's queries ---------------------------------------------------------------


def test_the_list_shows_each_person_their_own_and_staff_all(earning):
    mine = opened(earning)
    other = earn(h.partner(), 10, online=True)
    theirs = opened(other)

    def ids(user) -> set[str]:
        response = client_for(user).get(DISPUTES)
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["data"]["results"]}

    assert ids(earning.booking.user) == {mine}
    assert ids(earning.partner.user) == {mine}
    assert ids(make_user()) == set()
    assert ids(make_user(Role.SUPPORT)) == {mine, theirs}
    row = client_for(earning.booking.user).get(DISPUTES).json()["data"]["results"][0]
    assert row["vendor_name"] == earning.partner.name
    assert row["messages_count"] == 0
    assert_error(client_for(make_user()).get(f"{DISPUTES}/{mine}"), 404, "DISPUTE_NOT_FOUND")
    assert_error(client_for(earning.booking.user).get(DISPUTES, {"status": "angry"}), 422, "VALIDATION_ERROR")


def test_the_list_reads_as_many_queries_for_four_disputes_as_for_one(earning):
    staff = client_for(make_user(Role.SUPPORT))
    opened(earning)
    one = query_counts(staff, [DISPUTES])
    for hour in (10, 12, 14):
        opened(paid_job(hour))

    four = query_counts(staff, [DISPUTES])

    assert four == one


# --- messages (D3) -------------------------------------------------------------------------------------------


def test_the_customer_and_the_partner_talk_and_read_marks_follow(earning, django_capture_on_commit_callbacks):
    dispute_id = opened(earning)
    customer, partner = client_for(earning.booking.user), client_for(earning.partner.user)

    with django_capture_on_commit_callbacks(execute=True):
        sent = customer.post(f"{DISPUTES}/{dispute_id}/send_message", {"content": "Please look."}, format="json")

    assert sent.status_code == 201, sent.content
    assert Notification.objects.filter(event_type="dispute_message", user=earning.partner.user).exists()
    first = partner.get(f"{DISPUTES}/{dispute_id}/messages").json()["data"]
    texts = [(m["content"], m["is_read"], m["is_mine"]) for m in first["messages"] if m["message_type"] == "text"]
    assert texts == [("Please look.", False, False)]  # as it was before this read
    assert first["total_count"] == 2
    assert first["has_more"] is False
    again = partner.get(f"{DISPUTES}/{dispute_id}/messages").json()["data"]["messages"]
    assert [m["is_read"] for m in again if m["message_type"] == "text"] == [True]
    own = customer.get(f"{DISPUTES}/{dispute_id}/messages").json()["data"]["messages"]
    assert [m["is_mine"] for m in own if m["message_type"] == "text"] == [True]
    page = customer.get(f"{DISPUTES}/{dispute_id}/messages", {"page": 1, "page_size": 1}).json()["data"]
    assert len(page["messages"]) == 1
    assert page["has_more"] is True


def test_a_stranger_gets_404_and_a_read_only_role_403(earning):
    dispute_id = opened(earning)
    body = {"content": "hi"}

    stranger = client_for(make_user()).post(f"{DISPUTES}/{dispute_id}/send_message", body, format="json")
    finance = client_for(make_user(Role.FINANCE)).post(f"{DISPUTES}/{dispute_id}/send_message", body, format="json")

    assert_error(stranger, 404, "DISPUTE_NOT_FOUND")
    assert_error(finance, 403, "FORBIDDEN")
    assert_error(client_for(make_user()).get(f"{DISPUTES}/{dispute_id}/messages"), 404, "DISPUTE_NOT_FOUND")


def test_staff_writing_first_take_the_dispute_up(earning):
    dispute_id = opened(earning)
    support = make_user(Role.SUPPORT)

    response = client_for(support).post(f"{DISPUTES}/{dispute_id}/messages", {"content": "Looking."}, format="json")

    assert response.status_code == 201, response.content
    dispute = Dispute.objects.get(pk=dispute_id)
    assert (dispute.status, dispute.assigned_mediator_id) == (DisputeStatus.IN_PROGRESS, support.pk)


def test_attachments_are_images_or_pdfs(earning):
    dispute_id = opened(earning)
    customer = client_for(earning.booking.user)
    url = f"{DISPUTES}/{dispute_id}/send_message"

    image = customer.post(url, {"content": "See", "attachment": png()}, format="multipart")
    pdf = io.BytesIO(b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF")
    pdf.name = "invoice.pdf"
    document = customer.post(url, {"attachment": pdf}, format="multipart")
    text = io.BytesIO(b"not an image at all")
    text.name = "notes.png"
    refused = customer.post(url, {"attachment": text}, format="multipart")
    empty = customer.post(url, {"content": "  "}, format="json")
    system = customer.post(url, {"content": "x", "message_type": "system"}, format="json")

    assert image.status_code == 201, image.content
    assert image.json()["data"]["message_type"] == "image"
    assert image.json()["data"]["attachment"]
    assert document.status_code == 201
    assert document.json()["data"]["message_type"] == "file"
    assert_error(refused, 422, "INVALID_FILE", "attachment")
    assert_error(empty, 422, "VALIDATION_ERROR", "content")
    assert_error(system, 422, "VALIDATION_ERROR", "message_type")
    stored = DisputeMessage.objects.get(pk=image.json()["data"]["id"])
    assert stored.attachment_content_type == "image/png"


# --- resolution (D5, D6) ---------------------------------------------------------------------------------------


def test_a_partial_refund_reduces_the_earning_by_the_partners_part_and_releases_it(earning):
    dispute_id = opened(earning)

    response = resolve(dispute_id, resolution_amount="300.00", evidence={"resolution_type": "partial_refund"})

    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert data["status"] == "resolved"
    assert data["resolution_type"] == "partial_refund"
    refund = Refund.objects.get()
    assert refund.amount == Decimal("300.00")
    assert data["refund_ids"] == [str(refund.pk)]
    # 300 = 45.76 GST (300 x 180 / 1,180) + 254.24 shared at 70 %: the partner gives back 177.97
    earning.refresh_from_db()
    assert earning.partner_earning == Decimal("522.03")
    assert earning.platform_commission == Decimal("223.73")  # 300.00 - 76.27
    assert earning.tax == Decimal("134.24")
    assert (earning.status, earning.hold_reason) == (EarningStatus.PENDING, "")
    assert data["earning"]["partner_part"] == "177.97"
    assert ledger_trial_balance() == 0
    earning.partner.refresh_from_db()
    assert earning.partner.pending_payout == Decimal("522.03")
    assert AuditLog.objects.filter(action="dispute_resolved", resource_id=dispute_id).exists()


def test_a_full_refund_cancels_the_earning(earning):
    dispute_id = opened(earning)

    response = resolve(dispute_id, resolution_type="full_refund")

    assert response.status_code == 200, response.content
    assert Refund.objects.get().amount == Decimal("1180.00")
    earning.refresh_from_db()
    assert (earning.status, earning.partner_earning) == (EarningStatus.CANCELLED, Decimal("0.00"))
    assert ledger_trial_balance() == 0


def test_no_action_releases_the_earning_whole(earning):
    dispute_id = opened(earning)

    response = resolve(dispute_id, resolution_type="no_action")

    assert response.status_code == 200, response.content
    earning.refresh_from_db()
    assert (earning.status, earning.partner_earning) == (EarningStatus.PENDING, Decimal("700.00"))
    assert not Refund.objects.exists()


def test_resolution_bad_input(earning):
    dispute_id = opened(earning)

    assert_error(
        resolve(dispute_id, resolution_type="partial_refund", resolution_amount="1180.01"),
        422,
        "REFUND_EXCEEDS_REFUNDABLE",
        "resolution_amount",
    )
    assert_error(resolve(dispute_id, resolution_type="partial_refund"), 422, "VALIDATION_ERROR", "resolution_amount")
    assert_error(
        resolve(dispute_id, resolution_type="revisit", resolution_amount="10"),
        422,
        "VALIDATION_ERROR",
        "resolution_amount",
    )
    assert_error(resolve(dispute_id), 422, "VALIDATION_ERROR", "resolution_type")
    assert_error(resolve(dispute_id, resolution_type="no_action", resolution_notes=""), 400, "INVALID_REQUEST")
    assert not Refund.objects.exists()
    assert Dispute.objects.get(pk=dispute_id).status == DisputeStatus.OPEN


def test_only_ops_managers_and_admins_resolve(earning):
    dispute_id = opened(earning)

    assert_error(resolve(dispute_id, who=make_user(Role.SUPPORT), resolution_type="no_action"), 403, "FORBIDDEN")
    assert_error(resolve(dispute_id, who=earning.booking.user, resolution_type="no_action"), 403, "FORBIDDEN")
    assert_error(resolve(dispute_id, who=make_user(), resolution_type="no_action"), 404, "DISPUTE_NOT_FOUND")
    assert resolve(dispute_id, who=make_user(Role.ADMIN), resolution_type="no_action").status_code == 200


def test_resolving_twice_is_refused_and_refunds_once(earning):
    dispute_id = opened(earning)
    assert resolve(dispute_id, resolution_type="partial_refund", resolution_amount="100").status_code == 200

    again = resolve(dispute_id, resolution_type="partial_refund", resolution_amount="100")

    assert_error(again, 422, "INVALID_DISPUTE_STATUS")
    assert Refund.objects.count() == 1


def test_staff_steps_and_the_closing_scan(earning):
    dispute_id = opened(earning)
    ops = client_for(make_user(Role.OPS_MANAGER))

    assert ops.post(f"{DISPUTES}/{dispute_id}/escalate", {"reason": "Repeat"}, format="json").status_code == 200
    dispute = Dispute.objects.get(pk=dispute_id)
    assert (dispute.status, dispute.severity) == (DisputeStatus.ESCALATED, "high")
    assigned = ops.post(f"{DISPUTES}/{dispute_id}/assign", {}, format="json")
    assert assigned.status_code == 200
    assert assigned.json()["data"]["status"] == "in_progress"
    assert_error(ops.post(f"{DISPUTES}/{dispute_id}/close"), 422, "INVALID_DISPUTE_STATUS")
    assert resolve(dispute_id, resolution_type="revisit").status_code == 200

    assert disputes_close_resolved() == 0  # not yet DISPUTE_CLOSE_DAYS
    Dispute.objects.filter(pk=dispute_id).update(resolved_at=timezone.now() - timedelta(days=8))
    assert disputes_close_resolved() == 1
    assert disputes_close_resolved() == 0

    late = client_for(earning.booking.user).post(f"{DISPUTES}/{dispute_id}/send_message", {"content": "x"})
    assert_error(late, 422, "DISPUTE_CLOSED")
    assert opened(earning)  # a closed dispute does not stop a new one inside the window


# --- a refused sign-off opens one (S9) ------------------------------------------------------------------------


def test_refusing_the_sign_off_opens_a_signature_refusal_dispute(earning):
    signature = client_for(earning.partner.user).post(f"/api/v1/bookings/{earning.booking_id}/request_signature")
    signature_id = signature.json()["data"]["signature_id"]

    refused = client_for(earning.booking.user).post(
        f"/api/v1/signatures/{signature_id}/refuse", {"reason": "The tap still leaks"}, format="json"
    )

    assert refused.status_code == 200, refused.content
    dispute = Dispute.objects.get(pk=refused.json()["data"]["dispute_id"])
    assert (dispute.dispute_type, dispute.description) == ("signature_refusal", "The tap still leaks")
    assert str(dispute.signature_id) == signature_id
    earning.refresh_from_db()
    assert (earning.status, earning.hold_reason) == (EarningStatus.ON_HOLD, "dispute")
