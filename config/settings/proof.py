"""Settings of proof of service, reviews, travel time and dynamic pricing (issues #19 and #20; seeds 002 and 004),
imported by ``base.py`` after it has read ``.env``."""

from __future__ import annotations

from config.env import StrictEnv

__all__ = [
    "DELIVERY_RETENTION_DAYS",
    "DISPUTE_CLOSE_DAYS",
    "DISPUTE_WINDOW_DAYS",
    "DYNAMIC_PRICING_ENABLED",
    "EARNING_RELEASE_DAYS",
    "METRICS_ALLOWED_NETWORKS",
    "METRICS_TOKEN",
    "OTP_RETENTION_DAYS",
    "PAYMENT_WEBHOOK_RETENTION_DAYS",
    "PHOTO_MAX_BYTES",
    "PHOTO_MAX_PIXELS",
    "REVIEW_EDIT_DAYS",
    "SIGNATURE_HOURS",
    "SURGE_AVAILABILITY",
    "SURGE_DEMAND",
    "SURGE_DEMAND_DAYS",
    "SURGE_MAX",
    "SURGE_PEAK_FACTOR",
    "SURGE_PEAK_HOURS",
    "SURGE_STEP",
    "SURGE_WEEKEND_FACTOR",
    "TRAVEL_CACHE_SECONDS",
    "TRAVEL_ROAD_FACTOR",
    "TRAVEL_SPEED_KMH",
    "TRAVEL_TRAFFIC",
]

env = StrictEnv()

# A booking's before/after photos (issue #20): the upload's size, and its pixels (an image bomb is refused unread).
# 8 MB stays under the 10 MiB request cap, so a photo too large is a 422 naming it, not a 413; 24 MP is twice a
# phone camera's 12 MP and caps a worker's memory for one decode (40 MP took 416 MB in bench_photos.py).
PHOTO_MAX_BYTES = env.int("PHOTO_MAX_BYTES", default=8 * 1024 * 1024)
PHOTO_MAX_PIXELS = env.int("PHOTO_MAX_PIXELS", default=24_000_000)
SIGNATURE_HOURS = env.int("SIGNATURE_HOURS", default=48)  # seed 002 S2: a sign-off request waits this long
REVIEW_EDIT_DAYS = env.int("REVIEW_EDIT_DAYS", default=7)  # seed 004 RV4: a review can be edited this long
# Seed 002 D1: a customer may open a dispute up to this many days after the job; a resolved dispute closes itself
# this many days after the resolution (bookings.services.disputes).
DISPUTE_WINDOW_DAYS = env.int("DISPUTE_WINDOW_DAYS", default=7)
DISPUTE_CLOSE_DAYS = env.int("DISPUTE_CLOSE_DAYS", default=7)
# Seed 002 E: an earning is paid out from its completion day + this many days (0: at once, as before)
EARNING_RELEASE_DAYS = env.int("EARNING_RELEASE_DAYS", default=0)

# Travel time between pincodes (issue #20, seed 002 SC; partners.travel): straight-line km x road factor / speed,
# times the traffic factor of the hour band the trip starts in (local time; hours not listed are 1.0). 25 km/h in
# town is what vendor search assumes. A pincode pair and band is cached this long.
TRAVEL_ROAD_FACTOR = env.float("TRAVEL_ROAD_FACTOR", default=1.3)
TRAVEL_SPEED_KMH = env.float("TRAVEL_SPEED_KMH", default=25.0)
TRAVEL_CACHE_SECONDS = env.int("TRAVEL_CACHE_SECONDS", default=24 * 3600)
# (from hour, to hour (exclusive), factor): the morning and evening peaks
TRAVEL_TRAFFIC: list[tuple[int, int, float]] = [(8, 11, 1.4), (17, 20, 1.5)]

# Prometheus metrics at GET /metrics (issue #21, core.metrics_view): allowed with "Authorization: Bearer
# <METRICS_TOKEN>" (empty: no token accepted) or from a REMOTE_ADDR in METRICS_ALLOWED_NETWORKS (comma-separated
# CIDRs; empty: none). X-Forwarded-For is never read; behind a proxy that rewrites the client address use the token.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
METRICS_ALLOWED_NETWORKS = env.list("METRICS_ALLOWED_NETWORKS", default=["127.0.0.1/32", "::1/128"])

# Dynamic pricing (issue #20, seed 002 PR; catalog.pricing and partners.pricing_factors). Off by default, so the
# catalog's prices stand. Multiplier = time x demand x availability, rounded to SURGE_STEP, within [1, SURGE_MAX].
DYNAMIC_PRICING_ENABLED = env.bool("DYNAMIC_PRICING_ENABLED", default=False)
SURGE_MAX = env.str("SURGE_MAX", default="2.00")
SURGE_STEP = env.str("SURGE_STEP", default="0.05")
# time: (from hour, to hour (exclusive)) local peaks, and Saturdays and Sundays; both apply together when both hold
SURGE_PEAK_HOURS: list[tuple[int, int]] = [(9, 11), (14, 16)]
SURGE_PEAK_FACTOR = "1.10"
SURGE_WEEKEND_FACTOR = "1.10"
# demand: bookings at the pincode over the last SURGE_DEMAND_DAYS per partner serving it -> the factor of the
# highest threshold reached
SURGE_DEMAND_DAYS = 30
SURGE_DEMAND: list[tuple[float, str]] = [(0, "1.00"), (2, "1.05"), (5, "1.15"), (10, "1.30"), (20, "1.50")]
# availability: partners serving the pincode and working at that hour -> the factor of the first row whose count
# they do not exceed (0 -> 1.30, 1 -> 1.20, 2 -> 1.10, 3 or 4 -> 1.05, more -> 1.00)
SURGE_AVAILABILITY: list[tuple[int, str]] = [(0, "1.30"), (1, "1.20"), (2, "1.10"), (4, "1.05")]

# Personal data retention (issue #21, core.privacy; beat's core.tasks.purge_personal_data): OTP rows are deleted
# this many days after they were sent (the hourly send limit needs one hour), and a notification delivery's body,
# subject and destination (and a Telegram update's payload) are blanked after this many days, the row's status
# kept for the statistics. The audit log is append-only (a PostgreSQL trigger) and is not purged by age. A payment
# webhook's payload loses the payer's contacts and instrument after PAYMENT_WEBHOOK_RETENTION_DAYS (longer than
# the gateway's dispute and chargeback windows, when it is the evidence); its ids, amounts and status stay.
OTP_RETENTION_DAYS = env.int("OTP_RETENTION_DAYS", default=30)
DELIVERY_RETENTION_DAYS = env.int("DELIVERY_RETENTION_DAYS", default=90)
PAYMENT_WEBHOOK_RETENTION_DAYS = env.int("PAYMENT_WEBHOOK_RETENTION_DAYS", default=180)
