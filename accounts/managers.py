from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth.base_user import BaseUserManager

from accounts.validators import normalize_email, normalize_phone_field

if TYPE_CHECKING:
    from accounts.models import User

    _Base = BaseUserManager[User]
else:
    _Base = BaseUserManager


class UserManager(_Base):
    use_in_migrations = True

    def get_by_natural_key(self, username: str | None) -> Any:
        """Emails are case-insensitive: look the natural key up in its stored (lower-case) form."""
        return self.get(**{self.model.USERNAME_FIELD: normalize_email(username)})

    def _create_user(self, email: str | None, password: str | None, **extra: Any) -> Any:
        email = normalize_email(email)
        phone = normalize_phone_field(extra.pop("phone", None))
        username = (extra.pop("username", None) or "").strip() or None
        user = self.model(email=email, phone=phone, username=username, **extra)
        user.set_password(password)  # None -> unusable password (OTP-only accounts)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_user(self, email: str | None = None, password: str | None = None, **extra: Any) -> Any:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str | None = None, password: str | None = None, **extra: Any) -> Any:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        if extra["is_staff"] is not True or extra["is_superuser"] is not True:
            raise ValueError("A superuser must have is_staff=True and is_superuser=True.")
        return self._create_user(email, password, **extra)
