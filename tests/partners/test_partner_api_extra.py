"""Partner sign-in names the profile (seed 000), and the partner API's rate limit (200 per minute per partner)."""

import pytest

from core.throttles import ScopedRateThrottle
from tests.accounts.helpers import last_sms_code
from tests.conftest import client_for
from tests.partners import helpers as h

pytestmark = pytest.mark.django_db


def test_partner_login_answers_with_the_partner_profile(api_client, django_capture_on_commit_callbacks):
    partner = h.partner()
    phone = partner.user.phone
    with django_capture_on_commit_callbacks(execute=True):  # the SMS leaves after commit
        api_client.post("/api/v1/auth/send-otp", {"phone_number": phone}, format="json")
    response = api_client.post(
        "/api/v1/partner/auth/login", {"phone_number": phone, "otp_code": last_sms_code(phone)}, format="json"
    )
    assert response.status_code == 200, response.json()
    data = response.json()["data"]
    assert data["partner"] == {"id": str(partner.pk), "partner_code": partner.partner_code, "name": partner.name}
    assert data["access_token"]


def test_the_partner_api_is_throttled_per_partner(monkeypatch):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {**ScopedRateThrottle.THROTTLE_RATES, "partner": "3/min"})
    first, second = client_for(h.partner().user), client_for(h.partner().user)
    answers = [first.get("/api/v1/partner/dashboard").status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    limited = first.get("/api/v1/partner/dashboard").json()
    assert limited["error"]["code"] in ("RATE_LIMIT_EXCEEDED", "TOO_MANY_REQUESTS")
    assert second.get("/api/v1/partner/dashboard").status_code == 200  # another partner has their own budget


def test_the_configured_partner_rate_is_200_requests_a_minute():
    # what the 3/min test above stands in for: REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["partner"], as DRF reads it
    # (driving 201 real requests costs about 20 s here)
    throttle = ScopedRateThrottle()
    throttle.scope = "partner"
    assert throttle.parse_rate(throttle.get_rate()) == (200, 60)
