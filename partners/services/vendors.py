"""Seed 001 vendors: registration (2.2.1), bank details (2.2.2), services offered (2.2.3), platform review (3.2.2).

A vendor is a ``Partner`` of kind ``vendor`` (DESIGN.md section 8), so the
KYC encryption, the ``PT-NNN`` code and the platform's review are the ones
technicians have. Decisions where the seed is silent:

* Registration acts on the signed-in person's own verified phone (the
  seed lists no auth; a public endpoint would let anyone create a vendor for
  any number). One vendor per person (409 ``PARTNER_EXISTS``).
* The id-proof number and the bank account are stored encrypted and shown
  masked; a PAN is stored in the partner's encrypted PAN.
* Platform approval is the partner's ``onboarding_status`` (seed 001's
  PENDING is ``pending`` or ``submitted``, APPROVED ``verified``, REJECTED
  ``rejected``); only a pending vendor can be decided (422
  ``INVALID_APPLICATION_STATUS``), the row locked so one of two reviewers wins.
  Approval gives the partner role, as ``partner_verify`` does.
* Changing bank details resets ``bank_verified``.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from accounts.services.profile import own_phone, registration_details
from accounts.services.roles import user_add_role
from catalog.models import Service
from core import audit
from core.errors import DomainError, ErrorCode
from core.types import Id
from notifications.services import notify
from partners.errors import PartnerErrorCode
from partners.models import OnboardingStatus, Partner, PartnerKind, VendorService
from partners.services.auditing import partner_state, staff_change
from partners.services.profiles import new_partner_code

PENDING_REVIEW = (OnboardingStatus.PENDING, OnboardingStatus.SUBMITTED)
APPROVAL_STATUS = {
    OnboardingStatus.PENDING: "PENDING",
    OnboardingStatus.SUBMITTED: "PENDING",
    OnboardingStatus.VERIFIED: "APPROVED",
    OnboardingStatus.REJECTED: "REJECTED",
}


def approval_status(partner: Partner) -> str:
    """Seed 001's platform ``approval_status`` of a vendor."""
    return APPROVAL_STATUS[OnboardingStatus(partner.onboarding_status)]


def vendor_register(*, user: User, data: dict[str, Any]) -> Partner:
    own_phone(user, data.get("phone"))
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        if Partner.objects.filter(user=user).exists():
            raise DomainError(
                "You are already registered as a partner.",
                code=PartnerErrorCode.PARTNER_EXISTS,
                field="phone",
                reason="exists",
            )
        registration_details(user=user, full_name=data.get("full_name"), email=data.get("email"))
        partner = Partner(
            user=user,
            partner_code=new_partner_code(),
            kind=PartnerKind.VENDOR,
            business_name=data["business_name"],
            store_address=data["store_address"],
            address=data["store_address"],
            store_photo_url=data.get("store_photo_url", ""),
            id_proof_type=data["id_proof_type"],
            id_proof_photo_url=data.get("id_proof_photo_url", ""),
            gst_number=data.get("gst_number", ""),
        )
        partner.set_kyc(id_proof=data["id_proof_number"], pan=data.get("pan_number") or None)
        partner.save()
    return partner


def own_vendor(user: User, vendor_id: Id, *, lock: bool = False) -> Partner:
    """The caller's own vendor profile (404 ``VENDOR_NOT_FOUND`` for another's or an unknown id)."""
    rows = Partner.objects.select_for_update() if lock else Partner.objects
    partner = rows.filter(pk=vendor_id, kind=PartnerKind.VENDOR).select_related("user").first()
    if partner is None or partner.user_id != user.pk:
        if partner is not None and user.has_perm("partners.change_partner"):
            return partner
        raise DomainError("Vendor not found.", code=PartnerErrorCode.PARTNER_NOT_FOUND, field="vendor_id")
    return partner


def vendor_bank_details(*, user: User, vendor_id: Id, data: dict[str, Any]) -> Partner:
    with transaction.atomic():
        partner = own_vendor(user, vendor_id, lock=True)
        partner.set_kyc(bank_account=data["bank_account_number"])
        partner.ifsc_code = data["bank_ifsc_code"]
        partner.bank_account_holder = data["bank_account_holder"]
        partner.bank_name = data.get("bank_name", "")
        partner.branch_name = data.get("branch_name", "")
        partner.bank_verified = False
        partner.save()
    return partner


def vendor_services_set(*, user: User, vendor_id: Id, services: list[dict[str, Any]]) -> Partner:
    """Upsert the listed services (turnaround from the service's default when omitted); the rest stay.

    The vendor is checked first, so another person's vendor id is 404 whatever the services say."""
    with transaction.atomic():
        partner = own_vendor(user, vendor_id, lock=True)
        found = _services_checked(services)
        for row in services:
            service = found[row["service_id"]]
            VendorService.objects.update_or_create(
                partner=partner,
                service=service,
                defaults={
                    "turnaround_hours": row.get("turnaround_hours") or service.default_turnaround_hours,
                    "is_active": row.get("is_active", True),
                },
            )
    return partner


def _services_checked(services: list[dict[str, Any]]) -> dict[Id, Service]:
    """The named active services by id; 404 for an unknown one, 422 for a key or turnaround that does not fit."""
    ids = [row["service_id"] for row in services]
    found: dict[Id, Service] = {s.pk: s for s in Service.objects.filter(pk__in=ids, is_active=True)}
    for index, row in enumerate(services):
        service = found.get(row["service_id"])
        if service is None:
            raise DomainError(
                "No such service.", code=ErrorCode.NOT_FOUND, field=f"services.{index}.service_id", reason="unknown"
            )
        if row.get("service_key") and row["service_key"] != service.service_key:
            raise DomainError(
                f"service_key {row['service_key']} is not the key of that service ({service.service_key}).",
                code=ErrorCode.VALIDATION_ERROR,
                field=f"services.{index}.service_key",
                reason="mismatch",
            )
        if not row.get("turnaround_hours") and not service.default_turnaround_hours:
            raise DomainError(
                "turnaround_hours is required for this service.",
                code=ErrorCode.VALIDATION_ERROR,
                field=f"services.{index}.turnaround_hours",
                reason="required",
            )
    return found


def vendor_review(
    *,
    vendor_id: Id,
    action: str,
    by: User,
    notes: str = "",
    reason: str = "",
    verified_fields: dict[str, bool] | None = None,
) -> Partner:
    """Seed 001 3.2.2: the platform approves or rejects a pending vendor."""
    with transaction.atomic():
        partner = (
            Partner.objects.select_for_update(of=("self",))
            .select_related("user")
            .filter(pk=vendor_id, kind=PartnerKind.VENDOR)
            .first()
        )
        if partner is None:
            raise DomainError("Vendor not found.", code=PartnerErrorCode.PARTNER_NOT_FOUND, field="vendor_id")
        if partner.onboarding_status not in PENDING_REVIEW:
            raise DomainError(
                f"This vendor is already {approval_status(partner)}.",
                code=PartnerErrorCode.INVALID_APPLICATION_STATUS,
                field="action",
                reason="not_pending",
                context={"approval_status": approval_status(partner)},
            )
        approve = action == "APPROVE"
        with staff_change(
            partner, action="verify_vendor" if approve else "reject_vendor", actor=by, state=partner_state
        ):
            partner.onboarding_status = OnboardingStatus.VERIFIED if approve else OnboardingStatus.REJECTED
            partner.onboarding_notes = notes
            partner.verified_at, partner.verified_by = (timezone.now(), by) if approve else (None, None)
            partner.verified_fields = verified_fields or {}
            partner.rejection_reason = "" if approve else reason
            if approve and (verified_fields or {}).get("bank_details"):
                partner.bank_verified = True
            partner.save()
            if approve:
                user_add_role(user=partner.user, role=Role.PARTNER)
        notify(
            "vendor_verified" if approve else "vendor_rejected",
            user=partner.user,
            context={"business_name": partner.business_name, "reason": reason},
            data={"vendor_id": str(partner.pk)},
        )
    return partner


def vendor_kyc_read(*, vendor_ids: list[str], by: User) -> None:
    """A platform verifier read these vendors' id-proof and PAN numbers in full: one audit entry (seed 001
    3.2.1 shows them unmasked; every such read is on record)."""
    audit.record(action="read_vendor_kyc", resource_type="partner", changes={"vendor_ids": vendor_ids}, actor=by)
