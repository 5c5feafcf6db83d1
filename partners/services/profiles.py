"""Partner profiles and onboarding.

* Staff create a partner (seed 000 ``POST /admin/partners``): the account is
  found or created by phone, given the ``partner`` role, and the profile gets
  the next ``PT-NNN``. KYC numbers and the bank account are encrypted.
* Anyone signed in may apply (seed 002 vendor applications): the application
  starts ``pending`` with a profile in onboarding ``pending``, the applicant
  submits it (``submitted``), an onboarding manager approves (profile
  ``verified``, the ``partner`` role granted) or rejects it.
* Staff may also verify or reject a profile directly (seed 000
  ``POST /admin/partners/:id/verify``).
Categories are given by key or name (``"Facial"`` or ``"facial"``).
Staff writes (create, update, verify, an application's review) are audited
with before and after (``partners.services.auditing``).
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from accounts.services.roles import user_add_role
from accounts.validators import normalize_email
from catalog.models import Category
from core import crypto
from core.errors import DomainError, ErrorCode
from core.sequences import next_value
from core.types import Id
from partners.errors import PartnerErrorCode
from partners.models import (
    ApplicationStatus,
    OnboardingStatus,
    Partner,
    PartnerApplication,
    tier_mask,
)
from partners.services.auditing import partner_state, staff_change, staff_created
from partners.services.availability import availability_set_working_hours

PROFILE_FIELDS = ("address", "ifsc_code", "bank_name", "upi_id", "service_radius_km", "is_active", "is_available")


def categories_from(names: list[str]) -> list[Category]:
    """Categories by key or name, case-insensitive (the category table is small)."""
    by_label: dict[str, Category] = {}
    for category in Category.objects.all():
        by_label[category.key.lower()] = by_label[category.name.lower()] = category
    wanted = {str(name).strip().lower() for name in names}
    unknown = sorted(label for label in wanted if label not in by_label)
    if unknown:
        raise DomainError(
            f"Unknown service categories: {', '.join(unknown)}.",
            code=ErrorCode.VALIDATION_ERROR,
            field="service_categories",
            reason="unknown_category",
            context={"unknown": unknown},
        )
    return list({by_label[label].pk: by_label[label] for label in wanted}.values())


def _apply(partner: Partner, data: dict[str, Any]) -> None:
    for name in PROFILE_FIELDS:
        if name in data:
            setattr(partner, name, data[name])
    if data.get("aadhar_number"):
        aadhar = data["aadhar_number"]
        clash = Partner.objects.filter(aadhar_hash=crypto.lookup_hash(aadhar)).exclude(pk=partner.pk).exists()
        if clash:
            raise DomainError(
                "This Aadhaar number belongs to another partner.",
                code=PartnerErrorCode.DUPLICATE_KYC,
                field="aadhar_number",
                reason="duplicate",
            )
        partner.set_kyc(aadhar=aadhar)
    if data.get("pan_number"):
        partner.set_kyc(pan=data["pan_number"])
    if data.get("bank_account_number"):
        partner.set_kyc(bank_account=data["bank_account_number"])
    if "service_tiers" in data:
        partner.tiers = tier_mask(data["service_tiers"])
    for name in ("current_lat", "current_lng"):
        if name in data:
            setattr(partner, name, data[name])
    if "verification_documents" in data:
        partner.verification_documents = data["verification_documents"]


def _free_email(email: str, user_id: Id) -> str | None:
    """``email`` as accounts store it (lower case), refused when another account has it."""
    normalized = normalize_email(email)
    if normalized and User.objects.filter(email=normalized).exclude(pk=user_id).exists():
        raise DomainError(
            "User with this Email already exists.", code=ErrorCode.VALIDATION_ERROR, field="email", reason="unique"
        )
    return normalized


def _user_for(data: dict[str, Any]) -> User:
    phone = data["phone_number"]
    user = User.objects.filter(phone=phone).first()
    if user is None:
        user = User.objects.create_user(phone=phone, email=data.get("email") or None, full_name=data["name"])
    else:
        changed = []
        if data.get("name") and not user.full_name:
            user.full_name = data["name"]
            changed.append("full_name")
        if data.get("email") and not user.email:
            user.email = _free_email(data["email"], user.pk)
            changed.append("email")
        if changed:
            user.save(update_fields=changed)
    return user


def new_partner_code() -> str:
    return f"PT-{next_value('partner'):03d}"


def partner_create(*, data: dict[str, Any], created_by: User | None = None, verified: bool = False) -> Partner:
    """Seed 000 admin create: the account (by phone), the profile, categories, tiers and working hours."""
    with transaction.atomic():
        user = _user_for(data)
        if Partner.objects.filter(user=user).exists():
            raise DomainError(
                "This person already has a partner profile.",
                code=PartnerErrorCode.PARTNER_EXISTS,
                field="phone_number",
                reason="exists",
            )
        partner = Partner(user=user, partner_code=new_partner_code())
        _apply(partner, data)
        if verified:
            partner.onboarding_status = OnboardingStatus.VERIFIED
            partner.verified_at, partner.verified_by = timezone.now(), created_by
        try:
            with transaction.atomic():
                partner.save()
        except IntegrityError as exc:
            raise DomainError(
                "This Aadhaar number belongs to another partner.", code=PartnerErrorCode.DUPLICATE_KYC
            ) from exc
        if "service_categories" in data:
            partner.categories.set(categories_from(data["service_categories"]))
        if data.get("working_hours"):
            availability_set_working_hours(partner=partner, working_hours=data["working_hours"])
        user_add_role(user=user, role=Role.PARTNER)
        staff_created(partner, action="create_partner", actor=created_by, state=partner_state)
    return partner


def partner_update(*, partner_id: Id, data: dict[str, Any], actor: User | None = None) -> Partner:
    with transaction.atomic():
        partner = Partner.objects.select_for_update().select_related("user").filter(pk=partner_id).first()
        if partner is None:
            raise DomainError("Partner not found.", code=PartnerErrorCode.PARTNER_NOT_FOUND, field="id")
        with staff_change(partner, action="update_partner", actor=actor, state=partner_state):
            _apply(partner, data)
            partner.save()
            user_fields = []
            if data.get("name"):
                partner.user.full_name = data["name"]
                user_fields.append("full_name")
            if data.get("email"):
                partner.user.email = _free_email(data["email"], partner.user_id)
                user_fields.append("email")
            if user_fields:
                partner.user.save(update_fields=user_fields)
            if "service_categories" in data:
                partner.categories.set(categories_from(data["service_categories"]))
            if data.get("working_hours"):
                availability_set_working_hours(partner=partner, working_hours=data["working_hours"])
    return partner


def partner_verify(*, partner_id: Id, status: str, notes: str = "", by: User | None = None) -> Partner:
    """Seed 000: staff set onboarding to ``verified`` or ``rejected``."""
    if status not in (OnboardingStatus.VERIFIED, OnboardingStatus.REJECTED):
        raise DomainError(
            'onboarding_status must be "verified" or "rejected".',
            code=ErrorCode.VALIDATION_ERROR,
            field="onboarding_status",
            reason="invalid_choice",
        )
    with transaction.atomic():
        partner = Partner.objects.select_for_update().select_related("user").filter(pk=partner_id).first()
        if partner is None:
            raise DomainError("Partner not found.", code=PartnerErrorCode.PARTNER_NOT_FOUND, field="id")
        with staff_change(partner, action="verify_partner", actor=by, state=partner_state):
            partner.onboarding_status, partner.onboarding_notes = status, notes
            partner.verified_at = timezone.now() if status == OnboardingStatus.VERIFIED else None
            partner.verified_by = by
            partner.save(
                update_fields=["onboarding_status", "onboarding_notes", "verified_at", "verified_by", "updated_at"]
            )
            if status == OnboardingStatus.VERIFIED:
                user_add_role(user=partner.user, role=Role.PARTNER)
    return partner


# --- seed 002 vendor applications -------------------------------------------------------------


def application_create(*, user: User, data: dict[str, Any]) -> PartnerApplication:
    """An applicant's draft; creates their (unverified) partner profile on first use."""
    with transaction.atomic():
        partner = Partner.objects.filter(user=user).first()
        if partner is None:
            partner = Partner(user=user, partner_code=new_partner_code())
            _apply(partner, data)
            partner.save()
        if partner.onboarding_status == OnboardingStatus.VERIFIED:
            raise DomainError(
                "You are already a verified partner.", code=PartnerErrorCode.PARTNER_EXISTS, reason="verified"
            )
        if "service_categories" in data:
            partner.categories.set(categories_from(data["service_categories"]))
        open_one = partner.applications.filter(
            status__in=[ApplicationStatus.PENDING, ApplicationStatus.SUBMITTED]
        ).first()
        if open_one is not None:
            raise DomainError(
                "You already have an application in progress.",
                code=ErrorCode.CONFLICT,
                reason="application_open",
                context={"application_id": str(open_one.pk)},
            )
        return PartnerApplication.objects.create(
            partner=partner,
            application_type=data.get("application_type") or "new_vendor",
            full_name=data.get("full_name") or user.full_name,
            primary_service_category=data.get("primary_service_category", ""),
            documents=data.get("documents") or {},
        )


def _application(application_id: Id, *, lock: bool = True) -> PartnerApplication:
    rows = PartnerApplication.objects.select_related("partner__user")
    application = (rows.select_for_update(of=("self",)) if lock else rows).filter(pk=application_id).first()
    if application is None:
        raise DomainError("Application not found.", code=PartnerErrorCode.APPLICATION_NOT_FOUND, field="id")
    return application


def _application_status_error(application: PartnerApplication, wanted: str) -> DomainError:
    return DomainError(
        f"A {application.status} application cannot be {wanted}.",
        code=PartnerErrorCode.INVALID_APPLICATION_STATUS,
        reason="illegal_transition",
        context={"status": application.status},
    )


def application_submit(*, user: User, application_id: Id) -> PartnerApplication:
    with transaction.atomic():
        application = _application(application_id)
        if application.partner.user_id != user.pk:
            raise DomainError("Application not found.", code=PartnerErrorCode.APPLICATION_NOT_FOUND, field="id")
        if application.status != ApplicationStatus.PENDING:
            raise _application_status_error(application, "submitted")
        if not application.is_complete:
            raise DomainError(
                "Complete the application (name, main service category and documents) before submitting.",
                code=ErrorCode.VALIDATION_ERROR,
                reason="incomplete",
            )
        application.status, application.submitted_at = ApplicationStatus.SUBMITTED, timezone.now()
        application.save(update_fields=["status", "submitted_at", "updated_at"])
        Partner.objects.filter(pk=application.partner_id).update(
            onboarding_status=OnboardingStatus.SUBMITTED,
            verification_documents=application.documents,
            updated_at=timezone.now(),
        )
    return application


def application_review(*, application_id: Id, decision: str, notes: str = "", by: User) -> PartnerApplication:
    """An onboarding manager's decision: ``approve`` verifies the partner, ``reject`` does not."""
    if decision not in ("approve", "reject"):
        raise DomainError(
            'decision must be "approve" or "reject".',
            code=ErrorCode.VALIDATION_ERROR,
            field="decision",
            reason="invalid_choice",
        )
    with transaction.atomic():
        application = _application(application_id)
        if application.status != ApplicationStatus.SUBMITTED:
            raise _application_status_error(application, "reviewed")
        approved = decision == "approve"
        with staff_change(application, action="review_application", actor=by):
            application.status = ApplicationStatus.APPROVED if approved else ApplicationStatus.REJECTED
            application.reviewed_at, application.reviewed_by, application.review_notes = timezone.now(), by, notes
            application.save(update_fields=["status", "reviewed_at", "reviewed_by", "review_notes", "updated_at"])
        partner_verify(
            partner_id=application.partner_id,
            status=OnboardingStatus.VERIFIED if approved else OnboardingStatus.REJECTED,
            notes=notes,
            by=by,
        )
    return application
