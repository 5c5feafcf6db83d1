"""Demo partners (``seed_demo``): verified technicians around Kolkata who take every demo category and tier.

They work every day 08:00-20:00, serve the demo customers' pincodes and a
15 km radius, and sign in at ``/api/v1/partner/auth/login`` with their phone
(the OTP is printed on the console). The first is the README's demo partner
account (``partner@example.com``, which also signs in with its password).

Then the appointments demo (issue #18): the Mibo Indiranagar centre, its clinicians, a specialist and the
centre's staff (``partners.demo_appointments``).
"""

from __future__ import annotations

from datetime import time
from decimal import Decimal

from catalog.models import Category, Tier
from partners import demo_appointments
from partners.models import Partner
from partners.services.availability import availability_set_day
from partners.services.profiles import partner_create

PINCODES = ["700091", "700019", "700156", "700001", "700016", "700029", "700064", "700106"]
PARTNERS = [
    ("+919900000002", "Priya Partner", "22.5550", "88.3550"),  # partner@example.com (accounts.demo)
    ("+919900000101", "Priya Sharma", "22.5726", "88.3639"),
    ("+919900000102", "Anita Das", "22.5867", "88.4171"),
    ("+919900000103", "Sunita Ghosh", "22.5203", "88.3657"),
    ("+919900000104", "Kavya Roy", "22.6213", "88.4466"),
]


def seed(stdout) -> None:
    categories = list(
        Category.objects.filter(key__in=["FACIAL", "WAXING", "HAIR", "NAIL"]).values_list("key", flat=True)
    )
    created = 0
    for phone, name, lat, lng in PARTNERS:
        if Partner.objects.filter(user__phone=phone).exists():
            continue
        partner = partner_create(
            data={
                "name": name,
                "phone_number": phone,
                "service_categories": categories,
                "service_tiers": list(Tier.values),
                "current_lat": Decimal(lat),
                "current_lng": Decimal(lng),
                "service_radius_km": 15,
                "ifsc_code": "SBIN0001234",
                "bank_name": "State Bank of India",
                "bank_account_number": f"30000000{phone[-4:]}",
            },
            verified=True,
        )
        for day in range(1, 8):
            availability_set_day(
                partner=partner,
                data={
                    "day_of_week": day,
                    "start_time": time(8),
                    "end_time": time(20),
                    "primary_pincode": PINCODES[0],
                    "service_area_pincodes": PINCODES,
                },
            )
        created += 1
    stdout.write(f"Demo partners: {len(PARTNERS)} ({created} new), phones {PARTNERS[0][0]}...{PARTNERS[-1][0][-3:]}.")
    demo_appointments.seed(stdout)
