"""Demo societies (``seed_demo``), idempotent: an apartment society and a layout, a roster, a society admin
and a vendor.

* Green Valley Apartments (Kolkata 700091): towers A and B, floors 0-2, four flats a floor (A-001...B-204).
  Its roster has the demo customer (``+919900000001``) in flat A-101, so that customer registers and is
  verified at once. ``society-admin@staff.example.com`` (accounts.demo) runs it.
* Palm Meadows Layout (Kolkata 700156): phases 1 and 2, two streets each, five houses a street.
* Sparkle Laundry (``+919900000201``, ``vendor@example.com``), a vendor the platform verified, offering
  ironing and washing, approved for Green Valley (the whole society).
"""

from __future__ import annotations

import os

from accounts.models import User
from accounts.roles import Role
from accounts.services.roles import user_set_roles
from catalog.models import Service
from partners.models import IdProofType, OnboardingStatus, Partner, PartnerKind, VendorService
from partners.services.profiles import new_partner_code
from societies.models import (
    ApprovalStatus,
    AssignmentType,
    NodeType,
    RosterEntry,
    ServiceArea,
    Society,
    SocietyAdminScope,
    SocietyType,
    VendorAccess,
)
from societies.services import setup

APARTMENT = {
    "name": "Green Valley Apartments",
    "society_type": SocietyType.APARTMENT,
    "address": "14 EM Bypass, Salt Lake Sector V",
    "city": "Kolkata",
    "state": "West Bengal",
    "pincode": "700091",
}
LAYOUT = {
    "name": "Palm Meadows Layout",
    "society_type": SocietyType.LAYOUT,
    "address": "Rajarhat Main Road, New Town",
    "city": "Kolkata",
    "state": "West Bengal",
    "pincode": "700156",
}
DEMO_RESIDENT_PHONE = "+919900000001"
DEMO_VENDOR = {"phone": "+919900000201", "email": "vendor@example.com", "full_name": "Ravi Kumar"}


def _apartment() -> Society:
    society = setup.society_create(data=APARTMENT)
    for tower in "AB":
        group = setup.group_create(
            society=society,
            data={
                "group_name": f"Tower {tower}",
                "group_code": f"T{tower}",
                "group_type": NodeType.TOWER,
                "total_floors": 3,
                "total_units": 12,
            },
        )
        for floor in range(3):
            floor_node = setup.node_create(
                society=society,
                data={
                    "parent_node_id": group.pk,
                    "node_type": NodeType.FLOOR,
                    "node_code": str(floor),
                    "node_name": "Ground floor" if floor == 0 else f"Floor {floor}",
                    "display_order": floor,
                },
            )
            for flat in range(1, 5):
                code = f"{tower}-{floor}0{flat}"
                setup.node_create(
                    society=society,
                    data={
                        "parent_node_id": floor_node.pk,
                        "node_type": NodeType.UNIT,
                        "node_code": code,
                        "node_name": f"Flat {code}",
                        "display_order": flat,
                    },
                )
    return society


def _layout() -> Society:
    society = setup.society_create(data=LAYOUT)
    for phase in (1, 2):
        group = setup.group_create(
            society=society,
            data={
                "group_name": f"Phase {phase}",
                "group_code": f"P{phase}",
                "group_type": NodeType.PHASE,
                "total_units": 10,
            },
        )
        for street in (1, 2):
            street_node = setup.node_create(
                society=society,
                data={
                    "parent_node_id": group.pk,
                    "node_type": NodeType.SECTION,
                    "node_code": f"S{street}",
                    "node_name": f"Street {phase}.{street}",
                },
            )
            for house in range(1, 6):
                setup.node_create(
                    society=society,
                    data={
                        "parent_node_id": street_node.pk,
                        "node_type": NodeType.UNIT,
                        "node_code": f"{phase}{street}{house:02d}",
                        "node_name": f"House {phase}{street}{house:02d}",
                        "display_order": house,
                    },
                )
    return society


def _vendor(society: Society) -> Partner:
    password = os.environ.get("DEMO_ADMIN_PASSWORD", "demo-admin-2026")
    user = User.objects.filter(phone=DEMO_VENDOR["phone"]).first()
    if user is None:
        user = User.objects.create_user(password=password, is_phone_verified=True, **DEMO_VENDOR)
    user_set_roles(user=user, roles=[Role.PARTNER])
    partner = Partner.objects.filter(user=user).first()
    if partner is None:
        partner = Partner(
            user=user,
            partner_code=new_partner_code(),
            kind=PartnerKind.VENDOR,
            business_name="Sparkle Laundry",
            store_address="Shop 3, City Centre, Salt Lake",
            address="Shop 3, City Centre, Salt Lake",
            id_proof_type=IdProofType.AADHAAR,
            gst_number="19ABCDE1234F1Z5",
            ifsc_code="HDFC0001234",
            bank_name="HDFC Bank",
            bank_account_holder="Ravi Kumar",
            bank_verified=True,
            onboarding_status=OnboardingStatus.VERIFIED,
        )
        partner.set_kyc(id_proof="123412341234", pan="ABCDE1234F", bank_account="501000123456")
        partner.save()
    for service in Service.objects.filter(category__key="LAUNDRY", service_key__in=["IRONING", "WASHING_IRONING"]):
        VendorService.objects.get_or_create(
            partner=partner, service=service, defaults={"turnaround_hours": service.default_turnaround_hours or 24}
        )
    VendorAccess.objects.get_or_create(
        partner=partner,
        society=society,
        defaults={"approval_status": ApprovalStatus.APPROVED, "requested_at": partner.created_at},
    )
    ServiceArea.objects.get_or_create(
        partner=partner, society=society, node=None, defaults={"assignment_type": AssignmentType.SOCIETY}
    )
    return partner


def seed(stdout) -> None:
    apartment = Society.objects.filter(name=APARTMENT["name"]).first() or _apartment()
    layout = Society.objects.filter(name=LAYOUT["name"]).first() or _layout()
    flat = apartment.nodes.get(node_code="A-101")
    RosterEntry.objects.get_or_create(
        society=apartment,
        phone=DEMO_RESIDENT_PHONE,
        unit=flat,
        defaults={"suggested_name": "Asha Customer", "is_primary": True, "notes": "Owner"},
    )
    admin = User.objects.filter(email="society-admin@staff.example.com").first()
    if admin is not None:
        SocietyAdminScope.objects.get_or_create(user=admin, society=apartment)
        SocietyAdminScope.objects.get_or_create(user=admin, society=layout)
    vendor = _vendor(apartment)
    stdout.write(
        f"Demo societies: {apartment.name} (id {apartment.pk}, demo customer on its roster in flat A-101) and "
        f"{layout.name} (id {layout.pk}), run by society-admin@staff.example.com; vendor {vendor.business_name} "
        f"({DEMO_VENDOR['email']}) serves {apartment.name}."
    )
