"""Block and unblock accounts. A block takes effect on the very next request.

Access tokens and sessions are checked against ``is_active`` on every request
(``accounts.authentication``; Django's session backend refuses inactive
users), the person's refresh tokens are blacklisted and their open WebSockets
are closed with 4401, so nothing they hold still works. Only a super admin blocks a staff account; nobody blocks
themselves. Every change is audited.
"""

from __future__ import annotations

from django.db import transaction
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from accounts.models import User
from core import audit
from core.errors import DomainError, ErrorCode
from core.events import revoke_sessions_on_commit
from core.types import Id


def end_sessions(person: User) -> int:
    """Blacklist the person's refresh tokens and close their open WebSockets (after commit)."""
    revoke_sessions_on_commit(person.pk)
    outstanding = list(OutstandingToken.objects.filter(user=person, blacklistedtoken__isnull=True))
    BlacklistedToken.objects.bulk_create(
        [BlacklistedToken(token=token) for token in outstanding], ignore_conflicts=True
    )
    return len(outstanding)


def check_may_change(actor: User, person: User) -> None:
    if person.pk == actor.pk:
        raise DomainError("You cannot change your own account here.", code=ErrorCode.FORBIDDEN, reason="own_account")
    if person.is_staff_member and not actor.is_superuser:
        raise DomainError(
            "Only a super admin can change a staff account.", code=ErrorCode.FORBIDDEN, reason="staff_account"
        )


def user_set_active(*, user_id: Id, is_active: bool, reason: str = "", actor: User) -> User:
    person = User.objects.prefetch_related("groups").filter(pk=user_id).first()
    if person is None:
        raise DomainError("User not found.", code=ErrorCode.NOT_FOUND, field="id", reason="not_found")
    check_may_change(actor, person)
    action = "unblock_user" if is_active else "block_user"
    with transaction.atomic(), audit.track(person, action=action, actor=actor, extra={"reason": reason}):
        User.objects.filter(pk=person.pk).update(is_active=is_active)
        if not is_active:
            end_sessions(person)
    person.refresh_from_db()
    return person
