"""The one user model for customers, residents, partners and staff.

Custom from the first migration (the accounts issue fills in roles, OTPs,
addresses). Phone (E.164) and email (stored lower-case, so unique
case-insensitively) are each unique when present, and a user has at least
one of them; ``username`` is optional (staff may log in with it).
``USERNAME_FIELD`` is ``email`` so that ``createsuperuser --noinput`` works
from ``DJANGO_SUPERUSER_EMAIL`` / ``DJANGO_SUPERUSER_PASSWORD``.
"""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import PermissionsMixin
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.db import models
from django.db.models.functions import Lower

from accounts.managers import UserManager
from accounts.validators import normalize_email, normalize_phone_field, validate_e164
from core.models import BaseModel


class User(BaseModel, AbstractBaseUser, PermissionsMixin):
    phone = models.CharField(max_length=16, unique=True, null=True, blank=True, validators=[validate_e164])
    email = models.EmailField(unique=True, null=True, blank=True)
    username = models.CharField(
        max_length=150, unique=True, null=True, blank=True, validators=[UnicodeUsernameValidator()]
    )
    full_name = models.CharField(max_length=150, blank=True)
    photo = models.ImageField(upload_to="avatars/%Y/%m/", blank=True)
    is_phone_verified = models.BooleanField(default=False)
    is_email_verified = models.BooleanField(default=False)
    is_active = models.BooleanField(
        default=True, help_text="Unset to block the account; blocked users are refused at once."
    )
    is_staff = models.BooleanField(default=False, help_text="Can log into the Django admin.")

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

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
            models.CheckConstraint(
                condition=models.Q(phone__isnull=False) | models.Q(email__isnull=False),
                name="user_has_contact",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email or self.phone or str(self.pk)

    def clean(self) -> None:
        super().clean()
        self.email = normalize_email(self.email)
        self.phone = normalize_phone_field(self.phone)
        self.username = (self.username or "").strip() or None

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else (self.email or self.phone or "")
