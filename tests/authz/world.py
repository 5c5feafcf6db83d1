"""The small world the authorization matrix runs in: two of each kind of person, each owning real objects.

Everything of the first of a kind (``c1``, ``p1``, ``v1``, ``r1``, ``sp1``, ``cl1``, ``sa1``) is the object a
route is called on; the second (``c2``...) is "another user of the same kind". The two societies are ``s1``
(resident ``r1``, vendor ``v1``, admin ``sa1``) and ``s2`` (``r2``, ``v2``, ``sa2``): the ``society_admin``
actor of the matrix is ``sa2``, the admin of another society. Staff actors hold one role each and no scope.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image
from rest_framework.test import APIClient

from accounts.models import Address, PatientProfile, User
from accounts.roles import STAFF_ROLES, Role
from bookings.models import BookingPhoto, BookingSignature, BookingStatus, ContactSubmission, PromoCode
from bookings.models.disputes import Dispute, DisputeMessage, DisputeType
from bookings.models.reviews import Review
from notifications.models import Channel, Delivery, DeliveryStatus, Notification, WebhookEndpoint
from orders.models import OrderDispute, RateCard
from partners.models import Partner, PartnerApplication, PartnerEarning, PartnerPayout, PartnerTimeOff
from partners.services.appointments import AppointmentRequest, appointment_create
from payments.models import Payment, PaymentLink
from societies.models import ApprovalStatus, Residence, ServiceArea
from tests.adminpanel.helpers import paid_booking
from tests.appointments import builders as clinic
from tests.conftest import client_for, make_user
from tests.factories import BookingFactory, CategoryFactory, PartnerAssignmentFactory, PartnerFactory, ServiceFactory
from tests.orders import helpers as orders
from tests.societies import helpers as societies

# The staff columns of docs/object-permissions.md, by their short names there.
STAFF = {
    "SA": Role.SUPER_ADMIN,
    "AD": Role.ADMIN,
    "SU": Role.SUPPORT,
    "FI": Role.FINANCE,
    "OP": Role.OPS_MANAGER,
    "ON": Role.ONBOARD_MANAGER,
    "CM": Role.CENTRE_MANAGER,
    "CC": Role.CARE_COORDINATOR,
    "FD": Role.FRONT_DESK,
}
assert set(STAFF.values()) == set(STAFF_ROLES) - {Role.SOCIETY_ADMIN}, "a staff role has no column"

# The kinds of owner a row names, and the attribute pair (owner, another of the kind) of the World.
KINDS = {
    "customer": ("c1", "c2"),
    "patient": ("c1", "c2"),  # a customer, on their appointment rather than their home-service booking
    "partner": ("p1", "p2"),
    "vendor": ("v1", "v2"),
    "resident": ("r1", "r2"),
    "specialist": ("sp1", "sp2"),
    "clinician": ("cl1", "cl2"),
    "society_admin": ("sa1", "sa2"),
}


@dataclass
class World:
    users: dict[str, User] = field(default_factory=dict)  # actor name -> person
    ids: dict[tuple[str, str], Any] = field(default_factory=dict)  # (path parameter, owner kind or "") -> value
    objects: dict[str, Any] = field(default_factory=dict)  # name -> row (the mass-assignment test reads them)
    clients: dict[str, APIClient] = field(default_factory=dict)

    def client(self, actor: str) -> APIClient:
        if actor == "anon":
            return APIClient()
        if actor not in self.clients:
            self.clients[actor] = client_for(self.users[actor])
        return self.clients[actor]

    def value(self, param: str, kind: str) -> Any:
        """The id a path parameter takes for a row of ``kind``: the kind's own object, else the common one."""
        if (param, kind) in self.ids:
            return self.ids[(param, kind)]
        return self.ids[(param, "")]


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), (200, 120, 40)).save(buffer, "JPEG")
    return buffer.getvalue()


def _photo(booking, by: User) -> BookingPhoto:
    photo = BookingPhoto(booking=booking, image_type="before", content_type="image/jpeg", uploaded_by=by)
    photo.image.save(f"{booking.pk}/{photo.pk}.jpg", ContentFile(_jpeg()), save=False)
    photo.thumbnail.save(f"{booking.pk}/t{photo.pk}.jpg", ContentFile(_jpeg()), save=False)
    photo.width, photo.height = 8, 6
    photo.save()
    return photo


def _appointment(provider: Partner, patient: User, days: int):
    start = clinic.slot(provider, days=days, hour=11)
    return appointment_create(customer=patient, request=AppointmentRequest(provider_id=provider.pk, start=start))


def _people(w: World) -> None:
    w.users["c1"] = make_user(Role.CUSTOMER, email="c1@example.com")
    w.users["c2"] = make_user(Role.CUSTOMER, email="c2@example.com", is_phone_verified=True)
    for short, role in STAFF.items():
        w.users[short] = make_user(role, email=f"{role.value}@example.com")
    w.objects["staff_target"] = make_user(Role.SUPPORT, email="support.target@example.com")


def _jobs(w: World) -> None:
    c1, c2 = w.users["c1"], w.users["c2"]
    p1, p2 = PartnerFactory(), PartnerFactory()
    w.users["p1"], w.users["p2"] = p1.user, p2.user
    job = paid_booking(c1, status=BookingStatus.CONFIRMED)
    assignment = PartnerAssignmentFactory(booking=job, partner=p1, accepted=True)
    paid_booking(c2, status=BookingStatus.CONFIRMED)
    w.objects["theirs"] = paid_booking(c2, status=BookingStatus.COMPLETED)  # another customer's finished job
    done = paid_booking(c1, status=BookingStatus.COMPLETED)
    fresh = paid_booking(c1, status=BookingStatus.COMPLETED)  # no review nor dispute yet: the POSTs' target
    unpaid = BookingFactory(user=c1, online=True)  # an online booking waiting for its payment
    payment = Payment.objects.get(payable_id=str(job.pk))
    address = Address.objects.create(
        user=c1, name="Home", address_line1="12 Lake Road", city="Kolkata", state="West Bengal", pincode="700091"
    )
    review = Review.objects.create(booking=done, customer=c1, partner=p1, rating=4, comment="Good")
    Partner.objects.filter(pk=p1.pk).update(rating_total=4, rating_count=1, rating=Decimal("4.00"))  # as written
    dispute = Dispute.objects.create(
        booking=done, customer=c1, dispute_type=DisputeType.QUALITY_ISSUE, title="Stains", description="Two."
    )
    DisputeMessage.objects.create(dispute=dispute, sender=c1, content="Please look.")
    now = timezone.now()
    signature = BookingSignature.objects.create(booking=done, requested_at=now, expires_at=now + timedelta(hours=48))
    photo = _photo(job, p1.user)
    earning = PartnerEarning.objects.create(
        partner=p1,
        booking=job,
        assignment=assignment,
        booking_amount=job.grand_total,
        commission_percentage=Decimal("20.00"),
        partner_earning=Decimal("800.00"),
        platform_commission=Decimal("200.00"),
    )
    payout = PartnerPayout.objects.create(
        partner=p1, payout_number="PO-AUTHZ-1", total_amount=Decimal("800.00"), net_amount=Decimal("800.00")
    )
    PartnerEarning.objects.filter(pk=earning.pk).update(payout=payout)  # paid out in it, as payout_create does
    link = PaymentLink.objects.create(
        payment=payment,
        gateway_link_id="plink_authz1",
        short_url="https://rzp.io/i/authz1",
        customer_name=c1.full_name,
        customer_phone=c1.phone or "",
        customer_email=c1.email or "",
        created_by=w.users["FD"],
    )
    notification = Notification.objects.create(user=c1, event_type="booking_confirmed", title="Hi", message="Hi")
    delivery = Delivery.objects.create(
        user=c1,
        event_type="booking_confirmed",
        channel=Channel.SMS,
        destination=c1.phone or "",
        body="Hi",
        status=DeliveryStatus.SENT,
    )
    submission = ContactSubmission.objects.create(name="C1", email="c1@example.com", message="Hello", user=c1)
    w.objects.update(
        job=job, done=done, fresh=fresh, unpaid=unpaid, payment=payment, address=address, review=review, p1=p1
    )
    w.objects["dispute"] = dispute
    w.ids.update(
        {
            ("user_id", "customer"): c1.pk,
            ("user_id", ""): w.objects["staff_target"].pk,
            ("address_id", ""): address.pk,
            ("booking_id", ""): job.pk,
            ("payment_id", ""): payment.pk,
            ("link_id", ""): link.gateway_link_id,
            ("photo_id", ""): photo.pk,
            ("signature_id", ""): signature.pk,
            ("dispute_id", ""): dispute.pk,
            ("review_id", ""): review.pk,
            ("partner_id", ""): p1.pk,
            ("payout_id", ""): payout.pk,
            ("earning_id", ""): earning.pk,
            ("notification_id", ""): notification.pk,
            ("delivery_id", ""): delivery.pk,
            ("submission_id", ""): submission.pk,
            ("contact_type", ""): "email",
        }
    )


def _catalog(w: World) -> None:
    service = ServiceFactory(service_key="AUTHZ_FACIAL", category=CategoryFactory(key="AUTHZ"))
    promo = PromoCode.objects.create(
        code="AUTHZ10", description="Ten off", discount_type="percentage", discount_value=Decimal("10.00")
    )
    endpoint = WebhookEndpoint.objects.create(url="https://hooks.example.com/in", secret_encrypted="x")
    w.objects.update(service=service, promo=promo)
    w.ids.update(
        {
            ("service_id", ""): service.pk,
            ("category_id", ""): service.category_id,
            ("promo_id", ""): promo.pk,
            ("endpoint_id", ""): endpoint.pk,
        }
    )


def _societies(w: World) -> None:
    s1, r1, v1 = orders.neighbourhood(flats=3)
    s2, r2, v2 = orders.neighbourhood(flats=3)
    w.users.update(r1=r1, r2=r2, v1=v1.user, v2=v2.user)
    w.users["sa1"] = societies.society_admin(s1)
    w.users["sa2"] = societies.society_admin(s2)
    order = orders.placed(s1, r1, v1)
    order_dispute = OrderDispute.objects.create(
        order=order, reason="PAYMENT_NOT_MADE", raised_by=r1, raised_at=timezone.now()
    )
    pending = orders.living_in(s1, "A-002", ApprovalStatus.PENDING)
    residence = Residence.objects.get(user=pending)
    card = RateCard.objects.filter(partner=v1, society=s1).first()
    area = ServiceArea.objects.filter(partner=v1, society=s1).first()
    application = PartnerApplication.objects.create(
        partner=v1, full_name="Sparkle", primary_service_category="LAUNDRY", review_notes=""
    )
    w.objects["dry"] = orders.dry_cleaning()
    w.objects.update(s2=s2, v2=v2, s1=s1, v1=v1, order=order, residence=residence, card=card)
    w.ids.update(
        {
            ("user_id", "resident"): r1.pk,
            ("society_id", ""): s1.pk,
            ("s2", ""): s2.pk,
            ("vendor_id", ""): v1.pk,
            ("resident_id", ""): residence.pk,
            ("assignment_id", ""): area.pk,
            ("rate_card_id", ""): card.pk,
            ("order_id", ""): order.pk,
            ("service_id", "vendor"): order.items.first().service_id,
            ("service_id", "resident"): order.items.first().service_id,
            ("dispute_id", "society_admin"): order_dispute.pk,
            ("application_id", ""): application.pk,
        }
    )


def _clinic(w: World) -> None:
    c1 = w.users["c1"]
    centre = clinic.centre(name="Authz Centre")
    cl1, cl2 = clinic.clinician(at=centre), clinic.clinician(at=centre)
    sp1, sp2 = clinic.specialist(), clinic.specialist()
    w.users.update(cl1=cl1.user, cl2=cl2.user, sp1=sp1.user, sp2=sp2.user)
    PatientProfile.objects.create(user=c1, gender="FEMALE")
    seen = _appointment(cl1, c1, days=2)
    session = _appointment(sp1, c1, days=3)
    w.objects["their_visit"] = _appointment(cl2, w.users["c2"], days=2)  # another clinician's, another patient
    start = clinic.slot(sp1, days=5, hour=9)
    block = PartnerTimeOff.objects.create(partner=sp1, starts_at=start, ends_at=start + timedelta(hours=1))
    w.objects.update(centre=centre, seen=seen, session=session)
    w.ids.update(
        {
            ("centre_id", ""): centre.pk,
            ("clinician_id", ""): cl1.pk,
            ("appointment_id", ""): seen.pk,
            ("appointment_id", "specialist"): session.pk,
            ("booking_id", "specialist"): session.pk,
            ("booking_id", "clinician"): seen.pk,
            ("booking_id", "patient"): seen.pk,
            ("patient_id", ""): c1.pk,
            ("service_id", "specialist"): clinic.service_of(sp1).pk,
            ("block_id", ""): block.pk,
        }
    )


def build() -> World:
    w = World()
    _people(w)
    _jobs(w)
    _catalog(w)
    _societies(w)
    _clinic(w)
    w.users["society_admin"] = w.users["sa2"]
    return w
