"""Valid request bodies per (route, method): the matrix sends them (so a stranger is refused for who they are,
not for a bad body), and the mass-assignment test adds the forbidden fields to them. A GET's "body" is its
query. A body holding a file is sent as multipart."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from orders.models import OrderStep
from partners.models import Partner
from societies.models import HierarchyNode
from tests.appointments import builders as clinic
from tests.authz.world import World

Body = Callable[[World], dict[str, Any]]
V = "api/v1/"


def _image() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 12), (30, 90, 160)).save(buffer, "JPEG")
    return SimpleUploadedFile("before.jpg", buffer.getvalue(), content_type="image/jpeg")


def _line(w: World, quantity: int) -> dict[str, Any]:
    item = w.objects["order"].items.first()
    return {
        "service_id": str(item.service_id),
        "rate_card_item_id": item.rate_card_item_id,
        "item_name": item.item_name,
        "quantity": quantity,
    }


def _step(w: World) -> dict[str, Any]:
    step = OrderStep.objects.filter(order_service__order=w.objects["order"]).order_by("step_order").first()
    return {"step_id": step.pk if step else 0, "notes": "Done"}


def _address() -> dict[str, Any]:
    return {"name": "Home", "address_line1": "1 Park Street", "city": "Kolkata", "state": "WB", "pincode": "700016"}


def _card_items(w: World) -> dict[str, Any]:
    line = w.objects["card"].published_items[0]
    item = {"item_id": line["item_id"], "service_id": line["service_id"], **_piece(line["item_name"], "11.00")}
    return {"items": [item]}


def _node(w: World) -> dict[str, Any]:
    group = HierarchyNode.objects.get(society=w.objects["s1"], level_depth=2)
    return {"parent_node_id": group.pk, "node_type": "FLOOR", "node_code": "9", "node_name": "Floor 9"}


def _order(w: World) -> dict[str, Any]:
    line = w.objects["card"].published_items[0]
    return {
        "vendor_id": str(w.objects["v1"].pk),
        "society_id": w.objects["s1"].pk,
        "pickup_datetime": (timezone.now() + timedelta(days=2)).isoformat(),
        "items": [{"service_id": line["service_id"], "rate_card_item_id": line["item_id"], "quantity": 2}],
    }


def _block(w: World) -> dict[str, Any]:
    start = clinic.slot(Partner.objects.get(user=w.users["sp1"]), days=6, hour=10)
    return {"start_date_time": start.isoformat(), "end_date_time": (start + timedelta(hours=1)).isoformat()}


def _dispute(w: World) -> dict[str, Any]:
    booking = str(w.objects["fresh"].pk)
    return {"booking_id": booking, "dispute_type": "quality_issue", "title": "Stain", "description": "On the sofa"}


def _ironing(w: World) -> str:
    return str(w.objects["card"].published_items[0]["service_id"])


def _new_card(w: World) -> dict[str, Any]:
    dry = str(w.objects["dry"].pk)
    return {"society_id": w.objects["s1"].pk, "items": [{"service_id": dry, "items": [_piece("Suit", "150.00")]}]}


def _piece(name: str, price: str) -> dict[str, Any]:
    return {"item_name": name, "price_per_piece": price}


BODIES: dict[tuple[str, str], Body] = {
    (V + "chat/query", "POST"): lambda w: {
        "user_id": str(w.users["c1"].pk),
        "role": "customer",
        "message": "Where is my booking?",
    },
    (V + "vendors/<uuid:vendor_id>/rate-cards", "POST"): _new_card,
    (V + "onboarding/vendor/register", "POST"): lambda w: {
        "business_name": "Fresh Wash",
        "full_name": "Chandra Two",
        "store_address": "Shop 2, Lake Market",
        "id_proof_type": "AADHAAR",
        "id_proof_number": "234567890123",
    },
    (V + "onboarding/resident/register", "POST"): lambda w: {
        "society_id": w.objects["s1"].pk,
        "unit_node_id": HierarchyNode.objects.get(society=w.objects["s1"], node_code="A-003").pk,
    },
    (V + "photos", "POST"): lambda w: {"booking": str(w.objects["job"].pk), "image_type": "before", "image": _image()},
    (V + "users/avatar", "POST"): lambda w: {"avatar": _image()},
    (V + "payments/create-order", "POST"): lambda w: {"booking_id": str(w.objects["unpaid"].pk)},
    (V + "users/profile", "PUT"): lambda w: {"full_name": "Asha Roy"},
    (V + "users/profile", "PATCH"): lambda w: {"full_name": "Asha Roy"},
    (V + "users/addresses", "POST"): lambda w: _address(),
    (V + "reviews", "POST"): lambda w: {"booking_id": str(w.objects["fresh"].pk), "rating": 5, "comment": "Great"},
    (V + "disputes", "POST"): _dispute,
    (V + "disputes/create_dispute", "POST"): _dispute,
    (V + "contact", "POST"): lambda w: {"name": "Asha", "email": "asha@example.com", "message": "Hello"},
    (V + "orders", "POST"): _order,
    (V + "notifications/devices", "POST"): lambda w: {"token": "fcm-authz-token", "platform": "android"},
    (V + "partner/working-hours", "PUT"): lambda w: {
        "working_hours": {"start": "08:00", "end": "20:00", "days": [1, 2, 3, 4, 5]}
    },
    (V + "specialists/services", "POST"): lambda w: {
        "name": "Session",
        "category": "CONSULTATION",
        "duration": 60,
        "price": "1500.00",
    },
    (V + "specialists/availability/block", "POST"): _block,
    (V + "vendor-availability", "POST"): lambda w: {"day_of_week": 1, "start_time": "09:00", "end_time": "17:00"},
    (V + "promo-codes/validate", "POST"): lambda w: {"code": "AUTHZ10", "amount": "1000.00"},
    (V + "admin/promo-codes", "POST"): lambda w: {"code": "NEW10", "discount_type": "percentage", "discount_value": 10},
    (V + "admin/categories", "POST"): lambda w: {"category_name": "Spa"},
    (V + "admin/services", "POST"): lambda w: {
        "category": "AUTHZ",
        "name": "Spa deluxe",
        "product_cost": "900.00",
        "service_type": "Spa",
    },
    (V + "admin/staff/front-desk", "POST"): lambda w: {
        "full_name": "Desk Two",
        "password": "correct-horse-battery-9",
        "phone": "+919811111111",
    },
    (V + "admin/users/<uuid:user_id>/status", "PATCH"): lambda w: {"is_active": False, "reason": "Spam"},
    (V + "admin/contact-submissions/<uuid:submission_id>", "PATCH"): lambda w: {"admin_notes": "Called back"},
    (V + "disputes/<uuid:dispute_id>/escalate", "POST"): lambda w: {"reason": "Stuck"},
    (V + "bookings/<uuid:booking_id>", "PUT"): lambda w: {"notes": "Ring twice"},
    (V + "bookings/<uuid:booking_id>", "PATCH"): lambda w: {"customer_notes": "Ring twice"},
    (V + "bookings/<uuid:booking_id>/rate", "POST"): lambda w: {"rating": 5, "feedback": "Good"},
    (V + "bookings/<uuid:booking_id>/reschedule", "POST"): lambda w: {
        "new_scheduled_at": (w.objects["job"].scheduled_start + timedelta(days=1)).isoformat()
    },
    (V + "bookings/<uuid:booking_id>/photos", "POST"): lambda w: {"image_type": "before", "image": _image()},
    (V + "disputes/<uuid:dispute_id>/messages", "POST"): lambda w: {"content": "Any news?"},
    (V + "disputes/<uuid:dispute_id>/send_message", "POST"): lambda w: {"content": "Any news?"},
    (V + "disputes/<uuid:dispute_id>/resolve", "POST"): lambda w: {
        "resolution_type": "no_action",
        "resolution_notes": "Checked the photos",
    },
    (V + "signatures/<uuid:signature_id>/sign", "POST"): lambda w: {"satisfaction_rating": 5},
    (V + "signatures/<uuid:signature_id>/refuse", "POST"): lambda w: {"reason": "Not finished"},
    (V + "users/addresses/<uuid:address_id>", "PUT"): lambda w: _address(),
    (V + "partner/bookings/<uuid:booking_id>/status", "PATCH"): lambda w: {"status": "in_transit"},
    (V + "patients/<uuid:patient_id>/notes", "POST"): lambda w: {
        "note": "Blood pressure normal",
        "appointment_id": str(w.objects["seen"].pk),
    },
    (V + "clinicians/<uuid:clinician_id>/availability", "PUT"): lambda w: {
        "availability_rules": [{"day_of_week": "MONDAY", "start_time": "09:00", "end_time": "17:00"}]
    },
    (V + "video/appointment/<str:appointment_id>/meet-link", "PUT"): lambda w: {
        "meet_link": "https://meet.google.com/abc-defg-hij"
    },
    (V + "onboarding/vendor/<uuid:vendor_id>/bank-details", "PUT"): lambda w: {
        "bank_account_holder": "Sparkle Laundry",
        "bank_account_number": "123456789012",
        "bank_ifsc_code": "HDFC0001234",
    },
    (V + "onboarding/vendor/<uuid:vendor_id>/services", "POST"): lambda w: {
        "services": [{"service_id": _ironing(w), "turnaround_hours": 24}]
    },
    (V + "onboarding/vendor/<uuid:vendor_id>/societies", "POST"): lambda w: {"society_ids": [w.ids[("s2", "")]]},
    (V + "vendors/<uuid:vendor_id>", "GET"): lambda w: {"society_id": w.objects["s1"].pk},
    (V + "vendors/<uuid:vendor_id>/rate-cards/<int:rate_card_id>/items", "PUT"): _card_items,
    (V + "vendors/<uuid:vendor_id>/services/copy", "POST"): lambda w: {
        "source_society_id": w.objects["s1"].pk,
        "target_society_id": w.ids[("s2", "")],
    },
    (V + "orders/<uuid:order_id>/approve-count", "POST"): lambda w: {"action": "APPROVE"},
    (V + "orders/<uuid:order_id>/dispute-payment", "POST"): lambda w: {"dispute_reason": "PAYMENT_NOT_MADE"},
    (V + "orders/<uuid:order_id>/mark-payment-received", "POST"): lambda w: {"payment_method": "CASH"},
    (V + "orders/<uuid:order_id>/rating", "POST"): lambda w: {"rating": 5, "review": "Crisp"},
    (V + "orders/<uuid:order_id>/update-count", "POST"): lambda w: {"actual_items": [_line(w, 3)]},
    (V + "orders/<uuid:order_id>/workflow/<uuid:service_id>/complete-step", "POST"): _step,
    (V + "society-admin/order-disputes/<uuid:dispute_id>/resolve", "POST"): lambda w: {
        "resolution": "PAYMENT_CONFIRMED"
    },
    (V + "residents/<uuid:user_id>/switch-society", "POST"): lambda w: {"society_id": w.objects["s1"].pk},
    (V + "admin/society/<int:society_id>/groups", "POST"): lambda w: {
        "group_name": "Tower Z",
        "group_code": "TZ",
        "group_type": "TOWER",
    },
    (V + "admin/society/<int:society_id>/residents/<uuid:resident_id>/approve", "POST"): lambda w: {
        "action": "APPROVE"
    },
    (V + "admin/society/<int:society_id>/vendors/<uuid:vendor_id>/approve", "POST"): lambda w: {"action": "APPROVE"},
    (V + "admin/society/<int:society_id>/vendors/<uuid:vendor_id>/service-areas", "PUT"): lambda w: {
        "assignment_type": "SOCIETY"
    },
    (V + "societies/<int:society_id>/hierarchy/nodes", "POST"): _node,
}


def body_for(world: World, route: str, method: str) -> dict[str, Any]:
    make = BODIES.get((route, method))
    return make(world) if make else {}


from tests.authz.bodies_state import STATE_BODIES  # noqa: E402  (state-dependent endpoints)

BODIES.update(STATE_BODIES)

from tests.authz.bodies_auth import AUTH_BODIES, AUTH_PREPARE  # noqa: E402  (sign-in, account, staff endpoints)
from tests.authz.bodies_state import PREPARE  # noqa: E402

BODIES.update(AUTH_BODIES)
PREPARE.update(AUTH_PREPARE)
