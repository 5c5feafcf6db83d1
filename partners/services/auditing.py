"""What the audit log keeps of staff writes in the partners app (issue 14 item 10).

Staff endpoints (partners, availability, payouts, a manual assignment) record
their own entries through ``core.audit`` with seed-style action names and the
values before and after, instead of the middleware's route-and-body fallback:

===========================  ==================  ===========================================
action                       resource            before / after
===========================  ==================  ===========================================
create_partner               partner             every value of :func:`partner_state`
update_partner               partner             the values that changed
verify_partner               partner             onboarding status, notes, verified at/by
update_partner_availability  partner             is_available, working days and hours
review_application           partnerapplication  status, review notes (then verify_partner)
create_payout                partnerpayout       every field, and the earnings included
start_payout                 partnerpayout       status, processed_by
process_payout               partnerpayout       status, processed at/by, transaction ids,
                                                 and the earnings paid
fail_payout                  partnerpayout       status, failure reason, earnings returned
release_earning              partnerearning      status, payout, paid_at (then create_payout
                                                 and process_payout of its payout)
assign_partner               booking             status, the partner (and their assignment)
                                                 before and after, forced
===========================  ==================  ===========================================

KYC never reaches the log in clear: a partner's state has the numbers as the
API masks them (``XXXXXXXX9012``) and the encrypted columns as
``[secret <hash>]``, so a change of Aadhaar, PAN or bank account shows and the
number does not. Only staff writes are recorded: each service records when it
is given the staff member who acted (``by``/``actor``); called without one
(demo data, a partner's own change, a test fixture) it writes no entry.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from accounts.models import User
from core import audit
from partners.models import Partner

# Columns a partner's audited state leaves out: KYC lookup columns (replaced by the masked numbers) and sums.
NOT_AUDITED = ("aadhar_hash", "aadhar_last4", "pan_last4", "bank_account_last4", "bank_account_length", "rating_total")


def partner_state(partner: Partner) -> dict[str, Any]:
    """A partner as staff change it: the profile row, the account's name and contacts, categories and hours."""
    values = {key: value for key, value in audit.snapshot(partner).items() if key not in NOT_AUDITED}
    days = sorted(partner.availability.all(), key=lambda row: row.day_of_week)
    values.update(
        name=partner.user.full_name,
        email=partner.user.email,
        phone=partner.user.phone,
        aadhar_number=partner.aadhar_masked,
        pan_number=partner.pan_masked,
        bank_account_number=partner.bank_account_masked,
        service_categories=sorted(category.name for category in partner.categories.all()),
        working_days=[
            f"{row.day_of_week} {row.start_time:%H:%M}-{row.end_time:%H:%M}" for row in days if row.is_active
        ],
    )
    return values


@contextmanager
def staff_change(
    instance: audit.M,
    *,
    action: str,
    actor: User | None,
    state: audit.State[audit.M] | None = None,
    extra: dict[str, Any] | None = None,
) -> Iterator[None]:
    """``core.audit.track`` when a staff member made the change; nothing when no one did."""
    if actor is None:
        yield
        return
    with audit.track(instance, action=action, actor=actor, state=state, extra=extra):
        yield


def staff_created(
    instance: audit.M,
    *,
    action: str,
    actor: User | None,
    state: audit.State[audit.M] | None = None,
    extra: dict[str, Any] | None = None,
) -> None:
    if actor is not None:
        audit.record_created(instance, action=action, actor=actor, state=state, extra=extra)
