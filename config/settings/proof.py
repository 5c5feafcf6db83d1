"""Settings of proof of service and reviews (issues #19 and #20; seeds 002 and 004), imported by ``base.py`` after
it has read ``.env``."""

from __future__ import annotations

from config.env import StrictEnv

__all__ = ["PHOTO_MAX_BYTES", "PHOTO_MAX_PIXELS", "REVIEW_EDIT_DAYS", "SIGNATURE_HOURS"]

env = StrictEnv()

# A booking's before/after photos (issue #20): the upload's size, and its pixels (an image bomb is refused unread).
# 8 MB stays under the 10 MiB request cap, so a photo too large is a 422 naming it, not a 413; 24 MP is twice a
# phone camera's 12 MP and caps a worker's memory for one decode (40 MP took 416 MB in bench_photos.py).
PHOTO_MAX_BYTES = env.int("PHOTO_MAX_BYTES", default=8 * 1024 * 1024)
PHOTO_MAX_PIXELS = env.int("PHOTO_MAX_PIXELS", default=24_000_000)
SIGNATURE_HOURS = env.int("SIGNATURE_HOURS", default=48)  # seed 002 S2: a sign-off request waits this long
REVIEW_EDIT_DAYS = env.int("REVIEW_EDIT_DAYS", default=7)  # seed 004 RV4: a review can be edited this long
