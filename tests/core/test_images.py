"""``core.images.clean_image``: what an uploaded image must be, and what is kept of it (pixels, not metadata)."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.errors import DomainError, ErrorCode
from core.images import clean_image

LIMITS = {"code": ErrorCode.VALIDATION_ERROR, "field": "image", "max_bytes": 5 * 1024 * 1024, "max_pixels": 4_000_000}


def jpeg_with_location(size=(800, 600)) -> bytes:
    image = Image.new("RGB", size, (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0112] = 6  # Orientation: rotate 90 degrees to be upright
    exif.get_ifd(0x8825)[2] = (22.0, 33.0, 0.0)  # GPSLatitude
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def upload(data: bytes, name="photo.jpg", content_type="image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_location_and_camera_metadata_are_gone_and_the_photo_is_upright_with_a_thumbnail():
    raw = jpeg_with_location()
    assert Image.open(io.BytesIO(raw)).getexif().get_ifd(0x8825)  # the upload carries a GPS position

    clean = clean_image(upload(raw), **LIMITS)

    kept = Image.open(io.BytesIO(clean.content.read()))
    assert (kept.format, kept.size) == ("JPEG", (600, 800))  # turned upright from the EXIF orientation
    assert not kept.getexif()  # no EXIF at all: no location, no camera, no orientation left to apply twice
    clean.content.seek(0)
    assert b"PhoneMaker" not in clean.content.read()
    thumb = Image.open(io.BytesIO(clean.thumbnail.read()))
    assert max(thumb.size) == 320
    assert (clean.extension, clean.content_type, clean.width, clean.height) == ("jpg", "image/jpeg", 600, 800)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"%PDF-1.4 not an image", "not_an_image"),
        (jpeg_with_location()[:200], "not_an_image"),  # cut short
    ],
)
def test_what_is_not_a_whole_image_is_refused(data, reason):
    with pytest.raises(DomainError) as refused:
        clean_image(upload(data), **LIMITS)
    assert (refused.value.field, refused.value.reason) == ("image", reason)


def test_a_gif_too_large_a_file_and_an_image_bomb_are_refused():
    gif = io.BytesIO()
    Image.new("RGB", (10, 10)).save(gif, "GIF")
    with pytest.raises(DomainError) as refused:
        clean_image(upload(gif.getvalue(), "a.gif", "image/gif"), **LIMITS)
    assert refused.value.reason == "unsupported_type"

    with pytest.raises(DomainError) as refused:
        clean_image(upload(jpeg_with_location()), **{**LIMITS, "max_bytes": 1000})
    assert refused.value.reason == "too_large"

    bomb = io.BytesIO()  # a small file that decodes to 25 million pixels
    Image.new("1", (5000, 5000)).save(bomb, "PNG")
    assert len(bomb.getvalue()) < 100_000
    with pytest.raises(DomainError) as refused:
        clean_image(upload(bomb.getvalue(), "bomb.png", "image/png"), **LIMITS)
    assert refused.value.reason == "too_many_pixels"
