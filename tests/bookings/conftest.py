"""Bookings tests check checkout and bookings on their own: every slot in business hours is offered.

Slot filtering by partner eligibility is tested in ``tests/partners``.
"""

import pytest


@pytest.fixture(autouse=True)
def _slots_without_partners(settings):
    settings.SLOTS_REQUIRE_PARTNER = False
