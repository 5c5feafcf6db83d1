"""Checkout confirm takes the day's booking number after the partner's hold, on PostgreSQL with real threads.

The day's counter row stays locked from the number's statement until the confirm commits, so a confirm that
took its number first would make every other confirm of that day wait through its whole hold. Here one confirm
is stopped inside its hold while another transaction takes a number for the same day with a short lock timeout:
it must get one at once. The numbers stay gapless: a confirm that finds nobody free gives nothing back because it
took nothing, and the bookings made are numbered 1, 2, ... in commit order.
"""

from __future__ import annotations

import threading
from datetime import time

import pytest
from django.db import connection, transaction

from bookings import hooks
from bookings.models import Booking
from bookings.services.numbers import next_booking_number
from tests.partners import helpers as h
from tests.partners.test_checkout_dispatch import day_after_tomorrow
from tests.partners.test_confirm_holds import book, customer_with_address

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_confirm_inside_its_hold_does_not_lock_the_days_numbers(monkeypatch):
    h.partner(at=h.NEAR, start=time(9), end=time(18))
    user, address = customer_with_address()
    port = hooks.partners()
    inside, release = threading.Event(), threading.Event()
    real_hold = port.hold_capacity

    def slow_hold(**kwargs):
        held = real_hold(**kwargs)
        inside.set()
        release.wait(timeout=30)
        return held

    monkeypatch.setattr(port, "hold_capacity", slow_hold)
    answers: list = []

    def confirm_in_thread():
        try:
            answers.append(book(user, address)[1].status_code)
        finally:
            connection.close()

    confirming = threading.Thread(target=confirm_in_thread)
    confirming.start()
    try:
        assert inside.wait(timeout=30), "the confirm never reached its hold"
    finally:
        if not inside.is_set():
            release.set()
    day = day_after_tomorrow()  # the day the confirm books (prepare's default in these helpers)
    numbers: list[str] = []

    def number_meanwhile():
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '2s'")
                numbers.append(next_booking_number(day=day))
                transaction.set_rollback(True)  # give it back: the confirm still gets number 1
        finally:
            connection.close()

    try:
        other = threading.Thread(target=number_meanwhile)
        other.start()
        other.join(timeout=30)
    finally:
        release.set()
        confirming.join(timeout=60)
    assert numbers == [f"BK-{day:%Y%m%d}-000001"]  # not a lock timeout: the confirm held no counter yet
    assert answers == [201]
    assert list(Booking.objects.values_list("booking_number", flat=True)) == [f"BK-{day:%Y%m%d}-000001"]


def test_numbers_stay_gapless_when_a_confirm_finds_nobody_free():
    h.partner(at=h.NEAR, start=time(10), end=time(11))  # one 10:00 visit, then nobody
    first, second = customer_with_address(), customer_with_address()
    assert book(*first)[1].status_code == 201
    refused = book(*second)[1]
    assert refused.status_code == 409, refused.json()
    h.partner(at=h.NEAR, start=time(10), end=time(11))  # a second partner: the next 10:00 confirm is served
    assert book(*second)[1].status_code == 201
    day = day_after_tomorrow()
    numbers = sorted(Booking.objects.values_list("booking_number", flat=True))
    assert numbers == [f"BK-{day:%Y%m%d}-000001", f"BK-{day:%Y%m%d}-000002"]  # the refused one took none
