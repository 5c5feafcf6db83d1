"""The bookings app's personal data (core.privacy): bookings with their items, appointments, reviews, loyalty,
disputes and the dispute messages the person wrote; what blocks a deletion; the anonymiser.

Open (blocks a deletion): a booking that is ``pending_payment``, ``pending``, ``partner_assigned``,
``confirmed`` or ``in_progress`` (money or a visit still to come), and a dispute still being mediated
(``open``, ``in_progress``, ``escalated``: a refund may still follow). Completed, cancelled, refunded,
no-show and expired bookings are settled.

Anonymised: the booking's contact name, phone and email, the person's notes, feedback and cancellation reason,
the address snapshot's lines and coordinates (pincode, city and state stay), the sign-off's comments, reviews'
comments and tags, disputes' descriptions and evidence, the dispute messages they wrote (and their
attachments), and their contact-form submissions. Amounts, dates, statuses and ratings stay.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Q

from bookings.models import Booking, BookingService, BookingSignature, BookingStatus, ContactSubmission
from bookings.models.disputes import ACTIVE_DISPUTE_STATUSES, Dispute, DisputeMessage
from bookings.models.loyalty import LoyaltyAccount, LoyaltyTransaction
from bookings.models.reviews import Review
from core import audit, privacy

OPEN_BOOKING_STATUSES = (
    BookingStatus.PENDING_PAYMENT,
    BookingStatus.PENDING,
    BookingStatus.PARTNER_ASSIGNED,
    BookingStatus.CONFIRMED,
    BookingStatus.IN_PROGRESS,
)
BOOKING_FIELDS = (
    "id",
    "booking_number",
    "status",
    "source",
    "booking_date",
    "booking_time",
    "scheduled_start",
    "scheduled_end",
    "address_snapshot",
    "payment_method",
    "payment_status",
    "total_price",
    "discount",
    "tax",
    "grand_total",
    "loyalty_discount",
    "promo_code",
    "customer_notes",
    "contact_name",
    "contact_phone",
    "contact_email",
    "cancelled_at",
    "cancelled_by",
    "cancellation_reason",
    "cancellation_fee",
    "refund_amount",
    "customer_rating",
    "customer_feedback",
    "requested_partner_id",
    "centre_id",
    "session_type",
    "meeting_link",
    "created_at",
)
ITEM_FIELDS = ("booking_id", "name", "quantity", "unit_price", "duration_minutes")
APPOINTMENT_KEYS = (
    "booking_number",
    "status",
    "requested_partner_id",
    "centre_id",
    "session_type",
    "scheduled_start",
    "scheduled_end",
    "meeting_link",
)
SNAPSHOT_KEPT = ("city", "state", "pincode")


def export(user: Any) -> dict[str, Any]:
    """Nine queries whatever the history's size."""
    bookings = list(Booking.objects.filter(user_id=user.pk).order_by("created_at").values(*BOOKING_FIELDS))
    items: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for item in BookingService.objects.filter(booking__user_id=user.pk).order_by("created_at").values(*ITEM_FIELDS):
        items[item.pop("booking_id")].append(item)
    for booking in bookings:
        booking["items"] = items.get(booking["id"], [])
    appointments = [b for b in bookings if b["requested_partner_id"] or b["centre_id"]]
    disputes = list(
        Dispute.objects.filter(customer_id=user.pk)
        .order_by("created_at")
        .values("id", "booking_id", "dispute_type", "status", "title", "description", "resolution_type", "created_at")
    )
    messages = list(
        DisputeMessage.objects.filter(sender_id=user.pk)
        .order_by("created_at")
        .values("id", "dispute_id", "message_type", "content", "attachment_name", "created_at")
    )
    reviews = list(
        Review.objects.filter(customer_id=user.pk)
        .order_by("created_at")
        .values("id", "booking_id", "partner_id", "rating", "comment", "tags", "created_at", "edited_at")
    )
    loyalty = (
        LoyaltyAccount.objects.filter(user_id=user.pk)
        .values("balance", "reserved", "total_earned", "total_spent", "tier")
        .first()
    )
    transactions = list(
        LoyaltyTransaction.objects.filter(account__user_id=user.pk)
        .order_by("created_at")
        .values("kind", "points", "reason", "booking_id", "created_at")
    )
    contact = list(
        ContactSubmission.objects.filter(user_id=user.pk)
        .order_by("created_at")
        .values("name", "email", "phone", "subject", "message", "created_at")
    )
    return {
        "bookings": bookings,
        "appointments": [{key: b[key] for key in APPOINTMENT_KEYS} for b in appointments],
        "reviews": reviews,
        "loyalty": {"account": loyalty, "transactions": transactions},
        "disputes": disputes,
        "dispute_messages": messages,
        "contact_submissions": contact,
    }


def open_items(user: Any) -> list[str]:
    open_bookings = Booking.objects.filter(user_id=user.pk, status__in=OPEN_BOOKING_STATUSES).order_by("created_at")
    items = [f"booking {number} ({status})" for number, status in open_bookings.values_list("booking_number", "status")]
    disputes = Dispute.objects.filter(customer_id=user.pk, status__in=ACTIVE_DISPUTE_STATUSES).order_by("created_at")
    items += [
        f"dispute on booking {number} ({status})"
        for number, status in disputes.values_list("booking__booking_number", "status")
    ]
    return items


def anonymise(user: Any) -> None:
    bookings = Booking.objects.filter(user_id=user.pk)
    snapshots = list(bookings.exclude(address_snapshot={}).values_list("pk", "address_snapshot"))
    for pk, snapshot in snapshots:  # one UPDATE per booking with an address (a JSON each)
        kept = {key: snapshot[key] for key in SNAPSHOT_KEPT if isinstance(snapshot, dict) and key in snapshot}
        Booking.objects.filter(pk=pk).update(address_snapshot=kept)
    privacy.blank(
        bookings,
        customer_notes="",
        contact_name="",
        contact_phone="",
        contact_email="",
        customer_feedback="",
        cancellation_reason="",
    )
    audit.erase(resource_type="booking", resource_ids=[pk for pk, _ in snapshots], fields=["address_snapshot"])
    privacy.blank(BookingSignature.objects.filter(booking__user_id=user.pk), satisfaction_comments="")
    privacy.blank(Review.objects.filter(customer_id=user.pk), comment="", tags=[])
    privacy.blank(Dispute.objects.filter(customer_id=user.pk), description="", evidence={})
    for message in DisputeMessage.objects.filter(sender_id=user.pk).exclude(attachment=""):
        message.attachment.delete(save=False)
    privacy.blank(DisputeMessage.objects.filter(sender_id=user.pk), content="", attachment="", attachment_name="")
    privacy.blank(
        ContactSubmission.objects.filter(Q(user_id=user.pk) | Q(email__iexact=user.email or "-")),
        name=privacy.ANONYMISED_NAME,
        email="deleted@invalid",
        phone="",
        message="",
    )


def register() -> None:
    privacy.register("bookings", export=export, open_items=open_items, anonymise=anonymise)
