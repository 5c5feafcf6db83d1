"""Delete my account (issue #21, seed 000 "GDPR-compliant data handling"): anonymised in place.

The person confirms with ``{"confirm": "DELETE"}`` and, when the account has a password, that password (the
re-authentication of ``auth/change-password``); an OTP-only account has none to give. While anything is open
(a booking not yet completed, cancelled, refunded, expired or a no-show; a society order not closed or
cancelled: the apps' ``open_items`` in ``core.privacy``) the answer is 409 naming each open item.

Staff and partner accounts are refused here (409): a partner's earnings and payouts and a staff member's
audit trail are settled by the operations team, which closes such an account (``accounts.services.blocking``).

Otherwise, in one transaction under a lock on the user row, every app's anonymiser runs (accounts last in
effect: blank contacts, inactive, unusable password, refresh tokens blacklisted) and the deletion is
audited. Bookings, payments, refunds, ledger entries and partner earnings keep their amounts, dates and
statuses, so the books still balance; the audit log is append-only and keeps its rows.
"""

from __future__ import annotations

from django.db import transaction

from accounts.models import User
from core import audit, privacy
from core.errors import DomainError, ErrorCode

CONFIRMATION = "DELETE"


def account_delete(*, user: User, confirm: str, password: str | None = None) -> list[str]:
    """Anonymise the person's account; the sections that ran. Raises 422 (confirmation) or 409 (open items)."""
    if user.is_staff_member or user.is_partner:
        raise DomainError(
            "A staff or partner account is closed by the operations team (earnings, payouts and the audit "
            "trail are settled first); please contact support.",
            code=ErrorCode.CONFLICT,
            field="account",
            reason="staff_or_partner_account",
        )
    if confirm != CONFIRMATION:
        raise DomainError(
            'Send "confirm": "DELETE" to delete your account.',
            code=ErrorCode.VALIDATION_ERROR,
            field="confirm",
            reason="confirmation_required",
        )
    if user.has_usable_password() and not user.check_password(password or ""):
        raise DomainError(
            "Your password is needed to delete your account.",
            code=ErrorCode.VALIDATION_ERROR,
            field="password",
            reason="password_incorrect",
        )
    with transaction.atomic():
        person = User.objects.select_for_update().get(pk=user.pk)
        if not person.is_active:  # a second request that waited on the lock of the first
            raise DomainError(
                "This account has already been deleted.",
                code=ErrorCode.CONFLICT,
                field="account",
                reason="already_deleted",
            )
        person.role_names  # noqa: B018  (read before the anonymisers run)
        items = privacy.open_items(person)
        if items:
            raise DomainError(
                "Settle these first: " + "; ".join(items) + ".",
                code=ErrorCode.CONFLICT,
                field="account",
                reason="open_items",
                context={"open_items": items},
            )
        ran = privacy.anonymise(person)
        person.refresh_from_db()
        audit.record(
            action="delete_account",
            resource_type="user",
            resource_id=person.pk,
            changes={"anonymised": ran},
            actor=person,
        )
    return ran
