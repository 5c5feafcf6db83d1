import pytest

TWILIO = "https://api.twilio.com/2010-04-01/Accounts/AC123/Messages.json"


@pytest.fixture
def twilio(settings):
    settings.SMS_BACKEND = "notifications.sms.TwilioSmsBackend"
    settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN, settings.TWILIO_FROM_NUMBER = (
        "AC123",
        "secret",
        "+15005550006",
    )
    settings.NOTIFICATION_MAX_ATTEMPTS = 3
