"""An HTTP request reads the runtime settings from the shared cache once and keeps that snapshot to its end
(issue #21: a checkout confirm read them four times); outside a request each read goes to the cache, and a
change made by the thread itself is seen at once."""

from __future__ import annotations

import pytest

from core import system_settings
from core.models import SystemSetting
from tests.partners import helpers as h
from tests.partners.test_checkout_dispatch import confirm
from tests.partners.test_confirm_holds import booking_of, customer_with_address, prepare_with

pytestmark = pytest.mark.django_db


class CountingCache:
    """The shared cache, counting the reads of the settings' entry."""

    def __init__(self, real) -> None:
        self.real, self.reads = real, 0

    def get(self, key, *args, **kwargs):
        self.reads += key == system_settings.CACHE_KEY
        return self.real.get(key, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self.real, name)


@pytest.fixture
def counting(monkeypatch):
    counter = CountingCache(system_settings.cache)
    monkeypatch.setattr(system_settings, "cache", counter)
    return counter


def test_a_checkout_confirm_reads_the_settings_once(counting):
    h.partner()
    user, address = customer_with_address()
    preview = prepare_with(user, address)
    counting.reads = 0

    booking_of(confirm(user, preview, address, "10:00 AM"))

    assert counting.reads == 1


def test_within_a_request_one_snapshot_outside_every_read(counting):
    system_settings.value("tax_rate")
    system_settings.value("tax_rate")
    assert counting.reads == 2  # no request: each read asks the cache

    system_settings.request_started()  # what Django's request_started signal calls
    try:
        first = system_settings.value("commission_percentage")
        SystemSetting.objects.update_or_create(key="commission_percentage", defaults={"value": "12.50"})
        system_settings.cache.delete(system_settings.CACHE_KEY)  # as another process's change would
        assert system_settings.value("commission_percentage") == first  # the request's snapshot
        assert counting.reads == 3
        system_settings.forget()  # a change made by this thread is seen at once
        assert str(system_settings.value("commission_percentage")) == "12.50"
        assert counting.reads == 4
    finally:
        system_settings.request_finished()

    system_settings.value("tax_rate")
    assert counting.reads == 5
