"""Back-office writes. Each one is audited (``core.audit.track``: before and after) and calls the owning
app's service for the rule itself (bookings' state machine, payments' refund checks, roles).

Decisions where the seeds are silent:

* ``PATCH /admin/bookings/{id}/status`` moves a booking along its state
  machine; cancelling and refunding have their own endpoints (they move
  money), so ``cancelled`` and ``refunded`` are refused there with the
  endpoint to use.
* ``refund_to_wallet``: the platform has no wallet; refunds go back to the
  original payment method and the answer says so.
* A deleted staff member is deactivated and loses their roles (seed 003 soft
  delete). Services and categories are written by ``catalog.services``.
* Only a super admin blocks or changes another staff account; nobody blocks
  themselves.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.db import IntegrityError, transaction
from django.utils.module_loading import import_string

from accounts.roles import STAFF_ROLES, Role
from accounts.services.blocking import check_may_change, end_sessions, user_set_active
from accounts.services.roles import user_set_roles
from bookings.errors import BookingErrorCode
from bookings.models import Booking, BookingStatus, CancelledBy, ContactSubmission, PromoCode
from bookings.services import lifecycle
from core import audit
from core.errors import DomainError, ErrorCode
from partners.services.jobs import job_complete_by_staff
from payments.models import RefundType
from payments.services.refunds import payment_for_refund, refund_create

User = get_user_model()

# --- bookings ---------------------------------------------------------------------------------


def booking_set_status(*, booking_id, status: str, notes: str = "", actor) -> Booking:
    if status in (BookingStatus.CANCELLED, BookingStatus.REFUNDED):
        endpoint = "cancel" if status == BookingStatus.CANCELLED else "refund"
        raise DomainError(
            f"Use POST /admin/bookings/{{id}}/{endpoint} to make a booking {status}: it moves money.",
            code=BookingErrorCode.INVALID_BOOKING_STATUS,
            field="status",
            reason=f"use_{endpoint}_endpoint",
        )
    if status not in BookingStatus.values:
        raise DomainError(
            f"Unknown status. Use one of: {', '.join(BookingStatus.values)}.",
            code=ErrorCode.VALIDATION_ERROR,
            field="status",
            reason="unknown_value",
        )
    booking = _booking(booking_id)
    extra = {"notes": notes} if notes else None
    with transaction.atomic(), audit.track(booking, action="update_booking_status", actor=actor, extra=extra):
        locked = lifecycle.booking_lock(booking_id)
        if locked.status == status:
            raise DomainError(
                f"The booking is already {status}.",
                code=BookingErrorCode.INVALID_BOOKING_STATUS,
                reason="unchanged",
                context={"status": status},
            )
        if status == BookingStatus.COMPLETED:  # the partner's completion: cash, earning, ledger
            job_complete_by_staff(booking_id=locked.pk, actor=actor, note=notes)
        else:
            lifecycle.booking_transition(locked, status, actor=actor, action="status_set_by_staff", note=notes)
    booking.refresh_from_db()
    return booking


def _booking(booking_id) -> Booking:
    booking = Booking.objects.filter(pk=booking_id).first()
    if booking is None:
        raise DomainError("Booking not found.", code=BookingErrorCode.BOOKING_NOT_FOUND, field="id", reason="not_found")
    return booking


def booking_cancel(*, booking_id, reason: str, refund_amount: Decimal | None, actor) -> lifecycle.Cancellation:
    booking = _booking(booking_id)
    with audit.track(booking, action="cancel_booking", actor=actor, extra={"reason": reason}):
        return lifecycle.booking_cancel(
            user=actor, booking_id=booking_id, reason=reason, by=CancelledBy.ADMIN, refund_amount=refund_amount
        )


def booking_refund(*, booking_id, amount: Decimal | None, reason: str, notes: str = "", actor):
    booking = _booking(booking_id)
    payment = payment_for_refund(payable_type="bookings.booking", payable_id=str(booking.pk), refund_type="full")
    refund_type = RefundType.FULL if amount is None else RefundType.PARTIAL
    refund = refund_create(
        payment_pk=payment.pk,
        refund_type=refund_type,
        amount=amount,
        reason=reason + (f" ({notes})" if notes else ""),
        requested_by=actor,
    )
    audit.record(
        action="refund_booking",
        resource_type="booking",
        resource_id=booking.pk,
        actor=actor,
        changes={
            "refund_id": str(refund.pk),
            "amount": {"old": None, "new": str(refund.amount)},
            "payment_id": str(payment.pk),
            "reason": reason,
            "notes": notes,
        },
    )
    return refund


# --- promo codes, contact ---------------------------------------------------------------------


def _check_promo(values: dict[str, Any]) -> None:
    if values.get("discount_type") == "percentage" and values.get("discount_value", 0) > 100:
        raise DomainError(
            "A percentage discount is 100 at most.",
            code=ErrorCode.VALIDATION_ERROR,
            field="discount_value",
            reason="out_of_range",
        )
    start, end = values.get("valid_from"), values.get("valid_until")
    if start and end and end <= start:
        raise DomainError(
            "valid_until must be after valid_from.",
            code=ErrorCode.VALIDATION_ERROR,
            field="valid_until",
            reason="inverted_range",
        )


def promo_create(*, data: dict[str, Any], actor) -> PromoCode:
    data = {**data, "code": data["code"].strip().upper()}
    _check_promo(data)
    if PromoCode.objects.filter(code=data["code"]).exists():
        raise DomainError("This promo code exists.", code=ErrorCode.CONFLICT, field="code", reason="duplicate")
    promo = PromoCode.objects.create(**data)
    audit.record_created(promo, action="create_promo_code", actor=actor)
    return promo


def promo_update(*, promo_id, data: dict[str, Any], actor) -> PromoCode:
    promo = PromoCode.objects.filter(pk=promo_id).first()
    if promo is None:
        raise DomainError("Promo code not found.", code=ErrorCode.NOT_FOUND, field="id", reason="not_found")
    merged = {
        "discount_type": promo.discount_type,
        "discount_value": promo.discount_value,
        "valid_from": promo.valid_from,
        "valid_until": promo.valid_until,
        **data,
    }
    _check_promo(merged)
    with audit.track(promo, action="update_promo_code", actor=actor):
        for name, value in data.items():
            setattr(promo, name, value)
        promo.save()
    return promo


def contact_update(*, submission_id, status: str | None, admin_notes: str | None, actor) -> ContactSubmission:
    submission = ContactSubmission.objects.filter(pk=submission_id).first()
    if submission is None:
        raise DomainError("Submission not found.", code=ErrorCode.NOT_FOUND, field="id", reason="not_found")
    with audit.track(submission, action="update_contact_submission", actor=actor):
        if status is not None:
            submission.status = status
        if admin_notes is not None:
            submission.admin_notes = admin_notes
        submission.save()
    return submission


# --- people -----------------------------------------------------------------------------------


def _person(user_id):
    person = User.objects.prefetch_related("groups").filter(pk=user_id).first()
    if person is None:
        raise DomainError("User not found.", code=ErrorCode.NOT_FOUND, field="id", reason="not_found")
    return person


def staff_create(*, data: dict[str, Any], role: Role, actor):
    if role not in STAFF_ROLES or role == Role.SUPER_ADMIN:
        raise DomainError(
            "Choose a staff role (not super_admin).", code=ErrorCode.VALIDATION_ERROR, field="role", reason="not_staff"
        )
    for field in ("email", "phone"):
        value = data.get(field)
        if value and User.objects.filter(**{field: value}).exists():
            raise DomainError(
                f"An account with this {field} exists.", code=ErrorCode.CONFLICT, field=field, reason="duplicate"
            )
    with transaction.atomic():
        person = User.objects.create_user(
            email=data.get("email") or None,
            phone=data.get("phone") or None,
            password=data["password"],
            full_name=data.get("full_name", ""),
        )
        user_set_roles(user=person, roles=[role])
        audit.record(
            action="create_staff",
            resource_type="user",
            resource_id=person.pk,
            actor=actor,
            changes={
                "email": {"old": None, "new": person.email},
                "phone": {"old": None, "new": person.phone},
                "full_name": {"old": None, "new": person.full_name},
                "role": {"old": None, "new": role.value},
            },
        )
    return _person(person.pk)


def staff_update(*, user_id, data: dict[str, Any], actor):
    person = _person(user_id)
    if not person.is_staff_member:
        raise DomainError("Not a staff account.", code=ErrorCode.NOT_FOUND, field="id", reason="not_staff")
    check_may_change(actor, person)
    role = data.pop("role", None)
    before_roles = sorted(person.role_names)
    with audit.track(person, action="update_staff", actor=actor), transaction.atomic():
        for name in ("full_name", "email", "phone", "is_active"):
            if name in data:
                setattr(person, name, data[name])
        try:
            person.save()
        except IntegrityError as exc:
            raise DomainError(
                "Another account uses this email or phone.", code=ErrorCode.CONFLICT, reason="duplicate"
            ) from exc
        if role is not None:
            user_set_roles(user=person, roles=[*(r for r in person.role_names if r not in STAFF_ROLES), role])
        if data.get("is_active") is False:
            end_sessions(person)
    if role is not None:
        audit.record(
            action="change_staff_role",
            resource_type="user",
            resource_id=person.pk,
            actor=actor,
            changes={"roles": {"old": before_roles, "new": sorted(_person(user_id).role_names)}},
        )
    return _person(user_id)


def staff_delete(*, user_id, actor):
    """Seed 003 soft delete: the account is deactivated and keeps no staff role."""
    person = _person(user_id)
    if not person.is_staff_member:
        raise DomainError("Not a staff account.", code=ErrorCode.NOT_FOUND, field="id", reason="not_staff")
    check_may_change(actor, person)
    before_roles = sorted(person.role_names)
    with transaction.atomic():
        User.objects.filter(pk=person.pk).update(is_active=False)
        user_set_roles(user=person, roles=[r for r in person.role_names if r not in STAFF_ROLES])
        end_sessions(person)
        audit.record(
            action="delete_staff",
            resource_type="user",
            resource_id=person.pk,
            actor=actor,
            changes={"is_active": {"old": person.is_active, "new": False}, "roles": {"old": before_roles, "new": []}},
        )
    return _person(user_id)


def staff_toggle_active(*, user_id, actor):
    person = _person(user_id)
    if not person.is_staff_member:
        raise DomainError("Not a staff account.", code=ErrorCode.NOT_FOUND, field="id", reason="not_staff")
    return user_set_active(user_id=user_id, is_active=not person.is_active, reason="toggle", actor=actor)


# --- caches -----------------------------------------------------------------------------------

CACHE_TYPES = ("all", "catalog", "slots", "settings")


def cache_clear(*, cache_type: str, actor) -> dict[str, list[str]]:
    from catalog import cache as catalog_cache
    from core import system_settings
    from partners.selectors import slots_changed

    if cache_type not in CACHE_TYPES:
        raise DomainError(
            f"Unknown cache_type. Use one of: {', '.join(CACHE_TYPES)}.",
            code=ErrorCode.VALIDATION_ERROR,
            field="cache_type",
            reason="unknown_value",
        )
    cleared, errors = [], []
    try:
        if cache_type == "all":
            caches["default"].clear()
            catalog_cache.forget_local()
            cleared.append("default")
        if cache_type == "catalog":
            catalog_cache.invalidate()
            cleared.append("catalog")
        if cache_type == "slots":
            slots_changed()
            cleared.append("slots")
        if cache_type == "settings":
            system_settings.forget()
            cleared.append("settings")
    except Exception as exc:
        errors.append(f"{cache_type}: {exc}")
    audit.record(
        action="clear_cache",
        resource_type="cache",
        resource_id=cache_type,
        actor=actor,
        changes={"cleared": cleared, "errors": errors},
    )
    return {"cleared": cleared, "errors": errors}


# --- broadcast --------------------------------------------------------------------------------


def segment_user_ids(segment: str) -> list[str]:
    from accounts.models import Address

    people = User.objects.filter(is_active=True)
    kind, _, value = segment.partition(":")
    if segment == "all_customers":
        people = people.filter(groups__name=Role.CUSTOMER)
    elif segment == "all_partners":
        people = people.filter(groups__name__in=[Role.PARTNER, Role.SPECIALIST])
    elif segment == "all_staff":
        people = people.filter(is_staff=True)
    elif kind == "role" and value in Role.values:
        people = people.filter(groups__name=value)
    elif kind == "pincode" and value.isdigit():
        people = people.filter(pk__in=Address.objects.filter(pincode=value).values("user_id"))
    else:
        raise DomainError(
            "Unknown segment. Use all_customers, all_partners, all_staff, role:<role> or pincode:<pincode>.",
            code=ErrorCode.VALIDATION_ERROR,
            field="segment",
            reason="unknown_segment",
        )
    return [str(pk) for pk in people.distinct().values_list("pk", flat=True)]


def broadcast(*, segment: str, title: str, message: str, actor) -> dict[str, Any]:
    from notifications.services.broadcast import broadcast as queue_broadcast

    user_ids = segment_user_ids(segment)
    with transaction.atomic():
        audit.record(
            action="broadcast",
            resource_type="notification",
            resource_id=segment,
            actor=actor,
            changes={"segment": segment, "title": title, "message": message, "recipients": len(user_ids)},
        )
        transaction.on_commit(lambda: queue_broadcast(user_ids, title=title, message=message))
    return {"segment": segment, "recipients": len(user_ids)}


# --- seed 002 notification actions ---------------------------------------------------------------

NOTIFICATION_ACTIONS = {
    "send_bonus_alerts": ("partners.tasks.send_bonus_alerts", "Bonus alerts"),
    "send_reminders": ("bookings.tasks.send_reminders", "Booking reminders"),
}


def notification_action(*, action: str, actor) -> dict[str, str]:
    """Start one of seed 002's notification jobs on the worker; answers the Celery task id."""
    task_name, label = NOTIFICATION_ACTIONS[action]
    task = import_string(task_name)
    task_id = str(uuid.uuid4())
    with transaction.atomic():
        audit.record(
            action=action,
            resource_type="notification",
            resource_id=task_id,
            actor=actor,
            changes={"task": task_name},
        )
        transaction.on_commit(lambda: task.apply_async(task_id=task_id))
    return {"task_id": task_id, "message": f"{label} task started. Task ID: {task_id}"}
