"""A small world for the schema fuzzer: one customer, one partner, one admin and the rows between them.

The customer lives in a society (a verified resident of A-001) with a saved address, a booking paid online
(its payment captured) that the partner has accepted, and an order from the society's vendor. Path parameters
of the fuzzed operations are filled from ``World.ids`` part of the time, so that some requests reach real rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from accounts.models import Address, User
from accounts.roles import Role
from accounts.services.tokens import tokens_issue
from orders.models import Order
from payments.models import PaymentGatewayName
from tests.conftest import make_user
from tests.factories import BookingFactory, PartnerAssignmentFactory, PartnerFactory, PaymentFactory, ServiceFactory
from tests.orders.helpers import neighbourhood, placed

ROLES = ("customer", "partner", "admin")


@dataclass
class World:
    users: dict[str, User]
    ids: dict[str, str] = field(default_factory=dict)
    headers: dict[str, dict[str, str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for role, user in self.users.items():
            self.headers[role] = {"Authorization": f"Bearer {tokens_issue(user=user)['access_token']}"}


# The world of the running fuzz module (the path-parameter hook reads its ids), None outside it.
current: World | None = None
# The fuzz run's one-line summary (operations, requests, time), printed at the end by tests/fuzz/conftest.py.
summary = ""


def build_world() -> World:
    society, customer, vendor = neighbourhood()
    address = Address.objects.create(
        user=customer,
        name="Home",
        address_line1="1 Test Road",
        city="Kolkata",
        state="West Bengal",
        pincode="700091",
        lat="22.57260000",
        lng="88.36390000",
        is_default=True,
    )
    service = ServiceFactory()
    booking = BookingFactory(user=customer, online=True, services=[service])
    # Captured on the cash gateway (as tests.adminpanel.helpers.paid_booking): the offline gateway keeps its
    # payments in the cache, which every test empties, so a refund of an offline-gateway payment would meet a
    # gateway that forgot it (502, rightly) instead of the refund's own checks.
    payment = PaymentFactory(booking=booking, captured=True, gateway=PaymentGatewayName.CASH)
    partner = PartnerFactory()
    assignment = PartnerAssignmentFactory(booking=booking, partner=partner, accepted=True)
    order: Order = placed(society, customer, vendor)
    admin = make_user(Role.ADMIN)
    ids: dict[str, Any] = {
        "address_id": address.pk,
        "booking_id": booking.pk,
        "payment_id": payment.pk,
        "partner_id": partner.pk,
        "assignment_id": assignment.pk,
        "vendor_id": vendor.pk,
        "society_id": society.pk,
        "order_id": order.pk,
        "service_id": service.pk,
        "category_id": service.category_id,
        "user_id": customer.pk,
    }
    return World(
        users={"customer": customer, "partner": partner.user, "admin": admin},
        ids={name: str(value) for name, value in ids.items()},
    )
