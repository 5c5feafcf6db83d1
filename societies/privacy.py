"""The societies app's personal data (core.privacy): the person's residences (society, unit, verification).

Anonymised: the residence's notes (the unit stays: a society's orders and ledger refer to it) and the residence
is made inactive, so that the flat no longer lists the person.
"""

from __future__ import annotations

from typing import Any

from core import privacy
from societies.models import Residence


def export(user: Any) -> dict[str, Any]:
    """One query whatever the number of residences."""
    residences = list(
        Residence.objects.filter(user_id=user.pk)
        .order_by("created_at")
        .values(
            "id",
            "society__name",
            "unit__node_code",
            "unit__node_name",
            "unit_type",
            "verification_status",
            "is_primary",
            "is_active",
            "notes",
            "verified_at",
            "created_at",
        )
    )
    return {"residences": residences}


def anonymise(user: Any) -> None:
    residences = Residence.objects.filter(user_id=user.pk)
    privacy.blank(residences, notes="")
    residences.update(is_active=False)


def register() -> None:
    privacy.register("societies", export=export, anonymise=anonymise)
