"""Who may act on which society (DESIGN.md section 3).

A platform staff member with the permission acts on every society. A society
admin (whose only staff role is ``society_admin``) acts only on the societies
in their ``SocietyAdminScope`` rows: elsewhere the answer is 403 ``FORBIDDEN``. An
unknown society is 404 ``SOCIETY_NOT_FOUND`` for both, checked first (the id
is an integer the seed shows in public search results, so its existence is
not a secret).
"""

from __future__ import annotations

from accounts.models import User
from accounts.roles import STAFF_ROLES, Role
from core.errors import DomainError, ErrorCode
from societies.errors import SocietyErrorCode
from societies.models import Society, SocietyAdminScope

_PLATFORM_ROLES = STAFF_ROLES - {Role.SOCIETY_ADMIN}


def society_or_404(society_id: int, *, lock: bool = False) -> Society:
    rows = Society.objects.select_for_update() if lock else Society.objects
    society = rows.filter(pk=society_id).first()
    if society is None:
        raise DomainError("Society not found.", code=SocietyErrorCode.SOCIETY_NOT_FOUND, field="society_id")
    return society


def is_platform_staff(user: User) -> bool:
    return user.is_superuser or bool(user.role_names & _PLATFORM_ROLES)


def runs(user: User, society_id: int) -> bool:
    """Whether ``user`` is a society admin of ``society_id`` (a scope row; the role is checked by permission)."""
    return SocietyAdminScope.objects.filter(user=user, society_id=society_id).exists()


def society_for_staff(user: User, society_id: int, perm: str) -> Society:
    """The society, if ``user`` may use ``perm`` on it; 404 for an unknown one, 403 outside their scope."""
    society = society_or_404(society_id)
    allowed = user.has_perm(perm) and (is_platform_staff(user) or runs(user, society.pk))
    if not allowed:
        raise DomainError("You do not manage this society.", code=ErrorCode.FORBIDDEN, reason="not_your_society")
    return society


def scoped_societies(user: User):
    """The ids a user may act on as a society admin, or ``None`` for platform staff (all of them)."""
    if is_platform_staff(user):
        return None
    return SocietyAdminScope.objects.filter(user=user).values("society_id")
