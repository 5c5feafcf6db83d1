"""Meeting links for online appointments (seed 003 "Video Conferencing", rules V1-V3): the provider interface.

A provider makes, moves and removes the video meeting of one appointment:

* ``create(booking, summary=, start=, end=) -> MeetingLink(url, event_id, provider)``;
* ``update(booking, event_id=, summary=, start=, end=)`` moves the calendar event (a reschedule);
* ``delete(booking, event_id=)`` removes it (a link deleted or replaced).

``settings.MEETING_LINK_PROVIDER`` picks one (:func:`meeting_provider`):

* ``"offline"`` (the default, like the offline payment gateway): a link of the
  shape Google Meet uses, ``https://meet.google.com/abc-defg-hij``, made here
  from random letters, with no network call and no calendar event (its
  ``event_id`` is ``offline_<hex>``; update and delete have nothing to do). It
  records the provider as ``offline``, so a link list can tell the made-up
  links from real ones.
* ``"google"`` with ``GOOGLE_CALENDAR_CREDENTIALS_FILE`` set: an event on
  ``GOOGLE_CALENDAR_ID`` through Google's maintained client
  (``google-api-python-client`` + ``google-auth``, a service account), with a
  ``conferenceData.createRequest`` of type ``hangoutsMeet``; the link is the
  event's ``hangoutLink`` and the provider ``google_meet`` (the seed's name).
  The libraries are imported when the first link is made, so the app starts
  without them or the credentials. ``"google"`` without credentials is a
  configuration error (``ImproperlyConfigured``), never a silent offline link.

Which bookings may have a link (online only), who may see or change it, and
when it is made are the rules of ``partners.services.meetings``.
"""

from __future__ import annotations

import secrets
import string
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from bookings.models import Booking

OFFLINE, GOOGLE_MEET, MANUAL = "offline", "google_meet", "manual"
CALENDAR_SCOPE = "https://www.googleapis.com/auth/calendar.events"


@dataclass(frozen=True)
class MeetingLink:
    url: str
    event_id: str
    provider: str


class MeetingProvider(Protocol):
    name: str
    remote: bool  # makes a network call: kept out of the booking's transaction

    def create(self, booking: Booking, *, summary: str, start: datetime, end: datetime) -> MeetingLink: ...

    def update(self, booking: Booking, *, event_id: str, summary: str, start: datetime, end: datetime) -> None: ...

    def delete(self, booking: Booking, *, event_id: str) -> None: ...


def offline_code() -> str:
    """Three, four and three lowercase letters, as a Meet code (26^10 codes: a clash is not a concern)."""
    letters = string.ascii_lowercase
    parts = (3, 4, 3)
    return "-".join("".join(secrets.choice(letters) for _ in range(n)) for n in parts)


class OfflineMeetingProvider:
    """Made locally; nothing to move or delete elsewhere."""

    name = OFFLINE
    remote = False

    def create(self, booking: Booking, *, summary: str, start: datetime, end: datetime) -> MeetingLink:
        return MeetingLink(
            url=f"https://meet.google.com/{offline_code()}",
            event_id=f"offline_{secrets.token_hex(8)}",
            provider=self.name,
        )

    def update(self, booking: Booking, *, event_id: str, summary: str, start: datetime, end: datetime) -> None:
        return None

    def delete(self, booking: Booking, *, event_id: str) -> None:
        return None


class GoogleCalendarMeetingProvider:
    """A Calendar event with a Meet conference, on the service account's calendar."""

    name = GOOGLE_MEET
    remote = True

    def __init__(self, credentials_file: str, calendar_id: str) -> None:
        self.credentials_file = credentials_file
        self.calendar_id = calendar_id
        self._events: Any = None

    def events(self) -> Any:
        if self._events is None:
            from google.oauth2 import service_account  # lazy: the app runs without Google's libraries configured
            from googleapiclient.discovery import build  # type: ignore[import-untyped]

            credentials = service_account.Credentials.from_service_account_file(  # type: ignore[no-untyped-call]
                self.credentials_file, scopes=[CALENDAR_SCOPE]
            )
            self._events = build("calendar", "v3", credentials=credentials, cache_discovery=False).events()
        return self._events

    @staticmethod
    def body(summary: str, start: datetime, end: datetime) -> dict[str, Any]:
        return {
            "summary": summary,
            "start": {"dateTime": start.isoformat()},
            "end": {"dateTime": end.isoformat()},
        }

    def create(self, booking: Booking, *, summary: str, start: datetime, end: datetime) -> MeetingLink:
        body = self.body(summary, start, end)
        body["conferenceData"] = {
            "createRequest": {
                "requestId": f"{booking.pk}-{secrets.token_hex(4)}",  # one request per link made
                "conferenceSolutionKey": {"type": "hangoutsMeet"},
            }
        }
        event = self.events().insert(calendarId=self.calendar_id, body=body, conferenceDataVersion=1).execute()
        url = event.get("hangoutLink") or next(
            (
                p["uri"]
                for p in event.get("conferenceData", {}).get("entryPoints", [])
                if p.get("entryPointType") == "video"
            ),
            "",
        )
        return MeetingLink(url=url, event_id=event["id"], provider=self.name)

    def update(self, booking: Booking, *, event_id: str, summary: str, start: datetime, end: datetime) -> None:
        self.events().patch(
            calendarId=self.calendar_id, eventId=event_id, body=self.body(summary, start, end)
        ).execute()

    def delete(self, booking: Booking, *, event_id: str) -> None:
        self.events().delete(calendarId=self.calendar_id, eventId=event_id).execute()


def meeting_provider() -> MeetingProvider:
    choice = settings.MEETING_LINK_PROVIDER
    if choice == "offline":
        return OfflineMeetingProvider()
    if choice == "google":
        if not settings.GOOGLE_CALENDAR_CREDENTIALS_FILE:
            raise ImproperlyConfigured("MEETING_LINK_PROVIDER=google needs GOOGLE_CALENDAR_CREDENTIALS_FILE.")
        return GoogleCalendarMeetingProvider(settings.GOOGLE_CALENDAR_CREDENTIALS_FILE, settings.GOOGLE_CALENDAR_ID)
    raise ImproperlyConfigured(f"Unknown MEETING_LINK_PROVIDER {choice!r}: use offline or google.")


def provider_named(name: str) -> MeetingProvider | None:
    """The provider that made a stored link (to move or delete its event); none for a manual or offline one."""
    if name == GOOGLE_MEET and settings.GOOGLE_CALENDAR_CREDENTIALS_FILE:
        return GoogleCalendarMeetingProvider(settings.GOOGLE_CALENDAR_CREDENTIALS_FILE, settings.GOOGLE_CALENDAR_ID)
    return None
