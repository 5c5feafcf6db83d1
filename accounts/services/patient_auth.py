"""Seed 003's patient sign-in (``/patient-auth/send-otp`` and ``/patient-auth/verify-otp``) on the one OTP store.

Both steps are the platform's phone OTP sign-in (:func:`accounts.services.otp.otp_send` with purpose
``login`` and :func:`accounts.services.login.login_with_otp`): the same hashed single-use codes, the same
limits (one per phone per 60 s, three per hour, three wrong tries) and the same "a verified phone with no
account becomes a customer" rule. What seed 003 adds:

* ``fullName`` sent with the code is kept beside it (in the cache, keyed by the phone, as long as the code
  lives) and becomes the name of the account the verification creates, or of an existing account that has
  no name yet; an account's own name is never overwritten by what an unverified request carried.
* The seed sends the code over WhatsApp: ``otp_send(via="whatsapp")`` does, and when WhatsApp cannot
  deliver it the same code goes by SMS (``core.messaging.send_whatsapp_on_commit``); see
  :data:`DELIVERY_CHANNEL`.
"""

from __future__ import annotations

from django.core.cache import cache

from accounts.models import OtpChannel, OtpPurpose
from accounts.services.login import SignIn, login_with_otp
from accounts.services.otp import WHATSAPP, OtpSent, otp_send
from accounts.services.profile import registration_details
from core import system_settings

# How the code reaches the patient first (SMS when WhatsApp cannot deliver it).
DELIVERY_CHANNEL = WHATSAPP
_NAME_KEY = "patient-auth-name:{phone}"


def patient_otp_send(*, phone: str, full_name: str = "") -> OtpSent:
    """Send a sign-in code to ``phone`` (E.164) and keep ``full_name`` for the account it may create."""
    sent = otp_send(channel=OtpChannel.SMS, destination=phone, purpose=OtpPurpose.LOGIN, via=DELIVERY_CHANNEL)
    name = full_name.strip()[:150]
    key = _NAME_KEY.format(phone=phone)
    if name:
        cache.set(key, name, timeout=system_settings.value("otp_expiry_minutes") * 60)
    else:
        cache.delete(key)
    return sent


def patient_otp_verify(*, phone: str, code: str) -> SignIn:
    """Sign in with the code (creating the customer account on first use) and name a nameless account."""
    sign_in = login_with_otp(channel=OtpChannel.SMS, destination=phone, code=code)
    key = _NAME_KEY.format(phone=phone)
    name = cache.get(key)
    cache.delete(key)
    user = sign_in.user
    if name and not user.full_name:
        registration_details(user=user, full_name=name)
    return sign_in
