"""Settings of appointments with a chosen provider (issue #18; seeds 003 and 004), imported by ``base.py`` after it
has read ``.env``."""

from __future__ import annotations

from config.env import StrictEnv

__all__ = [
    "APPOINTMENT_CANCEL_NOTICE_HOURS",
    "APPOINTMENT_HOLD_MINUTES",
    "APPOINTMENT_LEAD_MINUTES",
    "APPOINTMENT_LINK_HOLD_HOURS",
    "APPOINTMENT_NO_SHOW_GRACE_MINUTES",
    "GOOGLE_CALENDAR_CREDENTIALS_FILE",
    "GOOGLE_CALENDAR_ID",
    "MEETING_LINK_PROVIDER",
]

env = StrictEnv()

# An unpaid online appointment holds its slot this long; one booked at the front desk with a payment link, this long.
APPOINTMENT_HOLD_MINUTES = env.int("APPOINTMENT_HOLD_MINUTES", default=15)
APPOINTMENT_LINK_HOLD_HOURS = env.int("APPOINTMENT_LINK_HOLD_HOURS", default=24)
APPOINTMENT_LEAD_MINUTES = env.int("APPOINTMENT_LEAD_MINUTES", default=60)  # no slot sooner than this from now
APPOINTMENT_CANCEL_NOTICE_HOURS = env.int("APPOINTMENT_CANCEL_NOTICE_HOURS", default=24)  # seed 004: free until then
APPOINTMENT_NO_SHOW_GRACE_MINUTES = env.int("APPOINTMENT_NO_SHOW_GRACE_MINUTES", default=15)
# Meeting links for online sessions: "offline" makes a meet-style link locally; "google" uses Google Calendar with
# the service account in GOOGLE_CALENDAR_CREDENTIALS_FILE (calendar GOOGLE_CALENDAR_ID).
MEETING_LINK_PROVIDER = env.str("MEETING_LINK_PROVIDER", default="offline")
GOOGLE_CALENDAR_CREDENTIALS_FILE = env.str("GOOGLE_CALENDAR_CREDENTIALS_FILE", default="")
GOOGLE_CALENDAR_ID = env.str("GOOGLE_CALENDAR_ID", default="primary")
