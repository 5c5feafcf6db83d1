"""The conversation of a dispute (issue #20, seed 002 D3): the customer, the partner on the job and the mediator.

* Who writes: the dispute's customer, the partner whose job it is, its mediator, or staff who may mediate
  (``bookings.add_disputemessage``). Anyone else: 404 ``DISPUTE_NOT_FOUND``; a reader who may not write (finance):
  403. A closed dispute takes no message (422 ``DISPUTE_CLOSED``); a resolved one still does, until it closes.
* The first message staff write in an ``open`` (or escalated) dispute takes it up: ``in_progress``, with them as
  its mediator (``bookings.services.disputes.take_up``).
* ``recipient`` (optional) is one of the other parties; without one the message is written to everyone in the
  dispute. ``message_type`` is ``text``, ``image`` or ``file``; ``system`` is the platform's own. An attachment is
  an image (JPEG, PNG or WebP, checked and re-encoded without its metadata by ``core.images``) or a PDF, at most
  ``PHOTO_MAX_BYTES``; anything else is 422 ``INVALID_FILE`` naming ``attachment``. A message needs content or an
  attachment (422 naming ``content``).
* Read marks: ``is_read`` says the person it was written to has read it (for a message to everyone: someone other
  than its sender). Listing the messages marks the ones written to the reader read, in one ``UPDATE``; the page
  shows each message as it was before this read, so a client can tell what is new.
* The other parties hear of a new message live (``dispute_message`` on their own WebSocket group) and in the inbox.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import User
from bookings.errors import BookingErrorCode
from bookings.models import Dispute, DisputeMessage, DisputeMessageType, DisputeStatus
from bookings.services.disputes import dispute_lock, may_read, take_up
from core.errors import DomainError, ErrorCode
from core.events import send_event_on_commit, user_group
from core.images import clean_image
from core.types import Id
from notifications.services import notify

PDF_MAGIC = b"%PDF-"


def participants(dispute: Dispute) -> list[User]:
    """The customer, the partner on the job and the mediator (who are set)."""
    ids = [dispute.customer_id, dispute.assigned_mediator_id]
    people = list(User.objects.filter(Q(pk__in=[pk for pk in ids if pk]) | Q(partner_profile__disputes=dispute)))
    return list({person.pk: person for person in people}.values())


def _party(user: User, dispute: Dispute) -> bool:
    if user.pk in (dispute.customer_id, dispute.assigned_mediator_id):
        return True
    return dispute.vendor is not None and dispute.vendor.user_id == user.pk


@dataclass(frozen=True)
class Attachment:
    content: ContentFile[bytes]
    name: str
    content_type: str
    message_type: str


def clean_attachment(upload: UploadedFile) -> Attachment:
    """An image (re-encoded, metadata gone) or a PDF; 422 ``INVALID_FILE`` for anything else."""
    head = upload.read(len(PDF_MAGIC))
    upload.seek(0)
    if head == PDF_MAGIC:
        if (upload.size or 0) > settings.PHOTO_MAX_BYTES:
            raise DomainError(
                f"The file is larger than {settings.PHOTO_MAX_BYTES // (1024 * 1024)} MB.",
                code=BookingErrorCode.INVALID_FILE,
                field="attachment",
                reason="too_large",
            )
        return Attachment(ContentFile(upload.read()), upload.name or "file.pdf", "application/pdf", "file")
    image = clean_image(
        upload,
        code=BookingErrorCode.INVALID_FILE,
        field="attachment",
        max_bytes=settings.PHOTO_MAX_BYTES,
        max_pixels=settings.PHOTO_MAX_PIXELS,
    )
    return Attachment(image.content, f"image.{image.extension}", image.content_type, DisputeMessageType.IMAGE)


def message_send(
    *,
    user: User,
    dispute_id: Id,
    content: str = "",
    message_type: str = DisputeMessageType.TEXT,
    attachment: UploadedFile | None = None,
    recipient_id: Id | None = None,
) -> DisputeMessage:
    """D3: write in the dispute (module docstring)."""
    if message_type not in (DisputeMessageType.TEXT, DisputeMessageType.IMAGE, DisputeMessageType.FILE):
        raise DomainError(
            "message_type is text, image or file.",
            code=ErrorCode.VALIDATION_ERROR,
            field="message_type",
            reason="invalid_choice",
        )
    cleaned = clean_attachment(attachment) if attachment is not None else None  # decoded before any lock
    if not content.strip() and cleaned is None:
        raise DomainError(
            "Write something or attach a file.", code=ErrorCode.VALIDATION_ERROR, field="content", reason="required"
        )
    with transaction.atomic():
        dispute = dispute_lock(user, dispute_id)
        is_party = _party(user, dispute)
        if not is_party and not user.has_perm("bookings.add_disputemessage"):
            raise DomainError(
                "You can read this dispute but not write in it.", code=ErrorCode.FORBIDDEN, reason="read_only"
            )
        if dispute.status == DisputeStatus.CLOSED:
            raise DomainError(
                "This dispute is closed.", code=BookingErrorCode.DISPUTE_CLOSED, context={"status": dispute.status}
            )
        staff_writer = user.pk not in (dispute.customer_id,) and not (
            dispute.vendor is not None and dispute.vendor.user_id == user.pk
        )
        if staff_writer and dispute.status in (DisputeStatus.OPEN, DisputeStatus.ESCALATED):
            take_up(dispute, mediator=user, actor=user)
        people = participants(dispute)
        recipient = None
        if recipient_id is not None:
            recipient = next((p for p in people if str(p.pk) == str(recipient_id) and p.pk != user.pk), None)
            if recipient is None:
                raise DomainError(
                    "Write to the customer, the partner or the mediator of this dispute.",
                    code=ErrorCode.VALIDATION_ERROR,
                    field="recipient_id",
                    reason="not_a_party",
                )
        message = DisputeMessage(
            dispute=dispute,
            sender=user,
            recipient=recipient,
            message_type=cleaned.message_type if cleaned else message_type,
            content=content,
        )
        if cleaned is not None:
            message.attachment.save(f"{message.pk}-{cleaned.name}", cleaned.content, save=False)
            message.attachment_name = cleaned.name
            message.attachment_content_type = cleaned.content_type
        message.save()
        Dispute.objects.filter(pk=dispute.pk).update(updated_at=timezone.now())
        _tell(dispute, message, [p for p in people if p.pk != user.pk and (recipient is None or p == recipient)])
    return message


def _tell(dispute: Dispute, message: DisputeMessage, people: list[User]) -> None:
    sender = message.sender.full_name if message.sender and message.sender.full_name else "Someone"
    for person in people:
        send_event_on_commit(
            user_group(person.pk),
            "dispute_message",
            {"dispute_id": str(dispute.pk), "message_id": str(message.pk), "sender_name": sender},
        )
        notify(
            "dispute_message",
            user=person,
            context={"sender": sender, "booking_number": dispute.booking.booking_number},
            data={"dispute_id": str(dispute.pk), "action_url": f"/disputes/{dispute.pk}"},
        )


def written_to(user: User) -> Q:
    """Messages written to ``user``: to them, or to everyone by someone else (not the platform's own)."""
    return Q(recipient=user) | (Q(recipient__isnull=True, sender__isnull=False) & ~Q(sender=user))


def messages_of(user: User, dispute_id: Id) -> QuerySet[DisputeMessage]:
    """The dispute's messages, oldest first (404 for who may not read it)."""
    dispute = Dispute.objects.select_related("vendor").filter(pk=dispute_id).first()
    if dispute is None or not may_read(user, dispute):
        raise DomainError("Dispute not found.", code=BookingErrorCode.DISPUTE_NOT_FOUND, field="id")
    return DisputeMessage.objects.filter(dispute=dispute).select_related("sender", "recipient").order_by("created_at")


def messages_mark_read(user: User, messages: list[DisputeMessage]) -> int:
    """Mark the messages of a page that were written to ``user`` read (one ``UPDATE``)."""
    ids = [m.pk for m in messages if not m.is_read]
    if not ids:
        return 0
    unread = DisputeMessage.objects.filter(pk__in=ids, is_read=False).filter(written_to(user))
    return unread.update(is_read=True, read_at=timezone.now())
