"""Demo accounts for the embedded default (``python manage.py seed_demo``)."""

from __future__ import annotations

import os

from accounts.models import User

DEMO_ADMIN_EMAIL = "admin@example.com"


def seed(stdout) -> None:
    password = os.environ.get("DEMO_ADMIN_PASSWORD", "demo-admin-2026")
    admin = User.objects.filter(email=DEMO_ADMIN_EMAIL).first()
    if admin is None:
        User.objects.create_superuser(email=DEMO_ADMIN_EMAIL, password=password, full_name="Demo Admin")
        stdout.write(f"Created the demo superuser {DEMO_ADMIN_EMAIL} (password: {password}).")
    else:
        stdout.write(f"Demo superuser {DEMO_ADMIN_EMAIL} exists (password unchanged).")
