"""Seed 001 6.1-6.2: a resident orders from a society vendor; who may read an order.

Rules (seed and issue 17's sensible readings):

* The caller's residence in ``society_id`` must be VERIFIED: none there or a PENDING/REJECTED one is 403
  ``SOCIETY_NOT_VERIFIED``. It must be the caller's active society, else 422 ``VALIDATION_ERROR`` on
  ``society_id`` (reason ``not_active_society``): a verified resident who switched society asks for
  something well formed but not allowed in the current state.
* The vendor must serve the caller's unit (``orders.selectors``: approved by platform and society, a live
  card, an active area covering the unit), else 404 ``VENDOR_NOT_FOUND``.
* Every line names an item of the vendor's **published** snapshot for that service (422 on
  ``items.N.rate_card_item_id``); prices come from the snapshot only: a client ``unit_price`` that differs
  is 422 on ``items.N.unit_price``. ``pickup_datetime`` must be in the future (422).
* ``expected_delivery_date`` = the pickup's IST date + the largest ``ceil(turnaround_hours / 24)`` of the
  ordered services; turnaround is the vendor's per-society row (``SocietyVendorService``), else its
  vendor-level ``VendorService``, else the service's default, else 24 hours.
* ``order_number`` = ``ORD`` + the IST date of creation + a 6-digit counter per IST day
  (``core.sequences``, inside the transaction): an order at 23:30 UTC belongs to the next IST day.
* In the same transaction each ordered service gets its workflow steps (``orders.services.workflow.
  create_steps``, which gives a service without a template its default one), and the vendor
  (``society_order_received``) and the resident (``society_order_placed``) are notified: their inbox
  entries are written with the order, pushes and deliveries go out after commit. ``order_place`` says
  whether each notification was written (6.1's ``data.notifications``); the 30-minute pickup reminder is
  the periodic scan's (``orders.services.reminders``), nothing is queued for it here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from accounts.models import User
from catalog.models import Service
from core.errors import DomainError, ErrorCode
from core.sequences import next_value
from orders import selectors
from orders.models import Order, OrderItem, OrderService, OrderStatus, OrderTimeline, SocietyVendorService
from orders.notify import tell
from orders.services import status
from orders.services.workflow import create_steps
from partners.models import Partner, VendorService
from societies.errors import SocietyErrorCode
from societies.models import ApprovalStatus, Residence, Society

DEFAULT_TURNAROUND_HOURS = 24


def _invalid(message: str, field: str, reason: str) -> DomainError:
    return DomainError(message, code=ErrorCode.VALIDATION_ERROR, field=field, reason=reason)


def _residence(user: User, society: Society) -> Residence:
    residence = Residence.objects.filter(user=user, society=society).select_related("unit").first()
    if residence is None or residence.verification_status != ApprovalStatus.VERIFIED:
        raise DomainError(
            "Your residence in this society is not verified yet.",
            code=SocietyErrorCode.SOCIETY_NOT_VERIFIED,
            field="society_id",
        )
    if not residence.is_active:
        raise _invalid("Switch to this society before ordering in it.", "society_id", "not_active_society")
    return residence


def _vendor(society: Society, residence: Residence, vendor_id: Any) -> selectors.VendorView:
    partner = selectors.serving(society).filter(pk=vendor_id).first()
    view = selectors.vendor_view(partner) if partner is not None else None
    if view is None or not view.covers({*residence.unit.ancestor_ids, residence.unit.pk}):
        raise DomainError(
            "This vendor does not serve your place in this society.",
            code=SocietyErrorCode.VENDOR_NOT_FOUND,
            field="vendor_id",
        )
    return view


def turnaround_hours(partner: Partner, society: Society, services: list[Service]) -> dict[Any, int]:
    ids = [s.pk for s in services]
    local = dict(
        SocietyVendorService.objects.filter(
            partner=partner, society=society, service_id__in=ids, is_active=True
        ).values_list("service_id", "turnaround_hours")
    )
    vendor = dict(
        VendorService.objects.filter(partner=partner, service_id__in=ids, is_active=True).values_list(
            "service_id", "turnaround_hours"
        )
    )
    return {
        s.pk: local.get(s.pk) or vendor.get(s.pk) or s.default_turnaround_hours or DEFAULT_TURNAROUND_HOURS
        for s in services
    }


def delivery_days(hours: int) -> int:
    return math.ceil(hours / 24)


def order_number(now: datetime) -> str:
    day: date = timezone.localdate(now)
    return f"ORD{day:%Y%m%d}{next_value(f'order:{day:%Y%m%d}'):06d}"


def _lines(view: selectors.VendorView, items: list[dict[str, Any]]) -> list[tuple[dict[str, Any], int]]:
    published = {item["item_id"]: item for card in view.cards for item in card.published_items}
    lines = []
    for index, line in enumerate(items):
        item = published.get(line["rate_card_item_id"])
        if item is None or item["service_id"] != str(line["service_id"]):
            raise _invalid(
                "This item is not on the vendor's published rate card for that service.",
                f"items.{index}.rate_card_item_id",
                "not_on_card",
            )
        price = Decimal(item["price_per_piece"])
        if line.get("unit_price") is not None and Decimal(line["unit_price"]) != price:
            raise _invalid(
                f"The price of {item['item_name']} is {price}, not {line['unit_price']}.",
                f"items.{index}.unit_price",
                "price_mismatch",
            )
        lines.append((item, line["quantity"]))
    return lines


@dataclass(frozen=True)
class Placed:
    """A new order and whether its notifications were written (6.1's ``data.notifications``)."""

    order: Order
    vendor_notified: bool
    resident_notified: bool


def order_create(*, user: User, society: Society, data: dict[str, Any]) -> Order:
    """Seed 001 6.1 (see the module's rules). The order starts PICKUP_SCHEDULED."""
    return order_place(user=user, society=society, data=data).order


def order_place(*, user: User, society: Society, data: dict[str, Any]) -> Placed:
    """``order_create``, telling the caller who was notified."""
    residence = _residence(user, society)
    view = _vendor(society, residence, data["vendor_id"])
    lines = _lines(view, data["items"])
    now = timezone.now()
    pickup: datetime = data["pickup_datetime"]
    if pickup <= now:
        raise _invalid("The pickup must be in the future.", "pickup_datetime", "in_the_past")
    services = {str(s.pk): s for s in Service.objects.filter(pk__in={item["service_id"] for item, _ in lines})}
    hours = turnaround_hours(view.partner, society, list(services.values()))
    days = {str(pk): delivery_days(h) for pk, h in hours.items()}
    pickup_day = timezone.localdate(pickup)
    with transaction.atomic():
        order = Order.objects.create(
            order_number=order_number(now),
            partner=view.partner,
            residence=residence,
            society=society,
            status=OrderStatus.PICKUP_SCHEDULED,
            pickup_datetime=pickup,
            pickup_address=data.get("pickup_address", ""),
            resident_notes=data.get("resident_notes", ""),
            estimated_item_count=sum(q for _, q in lines),
            estimated_price=sum((Decimal(item["price_per_piece"]) * q for item, q in lines), Decimal("0.00")),
            expected_delivery_date=pickup_day + timedelta(days=max(days.values())),
        )
        OrderItem.objects.bulk_create(
            OrderItem(
                order=order,
                service=services[item["service_id"]],
                rate_card_item_id=item["item_id"],
                item_name=item["item_name"],
                quantity=quantity,
                unit_price=Decimal(item["price_per_piece"]),
                total_price=Decimal(item["price_per_piece"]) * quantity,
                delivery_days=days[item["service_id"]],
            )
            for item, quantity in lines
        )
        OrderTimeline.objects.bulk_create(
            [
                OrderTimeline(order=order, status="BOOKING_CREATED", message="Order placed", created_at=now),
                OrderTimeline(
                    order=order, status=OrderStatus.PICKUP_SCHEDULED, message="Pickup scheduled", created_at=now
                ),
            ]
        )
        create_steps(order)
        vendor = tell("society_order_received", order, to=["vendor"], item_count=order.estimated_item_count)
        resident = tell("society_order_placed", order, to=["resident"])
    return Placed(order=order, vendor_notified=vendor > 0, resident_notified=resident > 0)


def order_for(*, user: User, order_id: Any) -> Order:
    """Seed 001 6.2: the order if ``user`` may see it (resident, vendor, staff, the society's admins), else 404."""
    order = (
        Order.objects.select_related("partner__user", "residence__user", "residence__unit", "society")
        .prefetch_related(
            "items__service",
            "timeline",
            Prefetch("services", queryset=OrderService.objects.prefetch_related("steps")),
        )
        .filter(pk=order_id)
        .first()
    )
    if order is None or not status.sees(user, order):
        raise status.not_found()
    return order
