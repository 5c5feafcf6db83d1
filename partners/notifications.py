"""The notifications partners sends: job offers, payouts, bonus alerts, a vendor's platform review, and staff's
call to assign by hand.

Registered in ``notifications.catalogue`` by ``PartnersConfig.ready``.
"""

from __future__ import annotations

from notifications import catalogue
from notifications.catalogue import PARTNER, STAFF, EventType
from notifications.models import Channel

EVENTS = (
    EventType(
        "job_offered",
        (PARTNER,),
        (Channel.PUSH, Channel.SMS),
        "New job",
        "New job {booking_number} for {when}. Accept within {minutes} minutes.",
    ),
    EventType(
        "offer_expired",
        (PARTNER,),
        (Channel.PUSH,),
        "Offer expired",
        "The offer for booking {booking_number} expired and went to another partner.",
    ),
    EventType(
        "payout_processed",
        (PARTNER,),
        (Channel.PUSH, Channel.SMS),
        "Payout sent",
        "Payout {payout_number} of ₹{amount} has been sent.",
    ),
    EventType(
        "bonus_alert",
        (PARTNER,),
        (Channel.PUSH,),
        "Your bonus points",
        "You have {points} bonus points from {jobs} completed jobs ({tier} tier). Keep it up!",
    ),
    EventType(
        "booking_needs_partner",
        (STAFF,),
        (Channel.PUSH,),  # staff are emailed by the dispatch engine itself
        "Assign a partner",
        "Booking {booking_number} for {when} found no partner ({reason}); assign one by hand.",
    ),
    EventType(
        "vendor_verified",
        (PARTNER,),
        (Channel.PUSH, Channel.SMS, Channel.EMAIL),
        "You are verified",
        "{business_name} is verified. You can now request societies and create rate cards.",
    ),
    EventType(
        "vendor_rejected",
        (PARTNER,),
        (Channel.PUSH, Channel.SMS, Channel.EMAIL),
        "Verification not approved",
        "{business_name} was not verified: {reason}",
    ),
)


def register() -> None:
    catalogue.register_event(*EVENTS)
