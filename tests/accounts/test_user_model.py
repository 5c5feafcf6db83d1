import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction

from accounts.models import User
from accounts.roles import STAFF_ROLES

pytestmark = pytest.mark.django_db


def test_email_is_stored_lower_case_and_unique_case_insensitively():
    User.objects.create_user(email="Asha@Example.COM", password="x-long-password")

    with pytest.raises(ValidationError) as excinfo:
        User.objects.create_user(email="asha@example.com", password="x-long-password")

    assert "email" in excinfo.value.message_dict
    assert User.objects.get().email == "asha@example.com"


def test_the_database_refuses_a_mixed_case_email_written_around_the_model():
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.bulk_create([User(email="Mixed@Example.com")])


def test_phone_is_normalised_to_e164_and_unique():
    user = User.objects.create_user(phone="98765 43210")

    assert user.phone == "+919876543210"
    with pytest.raises(ValidationError):
        User.objects.create_user(phone="+91 98765-43210")


def test_invalid_phone_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        User.objects.create_user(phone="12345")

    assert "phone" in excinfo.value.message_dict


def test_many_users_may_have_no_email_or_no_phone():
    User.objects.create_user(phone="+919876543210")
    User.objects.create_user(phone="+919876543211")
    User.objects.create_user(email="a@example.com")
    User.objects.create_user(email="b@example.com")

    assert User.objects.count() == 4


def test_a_telegram_account_may_have_neither_phone_nor_email():
    user = User.objects.create_user(telegram_id="123456789", full_name="Tele Gram")

    assert user.phone is None
    assert user.email is None


def test_uuid_primary_key_and_unusable_password_for_otp_only_accounts():
    user = User.objects.create_user(phone="+919876543210")

    assert len(str(user.pk)) == 36
    assert not user.has_usable_password()


def test_natural_key_lookup_ignores_case():
    user = User.objects.create_user(email="staff@example.com", password="x-long-password")

    assert User.objects.get_by_natural_key("STAFF@example.com") == user


def test_createsuperuser_noinput_from_environment(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_EMAIL", "Root@Example.com")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a-long-admin-password")

    call_command("createsuperuser", interactive=False, verbosity=0)

    admin = User.objects.get(email="root@example.com")
    assert admin.is_superuser
    assert admin.is_staff
    assert admin.check_password("a-long-admin-password")


def test_seed_demo_is_idempotent():
    call_command("seed_demo", verbosity=0, no_history=True)
    call_command("seed_demo", verbosity=0, no_history=True)

    assert User.objects.filter(is_superuser=True).count() == 1
    for role in STAFF_ROLES:
        assert User.objects.filter(groups__name=role.value).count() == 1, role
    customer = User.objects.get(email="customer@example.com")
    assert customer.addresses.count() == 2
    assert customer.addresses.filter(is_default=True).count() == 1
    demo_partner = User.objects.get(email="partner@example.com")
    assert demo_partner.is_partner
    assert demo_partner.partner_profile.onboarding_status == "verified"  # the partner API works for it


def test_user_model_is_in_the_first_accounts_migration():
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    first = loader.get_migration("accounts", "0001_initial")

    assert any(getattr(op, "name", None) == "User" for op in first.operations)
