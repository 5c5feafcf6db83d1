"""Demo customers with addresses (``seed_demo``); bookings are made through checkout, as a person would."""

from __future__ import annotations

import os

from accounts.models import Address, User
from accounts.roles import Role
from accounts.services.addresses import address_create
from accounts.services.roles import user_set_roles

CUSTOMERS = [
    ("ravi@example.com", "+919900000011", "Ravi Kumar", "Salt Lake Sector V", "700091"),
    ("meera@example.com", "+919900000012", "Meera Iyer", "Ballygunge Circular Road", "700019"),
    ("arjun@example.com", "+919900000013", "Arjun Sen", "New Town Action Area I", "700156"),
]


def seed(stdout) -> None:
    password = os.environ.get("DEMO_ADMIN_PASSWORD", "demo-admin-2026")
    created = 0
    for email, phone, name, street, pincode in CUSTOMERS:
        if User.objects.filter(email=email).exists():
            continue
        user = User.objects.create_user(email=email, phone=phone, full_name=name, password=password)
        user_set_roles(user=user, roles=[Role.CUSTOMER])
        if not Address.objects.filter(user=user).exists():
            address_create(
                user=user,
                data={
                    "name": "Home",
                    "address_line1": street,
                    "city": "Kolkata",
                    "state": "West Bengal",
                    "pincode": pincode,
                },
            )
        created += 1
    stdout.write(f"Demo customers: {len(CUSTOMERS)} ({created} new), password {password}.")
