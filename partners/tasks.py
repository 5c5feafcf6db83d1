"""Dispatch jobs: thin Celery tasks over ``partners.services.dispatch``; each is safe to run twice."""

from __future__ import annotations

from celery import shared_task


@shared_task(acks_late=True, ignore_result=True)
def dispatch_booking_task(booking_id: str) -> None:
    from partners.services.dispatch import dispatch_booking

    dispatch_booking(booking_id)


@shared_task(acks_late=True, ignore_result=True)
def expire_offer(assignment_id: str) -> bool:
    """The offer's countdown: expires it if still unanswered and moves the booking on."""
    from partners.services.dispatch import offer_expire

    return offer_expire(assignment_id)


@shared_task(ignore_result=True)
def sweep_dispatch() -> dict:
    """Every minute: offers whose countdown was lost, bookings whose dispatch was lost."""
    from partners.services.dispatch import sweep

    return sweep()


@shared_task(acks_late=True, ignore_result=True)
def send_bonus_alerts() -> int:
    from partners.services.bonus import send_bonus_alerts as send

    return send()


@shared_task(ignore_result=True)
def publish_availability(partner_id: str, dates: list[str]) -> int:
    from partners.live import publish

    return publish(partner_id, dates)
