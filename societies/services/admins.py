"""Society admins' scope: the societies a ``society_admin`` runs (appointed through the staff API)."""

from __future__ import annotations

from django.db import transaction

from accounts.models import User
from core import audit
from core.errors import DomainError
from societies.errors import SocietyErrorCode
from societies.models import Society, SocietyAdminScope


def society_admin_scope_set(*, user: User, society_ids: list[int], actor: User | None = None) -> list[int]:
    """Replace the societies ``user`` runs with ``society_ids`` (each must exist: 404 ``SOCIETY_NOT_FOUND``)."""
    wanted = list(dict.fromkeys(society_ids))
    found = set(Society.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    missing = [pk for pk in wanted if pk not in found]
    if missing:
        raise DomainError(
            f"Society {missing[0]} not found.",
            code=SocietyErrorCode.SOCIETY_NOT_FOUND,
            field="society_ids",
            context={"society_ids": missing},
        )
    with transaction.atomic():
        before = sorted(SocietyAdminScope.objects.filter(user=user).values_list("society_id", flat=True))
        SocietyAdminScope.objects.filter(user=user).exclude(society_id__in=wanted).delete()
        for pk in wanted:
            SocietyAdminScope.objects.get_or_create(user=user, society_id=pk)
        if before != sorted(wanted):
            audit.record(
                action="set_society_admin_scope",
                resource_type="user",
                resource_id=user.pk,
                changes={"society_ids": {"old": before, "new": sorted(wanted)}},
                actor=actor,
            )
    return wanted
