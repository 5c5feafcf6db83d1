"""Request fields named like something a caller must not set (a status, a role, a price, an owner...) that a write
endpoint's schema does take, each with why the caller may send it. A write endpoint whose schema takes such a
field without an entry here fails tests/authz/test_mass_assignment.py."""

from __future__ import annotations

import re

FORBIDDEN_NAME = re.compile(
    r"^(status|\w*_status|is_verified|role|roles|partner|partner_id|user|user_id|customer|customer_id|\w*price|"
    r"\w*amount|total|\w*_total|commission\w*|is_staff|is_superuser|society|society_id)$"
)

STAFF_SETS = "a staff endpoint: the permission the view requires is what lets the caller set it"
CHECKED_AMOUNT = "checked against the payable's own amount (422 when it differs); never stored from the body"
OWN_PRICE = "the provider prices their own service (their own row only)"

SETTABLE: dict[tuple[str, str], dict[str, str]] = {
    ("POST", "/api/v1/admin/bookings/{booking_id}/assign-partner"): {"partner_id": STAFF_SETS},
    ("POST", "/api/v1/admin/bookings/{booking_id}/cancel"): {"refund_amount": STAFF_SETS + " (finance only)"},
    ("POST", "/api/v1/admin/bookings/{booking_id}/refund"): {"amount": STAFF_SETS + " (at most what was paid)"},
    ("PATCH", "/api/v1/admin/bookings/{booking_id}/status"): {"status": STAFF_SETS + " (by the state machine)"},
    ("PATCH", "/api/v1/admin/contact-submissions/{submission_id}"): {"status": STAFF_SETS},
    ("POST", "/api/v1/admin/partners/{partner_id}/verify"): {"onboarding_status": STAFF_SETS},
    ("POST", "/api/v1/admin/payouts"): {"partner_id": STAFF_SETS},
    ("POST", "/api/v1/admin/promo-codes"): {"min_order_amount": STAFF_SETS},
    ("PUT", "/api/v1/admin/promo-codes/{promo_id}"): {"min_order_amount": STAFF_SETS},
    ("PATCH", "/api/v1/admin/promo-codes/{promo_id}"): {"min_order_amount": STAFF_SETS},
    ("POST", "/api/v1/admin/services"): {"market_price": STAFF_SETS},
    ("PUT", "/api/v1/admin/services/{service_id}"): {"market_price": STAFF_SETS},
    ("PATCH", "/api/v1/admin/services/{service_id}"): {"market_price": STAFF_SETS},
    ("POST", "/api/v1/admin/societies"): {"status": STAFF_SETS},
    ("POST", "/api/v1/admin/staff"): {"role": STAFF_SETS + " (super_admin only; staff roles only)"},
    ("POST", "/api/v1/admin/staff/care-coordinators"): {"role": "ignored: the endpoint names the role"},
    ("POST", "/api/v1/admin/staff/centre-managers"): {"role": "ignored: the endpoint names the role"},
    ("POST", "/api/v1/admin/staff/front-desk"): {"role": "ignored: the endpoint names the role"},
    ("POST", "/api/v1/admin/staff/managers"): {"role": "ignored: the endpoint names the role"},
    ("PUT", "/api/v1/admin/staff/{user_id}"): {"role": STAFF_SETS + " (super_admin only)"},
    ("PATCH", "/api/v1/admin/staff/{user_id}"): {"role": STAFF_SETS + " (super_admin only)"},
    ("PUT", "/api/v1/appointments/{appointment_id}"): {"status": STAFF_SETS + " (by the appointment's steps)"},
    ("POST", "/api/v1/bookings"): {"total_amount": CHECKED_AMOUNT},
    ("PATCH", "/api/v1/bookings/{booking_id}"): {"status": "only 'cancelled' from the customer, or no change"},
    ("POST", "/api/v1/chat/query"): {
        "role": "a hint of the asker's kind; answers are scoped to the signed-in person",
        "user_id": "must be the signed-in person's own id",
    },
    ("POST", "/api/v1/disputes/{dispute_id}/resolve"): {"resolution_amount": STAFF_SETS + " (finance refunds)"},
    ("POST", "/api/v1/onboarding/resident/register"): {
        "society_id": "the society the resident asks to join (pending until approved)",
        "user_id": "must be the signed-in person's own id",
    },
    ("POST", "/api/v1/orders"): {"society_id": "must be a society the resident lives in"},
    ("POST", "/api/v1/orders/{order_id}/mark-payment-received"): {"amount": "must equal the order's final price"},
    ("PATCH", "/api/v1/partner/bookings/{booking_id}/status"): {"status": "only in_transit or arrived, own jobs"},
    ("POST", "/api/v1/payments/cash"): {"amount": STAFF_SETS + " (finance)"},
    ("POST", "/api/v1/payments/create-link"): {"amount": STAFF_SETS + "; " + CHECKED_AMOUNT},
    ("POST", "/api/v1/payments/create-order"): {"amount": CHECKED_AMOUNT},
    ("POST", "/api/v1/payments/links"): {"amount": STAFF_SETS + "; " + CHECKED_AMOUNT},
    ("POST", "/api/v1/payments/orders"): {"amount": CHECKED_AMOUNT},
    ("POST", "/api/v1/payments/process-deposit"): {"amount": CHECKED_AMOUNT},
    ("POST", "/api/v1/payments/process-full-payment"): {"amount": CHECKED_AMOUNT},
    ("POST", "/api/v1/payments/refund"): {"amount": STAFF_SETS + " (at most what was paid)"},
    ("POST", "/api/v1/promo-codes/validate"): {"amount": "the subtotal to price the code on; nothing is stored"},
    ("POST", "/api/v1/residents/{user_id}/switch-society"): {"society_id": "one of the resident's own residences"},
    ("PUT", "/api/v1/specialists/profile"): {"deposit_amount": OWN_PRICE},
    ("POST", "/api/v1/specialists/services"): {"price": OWN_PRICE},
    ("PUT", "/api/v1/specialists/services/{service_id}"): {"price": OWN_PRICE},
    ("POST", "/api/v1/vendors/{vendor_id}/rate-cards"): {"society_id": "a society the vendor is approved in"},
}
