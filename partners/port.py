"""The partners side of ``bookings.hooks.PartnerPort``, registered in ``PartnersConfig.ready``.

Each event hands the booking to the dispatch engine or the job services; each
question reads partner assignments. ``partners.receivers`` keeps the model
signals that refresh caches and live availability.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet

from accounts.models import User
from bookings.errors import BookingErrorCode
from bookings.hooks import PartnerPort, SlotRequest
from bookings.models import SessionType
from partners import pricing_factors
from partners.models import KNOWN_TO_PARTNER, LIVE_STATUSES, AssignmentStatus, Partner, PartnerAssignment, PartnerKind
from partners.services.appointments import AppointmentRequest, appointment_create, appointment_move
from partners.services.dispatch import on_cancelled, on_rescheduled, request_dispatch
from partners.services.earning_disputes import earning_share_refund
from partners.services.earning_holds import earning_hold, earning_hold_release
from partners.services.holds import booking_hold, booking_hold_again, hold_plan
from partners.services.jobs import partner_rating_change
from partners.services.meetings import event_follow_on_commit
from partners.slots import slots_with_partner

# Who worked a booking: accepted the job (on the way, arrived) or completed it.
WORKED_STATUSES = ("accepted", "in_transit", "arrived", "completed")
# The columns partner_of reads from a live assignment, its partner and the partner's user.
PARTNER_OF_FIELDS = (
    "booking_id",
    "status",
    "estimated_arrival",
    "partner__partner_code",
    "partner__rating",
    "partner__user__full_name",
    "partner__user__phone",
)


class BookingPartners(PartnerPort):
    def hold_plan(self, *, request: SlotRequest, start: datetime, end: datetime) -> list[Any]:
        return list(hold_plan(request, start=start, end=end))

    def hold_capacity(self, *, booking: Any, plan: list[Any] | None = None, events: list[Any] | None = None) -> bool:
        """With ``SLOTS_REQUIRE_PARTNER`` off (every slot in business hours is sold, staff assign by hand) a
        partner is held when one is free and the booking stands either way."""
        held = booking_hold(booking, plan=plan or (), fresh=True, events=events) is not None
        return held or not settings.SLOTS_REQUIRE_PARTNER

    def assignment_requested(self, *, booking_id: Any) -> None:
        request_dispatch(booking_id)

    def booking_rescheduled(self, *, booking_id: Any, old_start: datetime) -> None:
        on_rescheduled(booking_id)
        booking_hold_again(booking_id)

    def appointment_move(self, *, booking_id: Any, start: datetime, actor: Any, reason: str) -> None:
        """A taken time is seed 004's ``BOOKING_CONFLICT`` for a specialist, seed 003's ``SLOT_UNAVAILABLE``
        for a clinician."""
        specialist = Partner.objects.filter(appointments__pk=booking_id, kind=PartnerKind.SPECIALIST).exists()
        code = BookingErrorCode.BOOKING_CONFLICT if specialist else BookingErrorCode.SLOT_UNAVAILABLE
        appointment_move(booking_id=booking_id, start=start, actor=actor, reason=reason, conflict_code=code)

    def appointment_book(
        self,
        *,
        customer: Any,
        provider_id: Any,
        service_id: Any,
        start: datetime,
        duration_minutes: int | None,
        notes: str,
        total_amount: Decimal | None = None,
    ) -> Any:
        """Seed 004's booking: an online session, a hold until the deposit (or the price) is paid."""
        return appointment_create(
            customer=customer,
            request=AppointmentRequest(
                provider_id=provider_id,
                start=start,
                session_type=SessionType.ONLINE,
                service_id=service_id,
                duration_minutes=duration_minutes,
                client_amount=total_amount,
                client_amount_field="total_amount",
                notes=notes,
                conflict_code=BookingErrorCode.BOOKING_CONFLICT,
            ),
        )

    def booking_cancelled(self, *, booking_id: Any, by: str) -> None:
        on_cancelled(booking_id)
        event_follow_on_commit(booking_id)  # an appointment's calendar event goes with it

    def review_changed(self, *, partner_id: Any, old_rating: int | None, new_rating: int | None) -> None:
        partner_rating_change(partner_id=partner_id, old_rating=old_rating, new_rating=new_rating)

    def earning_hold(self, *, booking_id: Any, reason: str) -> None:
        earning_hold(booking_id=booking_id, reason=reason)

    def earning_release(self, *, booking_id: Any, reason: str) -> None:
        earning_hold_release(booking_id=booking_id, reason=reason)

    def earning_share_refund(self, *, booking_id: Any, refund_amount: Any, grand_total: Any, memo: str) -> dict:
        return earning_share_refund(
            booking_id=booking_id, refund_amount=refund_amount, grand_total=grand_total, memo=memo
        ).as_dict()

    def worker_of(self, booking: Any) -> tuple[Any, Any] | None:
        row = (
            PartnerAssignment.objects.filter(booking_id=booking.pk, status__in=WORKED_STATUSES)
            .select_related("partner__user")
            .order_by("-updated_at")
            .first()
        )
        return (row.partner_id, row.partner.user) if row is not None else None

    def may_read(self, user: Any, booking: Any) -> bool:
        """The partner offered the job (while the offer is open) or doing or having done it (not one only held)."""
        return PartnerAssignment.objects.filter(
            Q(status__in=KNOWN_TO_PARTNER) | Q(status="completed"), booking_id=booking.pk, partner__user=user
        ).exists()

    def with_partner(self, queryset: QuerySet) -> QuerySet:
        live = (
            PartnerAssignment.objects.filter(status__in=LIVE_STATUSES)
            .select_related("partner__user")
            .only(*PARTNER_OF_FIELDS)  # what partner_of reads, not three tables' every column (issue #21)
        )
        return queryset.prefetch_related(Prefetch("assignments", queryset=live, to_attr="live_assignments"))

    def partner_of(self, booking: Any) -> dict | None:
        rows = getattr(booking, "live_assignments", None)
        if rows is None:
            rows = list(
                PartnerAssignment.objects.filter(booking_id=booking.pk, status__in=LIVE_STATUSES).select_related(
                    "partner__user"
                )
            )
        if not rows:
            return None
        assignment = rows[0]
        partner = assignment.partner
        return self.partner_of_row(
            (
                assignment.status,
                assignment.estimated_arrival,
                partner.pk,
                partner.partner_code,
                partner.rating,
                partner.user.full_name,
                partner.user.phone,
            )
        )

    def partner_sql(self, booking_id: str) -> str:
        """The booking's live assignment with the columns :meth:`partner_of_row` reads (issue #21: the customer's
        bookings list in one statement; ``assignment_one_live_per_booking`` makes it one row at most)."""
        statuses = ", ".join(f"'{status}'" for status in LIVE_STATUSES)  # fixed words, no input
        return (
            "SELECT a.status, a.estimated_arrival, p.id, p.partner_code, p.rating, u.full_name, u.phone"  # noqa: S608 - fixed text (tables, statuses, the caller's column)
            f" FROM {PartnerAssignment._meta.db_table} a"
            f" JOIN {Partner._meta.db_table} p ON p.id = a.partner_id"
            f" JOIN {User._meta.db_table} u ON u.id = p.user_id"
            f" WHERE a.booking_id = {booking_id} AND a.status IN ({statuses})"
            " ORDER BY a.assigned_at DESC LIMIT 1"
        )

    def partner_of_row(self, values: tuple) -> dict | None:
        status, estimated_arrival, partner_id, partner_code, rating, name, user_phone = values
        if status is None or status == AssignmentStatus.HELD:  # a hold is not a partner on the job yet
            return None
        phone = user_phone if status != "assigned" else None  # shared once the partner accepts
        return {
            "id": str(partner_id),
            "partner_code": partner_code,
            "name": name,
            "phone_number": phone,
            "phone": phone,  # seed 000's key; phone_number kept for existing clients
            "rating": float(rating),
            "assignment_status": status,
            "status": status,  # seed 000's key
            "estimated_arrival": estimated_arrival.isoformat() if estimated_arrival else None,
        }

    def assigned_users(self, booking: Any) -> list:
        """The partner who accepted the booking's job (none while it is only offered)."""
        from accounts.models import User

        return list(
            User.objects.filter(
                partner_profile__assignments__booking=booking,
                partner_profile__assignments__status__in=["accepted", "in_transit", "arrived"],
            )
        )

    def filter_slots(self, day: date, candidates: list[time], request: SlotRequest) -> list[time]:
        return slots_with_partner(day, candidates, request)

    def surge_quote(self, *, service_ids: list[str], pincode: str, day: date) -> tuple[Decimal, dict]:
        return pricing_factors.day_surge(service_ids=service_ids, pincode=pincode, day=day)
