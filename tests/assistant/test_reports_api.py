"""The staff reports of issue #20 through HTTP with known data: exact numbers, who may read them, query counts."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.roles import Role
from bookings.models import BookingStatus, Dispute
from partners.models import ApplicationStatus, AssignmentStatus, PartnerApplication, StaffCentre
from tests.accounts.helpers import assert_error
from tests.adminpanel.helpers import query_counts, staff
from tests.assistant import helpers as h
from tests.conftest import client_for, make_user
from tests.factories import PINCODE, BookingFactory
from tests.partners.helpers import partner

pytestmark = pytest.mark.django_db


def _ok(response) -> dict:
    assert response.status_code == 200, response.content
    return response.json()["data"]


def _ops():
    return staff(Role.OPS_MANAGER)[1]


# --- pincode analytics ------------------------------------------------------------------------


def _pincode_bookings(per_day=(1, 1, 2, 2, 3, 3, 4), afternoon=3, early=1):
    """``per_day`` bookings on each of the last 7 days at PINCODE, 10:00 except ``afternoon`` at 14:00 and
    ``early`` at 09:00; plus rows the report leaves out."""
    hours = [14] * afternoon + [9] * early
    for offset, n in zip(range(-len(per_day), 0), per_day, strict=True):
        for _ in range(n):
            BookingFactory(start=h.at(offset, hours.pop() if hours else 10), pincode=PINCODE)
    BookingFactory(start=h.at(-1), pincode=PINCODE, status=BookingStatus.EXPIRED)  # an unpaid hold
    BookingFactory(start=h.at(-1), pincode="700001")  # elsewhere
    BookingFactory(start=h.at(0), pincode=PINCODE)  # today: not in the window


@pytest.mark.usefixtures("clock_held")
def test_pincode_analytics_forecasts_the_trend_and_the_shortage():
    _pincode_bookings()
    partner(pincodes=(PINCODE,))
    partner(pincodes=(PINCODE,), verified=False)
    partner(pincodes=("700001",))

    body = _ok(_ops().get("/api/v1/pincode-ai-analytics", {"pincode": PINCODE, "days": 7}))

    analysis = body["pincode_analysis"]
    forecast = analysis["demand_forecast"]
    today = timezone.localdate()
    assert forecast["next_7_days"] == [
        {"date": (today + timedelta(days=k)).isoformat(), "predicted_bookings": p, "confidence": c}
        for k, (p, c) in enumerate(
            [(4.3, 0.95), (4.8, 0.9), (5.3, 0.85), (5.8, 0.8), (6.3, 0.75), (6.8, 0.7), (7.3, 0.65)]
        )
    ]
    assert (forecast["trend"], forecast["seasonal_factor"]) == ("increasing", 1.0)
    assert (forecast["daily_average"], forecast["bookings_in_period"]) == (2.29, 16)
    assert analysis["vendor_recommendations"] == {
        "optimal_vendor_count": 2,
        "current_vendor_count": 1,
        "shortage": 1,
        "demand_per_vendor": 5.8,  # (4.3 + ... + 7.3) / 7
        "vendor_shortage": True,
    }
    assert analysis["pricing_insights"] == {
        "recommended_surge_multiplier": 1.25,  # 1 + (5.8 / 4 - 1) / 2 = 1.225, to the 0.05 step
        "peak_hours": ["10:00-11:00", "14:00-15:00"],
    }
    assert body["method"] == "heuristic"
    assert PINCODE in body["based_on"]


@pytest.mark.usefixtures("clock_held")
def test_a_pincode_nobody_serves_gets_the_top_surge_and_an_empty_one_none():
    _pincode_bookings(per_day=(1, 1, 1, 1, 1, 1, 1), afternoon=0, early=0)
    ops = _ops()

    served = _ok(ops.get("/api/v1/pincode-ai-analytics", {"pincode": PINCODE, "days": 7}))["pincode_analysis"]
    empty = _ok(ops.get("/api/v1/pincode-ai-analytics", {"pincode": "560001"}))["pincode_analysis"]

    assert served["vendor_recommendations"]["vendor_shortage"] is True
    assert served["pricing_insights"]["recommended_surge_multiplier"] == 2.0  # SURGE_MAX
    assert served["demand_forecast"]["trend"] == "stable"
    assert empty["demand_forecast"]["bookings_in_period"] == 0
    assert empty["pricing_insights"] == {"recommended_surge_multiplier": 1.0, "peak_hours": []}
    assert empty["vendor_recommendations"]["optimal_vendor_count"] == 0


def test_pincode_analytics_needs_a_pincode():
    ops = _ops()

    assert_error(ops.get("/api/v1/pincode-ai-analytics"), 422, "VALIDATION_ERROR", "pincode")
    assert_error(ops.get("/api/v1/pincode-ai-analytics", {"pincode": "12"}), 422, "VALIDATION_ERROR", "pincode")


# --- dispute advice ---------------------------------------------------------------------------


def _settled(vendor, resolution, amount=None, total="1180.00", kind="quality_issue"):
    booking = BookingFactory(total=total, status=BookingStatus.COMPLETED)
    return h.dispute(
        booking,
        vendor=vendor,
        dispute_type=kind,
        status="resolved",
        resolution_type=resolution,
        resolution_amount=Decimal(amount) if amount else None,
        resolved_at=timezone.now(),
    )


def test_dispute_advice_follows_similar_resolved_cases():
    vendor, other = partner(), partner()
    _settled(vendor, "partial_refund", "295.00")  # a quarter
    _settled(vendor, "partial_refund", "590.00")  # a half
    _settled(other, "revisit")
    _settled(other, "full_refund", total="5000.00")  # not a similar amount
    _settled(other, "full_refund", total="500.00")  # nor this: under half
    _settled(other, "full_refund", kind="damage")  # another type
    target = h.dispute(BookingFactory(status=BookingStatus.COMPLETED), vendor=vendor, severity="high")

    body = _ok(_ops().get(f"/api/v1/advanced-dispute-resolution/{target.pk}"))

    assert body["resolution_analysis"] == {
        "recommended_action": "partial_refund",
        "confidence": 0.4,  # 2 of 3, x 3/5 for so few cases
        "reasoning": "2 of 3 resolved quality_issue disputes on bookings of ₹590.00-₹2360.00 ended in partial_refund.",
        "suggested_amount": 442.5,  # 1180 x the average share, 0.375
        "similar_cases": 3,
    }
    assert body["escalation_analysis"] == {
        "should_escalate": True,
        "escalation_score": 5.0,  # high 3 + two earlier refunds
        "factors": ["high_severity", "vendor_repeat_disputes"],
    }
    assert (body["dispute_id"], body["method"]) == (str(target.pk), "heuristic")


def test_without_similar_cases_the_advice_is_the_types_default_with_low_confidence():
    target = h.dispute(BookingFactory(status=BookingStatus.COMPLETED), dispute_type="no_show", severity="low")
    Dispute.objects.filter(pk=target.pk).update(created_at=timezone.now() - timedelta(hours=49))

    body = _ok(_ops().get(f"/api/v1/advanced-dispute-resolution/{target.pk}"))

    assert body["resolution_analysis"]["recommended_action"] == "full_refund"
    assert body["resolution_analysis"]["suggested_amount"] == 1180.0
    assert body["resolution_analysis"]["confidence"] == 0.25
    assert body["escalation_analysis"] == {
        "should_escalate": False,
        "escalation_score": 2.0,
        "factors": ["low_severity", "vendor_first_dispute", "open_over_48_hours"],
    }


def test_an_unknown_dispute_is_404():
    assert_error(
        _ops().get("/api/v1/advanced-dispute-resolution/00000000-0000-0000-0000-000000000000"),
        404,
        "DISPUTE_NOT_FOUND",
    )


# --- vendor bonus -----------------------------------------------------------------------------


def _bonus_history(me):
    for days, rating, late in ((-5, 5, -5), (-4, 5, -5), (-3, 4, 20)):
        job = h.job(
            me,
            days=days,
            status=AssignmentStatus.COMPLETED,
            booking__status="completed",
            booking__customer_rating=rating,
        )
        type(job).objects.filter(pk=job.pk).update(actual_arrival=job.booking.scheduled_start + timedelta(minutes=late))
    h.job(me, days=-2, status=AssignmentStatus.CANCELLED, booking__status="cancelled")  # dropped after accepting
    h.job(me, days=-40, status=AssignmentStatus.COMPLETED, booking__status="completed", booking__customer_rating=5)
    h.dispute(BookingFactory(status=BookingStatus.COMPLETED), vendor=me)


EXPECTED_BONUS = {
    "days": 30,
    "performance_score": 7.3,
    "predicted_bonus": 40.0,
    "bonus_points": 40,
    "bonus_breakdown": {"quality_bonus": 20.0, "efficiency_bonus": 10.0, "customer_satisfaction_bonus": 10.0},
    "figures": {
        "jobs_accepted": 4,
        "jobs_completed": 3,
        "arrivals": 3,
        "on_time_arrivals": 2,
        "five_star_ratings": 2,
        "average_rating": 4.67,
        "disputes": 1,
    },
    "improvement_suggestions": [
        "Arrive on time: 2 of 3 arrivals were on time.",
        "Complete the jobs you accept: 3 of 4 completed.",
        "Avoid disputes: 1 opened on your jobs.",
    ],
}


def test_a_partner_gets_their_own_bonus_analysis():
    me, someone = partner(), partner()
    _bonus_history(me)

    body = _ok(client_for(me.user).get("/api/v1/advanced-vendor-bonus"))

    analysis = body["vendor_bonus_analysis"]
    assert analysis == {**EXPECTED_BONUS, "vendor_id": str(me.pk), "vendor_name": me.name}
    assert body["method"] == "heuristic"
    other = client_for(me.user).get("/api/v1/advanced-vendor-bonus", {"vendor_id": str(someone.pk)})
    assert_error(other, 403, "FORBIDDEN", "vendor_id")


def test_staff_name_the_partner():
    me = partner()
    _bonus_history(me)
    ops = _ops()

    analysis = _ok(ops.get("/api/v1/advanced-vendor-bonus", {"vendor_id": str(me.pk)}))["vendor_bonus_analysis"]

    assert analysis == {**EXPECTED_BONUS, "vendor_id": str(me.pk), "vendor_name": me.name}
    assert_error(ops.get("/api/v1/advanced-vendor-bonus"), 422, "VALIDATION_ERROR", "vendor_id")
    unknown = ops.get("/api/v1/advanced-vendor-bonus", {"vendor_id": "00000000-0000-0000-0000-000000000000"})
    assert_error(unknown, 404, "PARTNER_NOT_FOUND", "vendor_id")


# --- analytics --------------------------------------------------------------------------------


def _dispute_at(status, kind, hours_to_resolve=None, age_days=1):
    row = h.dispute(BookingFactory(status=BookingStatus.COMPLETED), status=status, dispute_type=kind)
    opened = timezone.now() - timedelta(days=age_days)
    resolved = opened + timedelta(hours=hours_to_resolve) if hours_to_resolve else None
    Dispute.objects.filter(pk=row.pk).update(created_at=opened, resolved_at=resolved)


def test_dispute_analytics_counts_the_period():
    _dispute_at("open", "quality_issue")
    _dispute_at("in_progress", "quality_issue")
    _dispute_at("resolved", "damage", hours_to_resolve=10)
    _dispute_at("closed", "no_show", hours_to_resolve=20)
    _dispute_at("closed", "no_show", hours_to_resolve=100, age_days=40)  # before the period

    body = _ok(_ops().get("/api/v1/analytics/disputes"))

    assert body == {
        "days": 30,
        "total_disputes": 4,
        "by_status": {"open": 1, "in_progress": 1, "escalated": 0, "resolved": 1, "closed": 1},
        "by_type": {
            "quality_issue": 2,
            "payment_dispute": 0,
            "signature_refusal": 0,
            "damage": 1,
            "no_show": 1,
            "other": 0,
        },
        "average_resolution_time_hours": 15.0,
        "resolution_rate": 50.0,
    }
    assert _ok(_ops().get("/api/v1/analytics/disputes", {"days": 60}))["total_disputes"] == 5


def _application(status, review_days=None):
    submitted = timezone.now() - timedelta(days=10)
    return PartnerApplication.objects.create(
        partner=partner(),
        full_name="Vendor",
        status=status,
        submitted_at=submitted if status != ApplicationStatus.PENDING else None,
        reviewed_at=submitted + timedelta(days=review_days) if review_days else None,
    )


def test_vendor_onboarding_analytics():
    PartnerApplication.objects.all().delete()
    _application(ApplicationStatus.APPROVED, 2)
    _application(ApplicationStatus.APPROVED, 4)
    _application(ApplicationStatus.REJECTED, 3)
    _application(ApplicationStatus.SUBMITTED)
    _application(ApplicationStatus.PENDING)
    onboarding = staff(Role.ONBOARD_MANAGER)[1]

    body = _ok(onboarding.get("/api/v1/analytics/vendor-onboarding"))

    assert body == {
        "total_applications": 5,
        "by_status": {"pending": 1, "submitted": 1, "approved": 2, "rejected": 1},
        "average_review_time_days": 3.0,
        "approval_rate": 66.7,
    }


# --- who may read them, and what they cost ----------------------------------------------------

PATHS = [
    f"/api/v1/pincode-ai-analytics?pincode={PINCODE}",
    "/api/v1/advanced-dispute-resolution/{dispute}",
    "/api/v1/analytics/disputes",
    "/api/v1/analytics/vendor-onboarding",
]


def test_customers_and_centre_bound_managers_may_not_read_the_reports():
    target = h.dispute(BookingFactory(status=BookingStatus.COMPLETED))
    customer = client_for(make_user(Role.CUSTOMER))
    manager, manager_client = staff(Role.CENTRE_MANAGER)
    StaffCentre.objects.filter(user=manager).delete()
    onboarding = staff(Role.ONBOARD_MANAGER)[1]

    for path in [p.format(dispute=target.pk) for p in PATHS] + ["/api/v1/advanced-vendor-bonus"]:
        assert_error(customer.get(path), 403, "FORBIDDEN")
    for path in [p.format(dispute=target.pk) for p in PATHS[:3]]:
        assert_error(manager_client.get(path), 403, "FORBIDDEN")
        assert_error(onboarding.get(path), 403, "FORBIDDEN")


def test_the_reports_query_counts_do_not_grow_with_the_data():
    vendor = partner(pincodes=(PINCODE,))
    target = h.dispute(BookingFactory(status=BookingStatus.COMPLETED), vendor=vendor)
    admin = staff(Role.ADMIN)[1]
    paths = [p.format(dispute=target.pk) for p in PATHS] + [f"/api/v1/advanced-vendor-bonus?vendor_id={vendor.pk}"]

    def add(n: int, first: int) -> None:
        for i in range(first, first + n):
            BookingFactory(start=h.at(-1 - i), pincode=PINCODE)
            _settled(vendor, "partial_refund", "100.00")
            h.job(vendor, days=-1 - i, status=AssignmentStatus.COMPLETED, booking__status="completed")
            _application(ApplicationStatus.APPROVED, 2)

    add(1, 0)
    query_counts(admin, paths)  # warm
    small = query_counts(admin, paths)
    add(5, 1)

    assert query_counts(admin, paths) == small
