"""How partners answers ``bookings.hooks`` (connected in ``PartnersConfig.ready``), and a cache it keeps fresh."""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction
from django.db.models import Prefetch, Q
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from bookings import hooks
from partners.live import availability_changed, next_weekday
from partners.models import (
    BUSY_STATUSES,
    LIVE_STATUSES,
    Partner,
    PartnerAssignment,
    PartnerAvailability,
    ServiceAreaPincode,
)
from partners.selectors import REACH_CACHE_KEY, slots_changed, slots_with_partner
from partners.services.dispatch import on_cancelled, on_rescheduled, request_dispatch
from partners.services.jobs import partner_rate


def _assignment_requested(sender, booking_id, **kwargs) -> None:
    request_dispatch(booking_id)


def _rescheduled(sender, booking_id, **kwargs) -> None:
    on_rescheduled(booking_id)


def _cancelled(sender, booking_id, **kwargs) -> None:
    on_cancelled(booking_id)


def _rated(sender, booking_id, rating, **kwargs) -> None:
    partner_rate(booking_id=booking_id, rating=rating)


def _partner_may_read(user, booking) -> bool:
    """The partner offered the job (while the offer is open) or doing or having done it."""
    return PartnerAssignment.objects.filter(
        Q(status__in=BUSY_STATUSES) | Q(status="completed"), booking_id=booking.pk, partner__user=user
    ).exists()


def _with_partner(queryset):
    live = PartnerAssignment.objects.filter(status__in=LIVE_STATUSES).select_related("partner__user")
    return queryset.prefetch_related(Prefetch("assignments", queryset=live, to_attr="live_assignments"))


def _partner_of(booking) -> dict | None:
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
    phone = partner.user.phone if assignment.status != "assigned" else None  # shared once the partner accepts
    return {
        "id": str(partner.pk),
        "partner_code": partner.partner_code,
        "name": partner.name,
        "phone_number": phone,
        "phone": phone,  # seed 000's key; phone_number kept for existing clients
        "rating": float(partner.rating),
        "assignment_status": assignment.status,
        "status": assignment.status,  # seed 000's key
        "estimated_arrival": assignment.estimated_arrival.isoformat() if assignment.estimated_arrival else None,
    }


def _assigned_users(booking) -> list:
    """The partner who accepted the booking's job (none while it is only offered)."""
    from accounts.models import User

    return list(
        User.objects.filter(
            partner_profile__assignments__booking=booking,
            partner_profile__assignments__status__in=["accepted", "in_transit", "arrived"],
        )
    )


def _slots_changed(sender, **kwargs) -> None:
    slots_changed()
    transaction.on_commit(slots_changed)  # again once committed: a slot question in between saw the old rows


def _assignment_saved(sender, instance, **kwargs) -> None:
    availability_changed(instance.partner_id, [timezone.localdate(instance.busy_from)])


def _hours_saved(sender, instance, **kwargs) -> None:
    availability_changed(instance.partner_id, [next_weekday(instance.day_of_week)])


def _forget_reach(sender, instance, **kwargs) -> None:
    """Now, and again after commit (a search in between may have cached the old reach)."""
    cache.delete(REACH_CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(REACH_CACHE_KEY))


def connect() -> None:
    post_save.connect(_forget_reach, sender=Partner, dispatch_uid="partners.forget_reach")
    for model in (Partner, PartnerAssignment, PartnerAvailability, ServiceAreaPincode):
        post_save.connect(_slots_changed, sender=model, dispatch_uid=f"partners.slots_changed.{model.__name__}")
        post_delete.connect(_slots_changed, sender=model, dispatch_uid=f"partners.slots_gone.{model.__name__}")
    for model, receiver in ((PartnerAssignment, _assignment_saved), (PartnerAvailability, _hours_saved)):
        post_save.connect(receiver, sender=model, dispatch_uid=f"partners.live.{model.__name__}")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"partners.live_gone.{model.__name__}")
    hooks.register_partner_source(hooks.PartnerSource(prefetch=_with_partner, summary=_partner_of))
    hooks.register_assigned_users(_assigned_users)
    hooks.assignment_requested.connect(_assignment_requested, dispatch_uid="partners.assignment_requested")
    hooks.booking_rescheduled.connect(_rescheduled, dispatch_uid="partners.rescheduled")
    hooks.booking_cancelled.connect(_cancelled, dispatch_uid="partners.cancelled")
    hooks.booking_rated.connect(_rated, dispatch_uid="partners.rated")
    hooks.register_reader(_partner_may_read)
    hooks.register_slot_filter(slots_with_partner)
