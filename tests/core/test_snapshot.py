"""An HTTP request reads the values every process shares through the cache (runtime settings, partners' reach,
webhook endpoints) once and all together, and keeps that snapshot to its end (issue #21: a checkout confirm read
the settings four times, then each of the three once); outside a request each read goes to the cache, and a
change made by the thread itself is seen at once."""

from __future__ import annotations

import pytest

from core import snapshot, system_settings
from core.models import SystemSetting
from notifications import webhooks
from partners import matching
from tests.partners import helpers as h
from tests.partners.test_checkout_dispatch import confirm
from tests.partners.test_confirm_holds import book, booking_of, customer_with_address, prepare_with

pytestmark = pytest.mark.django_db

SHARED = {system_settings.CACHE_KEY, matching.REACH_CACHE_KEY, webhooks.ENDPOINTS_CACHE_KEY}


class CountingCache:
    """The shared cache, counting the round trips that read the shared values."""

    def __init__(self, real) -> None:
        self.real, self.reads = real, []

    def get(self, key, *args, **kwargs):
        if key in SHARED:
            self.reads.append(key)
        return self.real.get(key, *args, **kwargs)

    def get_many(self, keys, *args, **kwargs):
        self.reads.append("get_many")
        return self.real.get_many(keys, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self.real, name)


@pytest.fixture
def counting(monkeypatch):
    counter = CountingCache(snapshot.cache)
    monkeypatch.setattr(snapshot, "cache", counter)
    return counter


def test_a_checkout_confirm_reads_the_shared_values_in_one_round_trip(counting):
    h.partner()
    user, address = customer_with_address()
    book(user, address)  # the first confirm finds the endpoints uncached and caches them
    preview = prepare_with(user, address)
    counting.reads = []

    booking_of(confirm(user, preview, address, "12:00 PM"))

    assert counting.reads == ["get_many"]  # runtime settings, partners' reach and webhook endpoints together


def test_within_a_request_one_snapshot_outside_every_read(counting):
    system_settings.value("tax_rate")
    system_settings.value("tax_rate")
    assert counting.reads == [system_settings.CACHE_KEY] * 2  # no request: each read asks the cache

    snapshot.request_started()  # what Django's request_started signal calls
    try:
        first = system_settings.value("commission_percentage")
        matching.search_reach_km()
        SystemSetting.objects.update_or_create(key="commission_percentage", defaults={"value": "12.50"})
        snapshot.cache.delete(system_settings.CACHE_KEY)  # as another process's change would
        assert system_settings.value("commission_percentage") == first  # the request's snapshot
        assert counting.reads[2:] == ["get_many"]  # settings and reach (cached or not) in one read
        system_settings.forget()  # a change made by this thread is seen at once
        assert str(system_settings.value("commission_percentage")) == "12.50"
        assert counting.reads[3:] == []  # read from the database, as nothing was cached any more
    finally:
        snapshot.request_finished()

    system_settings.value("tax_rate")
    assert counting.reads[3:] == [system_settings.CACHE_KEY]


def test_a_partner_saved_in_the_request_is_in_its_reach_at_once():
    h.partner(radius=5)
    snapshot.request_started()
    try:
        before = matching.search_reach_km()
        h.partner(radius=40)  # its post_save forgets the reach, in the cache and in this request's copy
        assert matching.search_reach_km() == 40 > before
    finally:
        snapshot.request_finished()


def test_an_endpoint_saved_in_the_request_is_a_target_at_once():
    snapshot.request_started()
    try:
        assert webhooks.targets("booking.created") == []
        endpoint = webhooks.WebhookEndpoint.objects.create(url="https://hooks.example.com/in", secret_encrypted="x")
        assert [row["id"] for row in webhooks.targets("booking.created")] == [endpoint.pk]
    finally:
        snapshot.request_finished()
