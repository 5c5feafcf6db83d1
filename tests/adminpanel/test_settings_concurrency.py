"""Two staff changing business hours at the same moment cannot leave them closing before they open."""

from __future__ import annotations

import pytest
from django.db import connection

from core import system_settings
from core.errors import DomainError
from tests.accounts.test_concurrency import run_together

pytestmark = pytest.mark.django_db(transaction=True)


def test_simultaneous_opening_and_closing_changes_never_invert_the_hours():
    assert connection.vendor == "postgresql"
    changes = [{"business_hours_start": "19:00"}, {"business_hours_end": "10:00"}]

    for _ in range(5):
        system_settings.settings_update(
            actor=None, changes={"business_hours_start": "08:00", "business_hours_end": "20:00"}
        )

        def change(index):
            try:
                system_settings.settings_update(actor=None, changes=changes[index])
                return "saved"
            except DomainError as exc:
                return exc.field

        outcomes = run_together(2, change)

        assert sorted(outcomes) == ["business_hours_end", "saved"]
        system_settings.forget()
        assert system_settings.clock("business_hours_start") < system_settings.clock("business_hours_end")
