"""Accounts tables: users (seed 000 tables 1 and 18 in one), addresses (table 2), OTPs (table 12).

One user model for customers, residents, partners and staff. Phone (E.164)
and email (stored lower-case, so unique case-insensitively) are each unique
when present; a Telegram sign-in may have neither (seed 001 9.1 shows such a
profile). ``username`` is optional (staff log in with it, seed 003). Roles are
Django groups (``accounts.roles``). ``USERNAME_FIELD`` is ``email`` so that
``createsuperuser --noinput`` works from ``DJANGO_SUPERUSER_EMAIL`` /
``DJANGO_SUPERUSER_PASSWORD``.
"""

from __future__ import annotations

from typing import ClassVar

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import PermissionsMixin
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.functional import cached_property

from accounts.managers import UserManager
from accounts.roles import PARTNER_ROLES, STAFF_ROLES, Role
from accounts.validators import normalize_email, normalize_phone_field, validate_e164
from core.models import BaseModel


class User(BaseModel, AbstractBaseUser, PermissionsMixin):
    phone = models.CharField(max_length=16, unique=True, null=True, blank=True, validators=[validate_e164])
    email = models.EmailField(unique=True, null=True, blank=True)
    username = models.CharField(
        max_length=150, unique=True, null=True, blank=True, validators=[UnicodeUsernameValidator()]
    )
    full_name = models.CharField(max_length=150, blank=True)
    photo = models.ImageField(upload_to="avatars/%Y/%m/", blank=True, help_text="Uploaded avatar.")
    photo_url = models.URLField(max_length=500, blank=True, help_text="External picture (OAuth, Telegram).")
    telegram_id = models.CharField(max_length=32, unique=True, null=True, blank=True)
    google_sub = models.CharField(max_length=64, unique=True, null=True, blank=True)
    facebook_id = models.CharField(max_length=64, unique=True, null=True, blank=True)
    preferences = models.JSONField(
        default=dict, blank=True, help_text='Seed 004: {"language": "en", "currency": "INR"}.'
    )
    is_phone_verified = models.BooleanField(default=False)
    is_email_verified = models.BooleanField(default=False)
    is_active = models.BooleanField(
        default=True, help_text="Unset to block the account; blocked users are refused at once."
    )
    is_staff = models.BooleanField(default=False, help_text="Can log into the Django admin.")

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = "user"
        verbose_name_plural = "users"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(email__isnull=True) | models.Q(email=Lower("email")),
                name="user_email_lowercase",
            ),
            models.CheckConstraint(
                condition=models.Q(phone__isnull=True) | models.Q(phone__startswith="+"),
                name="user_phone_e164",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email or self.phone or str(self.pk)

    def clean(self) -> None:
        super().clean()
        self.email = normalize_email(self.email)
        self.phone = normalize_phone_field(self.phone)
        self.username = (self.username or "").strip() or None

    @cached_property
    def role_names(self) -> frozenset[str]:
        """The user's roles (group names); prefetch ``groups`` to avoid a query per user."""
        return frozenset(group.name for group in self.groups.all())

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_names.intersection(roles))

    @property
    def is_partner(self) -> bool:
        return self.has_role(*PARTNER_ROLES)

    @property
    def is_staff_member(self) -> bool:
        return self.is_superuser or self.has_role(*STAFF_ROLES)

    @property
    def user_type(self) -> str:
        """The main kind of account, upper-case as seed 001 writes it."""
        if self.is_staff_member:
            return "STAFF"
        if self.has_role(Role.SPECIALIST):
            return "SPECIALIST"
        if self.has_role(Role.PARTNER):
            return "PARTNER"
        return "CUSTOMER"

    @property
    def staff_role(self) -> str | None:
        if self.is_superuser:
            return Role.SUPER_ADMIN.value
        ranked = [role.value for role in Role if role in STAFF_ROLES]
        return next((role for role in ranked if role in self.role_names), None)

    @property
    def profile_photo_url(self) -> str | None:
        if self.photo:
            return self.photo.url
        return self.photo_url or None

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else (self.email or self.phone or "")


class Address(BaseModel):
    """A user's address (seed 000 table 2); at most one default per user, enforced by the database."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="addresses")
    name = models.CharField(max_length=100, help_text='"Home", "Office", "Current Location"')
    address_line1 = models.CharField(max_length=255)
    address_line2 = models.CharField(max_length=255, blank=True)
    city = models.CharField(max_length=100)
    state = models.CharField(max_length=100)
    pincode = models.CharField(max_length=10)
    lat = models.DecimalField(max_digits=10, decimal_places=8, null=True, blank=True)
    lng = models.DecimalField(max_digits=11, decimal_places=8, null=True, blank=True)
    place_id = models.CharField(max_length=255, blank=True)
    is_default = models.BooleanField(default=False)

    class Meta:
        verbose_name_plural = "addresses"
        ordering = ["-is_default", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(is_default=True), name="address_one_default_per_user"
            ),
            models.CheckConstraint(
                condition=models.Q(lat__isnull=True) | models.Q(lat__gte=-90, lat__lte=90), name="address_lat_range"
            ),
            models.CheckConstraint(
                condition=models.Q(lng__isnull=True) | models.Q(lng__gte=-180, lng__lte=180), name="address_lng_range"
            ),
        ]
        indexes = [models.Index(fields=["user", "created_at"])]

    def __str__(self) -> str:
        return f"{self.name}: {self.address_line1}, {self.city}"


class OtpChannel(models.TextChoices):
    SMS = "sms", "SMS"
    EMAIL = "email", "Email"


class OtpPurpose(models.TextChoices):
    LOGIN = "login", "Login or sign-up"
    RESET_PASSWORD = "reset_password", "Reset password"
    CHANGE_EMAIL = "change_email", "Add or change email"
    CHANGE_PHONE = "change_phone", "Add or change phone"


class OtpVerification(BaseModel):
    """One OTP (seed 000 table 12): hashed, bound to its id, destination and purpose; single use.

    ``user`` is the requester for contact changes (the destination is not yet theirs).
    """

    channel = models.CharField(max_length=8, choices=OtpChannel.choices)
    destination = models.CharField(max_length=254, help_text="E.164 phone or lower-case email.")
    purpose = models.CharField(max_length=32, choices=OtpPurpose.choices)
    code_hash = models.CharField(max_length=64)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_count = models.PositiveSmallIntegerField(default=1)
    last_sent_at = models.DateTimeField()
    verified_at = models.DateTimeField(null=True, blank=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name_plural = "OTP verifications"
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["destination", "purpose", "-created_at"]),
            models.Index(fields=["expires_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.purpose} OTP to {self.destination}"


class Gender(models.TextChoices):
    MALE = "MALE", "Male"
    FEMALE = "FEMALE", "Female"
    OTHER = "OTHER", "Other"


class BloodGroup(models.TextChoices):
    A_POS = "A+", "A+"
    A_NEG = "A-", "A-"
    B_POS = "B+", "B+"
    B_NEG = "B-", "B-"
    AB_POS = "AB+", "AB+"
    AB_NEG = "AB-", "AB-"
    O_POS = "O+", "O+"
    O_NEG = "O-", "O-"


class PatientProfile(BaseModel):
    """Seed 003: what a clinic keeps about a patient beside the account (one per user, made on first need).

    Medical notes are not here: they are ``partners.MedicalNote`` rows, append-only and never shown to the
    patient; ``medical_history`` is what the patient or staff record as background.
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="patient_profile")
    date_of_birth = models.DateField(null=True, blank=True)
    gender = models.CharField(max_length=8, choices=Gender.choices, blank=True)
    blood_group = models.CharField(max_length=3, choices=BloodGroup.choices, blank=True)
    emergency_contact_name = models.CharField(max_length=150, blank=True)
    emergency_contact_phone = models.CharField(
        max_length=16, blank=True, validators=[validate_e164], help_text="E.164, e.g. +919876543210."
    )
    medical_history = models.TextField(blank=True)

    class Meta:
        verbose_name = "patient profile"

    def __str__(self) -> str:
        return f"Patient profile of {self.user_id}"
