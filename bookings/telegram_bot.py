"""The bot's commands that need bookings (seed 004 "Telegram Bot Integration"; notes TG and rule 7).

Registered with ``notifications.telegram`` (which never imports bookings) when
this module is imported; ``bookings.tasks.process_telegram_update`` imports it,
so the worker always has them.

* ``/start``: finds the account linked to the sender's Telegram id
  (``from.id``, trusted because the webhook's secret token was checked) or
  creates a customer with it, and welcomes them; ``is_new_user`` says which.
* ``/book``: one button per live catalog category, each opening the mini app
  (``TELEGRAM_MINI_APP_URL`` with ``startapp=<category key>``).
* ``/mybookings``: the upcoming bookings (not yet started, not cancelled,
  expired, refunded, completed or no-show) of the account linked to the
  sender's Telegram id, soonest first, at most :data:`MAX_LISTED`; a sender
  with no linked account is asked to link one (``/start``) and sees nobody's
  data. Reading: the sender, not the chat, decides whose bookings are shown,
  so in a group chat nobody sees another member's bookings by asking.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.utils import timezone

from accounts.models import User
from accounts.services.social import telegram_bot_sign_in
from bookings.models import Booking, BookingStatus
from catalog.models import Category
from core.errors import DomainError
from notifications.telegram import Command, Reply, register_command

MAX_LISTED = 10
FINISHED = (
    BookingStatus.CANCELLED,
    BookingStatus.EXPIRED,
    BookingStatus.REFUNDED,
    BookingStatus.COMPLETED,
    BookingStatus.NO_SHOW,
)
LINK_PROMPT = "Your Telegram is not linked to an account yet. Send /start to link it, then ask again."


def start(command: Command) -> Reply:
    full_name = " ".join(part for part in (command.first_name, command.last_name) if part)
    try:
        sign_in = telegram_bot_sign_in(telegram_id=command.telegram_id, full_name=full_name)
    except DomainError:  # a deactivated account
        return Reply("This account cannot be used right now. Please contact support.")
    name = command.first_name or "there"
    if sign_in.is_new_user:
        return Reply(f"Welcome, {name}! Your account is ready. Send /book to book a service or /mybookings.")
    return Reply(f"Welcome back, {name}! Send /book to book a service or /mybookings to see your bookings.")


def mini_app_url(category_key: str) -> str:
    base = settings.TELEGRAM_MINI_APP_URL
    return f"{base}{'&' if '?' in base else '?'}{urlencode({'startapp': category_key})}"


def book(command: Command) -> Reply:
    categories = list(Category.objects.filter(is_live=True).order_by("display_order", "name")[:20])
    if not categories:
        return Reply("No services can be booked right now. Please try again later.")
    return Reply("What would you like to book?", buttons=[(c.name, mini_app_url(c.key)) for c in categories])


def my_bookings(command: Command) -> Reply:
    user = User.objects.filter(telegram_id=command.telegram_id, is_active=True).first()
    if user is None:
        return Reply(LINK_PROMPT)
    upcoming = list(
        Booking.objects.filter(user=user, scheduled_start__gte=timezone.now())
        .exclude(status__in=FINISHED)
        .order_by("scheduled_start")[:MAX_LISTED]
    )
    if not upcoming:
        return Reply("You have no upcoming bookings. Send /book to book one.")
    lines = [
        f"{b.booking_number}: {timezone.localtime(b.scheduled_start):%d %b %Y %H:%M} ({b.get_status_display()})"
        for b in upcoming
    ]
    return Reply("Your upcoming bookings:\n" + "\n".join(lines))


register_command("start", start)
register_command("book", book)
register_command("mybookings", my_bookings)
