"""Thin Celery tasks of the bookings app."""

from celery import shared_task

from bookings.services.reminders import send_due_reminders


@shared_task
def send_reminders() -> int:
    return send_due_reminders()
