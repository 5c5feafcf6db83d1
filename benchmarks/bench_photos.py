"""One booking photo of about 5 MB through ``bookings.services.photos.photo_upload``, in process (PostgreSQL).

Starts its own PostgreSQL and Redis and migrates; the media go to a temporary folder. The photo is a JPEG of
random noise (noise does not compress, so the file stays about 5 MB and the re-encoded copy stays large too),
uploaded by a super admin onto a booking in progress, as ``POST /bookings/{id}/photos`` would after parsing the
multipart body: checked, decoded, turned upright, re-encoded without metadata, a thumbnail made, both files
written and the row inserted. Prints:

* the time of one upload: the median and the slowest of ``--rounds`` (after one warm-up);
* the peak of Python's own allocations during one upload (``tracemalloc``: the upload's bytes, the encoded
  image and thumbnail; Pillow's pixel buffers are C memory it does not see), and the growth of the process's
  resident high-water mark over all the uploads (``ru_maxrss``, which does include Pillow's buffers);
* the worst case the limits let in: a plain picture just under ``PHOTO_MAX_PIXELS`` (a small file): its time
  and the resident high-water growth it adds;
* as the baseline measured in the same run, Pillow alone decoding and re-encoding the same file, so the service's
  own cost (the checks, the storage, the row) is the difference.

    .venv/bin/python benchmarks/bench_photos.py [--rounds 7] [--megabytes 5]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import httpload  # noqa: E402


def noise_jpeg(megabytes: float) -> tuple[bytes, tuple[int, int]]:
    """A 4:3 JPEG of random pixels of about ``megabytes`` MB (sized from a 1 MP trial's bytes per pixel)."""
    from PIL import Image

    def encode(width: int) -> bytes:
        height = width * 3 // 4
        image = Image.frombytes("RGB", (width, height), os.urandom(width * height * 3))
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=95)
        return buffer.getvalue()

    trial_width = 1152
    per_pixel = len(encode(trial_width)) / (trial_width * (trial_width * 3 // 4))
    width = int((megabytes * 1024 * 1024 / per_pixel * 4 / 3) ** 0.5)
    return encode(width), (width, width * 3 // 4)


def _booking(customer):
    from django.utils import timezone

    from bookings.models import Booking, BookingStatus, PaymentMode

    start = timezone.now() - timedelta(minutes=30)
    return Booking.objects.create(
        booking_number="BENCH-PHOTO-1",
        user=customer,
        booking_date=start.date(),
        booking_time=start.time(),
        scheduled_start=start,
        scheduled_end=start + timedelta(hours=1),
        status=BookingStatus.IN_PROGRESS,
        payment_method=PaymentMode.CASH,
        total_price=Decimal("1000.00"),
        tax=Decimal("180.00"),
        grand_total=Decimal("1180.00"),
    )


def _pillow_only(raw: bytes) -> None:
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(raw)) as opened:
        image = ImageOps.exif_transpose(opened) or opened
        image.convert("RGB").save(io.BytesIO(), "JPEG", quality=88, optimize=True)
        thumb = image.copy()
        thumb.thumbnail((320, 320))
        thumb.save(io.BytesIO(), "JPEG", quality=88, optimize=True)


def _measure(args) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from accounts.models import User
    from bookings.models import BookingPhoto
    from bookings.services.photos import photo_upload

    raw, (width, height) = noise_jpeg(args.megabytes)
    print(f"photo: {len(raw) / 1024 / 1024:.2f} MB JPEG, {width}x{height} ({width * height / 1e6:.1f} MP)", flush=True)
    staff = User.objects.create_superuser(phone="+919811100001", full_name="Bench Staff", password="x-bench-x")
    customer = User.objects.create_user(phone="+919811100002", full_name="Bench Customer")
    booking = _booking(customer)

    def upload() -> BookingPhoto:
        file = SimpleUploadedFile("photo.jpg", raw, content_type="image/jpeg")
        return photo_upload(actor=staff, booking_id=booking.pk, image_type="after", upload=file)

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    first = upload()  # warm-up (imports, connection, first storage folders)
    samples = []
    for _ in range(args.rounds):
        started = time.perf_counter()
        upload()
        samples.append(time.perf_counter() - started)
    rss_growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before
    tracemalloc.start()
    upload()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    baseline = []
    for _ in range(args.rounds):
        started = time.perf_counter()
        _pillow_only(raw)
        baseline.append(time.perf_counter() - started)
    report = {
        "upload_bytes": len(raw),
        "pixels": width * height,
        "stored_bytes": first.size_bytes,
        "thumbnail_bytes": first.thumbnail.size,
        "rounds": args.rounds,
        "median_ms": round(statistics.median(samples) * 1000, 1),
        "max_ms": round(max(samples) * 1000, 1),
        "pillow_only_median_ms": round(statistics.median(baseline) * 1000, 1),
        "tracemalloc_peak_mb": round(peak / 1024 / 1024, 1),
        "max_rss_growth_mb": round(rss_growth / 1024, 1),  # ru_maxrss is in KB on Linux
    }
    # The worst case the limits allow: a plain picture just under PHOTO_MAX_PIXELS compresses to a small file.
    from django.conf import settings
    from PIL import Image

    side = int((settings.PHOTO_MAX_PIXELS * 0.99) ** 0.5)
    buffer = io.BytesIO()
    Image.new("RGB", (side, side), (180, 150, 120)).save(buffer, "JPEG", quality=90)
    big = buffer.getvalue()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    photo_upload(
        actor=staff,
        booking_id=booking.pk,
        image_type="after",
        upload=SimpleUploadedFile("plain.jpg", big, content_type="image/jpeg"),
    )
    report["limit_pixels"] = side * side
    report["limit_upload_bytes"] = len(big)
    report["limit_ms"] = round((time.perf_counter() - started) * 1000, 1)
    report["limit_max_rss_growth_mb"] = round(
        (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024, 1
    )
    report["photos_written"] = BookingPhoto.objects.count()
    print(f"stored: {report['stored_bytes'] / 1024 / 1024:.2f} MB image, {report['thumbnail_bytes'] // 1024} KB thumb")
    print(f"photo_upload, {args.rounds} rounds: median {report['median_ms']} ms, slowest {report['max_ms']} ms")
    print(f"Pillow alone (decode, re-encode, thumbnail): median {report['pillow_only_median_ms']} ms")
    ratio = report["median_ms"] / report["pillow_only_median_ms"]
    print(f"ratio service/Pillow: {ratio:.2f}")
    print(f"peak Python allocations in one upload (tracemalloc): {report['tracemalloc_peak_mb']} MB")
    print(f"resident high-water growth over the uploads (ru_maxrss): {report['max_rss_growth_mb']} MB")
    print(
        f"at the pixel limit: a plain {side}x{side} JPEG ({len(big) // 1024} KB): {report['limit_ms']} ms, "
        f"resident high-water growth {report['limit_max_rss_growth_mb']} MB"
    )
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--megabytes", type=float, default=5.0)
    args = parser.parse_args()
    httpload.exit_on_sigterm()
    out = ROOT / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    with (
        tempfile.TemporaryDirectory(prefix="bench-media-") as media,
        httpload.platform_on_postgres(DJANGO_MEDIA_ROOT=media),
    ):
        report = _measure(args)
    (out / "bench_photos.json").write_text(json.dumps(report, indent=2, default=str))


if __name__ == "__main__":
    main()
