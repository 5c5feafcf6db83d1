"""Seed 002's booking photos through HTTP (rules P1-P4): who adds and reads them, when, what is kept."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from accounts.roles import Role
from bookings.models import BookingPhoto, BookingSignature, BookingStatus, SignatureStatus
from partners.models import AssignmentStatus, PartnerAssignment
from tests.accounts.helpers import assert_error
from tests.adminpanel.helpers import query_counts
from tests.conftest import client_for, make_user
from tests.factories import BookingFactory, PartnerAssignmentFactory

pytestmark = pytest.mark.django_db


def jpeg(size=(800, 600), *, location: bool = False) -> bytes:
    image = Image.new("RGB", size, (200, 120, 40))
    exif = Image.Exif()
    if location:
        exif[0x010F] = "PhoneMaker"  # Make
        exif.get_ifd(0x8825)[2] = (22.0, 33.0, 0.0)  # GPSLatitude
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def upload(data: bytes | None = None, name="photo.jpg", content_type="image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data if data is not None else jpeg(), content_type=content_type)


def job(state: str = "confirmed") -> PartnerAssignment:
    """A booking whose partner accepted the job, moved to ``state`` (confirmed, in_progress or completed)."""
    assignment = PartnerAssignmentFactory(accepted=True)
    assignment_status = {
        "confirmed": AssignmentStatus.ACCEPTED,
        "in_progress": AssignmentStatus.ARRIVED,
        "completed": AssignmentStatus.COMPLETED,
    }[state]
    PartnerAssignment.objects.filter(pk=assignment.pk).update(status=assignment_status)
    assignment.booking.__class__.objects.filter(pk=assignment.booking_id).update(status=state)
    assignment.refresh_from_db()
    return assignment


def add(client, booking_id, image_type="before", data=None, **extra):
    body = {"image_type": image_type, "image": upload(data), "description": "kitchen", **extra}
    return client.post(f"/api/v1/bookings/{booking_id}/photos", body, format="multipart")


def signed(booking) -> None:
    now = timezone.now()
    BookingSignature.objects.create(
        booking=booking,
        status=SignatureStatus.SIGNED,
        requested_at=now,
        expires_at=now + timedelta(hours=48),
        signed_by=booking.user,
        signed_at=now,
        satisfaction_rating=5,
    )


def test_the_partner_adds_a_before_photo_while_the_job_is_on_and_the_customer_reads_it():
    assignment = job("confirmed")
    partner = client_for(assignment.partner.user)

    response = add(partner, assignment.booking_id)

    assert response.status_code == 201, response.content
    data = response.json()["data"]
    assert (data["image_type"], data["description"], data["booking"]) == (
        "before",
        "kitchen",
        str(assignment.booking_id),
    )
    assert data["uploaded_by"] == str(assignment.partner.user_id)
    assert data["image"].startswith("http://testserver/")
    assert data["thumbnail"].startswith("http://testserver/")
    assert (data["width"], data["height"]) == (800, 600)
    photo = BookingPhoto.objects.get()
    assert photo.image.name.endswith(f"{assignment.booking_id}/{photo.pk}.jpg")
    assert (photo.content_type, photo.size_bytes) == ("image/jpeg", photo.image.size)

    customer = client_for(assignment.booking.user)
    for path in (f"/api/v1/bookings/{assignment.booking_id}/photos", f"/api/v1/photos?booking={assignment.booking_id}"):
        listed = customer.get(path)
        assert listed.status_code == 200, listed.content
        assert listed.json()["data"]["count"] == 1
        assert listed.json()["data"]["results"][0]["id"] == str(photo.pk)


@pytest.mark.parametrize(
    ("state", "image_type", "status"),
    [
        ("in_progress", "before", 201),
        ("in_progress", "after", 201),
        ("completed", "after", 201),
        ("confirmed", "after", 422),
        ("completed", "before", 422),
    ],
)
def test_before_while_the_job_is_on_after_from_in_progress(state, image_type, status):
    assignment = job(state)

    response = add(client_for(assignment.partner.user), assignment.booking_id, image_type)

    if status == 201:
        assert response.status_code == 201, response.content
    else:
        assert_error(response, 422, "INVALID_BOOKING_STATUS", "image_type")


def test_alias_post_names_the_booking_and_takes_camel_case():
    assignment = job("in_progress")
    body = {"booking": str(assignment.booking_id), "imageType": "after", "image": upload()}

    response = client_for(assignment.partner.user).post("/api/v1/photos", body, format="multipart")

    assert response.status_code == 201, response.content
    assert response.json()["data"]["image_type"] == "after"


def test_no_after_photo_once_the_customer_signed():
    assignment = job("completed")
    signed(assignment.booking)

    assert_error(
        add(client_for(assignment.partner.user), assignment.booking_id, "after"), 422, "INVALID_BOOKING_STATUS"
    )
    assert not BookingPhoto.objects.exists()


def test_the_stored_photo_has_no_location():
    assignment = job("confirmed")
    raw = jpeg(location=True)
    assert Image.open(io.BytesIO(raw)).getexif().get_ifd(0x8825)  # the upload carries a GPS position

    assert add(client_for(assignment.partner.user), assignment.booking_id, data=raw).status_code == 201

    photo = BookingPhoto.objects.get()
    with default_storage.open(photo.image.name) as stored:
        body = stored.read()
    assert not Image.open(io.BytesIO(body)).getexif()
    assert b"PhoneMaker" not in body


def _bomb() -> bytes:
    buffer = io.BytesIO()  # a small file that decodes to 49 million pixels (over the 40 megapixel limit)
    Image.new("1", (7000, 7000)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"%PDF-1.4 not an image", "file.pdf"),
        (b"big" * 400, "photo.jpg"),  # over the PHOTO_MAX_BYTES set below
        (None, "bomb.png"),
    ],
)
def test_what_is_not_an_acceptable_image_is_refused_on_image(settings, data, name):
    settings.PHOTO_MAX_BYTES = 1000
    assignment = job("confirmed")
    raw = _bomb() if data is None else data
    if data is None:
        settings.PHOTO_MAX_BYTES = 10 * 1024 * 1024
        assert len(raw) < 100_000

    body = {"image_type": "before", "image": upload(raw, name)}
    response = client_for(assignment.partner.user).post(
        f"/api/v1/bookings/{assignment.booking_id}/photos", body, format="multipart"
    )

    assert_error(response, 422, "INVALID_FILE", "image")
    assert not BookingPhoto.objects.exists()


def test_a_stranger_gets_404_and_a_reader_who_does_not_work_it_403():
    assignment = job("confirmed")
    other = job("confirmed")  # another partner's job
    booking_id = assignment.booking_id

    assert_error(add(client_for(other.partner.user), booking_id), 404, "BOOKING_NOT_FOUND")
    stranger = client_for(make_user())
    assert_error(stranger.get(f"/api/v1/bookings/{booking_id}/photos"), 404, "BOOKING_NOT_FOUND")
    assert_error(stranger.get(f"/api/v1/photos?booking={booking_id}"), 404, "BOOKING_NOT_FOUND")
    assert_error(add(client_for(assignment.booking.user), booking_id), 403, "FORBIDDEN")
    assert_error(add(client_for(make_user(Role.SUPPORT)), booking_id), 403, "FORBIDDEN")
    assert add(client_for(make_user(Role.OPS_MANAGER)), booking_id).status_code == 201
    assert client_for(make_user(Role.SUPPORT)).get(f"/api/v1/bookings/{booking_id}/photos").status_code == 200


def test_delete_by_the_uploader_or_staff_files_leave_storage(django_capture_on_commit_callbacks):
    assignment = job("in_progress")
    partner = client_for(assignment.partner.user)
    first = add(partner, assignment.booking_id).json()["data"]["id"]
    second = add(partner, assignment.booking_id).json()["data"]["id"]
    names = [BookingPhoto.objects.get(pk=first).image.name, BookingPhoto.objects.get(pk=first).thumbnail.name]
    assert all(default_storage.exists(name) for name in names)

    assert_error(client_for(assignment.booking.user).delete(f"/api/v1/photos/{first}"), 403, "FORBIDDEN")
    assert_error(client_for(make_user()).delete(f"/api/v1/photos/{first}"), 404, "PHOTO_NOT_FOUND")
    with django_capture_on_commit_callbacks(execute=True):
        assert partner.delete(f"/api/v1/photos/{first}").status_code == 204
    assert not any(default_storage.exists(name) for name in names)
    assert client_for(make_user(Role.OPS_MANAGER)).delete(f"/api/v1/photos/{second}").status_code == 204
    assert not BookingPhoto.objects.exists()


def test_no_delete_after_the_sign_off_was_signed():
    assignment = job("completed")
    photo = add(client_for(assignment.partner.user), assignment.booking_id, "after").json()["data"]["id"]
    signed(assignment.booking)

    response = client_for(make_user(Role.OPS_MANAGER)).delete(f"/api/v1/photos/{photo}")

    assert_error(response, 422, "INVALID_BOOKING_STATUS")
    assert BookingPhoto.objects.filter(pk=photo).exists()


def test_listing_costs_the_same_queries_for_one_photo_or_many():
    booking = BookingFactory(status=BookingStatus.IN_PROGRESS)
    staff = make_user(Role.OPS_MANAGER)
    client = client_for(staff)
    paths = [f"/api/v1/bookings/{booking.pk}/photos", f"/api/v1/photos?booking={booking.pk}"]
    add(client, booking.pk)
    few = query_counts(client, paths)
    for _ in range(4):
        add(client, booking.pk, "after")

    assert query_counts(client, paths) == few
    assert client.get(paths[0]).json()["data"]["count"] == 5


def test_the_admin_lists_photos_with_their_thumbnail_searchable_by_booking_number():
    assignment = job("confirmed")
    add(client_for(assignment.partner.user), assignment.booking_id)
    photo = BookingPhoto.objects.get()
    browser = Client()
    browser.force_login(make_user(Role.OPS_MANAGER))

    page = browser.get("/admin/bookings/bookingphoto/", {"q": assignment.booking.booking_number})

    assert page.status_code == 200
    assert f'<img src="{photo.thumbnail.url}"' in page.content.decode()
    other = browser.get("/admin/bookings/bookingphoto/", {"q": "NO-SUCH-NUMBER"})
    assert photo.thumbnail.url not in other.content.decode()
