"""Demo accounts for the embedded default (``python manage.py seed_demo``), idempotent.

A superuser, one account per staff role, a customer with two addresses and a
partner; every password is ``DEMO_ADMIN_PASSWORD`` (``demo-admin-2026``).
"""

from __future__ import annotations

import os

from accounts.models import Address, User
from accounts.roles import STAFF_ROLES, Role
from accounts.services.addresses import address_create
from accounts.services.roles import roles_sync, user_set_roles

DEMO_ADMIN_EMAIL = "admin@example.com"
DEMO_CUSTOMER = {"email": "customer@example.com", "phone": "+919900000001", "full_name": "Asha Customer"}
DEMO_PARTNER = {"email": "partner@example.com", "phone": "+919900000002", "full_name": "Priya Partner"}
DEMO_ADDRESSES = [
    {"name": "Home", "address_line1": "12 Park Street", "city": "Kolkata", "state": "West Bengal",
     "pincode": "700016", "lat": 22.5535, "lng": 88.3520},
    {"name": "Office", "address_line1": "4 Camac Street", "city": "Kolkata", "state": "West Bengal",
     "pincode": "700017", "lat": 22.5466, "lng": 88.3521},
]  # fmt: skip


def _ensure(email: str, password: str, roles: list[Role], **fields) -> tuple[User, bool]:
    user = User.objects.filter(email=email).first()
    if user is not None:
        return user, False
    user = User.objects.create_user(email=email, password=password, **fields)
    user_set_roles(user=user, roles=roles)
    return user, True


def seed(stdout) -> None:
    password = os.environ.get("DEMO_ADMIN_PASSWORD", "demo-admin-2026")
    roles_sync()
    _, created = _ensure(DEMO_ADMIN_EMAIL, password, [Role.SUPER_ADMIN], full_name="Demo Admin")
    stdout.write(f"Demo superuser {DEMO_ADMIN_EMAIL} (password: {password})" + (" created." if created else " exists."))
    for role in sorted(STAFF_ROLES - {Role.SUPER_ADMIN}):
        _ensure(f"{role.value.replace('_', '-')}@staff.example.com", password, [role], full_name=f"Demo {role.label}",
                username=role.value)  # fmt: skip
    customer, created = _ensure(DEMO_CUSTOMER["email"], password, [Role.CUSTOMER], **{
        k: v for k, v in DEMO_CUSTOMER.items() if k != "email"})  # fmt: skip
    if created and not Address.objects.filter(user=customer).exists():
        for address in DEMO_ADDRESSES:
            address_create(user=customer, data=address)
    _ensure(DEMO_PARTNER["email"], password, [Role.PARTNER], **{k: v for k, v in DEMO_PARTNER.items() if k != "email"})
    stdout.write(
        "Demo accounts: one per staff role (<role>@staff.example.com, username = the role), "
        f"{DEMO_CUSTOMER['email']} and {DEMO_PARTNER['email']}, all with password {password}."
    )
