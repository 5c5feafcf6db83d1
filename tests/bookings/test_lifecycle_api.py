"""Cancel, reschedule, rate, the dashboard, and live updates on ws/bookings/{id}/."""

import io
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import connections, transaction
from django.utils import timezone

from accounts.roles import Role
from accounts.services.addresses import address_create
from accounts.services.tokens import tokens_issue
from bookings.errors import BookingErrorCode
from bookings.models import Booking, BookingStatus
from bookings.services.lifecycle import booking_transition
from catalog.demo import seed
from catalog.models import Service
from config.asgi import application
from core.errors import DomainError
from partners.models import AssignmentStatus, PartnerAssignment
from payments.gateways import get_gateway
from payments.models import Payment, Refund
from tests.accounts.helpers import assert_error
from tests.adminpanel.helpers import query_counts
from tests.bookings.test_checkout_api import ADDRESS, tomorrow
from tests.conftest import client_for, make_user
from tests.factories import PartnerAssignmentFactory, PartnerFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def shopper(db):
    seed(io.StringIO())
    return make_user(email="shopper@example.com", phone="+919800000301", full_name="Sia Shopper")


@pytest.fixture
def client(shopper):
    return client_for(shopper)


def book(client, shopper, *, method="cash", pay=False) -> Booking:
    address = address_create(user=shopper, data=ADDRESS)
    service = Service.objects.get(name="Facial - Minimal")
    preview = client.post(
        "/api/v1/checkout/prepare", {"service_ids": [str(service.pk)], "booking_date": tomorrow()}, format="json"
    ).json()["data"]
    data = client.post(
        "/api/v1/checkout/confirm",
        {
            "preview_id": preview["preview_id"],
            "payment_method": method,
            "address_id": str(address.pk),
            "booking_date": preview["booking_date"],
            "booking_time": "10:00 AM",
            "cancellation_policy_accepted": True,
        },
        format="json",
        HTTP_X_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    ).json()["data"]
    if pay:
        paid = get_gateway().simulate_checkout(data["payment"]["order_id"])
        client.post(
            "/api/v1/payments/verify",
            {k: paid[k] for k in ("razorpay_order_id", "razorpay_payment_id", "razorpay_signature")},
            format="json",
        )
    return Booking.objects.get(pk=data["booking"]["id"])


def move(booking, *statuses):
    for status in statuses:
        with transaction.atomic():
            booking = Booking.objects.select_for_update().get(pk=booking.pk)
            booking_transition(booking, status)
    return Booking.objects.get(pk=booking.pk)


def test_cancel_a_paid_booking_within_the_free_window_refunds_everything(shopper, client):
    booking = book(client, shopper, method="online", pay=True)

    response = client.post(f"/api/v1/bookings/{booking.pk}/cancel", {"reason": "Change of plans"}, format="json")

    data = response.json()["data"]
    assert data["status"] == "refunded"  # cancelled, then refunded in full at once by the offline gateway
    assert data["refund_amount"] == 1180.0
    assert data["cancellation_fee"] == 0.0
    assert data["refund_status"] == "processed"
    assert Payment.objects.get().status == "refunded"
    booking = Booking.objects.get()
    assert (booking.status, booking.payment_status) == (BookingStatus.REFUNDED, "refunded")
    assert list(booking.events.values_list("action", flat=True).order_by("created_at"))[-1] == "refunded"


def test_cancel_after_the_free_window_keeps_the_fee(shopper, client):
    booking = book(client, shopper, method="online", pay=True)
    Booking.objects.filter(pk=booking.pk).update(created_at=booking.created_at - timedelta(minutes=10))

    data = client.post(f"/api/v1/bookings/{booking.pk}/cancel", {}, format="json").json()["data"]

    assert data["cancellation_fee"] == 118.0
    assert data["refund_amount"] == 1062.0
    assert Refund.objects.get().amount == Decimal("1062.00")
    assert Payment.objects.get().status == "partially_refunded"
    assert Booking.objects.get().status == BookingStatus.CANCELLED  # the fee is kept: not refunded in full


def test_cancel_an_unpaid_cash_booking_refunds_nothing(shopper, client):
    booking = book(client, shopper)

    data = client.post(f"/api/v1/bookings/{booking.pk}/cancel", {}, format="json").json()["data"]

    assert data["refund_amount"] == 0.0
    assert data["refund_status"] == "none"
    assert not Refund.objects.exists()


@pytest.mark.parametrize("status", [BookingStatus.IN_PROGRESS, BookingStatus.COMPLETED])
def test_no_cancelling_once_started_or_done(shopper, client, status):
    booking = book(client, shopper)
    path = [BookingStatus.CONFIRMED, BookingStatus.IN_PROGRESS]
    if status == BookingStatus.COMPLETED:
        path.append(BookingStatus.COMPLETED)
    move(booking, *path)

    assert_error(
        client.post(f"/api/v1/bookings/{booking.pk}/cancel", {}, format="json"), 422, "CANCELLATION_NOT_ALLOWED"
    )


def test_someone_elses_booking_cannot_be_cancelled(shopper, client):
    booking = book(client, shopper)

    response = client_for(make_user()).post(f"/api/v1/bookings/{booking.pk}/cancel", {}, format="json")

    assert_error(response, 404, "BOOKING_NOT_FOUND")
    assert Booking.objects.get().status == "pending"


def test_reschedule_to_another_offered_slot(shopper, client):
    booking = book(client, shopper)
    day = (booking.booking_date + timedelta(days=1)).isoformat()

    response = client.post(
        f"/api/v1/bookings/{booking.pk}/reschedule", {"newDate": day, "newTime": "02:30 PM"}, format="json"
    )

    assert response.status_code == 200, response.content
    booking.refresh_from_db()
    assert booking.booking_date.isoformat() == day
    assert timezone.localtime(booking.scheduled_start).strftime("%H:%M") == "14:30"
    # A pending booking's move goes through the state machine too: a recorded step, pending to pending.
    assert list(booking.events.filter(action="rescheduled").values_list("old_status", "new_status")) == [
        ("pending", "pending")
    ]


@pytest.mark.django_db  # not transactional: on-commit work waits in the capture until the test lets it run
def test_reschedule_after_assignment_asks_again(shopper, client, celery_eager, django_capture_on_commit_callbacks):
    partner = PartnerFactory(categories=("FACIAL",), at=(Decimal("22.56000000"), Decimal("88.36000000")))
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(client, shopper)  # cash: dispatched once the booking commits, offered to the one partner
    with django_capture_on_commit_callbacks(execute=True):
        accepted = client_for(partner.user).post(f"/api/v1/partner/bookings/{booking.pk}/accept")
    assert accepted.status_code == 200, accepted.content
    job = PartnerAssignment.objects.get(booking=booking)
    assert (job.partner, job.status, Booking.objects.get().status) == (partner, "accepted", BookingStatus.CONFIRMED)

    day = (booking.booking_date + timedelta(days=1)).isoformat()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/api/v1/bookings/{booking.pk}/reschedule", {"new_date": day, "new_time": "11:00"}, format="json"
        )
        # Before the commit: the partner's job is released, and nobody is asked yet.
        job.refresh_from_db()
        assert (job.status, job.rejection_reason) == (AssignmentStatus.CANCELLED, "rescheduled")
        assert PartnerAssignment.objects.filter(booking=booking).count() == 1

    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert (data["status"], data["booking_date"], data["booking_time"]) == ("pending", day, "11:00:00")
    assert data["partner"] is None
    # After the commit: a new round of dispatch asks the same partner first.
    again = PartnerAssignment.objects.exclude(pk=job.pk).get(booking=booking)
    assert (again.partner, again.dispatch_round, again.status) == (partner, 2, AssignmentStatus.ASSIGNED)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.PARTNER_ASSIGNED
    assert timezone.localtime(booking.scheduled_start).isoformat().startswith(f"{day}T11:00")


def test_reschedule_to_a_slot_not_offered_or_too_late(shopper, client):
    booking = book(client, shopper)
    bad_slot = client.post(
        f"/api/v1/bookings/{booking.pk}/reschedule", {"new_date": tomorrow(), "new_time": "11:15"}, format="json"
    )
    move(booking, BookingStatus.CONFIRMED, BookingStatus.IN_PROGRESS)
    too_late = client.post(
        f"/api/v1/bookings/{booking.pk}/reschedule", {"new_date": tomorrow(), "new_time": "11:00"}, format="json"
    )

    assert_error(bad_slot, 409, "SLOT_UNAVAILABLE", "new_time")
    assert_error(too_late, 422, "INVALID_BOOKING_STATUS")


def test_rate_a_completed_booking_once(shopper, client):
    booking = move(book(client, shopper), BookingStatus.CONFIRMED, BookingStatus.IN_PROGRESS, BookingStatus.COMPLETED)

    first = client.post(f"/api/v1/bookings/{booking.pk}/rate", {"rating": 5, "feedback": "Great"}, format="json")
    again = client.post(f"/api/v1/bookings/{booking.pk}/rate", {"rating": 4}, format="json")

    assert first.json()["message"] == "Rating submitted successfully"
    assert_error(again, 409, "CONFLICT")
    assert Booking.objects.get().customer_rating == 5


@pytest.mark.parametrize("rating", [0, 6, "five"])
def test_rating_out_of_range(shopper, client, rating):
    booking = move(book(client, shopper), BookingStatus.CONFIRMED, BookingStatus.IN_PROGRESS, BookingStatus.COMPLETED)

    response = client.post(f"/api/v1/bookings/{booking.pk}/rate", {"rating": rating}, format="json")

    assert_error(response, 422, "VALIDATION_ERROR", "rating")
    assert Booking.objects.get().customer_rating is None


def test_rating_before_completion(shopper, client):
    booking = book(client, shopper)

    assert_error(
        client.post(f"/api/v1/bookings/{booking.pk}/rate", {"rating": 5}, format="json"), 422, "INVALID_BOOKING_STATUS"
    )


def test_an_illegal_transition_is_refused(shopper, client):
    booking = book(client, shopper)

    with pytest.raises(DomainError, match="cannot become") as refused:
        move(booking, BookingStatus.COMPLETED)

    assert (refused.value.code, refused.value.status) == (BookingErrorCode.INVALID_BOOKING_STATUS, 422)
    assert refused.value.context == {"status": "pending", "requested": "completed"}
    assert Booking.objects.get().status == BookingStatus.PENDING
    assert not booking.events.filter(new_status=BookingStatus.COMPLETED).exists()


def test_dashboard_in_a_fixed_number_of_queries(shopper, client):
    newcomer = make_user(phone="+919800000302")
    book(client_for(newcomer), newcomer)  # one address, one booking, one notification
    for _ in range(6):
        book(client, shopper)  # six of each: five bookings and five notifications are shown
    for booking in Booking.objects.filter(user=shopper)[:4]:
        PartnerAssignmentFactory(booking=booking, accepted=True)  # a partner on most of them, each a different one

    # token user, addresses, recent bookings, their services, their partners (with their users), the latest
    # notifications: as many for six of everything as for one of each
    small = query_counts(client_for(newcomer), ["/api/v1/dashboard"])
    large = query_counts(client, ["/api/v1/dashboard"])

    assert small == large
    data = client.get("/api/v1/dashboard").json()["data"]
    assert data["user"]["phone_number"] == "+919800000301"
    assert len(data["addresses"]) == 6
    assert len(data["recent_bookings"]) == 5
    assert sum(row["partner"] is not None for row in data["recent_bookings"]) >= 3
    assert [n["type"] for n in data["notifications"]] == ["booking_created"] * 5  # the latest first, five at most


@pytest.fixture
async def thread_connections():
    """The async tests reach the database from the sync_to_async thread: close its connection afterwards."""
    yield
    await sync_to_async(connections.close_all)()


async def connect(booking_id, user=None, token=None):
    if user is not None:
        token = (await sync_to_async(tokens_issue)(user=user))["access_token"]
    path = f"/ws/bookings/{booking_id}/" + (f"?token={token}" if token else "")
    communicator = WebsocketCommunicator(application, path)
    connected, _ = await communicator.connect(timeout=5)
    return communicator, connected


async def closed_with(communicator):
    await communicator.receive_json_from(timeout=5)  # the error frame
    output = await communicator.receive_output(timeout=5)
    await communicator.disconnect()  # as a server does once the consumer closed: the consumer ends
    return output.get("code")


@pytest.mark.usefixtures("thread_connections")
async def test_live_status_changes_reach_the_customer(shopper, client):
    booking = await sync_to_async(book)(client, shopper)
    communicator, connected = await connect(booking.pk, user=shopper)
    assert connected

    cancelled = await sync_to_async(client.post)(f"/api/v1/bookings/{booking.pk}/cancel", {}, format="json")
    assert cancelled.status_code == 200, cancelled.content
    message = await communicator.receive_json_from(timeout=10)

    assert message["type"] == "booking_status_change"
    assert message["data"]["booking_id"] == str(booking.pk)
    assert message["data"]["old_status"] == "pending"
    assert message["data"]["new_status"] == "cancelled"
    await communicator.disconnect()


@pytest.mark.usefixtures("thread_connections")
async def test_staff_may_follow_a_booking(shopper, client):
    booking = await sync_to_async(book)(client, shopper)
    support = await sync_to_async(make_user)(Role.SUPPORT)

    communicator, connected = await connect(booking.pk, user=support)
    await communicator.send_json_to({"type": "ping"})

    assert connected
    assert (await communicator.receive_json_from(timeout=5))["type"] == "pong"
    await communicator.disconnect()


@pytest.mark.usefixtures("thread_connections")
async def test_strangers_are_refused_with_4403_and_anonymous_with_4401(shopper, client):
    booking = await sync_to_async(book)(client, shopper)
    stranger = await sync_to_async(make_user)(Role.CUSTOMER)

    as_stranger, _ = await connect(booking.pk, user=stranger)
    anonymous, _ = await connect(booking.pk)
    garbage, _ = await connect(booking.pk, token="not-a-jwt")

    assert await closed_with(as_stranger) == 4403
    assert await closed_with(anonymous) == 4401
    assert await closed_with(garbage) == 4401
