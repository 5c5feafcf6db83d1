"""Settings of proof of service, reviews and travel time (issues #19 and #20; seeds 002 and 004), imported by
``base.py`` after it has read ``.env``."""

from __future__ import annotations

from config.env import StrictEnv

__all__ = [
    "PHOTO_MAX_BYTES",
    "PHOTO_MAX_PIXELS",
    "REVIEW_EDIT_DAYS",
    "SIGNATURE_HOURS",
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

# Travel time between pincodes (issue #20, seed 002 SC; partners.travel): straight-line km x road factor / speed,
# times the traffic factor of the hour band the trip starts in (local time; hours not listed are 1.0). 25 km/h in
# town is what vendor search assumes. A pincode pair and band is cached this long.
TRAVEL_ROAD_FACTOR = env.float("TRAVEL_ROAD_FACTOR", default=1.3)
TRAVEL_SPEED_KMH = env.float("TRAVEL_SPEED_KMH", default=25.0)
TRAVEL_CACHE_SECONDS = env.int("TRAVEL_CACHE_SECONDS", default=24 * 3600)
# (from hour, to hour (exclusive), factor): the morning and evening peaks
TRAVEL_TRAFFIC: list[tuple[int, int, float]] = [(8, 11, 1.4), (17, 20, 1.5)]
