"""Demo data for appointments with a chosen provider (issue #18), called by ``partners.demo.seed``; idempotent.

* Centre "Mibo Indiranagar" (Bengaluru, Asia/Kolkata).
* Two clinicians there (seed 003), made as staff make them (``partners.services.clinic``): a one-hour
  "Consultation" each (₹1,200 and ₹1,000, no deposit) and weekly rules Monday-Sunday 09:00-18:00, so
  tomorrow's free slots are 09:00 ... 17:00 local.
* A specialist (seed 004, kind ``specialist``, business "Kapoor Career Studio", Asia/Kolkata) with a
  60-minute "Career strategy session" (₹1,500) and a fixed ₹200 deposit, the same hours; they confirm each
  paid booking themselves.
* The demo customer (+919900000001) starts with 150 loyalty points (seed 004's example), an audited
  adjustment by the demo admin.
* Past sessions with the specialist (``_past_sessions``): the demo customer and two demo patients each booked,
  were confirmed, attended and reviewed a session in the last month, all through the services with Django's
  clock set back (``core.clock.clock_at``): cash paid at completion, the specialist's earnings and ledger, the
  points each earned (the demo customer: 150 welcome + 150 + 10 for the review), and three reviews in search and
  ``GET /reviews``.
* The demo front-desk and centre-manager accounts of ``accounts.demo`` (one per staff role) get phone
  numbers, and the centre manager is scoped to the centre (``StaffCentre``).

Everyone signs in by OTP with the phone printed (the code is on the console); the staff accounts also sign in
at ``/api/v1/admin/auth/login`` with their email and ``DEMO_ADMIN_PASSWORD``. The demo patient is the demo
customer (``customer@example.com``, +919900000001).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from accounts.services.roles import user_add_role
from bookings.models import LoyaltyAccount, PaymentMode, Review
from bookings.services.loyalty import loyalty_adjust
from bookings.services.reviews import review_create
from catalog.models import Category, Service
from core.clock import clock_at
from partners.models import Centre, OnboardingStatus, Partner, PartnerAvailability, PartnerKind, StaffCentre
from partners.services.appointment_steps import appointment_complete, appointment_confirm
from partners.services.appointments import AppointmentRequest, appointment_create
from partners.services.clinic import centre_create, clinician_create, clinician_set_rules
from partners.services.profiles import new_partner_code
from payments.models import Payment
from payments.services.payable_sync import payable_sync

CENTRE = {
    "name": "Mibo Indiranagar",
    "city": "Bengaluru",
    "address": "100 Feet Road, HAL 2nd Stage, Indiranagar, Bengaluru 560038",
    "phone": "+918041234567",
    "email": "indiranagar@mibo.example.com",
    "timezone": "Asia/Kolkata",
}
CLINICIANS = [
    ("+919900000401", "Dr. Ananya Rao", "ananya.rao@mibo.example.com", ["Clinical Psychology"], "1200.00"),
    ("+919900000402", "Dr. Vikram Shetty", "vikram.shetty@mibo.example.com", ["Psychiatry"], "1000.00"),
]
SPECIALIST = ("+919900000403", "Meera Kapoor", "meera.kapoor@example.com", "Kapoor Career Studio")
FRONT_DESK = ("+919900000404", "front-desk@staff.example.com")
CENTRE_MANAGER = ("+919900000405", "centre-manager@staff.example.com")
WEEK = [
    {"day_of_week": day, "start_time": time(9), "end_time": time(18), "is_available": True}
    for day in ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
]


def _centre(admin: User) -> Centre:
    found = Centre.objects.filter(name__iexact=CENTRE["name"], city__iexact=CENTRE["city"]).first()
    return found or centre_create(data=CENTRE, actor=admin)


def _clinicians(admin: User, centre: Centre) -> int:
    created = 0
    for phone, name, email, specialties, fee in CLINICIANS:
        if Partner.objects.filter(user__phone=phone).exists():
            continue
        clinician = clinician_create(
            data={
                "full_name": name,
                "phone": phone,
                "email": email,
                "primary_centre_id": centre.pk,
                "specialization": specialties,
                "qualification": ["M.Phil"],
                "years_of_experience": 8,
                "languages": ["English", "Kannada", "Hindi"],
                "consultation_fee": Decimal(fee),
                "duration_minutes": 60,
            },
            actor=admin,
        )
        clinician_set_rules(clinician_id=clinician.pk, rules=WEEK, user=admin)
        created += 1
    return created


def _specialist() -> bool:
    phone, name, email, business = SPECIALIST
    if Partner.objects.filter(user__phone=phone).exists():
        return False
    user = User.objects.filter(phone=phone).first() or User.objects.create_user(
        email=email, phone=phone, full_name=name
    )
    user_add_role(user=user, role=Role.SPECIALIST)
    specialist = Partner.objects.create(
        user=user,
        partner_code=new_partner_code(),
        kind=PartnerKind.SPECIALIST,
        onboarding_status=OnboardingStatus.VERIFIED,
        business_name=business,
        specialties=["Career coaching", "Portfolio review"],
        languages=["English", "Hindi"],
        years_of_experience=12,
        consultation_fee=Decimal("1500.00"),
        deposit_amount=Decimal("200.00"),
        timezone="Asia/Kolkata",
        default_session_minutes=60,
    )
    category = (
        Category.objects.filter(key="CONSULTATION").first()
        or Category.objects.filter(name__iexact="Consultation").first()
        or Category.objects.create(key="CONSULTATION", name="Consultation")
    )
    Service.objects.create(
        category=category,
        partner=specialist,
        name="Career strategy session",
        service_key="CAREER_STRATEGY",
        service_type="Career strategy session",
        description="One hour on your next move: CV, portfolio and a 90-day plan.",
        product_cost=Decimal("1500.00"),
        market_price=Decimal("1500.00"),
        duration_minutes=60,
    )
    PartnerAvailability.objects.bulk_create(
        PartnerAvailability(partner=specialist, day_of_week=day, start_time=time(9), end_time=time(18))
        for day in range(1, 8)
    )
    return True


def _staff(centre: Centre) -> int:
    """The demo front-desk and centre-manager accounts (``accounts.demo``, one per staff role) get a phone, and
    the centre manager runs the centre."""
    changed = 0
    for (phone, email), role in ((FRONT_DESK, Role.FRONT_DESK), (CENTRE_MANAGER, Role.CENTRE_MANAGER)):
        user = User.objects.filter(email=email).first()
        if user is None:
            continue
        if not user.phone and not User.objects.filter(phone=phone).exists():
            user.phone = phone
            user.save(update_fields=["phone"])
            changed += 1
        if role == Role.CENTRE_MANAGER:
            StaffCentre.objects.get_or_create(user=user, centre=centre)
    return changed


WELCOME_POINTS = 150  # seed 004's example balance: 50 of them take ₹5 off a balance


def _loyalty(admin: User) -> int:
    """The demo customer's welcome points (an audited staff adjustment), once."""
    customer = User.objects.filter(phone="+919900000001").first()
    if customer is None or LoyaltyAccount.objects.filter(user=customer).exists():
        return 0
    loyalty_adjust(user_id=customer.pk, points=WELCOME_POINTS, reason="Demo welcome points", actor=admin)
    return 1


PAST_SESSIONS = [  # who, days ago the session was, rating, comment
    (
        ("+919900000001", "Asha Customer", "customer@example.com"),
        24,
        5,
        "A clear 90-day plan for my move.",
    ),
    (("+919900000411", "Rohan Mehta", "rohan.mehta@example.com"), 15, 4, "Useful CV rewrite; ran ten minutes over."),
    (("+919900000412", "Priya Nair", "priya.nair@example.com"), 6, 5, "Sharp portfolio feedback, very kind."),
]


def _past_sessions(expert: Partner) -> int:
    """Each past session booked two days ahead, confirmed within the hour, completed, reviewed the next day."""
    if Review.objects.filter(partner=expert).exists():
        return 0
    zone = ZoneInfo(expert.timezone)
    made = 0
    for (phone, name, email), days_ago, rating, comment in PAST_SESSIONS:
        customer = User.objects.filter(phone=phone).first() or User.objects.create_user(
            email=email, phone=phone, full_name=name
        )
        day = timezone.localdate() - timedelta(days=days_ago)
        start = datetime.combine(day, time(11), tzinfo=zone)
        with clock_at(start - timedelta(days=2)):
            request = AppointmentRequest(provider_id=expert.pk, start=start, payment_method=PaymentMode.CASH)
            booking = appointment_create(customer=customer, request=request)
        with clock_at(start - timedelta(days=2) + timedelta(minutes=40)):
            appointment_confirm(provider_user=expert.user, booking_id=booking.pk)
        with clock_at(start + timedelta(minutes=65)):
            appointment_complete(actor=expert.user, booking_id=booking.pk, completion_notes="Plan shared by email.")
            for payment_pk in Payment.objects.filter(payable_id=str(booking.pk)).values_list("pk", flat=True):
                payable_sync(payment_pk=payment_pk)  # the booking hears the cash now, not at seed_demo's commit
        with clock_at(start + timedelta(days=1)):
            review_create(user=customer, booking_id=booking.pk, rating=rating, comment=comment)
        made += 1
    return made


def seed(stdout) -> None:
    from accounts.demo import DEMO_ADMIN_EMAIL

    admin = User.objects.get(email=DEMO_ADMIN_EMAIL)
    centre = _centre(admin)
    created = _clinicians(admin, centre) + int(_specialist()) + _staff(centre) + _loyalty(admin)
    clinicians = ", ".join(f"{name} {phone}" for phone, name, *_ in CLINICIANS)
    expert = Partner.objects.get(user__phone=SPECIALIST[0])
    created += _past_sessions(expert)
    points = LoyaltyAccount.objects.filter(user__phone="+919900000001").values_list("balance", flat=True).first()
    session = Service.objects.filter(partner=expert).order_by("created_at").first()
    stdout.write(
        f"Demo clinic: {centre.name} ({centre.city}) with clinicians {clinicians}; "
        f"specialist {SPECIALIST[1]} ({SPECIALIST[3]}, ₹200 deposit) {SPECIALIST[0]}"
        f" (specialistId {expert.pk}, serviceId {session.pk if session else '-'}); "
        f"front desk {FRONT_DESK[1]} {FRONT_DESK[0]}, centre manager {CENTRE_MANAGER[1]} {CENTRE_MANAGER[0]} "
        f"({created} new). "
        f"Patients sign in by OTP, e.g. the demo customer +919900000001 ({points or 0} loyalty points, "
        f"a reviewed past session with {SPECIALIST[1]})."
    )
