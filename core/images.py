"""Uploaded images made safe to keep: checked, re-encoded without their metadata, with a thumbnail.

:func:`clean_image` is for any image a person uploads (a booking's photos, a drawn signature): at most
``max_bytes``; a JPEG, PNG or WebP that Pillow can read whole; at most ``max_pixels`` (an "image bomb", a small
file that decodes to gigapixels, is refused before it is decoded); turned upright from its EXIF orientation and
then written again from its pixels only, so EXIF (GPS location, camera, owner), XMP and comments never reach
storage; plus a thumbnail whose longer side is ``thumb_size``. A failure is a ``DomainError`` with ``code`` on
``field`` and a reason: ``too_large``, ``not_an_image``, ``unsupported_type`` or ``too_many_pixels``.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, ImageOps, UnidentifiedImageError

from core.errors import DomainError, ErrorCodeEnum

FORMATS = {"JPEG": ("jpg", "image/jpeg"), "PNG": ("png", "image/png"), "WEBP": ("webp", "image/webp")}


@dataclass(frozen=True)
class CleanImage:
    content: ContentFile
    thumbnail: ContentFile
    extension: str
    content_type: str
    width: int
    height: int

    @property
    def size(self) -> int:
        return self.content.size


def _refuse(message: str, *, code: ErrorCodeEnum, field: str, reason: str) -> DomainError:
    return DomainError(message, code=code, field=field, reason=reason)


def _encode(image: Image.Image, image_format: str) -> bytes:
    buffer = io.BytesIO()
    if image_format == "JPEG":
        image.convert("RGB").save(buffer, "JPEG", quality=88, optimize=True)
    elif image_format == "WEBP":
        image.save(buffer, "WEBP", quality=85)
    else:
        image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def clean_image(
    upload: UploadedFile,
    *,
    code: ErrorCodeEnum,
    field: str,
    max_bytes: int,
    max_pixels: int,
    thumb_size: int = 320,
) -> CleanImage:
    """The upload checked and re-encoded without metadata, and its thumbnail (rules in the module docstring)."""
    if upload.size is not None and upload.size > max_bytes:
        raise _refuse(
            f"The image is larger than {max_bytes / (1024 * 1024):.0f} MB.", code=code, field=field, reason="too_large"
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as probe:
                image_format, (width, height) = probe.format, probe.size
                if width * height > max_pixels:
                    raise _refuse(
                        f"The image has more than {max_pixels:,} pixels.", code=code, field=field,
                        reason="too_many_pixels",
                    )  # fmt: skip
                probe.verify()
            upload.seek(0)
            with Image.open(upload) as opened:
                opened.load()
                image = ImageOps.exif_transpose(opened) or opened
                image = image.copy()
    except DomainError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _refuse("The image has too many pixels.", code=code, field=field, reason="too_many_pixels") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise _refuse("The file is not an image we can read.", code=code, field=field, reason="not_an_image") from exc
    if image_format not in FORMATS:
        raise _refuse("Upload a JPEG, PNG or WebP image.", code=code, field=field, reason="unsupported_type")
    extension, content_type = FORMATS[image_format]
    image.info.clear()  # nothing of the original's metadata is written again
    body = _encode(image, image_format)
    thumb = image.copy()
    thumb.thumbnail((thumb_size, thumb_size))
    return CleanImage(
        content=ContentFile(body),
        thumbnail=ContentFile(_encode(thumb, "JPEG" if image_format == "JPEG" else "PNG")),
        extension=extension,
        content_type=content_type,
        width=image.width,
        height=image.height,
    )
