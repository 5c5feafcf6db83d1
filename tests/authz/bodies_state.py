"""Valid bodies, states and callers for the write endpoints that act on an object in a given state (bookings,
appointments, orders, payments, disputes...) in tests/authz/test_mass_assignment.py. STATE_BODIES is shaped like
BODIES (and merged into it); PREPARE puts the world's object into the state the action needs, inside each case's
savepoint (so it is rolled back with the case), and may make the object the path names; WHO names the caller
where it is not the route's owner.
The states themselves are in tests/authz/states.py."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.utils import timezone
from rest_framework.renderers import JSONRenderer

from bookings.services import checkout, slots
from bookings.services.lifecycle import slot_request_of
from partners.models import Partner
from payments.gateways import get_gateway
from tests.appointments import builders as clinic
from tests.authz.states import (
    arrived,
    cash_visit_started,
    confirmed_session,
    counted,
    delivered,
    dispute_resolved,
    disputed,
    documents_on_file,
    gateway_order,
    job_done,
    near_address,
    offered,
    p1_of,
    paid_session,
    payment_received,
    pending_payment,
    points_given,
    serves_s2,
    submitted,
)
from tests.authz.world import World
from tests.factories import PINCODE

Body = Callable[[World], dict[str, Any]]
V = "api/v1/"


# --- bodies ------------------------------------------------------------------------------------------------


def _visit(w: World, *, days: int = 4) -> dict[str, Any]:
    cl1 = Partner.objects.get(user=w.users["cl1"])
    start = clinic.slot(cl1, days=days, hour=10)
    return {
        "clinicianId": str(cl1.pk),
        "centreId": str(w.objects["centre"].pk),
        "appointmentDate": start.date().isoformat(),
        "appointmentTime": start.strftime("%H:%M:%S"),
        "sessionType": "IN_PERSON",
    }


def _reschedule(w: World) -> dict[str, Any]:
    job = w.objects["job"]
    day = job.booking_date + timedelta(days=1)
    offered = slots.available_slots(day, slot_request_of(job))
    return {"new_date": day.isoformat(), "new_time": offered[len(offered) // 2].strftime("%H:%M"), "reason": "Busy"}


def _preview(w: World) -> dict[str, Any]:
    address = w.objects["near"]
    day = timezone.localdate() + timedelta(days=3)
    preview = checkout.checkout_prepare(
        user=w.users["c1"],
        items=[{"service_id": _facial(w), "quantity": 1}],
        promo_code=None,
        address_id=address.pk,
        booking_date=day,
    )
    times = preview["available_time_slots"]
    return {
        "preview_id": str(preview["preview_id"]),
        "payment_method": "cash",
        "address_id": str(address.pk),
        "booking_date": str(preview["booking_date"]),
        "booking_time": times[len(times) // 2],
        "cancellation_policy_accepted": True,
    }


def _checkout(w: World) -> dict[str, Any]:
    return {k: w.objects["checkout"][k] for k in ("razorpay_order_id", "razorpay_payment_id", "razorpay_signature")}


def _webhook(w: World) -> dict[str, Any]:
    paid = w.objects["checkout"]
    entity = {
        "id": paid["razorpay_payment_id"],
        "order_id": paid["razorpay_order_id"],
        "amount": int(w.objects["unpaid"].grand_total * 100),
        "currency": "INR",
        "status": "captured",
        "method": "upi",
        "fee": 0,
    }
    return {"entity": "event", "event": "payment.captured", "payload": {"payment": {"entity": entity}}}


def _signed(w: World) -> dict[str, Any]:
    """What Razorpay sends: the event and the HMAC of its exact bytes with the test secret (headers, as send()
    reads ``HTTP_*`` keys). Fields added to the body after signing break the signature: refused, as they must be."""
    body = _webhook(w)
    raw = JSONRenderer().render(body)
    return {
        **body,
        "HTTP_X_RAZORPAY_SIGNATURE": get_gateway().webhook_signature(raw),
        "HTTP_X_RAZORPAY_EVENT_ID": "evt_authz",
    }


def _facial(w: World) -> str:
    """A service p1 offers (the world's jobs are facials)."""
    return str(w.objects["job"].items.first().service_id)


def _unpaid(w: World) -> str:
    return str(w.objects["unpaid"].pk)


STATE_BODIES: dict[tuple[str, str], Body] = {
    (V + "appointments", "POST"): lambda w: {**_visit(w), "patientId": str(w.users["c1"].pk), "paymentMode": "CASH"},
    (V + "appointments/<uuid:appointment_id>", "PUT"): lambda w: {
        "appointmentDate": _visit(w)["appointmentDate"],
        "appointmentTime": "15:00:00",
        "reason": "The patient asked",
    },
    (V + "booking/create", "POST"): lambda w: _visit(w),
    (V + "booking/front-desk", "POST"): lambda w: {
        **_visit(w),
        "patientPhone": "+919822222222",
        "patientName": "Walk In",
        "paymentMode": "CASH",
    },
    (V + "bookings", "POST"): lambda w: {
        "service_id": str(clinic.service_of(Partner.objects.get(user=w.users["sp1"])).pk),
        "specialist_id": str(Partner.objects.get(user=w.users["sp1"]).pk),
        "scheduled_at": clinic.slot(Partner.objects.get(user=w.users["sp1"]), days=6, hour=15).isoformat(),
    },
    (V + "bookings/<uuid:booking_id>/complete", "POST"): lambda w: {"completion_notes": "Done", "deliverables": []},
    (V + "bookings/<uuid:booking_id>/confirm", "POST"): lambda w: {"meeting_link": "https://meet.example.com/b"},
    (V + "bookings/<uuid:booking_id>/reschedule", "POST"): _reschedule,
    (V + "checkout/prepare", "POST"): lambda w: {
        "service_ids": [_facial(w)],
        "booking_date": (timezone.localdate() + timedelta(days=3)).isoformat(),
    },
    (V + "checkout/confirm", "POST"): _preview,
    (V + "clinicians/<uuid:clinician_id>", "PUT"): lambda w: {"specialization": ["Psychiatry"]},
    (V + "clinicians/<uuid:clinician_id>/toggle-active", "PATCH"): lambda w: {},
    (V + "patients/<uuid:patient_id>", "PUT"): lambda w: {"medical_history": "Asthma"},
    (V + "dynamic-pricing", "POST"): lambda w: {"service_id": _facial(w), "pincode": PINCODE},
    (V + "smart-scheduling", "POST"): lambda w: {
        "vendor_id": str(p1_of(w).pk),
        "service_id": _facial(w),
        "customer_pincode": PINCODE,
        "preferred_date": (timezone.localdate() + timedelta(days=3)).isoformat(),
    },
    (V + "loyalty/redeem", "POST"): lambda w: {"points": 50, "booking_id": _unpaid(w)},
    (V + "notifications/appointment-confirmation", "POST"): lambda w: {"booking_id": str(w.objects["job"].pk)},
    (V + "notifications/appointment-reminder", "POST"): lambda w: {"booking_id": str(w.objects["job"].pk)},
    (V + "notifications/preferences", "POST"): lambda w: {"booking_confirmed": {"sms": False}},
    (V + "notifications/preferences", "PUT"): lambda w: {"booking_confirmed": {"sms": False}},
    (V + "notifications/preferences", "PATCH"): lambda w: {"booking_confirmed": {"sms": False}},
    (V + "orders/<uuid:order_id>/pay", "POST"): lambda w: {},
    (V + "partner/bookings/<uuid:booking_id>/reject", "POST"): lambda w: {"reason": "Too far"},
    (V + "payments/<uuid:payment_id>/process_manual_payment", "POST"): lambda w: {"method": "cash", "reference": "R1"},
    (V + "payments/cash", "POST"): lambda w: {
        "booking_id": _unpaid(w),
        "amount": str(w.objects["unpaid"].grand_total),
        "method": "cash",
    },
    (V + "payments/create-link", "POST"): lambda w: {"booking_id": _unpaid(w)},
    (V + "payments/links", "POST"): lambda w: {"booking_id": _unpaid(w)},
    (V + "payments/offline/checkout", "POST"): lambda w: {"order_id": w.objects["checkout"]["razorpay_order_id"]},
    (V + "payments/orders", "POST"): lambda w: {"booking_id": _unpaid(w)},
    (V + "payments/process-deposit", "POST"): lambda w: {"appointment_id": str(w.objects["session"].pk)},
    (V + "payments/process-full-payment", "POST"): lambda w: {"booking_id": _unpaid(w)},
    (V + "payments/refund", "POST"): lambda w: {"payment_id": str(w.objects["payment"].pk), "reason": "Duplicate"},
    (V + "payments/verify", "POST"): _checkout,
    (V + "payments/webhook", "POST"): _signed,
    (V + "vendor-applications/<uuid:application_id>/review", "POST"): lambda w: {"decision": "approve"},
    (V + "video/generate-meet-link", "POST"): lambda w: {"appointment_id": str(w.objects["session"].pk)},
}

PREPARE: dict[tuple[str, str], Callable[[World], dict[str, Any] | None]] = {
    (V + "appointments/<uuid:appointment_id>/no-show", "POST"): cash_visit_started,
    (V + "bookings/<uuid:booking_id>/confirm", "POST"): paid_session,
    (V + "bookings/<uuid:booking_id>/complete", "POST"): confirmed_session,
    (V + "bookings/<uuid:booking_id>/rate", "POST"): job_done,
    (V + "bookings/<uuid:booking_id>/request_signature", "POST"): job_done,
    (V + "checkout/confirm", "POST"): near_address,
    (V + "disputes/<uuid:dispute_id>/close", "POST"): dispute_resolved,
    (V + "loyalty/redeem", "POST"): points_given,
    (V + "orders/<uuid:order_id>/approve-count", "POST"): counted,
    (V + "orders/<uuid:order_id>/dispute-payment", "POST"): payment_received,
    (V + "orders/<uuid:order_id>/mark-payment-received", "POST"): delivered,
    (V + "orders/<uuid:order_id>/pay", "POST"): delivered,
    (V + "orders/<uuid:order_id>/rating", "POST"): delivered,
    (V + "partner/bookings/<uuid:booking_id>/accept", "POST"): offered,
    (V + "partner/bookings/<uuid:booking_id>/reject", "POST"): offered,
    (V + "partner/bookings/<uuid:booking_id>/complete", "POST"): arrived,
    (V + "payments/<uuid:payment_id>/process_manual_payment", "POST"): pending_payment,
    (V + "payments/offline/checkout", "POST"): gateway_order,
    (V + "payments/verify", "POST"): gateway_order,
    (V + "payments/webhook", "POST"): gateway_order,
    (V + "society-admin/order-disputes/<uuid:dispute_id>/resolve", "POST"): disputed,
    (V + "vendor-applications/<uuid:application_id>/submit", "POST"): documents_on_file,
    (V + "vendor-applications/<uuid:application_id>/review", "POST"): submitted,
    (V + "vendors/<uuid:vendor_id>/services/copy", "POST"): serves_s2,
}

WHO: dict[tuple[str, str], str] = {
    # Staff with bookings.change_booking move an appointment; a clinician only reads theirs (seed 003).
    (V + "appointments/<uuid:appointment_id>", "PUT"): "AD",
    (V + "clinicians/<uuid:clinician_id>", "PUT"): "AD",  # partners.manage_clinicians
    (V + "clinicians/<uuid:clinician_id>/toggle-active", "PATCH"): "AD",
    (V + "patients/<uuid:patient_id>", "PUT"): "AD",  # accounts.change_patientprofile
    (V + "vendor-applications/<uuid:application_id>/review", "POST"): "ON",  # the onboarding manager
    # Seed 003: ADMIN, MANAGER, CENTRE_MANAGER set a link by hand (bookings.change_booking); the specialist sends
    # theirs with POST /bookings/{id}/confirm (seed 004), and the video PUT answers them 404 like anyone else.
    (V + "video/appointment/<str:appointment_id>/meet-link", "PUT"): "AD",
}
