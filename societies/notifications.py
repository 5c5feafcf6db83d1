"""The notifications societies sends: a resident's and a vendor's approval decisions.

Registered in ``notifications.catalogue`` by ``SocietiesConfig.ready``.
"""

from __future__ import annotations

from notifications import catalogue
from notifications.catalogue import CUSTOMER, PARTNER, EventType
from notifications.models import Channel

EVENTS = (
    EventType(
        "residence_verified",
        (CUSTOMER,),
        (Channel.PUSH, Channel.SMS),
        "Welcome to {society_name}",
        "Your residence at {society_name} ({unit}) is verified. You can now order from its vendors.",
    ),
    EventType(
        "residence_rejected",
        (CUSTOMER,),
        (Channel.PUSH, Channel.SMS),
        "Registration not approved",
        "Your registration at {society_name} was not approved: {reason}",
    ),
    EventType(
        "vendor_society_approved",
        (PARTNER,),
        (Channel.PUSH, Channel.SMS),
        "Approved for {society_name}",
        "{society_name} approved you as a vendor. Publish a rate card there to go live.",
    ),
    EventType(
        "vendor_society_rejected",
        (PARTNER,),
        (Channel.PUSH, Channel.SMS),
        "Not approved for {society_name}",
        "{society_name} did not approve your request: {reason}",
    ),
)


def register() -> None:
    catalogue.register_event(*EVENTS)
