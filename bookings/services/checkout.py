"""Checkout (seed 000 "Checkout (Optimized)"): prepare a priced preview, then confirm it into a booking.

* Prepare prices the services from the catalog with the one pricing rule (client-sent prices are never read),
  checks the promo code, the address and the day, and keeps the preview two minutes in the cache, bound to the user.
* Confirm needs ``X-Idempotency-Key`` (the view), an unexpired preview of the same user, an offered slot and the
  cancellation policy accepted. A preview is used once: deleting it from the cache is the claim, so two confirms
  of one preview (with different keys) make one booking. Its rows are read and written by statements written
  once (``core.rows``), not built by the ORM on every confirm. Booking, its services, the promo use and the first
  timeline entry are one transaction; the booking number comes from a locked per-day counter, taken last (after the
  partner's hold: ``bookings.services.numbers``) so that the day's confirms queue on it only for the end of their
  transactions: the notice's reads come before it, and only its writes and the commit after. The tasks the
  commit queues go to the broker in one write (``core.jobs.published_together``).
* Online: after that commit, a payment order through the payments layer
  (a network call, so outside the transaction). If the gateway fails the
  booking stays pending and payable; the answer says so instead of failing,
  so a retry with the same key does not book twice.
* Cash: the booking needs a partner at once: ``hooks.PartnerPort.assignment_requested``
  (the partners engine dispatches it after commit); the timeline records the
  request. An online booking is dispatched when its payment is captured
  (``bookings.payable``).
* Slots: prepare offers only those at least one eligible partner can take for
  these services at this address (``hooks.filter_slots``).
* Capacity (issue #23): confirm checks the slot is on the day's grid, then the
  partners side ranks who could take the job (``hooks.PartnerPort.hold_plan``, a
  read before any lock) and, inside the confirm transaction, holds the best
  eligible partner's time for it (``hooks.PartnerPort.hold_capacity``,
  ``partners.services.holds``): the hold, not a cached slot list, decides.
  When nobody can be held (another customer took the last partner a moment
  ago) the transaction rolls back (no booking, no promo use, no payment order)
  and confirm answers 409 ``SLOT_UNAVAILABLE`` with the slots still offered
  that day; the preview is put back, so the customer picks another time without
  preparing again. Dispatch later offers the job to the held partner first.
* Dynamic pricing (issue #20, ``DYNAMIC_PRICING_ENABLED``; off changes nothing): prepare asks the partners
  side for the multiplier of the address's pincode on the day (``hooks.PartnerPort.surge_quote``: a day, as
  no slot is chosen yet) and prices surge -> promo -> tax (``catalog.pricing``); the preview keeps the
  multiplier and its breakdown, so confirm charges what was quoted however demand moved meanwhile, and the
  booking stores ``surge_multiplier`` and ``dynamic_price_breakdown``. The quote holds for its pincode and
  day only: confirming at another address's pincode or on another day is 422 (prepare again).
"""

from __future__ import annotations

import uuid
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Address, User
from bookings import hooks
from bookings.errors import BookingErrorCode
from bookings.models import BOOKING_PAYABLE, Booking, BookingEvent, BookingService, BookingSource, PaymentMode
from bookings.notify import notify_booking, webhook_data
from bookings.services import slots
from bookings.services.numbers import number_booking, provisional_number
from bookings.services.promos import promo_evaluate, promo_redeem
from catalog.models import Service
from catalog.pricing import Line, cart_breakdown, price
from catalog.selectors import bookable_services
from core import ratelimit
from core.errors import DomainError, ErrorCode, RateLimitError
from core.jobs import published_together
from core.rows import get_row, insert_row, insert_rows
from core.types import Id
from notifications import webhooks
from notifications.services.inbox import recipients
from payments.gateways.base import GatewayError
from payments.services.payments import payment_create_order


def _preview_key(preview_id: str) -> str:
    return f"checkout:preview:{preview_id}"


def _address_of(user: User, address_id: Id) -> Address:
    with suppress(ValidationError):  # a malformed id is not found either
        if address := get_row(Address, pk=address_id, user=user):  # on every confirm: a statement written once
            return address
    raise DomainError("Address not found.", code=ErrorCode.NOT_FOUND, field="address_id", reason="not_found")


def address_snapshot_of(address: Address) -> dict[str, Any]:
    return {
        "id": str(address.pk),
        "name": address.name,
        "address_line1": address.address_line1,
        "address_line2": address.address_line2,
        "city": address.city,
        "state": address.state,
        "pincode": address.pincode,
        "lat": float(address.lat) if address.lat is not None else None,
        "lng": float(address.lng) if address.lng is not None else None,
    }


def _lines(items: list[dict[str, Any]]) -> tuple[list[Line], list[dict[str, Any]]]:
    if not items:
        raise DomainError(
            "Choose at least one service.", code=ErrorCode.VALIDATION_ERROR, field="service_ids", reason="empty"
        )
    ids = [str(item["service_id"]) for item in items]
    if len(set(ids)) != len(ids):
        raise DomainError(
            "A service is listed twice; send it once with a quantity.",
            code=ErrorCode.VALIDATION_ERROR,
            field="service_ids",
            reason="duplicate",
        )
    found = {str(service.pk): service for service in bookable_services().filter(pk__in=ids)}
    missing = [service_id for service_id in ids if service_id not in found]
    if missing:
        raise DomainError(
            "Some services are unknown or not bookable right now.",
            code=ErrorCode.VALIDATION_ERROR,
            field="service_ids",
            reason="unknown_or_inactive",
            context={"service_ids": missing},
        )
    lines, rows = [], []
    for item in items:
        service: Service = found[str(item["service_id"])]
        quantity = int(item.get("quantity") or 1)
        lines.append(Line(str(service.pk), service.name, service.product_cost, service.market_price, quantity))
        rows.append(
            {
                "id": str(service.pk),
                "name": service.name,
                "quantity": quantity,
                "unit_price": service.product_cost,
                "market_price": service.market_price,
                "duration_minutes": service.duration_minutes,
                "category_id": service.category_id,
                "tier": service.tier,
            }
        )
    return lines, rows


def checkout_prepare(
    *,
    user: User,
    items: list[dict[str, Any]],
    promo_code: str | None = None,
    address_id: Id | None = None,
    booking_date: date | None = None,
) -> dict[str, Any]:
    lines, rows = _lines(items)
    address = _address_of(user, address_id) if address_id else None
    slot_request = slots.request_for(rows, address_snapshot_of(address) if address else None)
    day = booking_date or timezone.localdate()
    available = slots.available_slots(day, slot_request)
    if not available and booking_date is None:  # nothing left today: offer tomorrow
        day = day + timedelta(days=1)
        available = slots.available_slots(day, slot_request)
    pincode = address.pincode if address else ""
    multiplier, surge_info = hooks.partners().surge_quote(service_ids=[r["id"] for r in rows], pincode=pincode, day=day)
    subtotal = price(lines, multiplier=multiplier).subtotal  # surge -> promo -> tax (catalog.pricing)
    promo = promo_evaluate(code=promo_code, user=user, subtotal=subtotal) if promo_code else None
    quote = price(lines, discount=promo.discount if promo and promo.valid else Decimal("0"), multiplier=multiplier)
    for row, line in zip(rows, quote.lines, strict=True):
        row["unit_price"] = line.unit_price
    preview_id = str(uuid.uuid4())
    expires_at = timezone.now() + timedelta(seconds=settings.CHECKOUT_PREVIEW_SECONDS)
    preview = {
        "preview_id": preview_id,
        "user_id": str(user.pk),
        "services": rows,
        "pricing": quote.as_dict(),
        "promo": promo.as_dict() if promo else None,
        "booking_date": day.isoformat(),
        "available_time_slots": [slots.label(slot) for slot in available],
        "address": address_snapshot_of(address) if address else None,
        "expires_at": expires_at,
        "duration_minutes": sum(row["duration_minutes"] * row["quantity"] for row in rows),
    }
    if surge_info:  # dynamic pricing on: the quote, locked for the preview
        preview["dynamic_pricing"] = cart_breakdown(price(lines), quote, surge_info)
    cache.set(_preview_key(preview_id), preview, timeout=settings.CHECKOUT_PREVIEW_SECONDS)
    return {key: value for key, value in preview.items() if key != "user_id"}


def _preview_expired() -> DomainError:
    return DomainError(
        "This checkout preview has expired or was already used. Please review your order again.",
        code=BookingErrorCode.PREVIEW_EXPIRED,
        field="preview_id",
        reason="expired",
    )


def _load_preview(user: User, preview_id: Id) -> dict[str, Any]:
    preview: dict[str, Any] | None = cache.get(_preview_key(str(preview_id)))
    if preview is None:
        raise _preview_expired()
    if preview["user_id"] != str(user.pk):
        raise DomainError("Checkout preview not found.", code=ErrorCode.NOT_FOUND, field="preview_id")
    return preview


def _enforce_booking_limit(user: User) -> None:
    ratelimit.enforce(
        "booking-create",
        str(user.pk),
        limit=settings.BOOKINGS_MAX_PER_USER_PER_HOUR,
        window_seconds=3600,
        what="bookings",
    )


@dataclass(frozen=True)
class Confirmed:
    booking: Booking
    payment: dict[str, Any] | None
    payment_error: str | None = None


# Sources a customer cannot claim for themselves (analytics report bookings by source).
STAFF_SOURCES = frozenset({BookingSource.FRONT_DESK, BookingSource.ADMIN})


def checkout_confirm(
    *,
    user: User,
    preview_id: Id,
    payment_method: str,
    address_id: Id,
    booking_date: date,
    booking_time: str,
    cancellation_policy_accepted: bool,
    customer_name: str = "",
    customer_phone: str = "",
    customer_email: str = "",
    customer_notes: str = "",
    source: str = BookingSource.APP,
    idempotency_key: str | None = None,
) -> Confirmed:
    if source in STAFF_SOURCES and not user.is_staff_member:
        raise DomainError(
            "Only staff book from the front desk or the back office.",
            code=ErrorCode.VALIDATION_ERROR,
            field="source",
            reason="staff_only_source",
        )
    if not cancellation_policy_accepted:
        raise DomainError(
            "Please accept the cancellation policy to book.",
            code=ErrorCode.VALIDATION_ERROR,
            field="cancellation_policy_accepted",
            reason="not_accepted",
        )
    preview = _load_preview(user, preview_id)
    address = _address_of(user, address_id)
    slot = slots.parse_slot(booking_time)
    slot_request = slots.request_for(preview["services"], address_snapshot_of(address))
    if slot not in slots.available_slots(booking_date):  # the day's grid; the hold decides who can take it
        offered = slots.available_slots(booking_date, slot_request)
        raise DomainError(
            "That time is not available. Please choose one of the offered slots.",
            code=BookingErrorCode.SLOT_UNAVAILABLE,
            field="booking_time",
            reason="not_offered",
            context={"available_time_slots": [slots.label(s) for s in offered]},
        )
    _check_priced(preview, address, booking_date)
    _enforce_booking_limit(user)
    if not cache.delete(_preview_key(str(preview_id))):  # one confirm per preview, even two at once
        raise _preview_expired()
    start = slots.slot_start(booking_date, slot)
    end = start + timedelta(minutes=preview["duration_minutes"])
    plan = hooks.partners().hold_plan(request=slot_request, start=start, end=end)  # a read, before any lock
    try:
        booking = _create(
            user, preview, address, booking_date, slot, start, source, payment_method, customer_notes,
            contact=(customer_name, customer_phone, customer_email), plan=plan,
        )  # fmt: skip
    except _NobodyFree:
        ratelimit.give_back("booking-create", str(user.pk))  # no booking was made: the limit counts bookings
        ttl = max(1, int((preview["expires_at"] - timezone.now()).total_seconds()))
        cache.set(_preview_key(str(preview_id)), preview, timeout=ttl)  # pick another time with the same preview
        left = slots.available_slots(booking_date, slot_request)
        raise DomainError(
            "Another customer has just taken the last partner free at that time. Please choose another slot.",
            code=BookingErrorCode.SLOT_UNAVAILABLE,
            field="booking_time",
            reason="no_partner_free",
            context={"available_time_slots": [slots.label(s) for s in left if s != slot]},
        ) from None
    if payment_method == PaymentMode.CASH:
        return Confirmed(booking=booking, payment=None)
    try:
        checkout = payment_create_order(
            user=user, payable_type=BOOKING_PAYABLE, payable_id=str(booking.pk), idempotency_key=idempotency_key
        )
    except (GatewayError, RateLimitError) as exc:
        return Confirmed(booking=booking, payment=None, payment_error=exc.message)
    return Confirmed(booking=booking, payment=checkout.data)


def _check_priced(preview: dict[str, Any], address: Address, booking_date: date) -> None:
    """A dynamic price was quoted for a pincode and a day: confirm there and then, or prepare again."""
    priced = preview.get("dynamic_pricing")
    if not priced and not settings.DYNAMIC_PRICING_ENABLED:
        return
    quoted = (priced or {}).get("pincode"), (priced or {}).get("date")
    if quoted != (address.pincode, booking_date.isoformat()):
        raise DomainError(
            "Prices depend on the area and the day: review your order again for this address and day.",
            code=ErrorCode.VALIDATION_ERROR,
            field="address_id" if quoted[0] != address.pincode else "booking_date",
            reason="not_the_priced_address" if quoted[0] != address.pincode else "not_the_priced_day",
        )


class _NobodyFree(Exception):
    """No partner's time could be held: raised inside the confirm transaction to roll it back."""


def _create(
    user: User,
    preview: dict[str, Any],
    address: Address,
    booking_date: date,
    slot: time,
    start: datetime,
    source: str,
    payment_method: str,
    customer_notes: str,
    *,
    contact: tuple[str, str, str],
    plan: list[Any],
) -> Booking:
    """The booking, its services, the promo use, the timeline and the partner's hold: one transaction."""
    customer_name, customer_phone, customer_email = contact
    pricing = preview["pricing"]
    booking_id = uuid.uuid4()
    with published_together(), transaction.atomic():  # its commit queues a dispatch, a delivery, a calendar
        booking = Booking(
            id=booking_id,
            booking_number=provisional_number(booking_id),  # the real one last: its counter locks the day
            user=user,
            address=address,
            address_snapshot=address_snapshot_of(address),
            booking_date=booking_date,
            booking_time=slot,
            scheduled_start=start,
            scheduled_end=start + timedelta(minutes=preview["duration_minutes"]),
            source=source,
            payment_method=payment_method,
            total_price=pricing["subtotal"],
            savings=pricing["savings"],
            discount=pricing["discount"],
            tax=pricing["tax"],
            grand_total=pricing["grand_total"],
            surge_multiplier=Decimal(str((preview.get("dynamic_pricing") or {}).get("surge_multiplier", "1.00"))),
            dynamic_price_breakdown=preview.get("dynamic_pricing") or {},
            promo_code=(preview["promo"] or {}).get("code", "") if (preview["promo"] or {}).get("valid") else "",
            cancellation_policy_accepted=True,
            customer_notes=customer_notes,
            contact_name=customer_name or user.full_name,
            contact_phone=customer_phone or user.phone or "",
            contact_email=customer_email or user.email or "",
        )
        insert_row(booking)  # Booking.objects.create(), its statement written once
        insert_rows(
            [
                BookingService(
                    booking=booking,
                    service_id=row["id"],
                    name=row["name"],
                    quantity=row["quantity"],
                    unit_price=row["unit_price"],
                    market_price=row["market_price"],
                    duration_minutes=row["duration_minutes"],
                )
                for row in preview["services"]
            ]
        )
        if booking.promo_code:
            promo_redeem(code=booking.promo_code, user=user, booking=booking, subtotal=pricing["subtotal"])
        events = [BookingEvent(booking=booking, new_status=booking.status, action="created", actor=user)]
        if payment_method == PaymentMode.CASH:
            events.append(BookingEvent(booking=booking, action="assignment_requested", note="cash booking"))
        if not hooks.partners().hold_capacity(booking=booking, plan=plan, events=events):  # adds "partner_held"
            raise _NobodyFree
        insert_rows(events)  # the timeline in one INSERT
        to = recipients(user, "booking_created")  # the notice's reads, before the number's lock
        endpoints = webhooks.targets("booking.created")  # and the webhook's
        number_booking(booking, also=hooks.HOLD_ESTIMATES)  # from here to the commit the day's confirms wait
        notify_booking("booking_created", booking, to=to)
        webhooks.emit("booking.created", webhook_data(booking), to=endpoints)
        if payment_method == PaymentMode.CASH:
            hooks.partners().assignment_requested(booking_id=booking.pk)
    return booking
