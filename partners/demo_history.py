"""Demo history (issue #22): about 90 days of past activity, written through the services, idempotent.

``seed_demo`` runs this after every app's ``demo`` module (so the demo customers, partners and catalog exist);
``seed_demo --no-history`` skips it. Each step runs at its own past moment with Django's clock set back
(``core.clock.clock_at``), dates relative to today:

* 2-4 bookings a day for the demo customers (``accounts.demo`` and ``bookings.demo``, their first address) with
  the demo technicians (``partners.demo``), each booked the day before through checkout (prepare, then confirm
  on an offered slot; a 409 ``SLOT_UNAVAILABLE`` means another slot), cash or online.
* Online: Razorpay Checkout played on the offline gateway and verified (a few first attempts declined, then
  paid); cash is recorded when the job is completed. Then dispatch, the partner's accept (now and then a
  reject first, and the next partner takes it), on the way, arrived, completed, and most customers' reviews.
* Some customers cancel: within the free window (full refund, the booking ends ``refunded``) or later (the
  fee is kept); staff cancel one now and then and refund part of a few completed bookings (audited).
* Payouts: each technician's pending earnings paid out 60 and 30 days ago (not a technician holding more cash
  than they are owed: payouts refuse that), the demo partner's next one sent 2 days ago (``processing``); the
  other earnings since stay pending.
* Upcoming, booked in the last hour: a few bookings tomorrow and the day after, four confirmed, one offered to
  a partner and one online booking not paid yet (pending). In ``make run`` the worker then treats these as
  live bookings: an unanswered offer expires to the next partner, an unpaid booking expires.

What carries today's date: ``seed_demo`` runs in one transaction, so what the services do on commit runs
once it commits, under the real clock: the notifications' deliveries (the rows keep the past moment, but
``make run``'s worker sends their e-mails and SMS to the console when it starts), their pushes and WebSocket
events, and the queued dispatch and offer-expiry tasks (no-ops by then). The payable sync, which also runs
on commit, is done here at each step (:func:`History.tell`), so a booking is paid, refunded or cancelled
at the moment it happened. Rate limits count in real time, so each customer's booking and payment counters
are reset before each booking (``core.ratelimit.reset``) and after the last.
"""

from __future__ import annotations

import logging
import random
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.utils import timezone

from accounts.models import Address, User
from bookings.models import BOOKING_PAYABLE, Booking
from bookings.services import staff
from bookings.services.checkout import checkout_confirm, checkout_prepare
from bookings.services.lifecycle import booking_cancel
from bookings.services.reviews import review_create
from catalog.selectors import bookable_services
from core import ratelimit
from core.clock import clock_at
from core.errors import DomainError
from partners import demo_proof
from partners.models import AssignmentStatus, Partner, PartnerAssignment
from partners.services.dispatch import dispatch_booking, offer_accept, offer_reject
from partners.services.jobs import job_advance, job_complete
from partners.services.payouts import payout_create, payout_process, payout_start
from payments.gateways import offline_checkout_enabled
from payments.models import Payment
from payments.services.checkout import payment_simulate_checkout, payment_verify
from payments.services.payable_sync import payable_sync
from payments.services.payments import CREATE_LIMIT, payment_create_order

DAYS = 90
CATEGORIES = ["FACIAL", "WAXING", "HAIR", "NAIL"]
PAYOUT_DAYS = (60, 30)
REVIEWS = [
    (5, "Spotless work and right on time."),
    (5, "Lovely, gentle and thorough. Booking again."),
    (4, "Very good; arrived ten minutes late."),
    (5, "Professional and friendly."),
    (4, "Good job, a little rushed at the end."),
    (3, "Fine, but the products ran short."),
]


@contextmanager
def _quiet_declines() -> Iterator[None]:
    """A declined demo payment is logged as an error by payments; keep ``seed_demo``'s output readable."""
    events = logging.getLogger("platform.events")
    was, events.disabled = events.disabled, True
    try:
        yield
    finally:
        events.disabled = was


def _local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_current_timezone())


class History:
    def __init__(self, admin: User, customers: list[tuple[User, Address]], online: bool) -> None:
        self.rng = random.Random(22)  # noqa: S311 - demo data, not secrets: the same history on every machine
        self.admin, self.customers, self.online = admin, customers, online
        self.services = list(bookable_services().filter(category__key__in=CATEGORIES).order_by("name"))
        self.counts: dict[str, int] = {}
        self.partner_phones: list[str] = []
        self.now = timezone.now()  # the real moment: nothing of the past may happen after it
        self.orders: dict[str, str] = {}  # booking id -> the order checkout confirm made for it

    def count(self, what: str) -> None:
        self.counts[what] = self.counts.get(what, 0) + 1

    # --- booking ---------------------------------------------------------------------------------------

    def book(
        self, day: date, at: datetime, *, method: str, customer: tuple[User, Address] | None = None
    ) -> Booking | None:
        """Checkout as the customer at ``at``: prepare for ``day``, confirm an offered slot (another on a 409).
        ``customer``: this one (and one service), not a random one."""
        user, address = customer or self.rng.choice(self.customers)
        picked = self.rng.sample(self.services, k=1 if customer else self.rng.choice([1, 1, 1, 2]))
        items = [{"service_id": str(s.pk), "quantity": 1} for s in picked]
        for name in ("booking-create", CREATE_LIMIT):  # real-time counters: many bookings are made in seconds
            ratelimit.reset(name, str(user.pk))
        with clock_at(at):
            preview = checkout_prepare(user=user, items=items, address_id=address.pk, booking_date=day)
            offered = preview["available_time_slots"]
            for _ in range(3):
                if not offered:
                    return None
                slot = self.rng.choice(offered[: max(1, len(offered) - 4)])  # not the last slots of the day
                try:
                    confirmed = checkout_confirm(
                        user=user,
                        preview_id=preview["preview_id"],
                        payment_method=method,
                        address_id=address.pk,
                        booking_date=day,
                        booking_time=slot,
                        cancellation_policy_accepted=True,
                        idempotency_key=str(uuid.uuid4()),
                    )
                except DomainError as exc:
                    if exc.code != "SLOT_UNAVAILABLE":
                        raise
                    offered = (exc.context or {}).get("available_time_slots") or []
                    continue
                self.orders[str(confirmed.booking.pk)] = (confirmed.payment or {}).get("order_id", "")
                return confirmed.booking
        return None

    def pay(self, booking: Booking, at: datetime, *, declined_first: bool = False) -> None:
        """Razorpay Checkout on the offline gateway for the order checkout made, verified; when
        ``declined_first``, that attempt is declined and a second order is paid."""
        user = booking.user
        order_id = self.orders.pop(str(booking.pk), "")
        with clock_at(at):
            for attempt in [False, True] if declined_first else [True]:
                if not order_id:
                    ratelimit.reset(CREATE_LIMIT, str(user.pk))
                    order = payment_create_order(user=user, payable_type=BOOKING_PAYABLE, payable_id=str(booking.pk))
                    order_id = order.data["order_id"]
                with _quiet_declines() if not attempt else nullcontext():
                    paid = payment_simulate_checkout(user=user, order_id=order_id, succeed=attempt)
                    payment_verify(
                        user=user,
                        order_id=paid["razorpay_order_id"],
                        payment_id=paid["razorpay_payment_id"],
                        signature=paid["razorpay_signature"],
                    )
                order_id = ""
                self.count("payments_declined" if not attempt else "payments_online")
            self.tell(booking)

    def tell(self, booking: Booking) -> None:
        """The payable sync that would run on commit, now: the booking hears its payments at this moment."""
        rows = Payment.objects.filter(payable_type=BOOKING_PAYABLE, payable_id=str(booking.pk))
        for payment_pk in rows.order_by("created_at").values_list("pk", flat=True):
            payable_sync(payment_pk=payment_pk)

    def _offered_to(self, booking: Booking) -> Partner:
        offer = PartnerAssignment.objects.select_related("partner__user").get(
            booking=booking, status=AssignmentStatus.ASSIGNED
        )
        return offer.partner

    def dispatch(self, booking: Booking, at: datetime, *, accept: bool = True, reject_first: bool = False) -> None:
        with clock_at(at):
            dispatch_booking(booking.pk)
        if reject_first:
            with clock_at(at + timedelta(minutes=4)):
                offer_reject(partner=self._offered_to(booking), booking_id=booking.pk, reason="Too far today")
            self.count("offers_rejected")
        if accept:
            with clock_at(at + timedelta(minutes=self.rng.randint(6, 12))):
                offer_accept(partner=self._offered_to(booking), booking_id=booking.pk)

    def work(self, booking: Booking) -> None:
        """On the way 40 minutes before, arrived on time, completed after the booked length."""
        booking.refresh_from_db()
        partner = PartnerAssignment.objects.get(booking=booking, status=AssignmentStatus.ACCEPTED).partner
        start, end = booking.scheduled_start, booking.scheduled_end
        with clock_at(start - timedelta(minutes=40)):
            job_advance(partner=partner, booking_id=booking.pk, status="in_transit", estimated_arrival=start)
        with clock_at(start + timedelta(minutes=self.rng.randint(-5, 8))):
            job_advance(partner=partner, booking_id=booking.pk, status="arrived")
        with clock_at(end + timedelta(minutes=self.rng.randint(0, 15))):
            job_complete(partner=partner, booking_id=booking.pk)
            self.tell(booking)  # cash collected: the booking is paid at that moment, not at the commit

    def review(self, booking: Booking) -> None:
        rating, comment = self.rng.choice(REVIEWS)
        moment = booking.scheduled_end + timedelta(hours=self.rng.randint(2, 30))
        if moment >= self.now:  # yesterday's customer has not written it yet
            return
        with clock_at(moment):
            review_create(user=booking.user, booking_id=booking.pk, rating=rating, comment=comment)
        self.count("reviews")

    def cancel(self, booking: Booking, at: datetime, reason: str) -> None:
        with clock_at(at):
            booking_cancel(user=booking.user, booking_id=booking.pk, reason=reason)
            self.tell(booking)

    # --- a day -----------------------------------------------------------------------------------------

    def past_booking(self, day: date) -> None:
        method = "online" if self.online and self.rng.random() < 0.6 else "cash"
        booked_at = _local(day - timedelta(days=1), self.rng.randint(8, 21), self.rng.choice([0, 10, 25, 40, 55]))
        booking = self.book(day, booked_at, method=method)
        if booking is None:
            return
        roll = self.rng.random()
        if method == "online":
            self.pay(booking, booked_at + timedelta(minutes=2), declined_first=self.rng.random() < 0.06)
        if roll < 0.06:  # changed their mind at once: free (online: refunded in full)
            self.cancel(booking, booked_at + timedelta(minutes=3), "Booked the wrong day")
            self.count("cancelled_free")
            return
        self.dispatch(booking, booked_at + timedelta(minutes=5), reject_first=self.rng.random() < 0.1)
        booking.refresh_from_db()
        if roll < 0.12:  # later, before the partner leaves: the fee is kept
            self.cancel(booking, booking.scheduled_start - timedelta(hours=5), "Plans changed")
            self.count("cancelled_late")
            return
        if roll < 0.14:  # staff cancel for the customer, everything refunded
            with clock_at(booking.scheduled_start - timedelta(hours=6)):
                staff.booking_cancel(
                    booking_id=booking.pk, reason="Customer called: travelling", refund_amount=None, actor=self.admin
                )
                self.tell(booking)
            self.count("cancelled_by_staff")
            return
        self.work(booking)
        self.count("completed")
        if self.rng.random() < 0.65:
            self.review(booking)
        if method == "online" and self.rng.random() < 0.05:  # a goodwill refund of part of the price
            booking.refresh_from_db()
            moment = booking.scheduled_end + timedelta(days=1)
            if moment >= self.now:
                return
            with clock_at(moment):
                amount = (booking.grand_total * Decimal("0.2")).quantize(Decimal("1"))
                staff.booking_refund(
                    booking_id=booking.pk, amount=amount, reason="Goodwill: service ran late", actor=self.admin
                )
                self.tell(booking)
            self.count("staff_refunds")

    def payouts(self, day: date, phones: list[str], *, finish: bool = True) -> None:
        """Each technician's pending earnings: created at 10:00, sent at 11:00, completed the next morning."""
        for partner in Partner.objects.filter(user__phone__in=phones).order_by("user__phone"):
            try:
                with clock_at(_local(day, 10)):
                    payout = payout_create(partner_id=partner.pk, by=self.admin, notes="Monthly payout")
            except DomainError:  # nothing pending, or the partner holds more cash than they are owed
                continue
            with clock_at(_local(day, 11)):
                payout_start(payout_id=payout.pk, by=self.admin)
            if not finish:
                self.count("payouts_processing")
                continue
            with clock_at(_local(day + timedelta(days=1), 9, 30)):
                payout_process(payout_id=payout.pk, by=self.admin, bank_transaction_id=f"UTR{payout.pk.hex[:12]}")
            self.count("payouts_completed")

    # --- upcoming --------------------------------------------------------------------------------------

    def upcoming(self, today: date) -> None:
        """Booked within the last hour for the next two days: four confirmed, one offered to a partner and one
        online booking not paid yet, these two just now (an offer expires after 15 minutes, an unpaid booking
        after 30: ``make run``'s worker sees to both)."""
        # method, accepted (None: not even paid), minutes ago
        plans: list[tuple[str, bool | None, int]] = [("cash", True, 45), ("cash", True, 44), ("online", True, 43)]
        plans += [("online", True, 42), ("cash", False, 3), ("online", None, 1)]
        for index, (method, accept, minutes_ago) in enumerate(plans):
            if method == "online" and not self.online:
                method = "cash"
            at = self.now - timedelta(minutes=minutes_ago)
            booking = self.book(today + timedelta(days=1 + index % 2), at, method=method)
            if booking is None:
                continue
            self.count("upcoming")
            if accept is None:
                continue
            if method == "online":
                self.pay(booking, at + timedelta(minutes=2))
            self.dispatch(booking, self.now - timedelta(minutes=20 if accept else 2), accept=accept)

    def attempt(self, step: Callable[[date], None], day: date) -> None:
        """One booking's story in a savepoint: a database that already holds other bookings (an older
        ``var/db.sqlite3``) may leave nobody free or refuse a step; that booking is skipped, not the demo."""
        try:
            with transaction.atomic():
                step(day)
        except (DomainError, ObjectDoesNotExist):
            self.count("skipped")

    def run(self, today: date) -> None:
        for days_ago in range(DAYS, 0, -1):
            day = today - timedelta(days=days_ago)
            if days_ago in PAYOUT_DAYS:
                self.payouts(day, self.partner_phones)
            for _ in range(self.rng.choice([2, 3, 3, 4])):
                self.attempt(self.past_booking, day)
        self.payouts(today - timedelta(days=2), self.partner_phones[:1], finish=False)  # sent, not arrived yet
        self.attempt(self.upcoming, today)
        for user, _ in self.customers:
            for name in ("booking-create", CREATE_LIMIT):
                ratelimit.reset(name, str(user.pk))


def _customers() -> list[tuple[User, Address]]:
    from accounts.demo import DEMO_CUSTOMER
    from bookings.demo import CUSTOMERS

    emails = [DEMO_CUSTOMER["email"], *(row[0] for row in CUSTOMERS)]
    found = []
    for user in User.objects.filter(email__in=emails).order_by("email"):
        address = Address.objects.filter(user=user).order_by("created_at").first()
        if address is not None:
            found.append((user, address))
    return found


def _done(customers: list[tuple[User, Address]], today: date) -> bool:
    """The marker: a dispatched booking of a demo customer before yesterday exists (clinic sessions are not)."""
    return Booking.objects.filter(
        user__in=[user for user, _ in customers],
        requested_partner__isnull=True,
        booking_date__lt=today - timedelta(days=1),
    ).exists()


def seed(stdout: Any) -> None:
    from accounts.demo import DEMO_ADMIN_EMAIL
    from partners.demo import PARTNERS

    today = timezone.localdate()
    customers = _customers()
    admin = User.objects.filter(email=DEMO_ADMIN_EMAIL).first()
    if admin is None or not customers or _done(customers, today):
        stdout.write("Demo history: already there (or nothing to build it on).")
        return
    history = History(admin, customers, online=offline_checkout_enabled())
    history.partner_phones = [row[0] for row in PARTNERS]
    history.run(today)
    made = ", ".join(f"{key} {value}" for key, value in sorted(history.counts.items()))
    stdout.write(f"Demo history: the last {DAYS} days of bookings through the services ({made}).")
    demo_proof.seed(stdout, history, today)
