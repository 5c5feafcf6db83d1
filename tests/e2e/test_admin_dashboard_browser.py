"""End to end in a real browser: the demo superuser signs in to /admin/ and sees the dashboard chart drawn with data.

Headless Chromium is Debian's ``chromium`` (``scripts/ensure_test_prereqs.sh`` installs it; Playwright never downloads
a browser of its own; set-up in ``tests.e2e.browser``, shared with ``make screenshot``), driven by Playwright's sync
API against pytest-django's live server (a WSGI server thread, serving the admin's static files too: the admin is
plain Django views). Without ``chromium`` on PATH the test fails, as every test of the suite does when something it
needs is missing. The database is written before Playwright starts its event loop, so Django's async-safety check
never sees the ORM used inside it.
"""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect, sync_playwright

from accounts import demo
from tests.adminpanel.helpers import paid_booking
from tests.e2e import browser as chromium

pytestmark = pytest.mark.django_db(transaction=True)  # the live server's thread reads what the test wrote


def test_the_demo_admin_signs_in_and_sees_the_revenue_chart_drawn_with_data(live_server):
    demo.seed(io.StringIO())
    today = timezone.localdate()
    for days_ago, total in [(0, "1180.00"), (3, "590.00"), (12, "2360.00")]:
        paid_booking(total=total, paid_on=today - timedelta(days=days_ago))

    with sync_playwright() as playwright:
        browser = chromium.launch(playwright)
        try:
            page = chromium.sign_in_to_admin(browser, live_server.url, demo.DEMO_ADMIN_EMAIL, "demo-admin-2026")

            chart = page.locator("#revenue-chart svg")
            expect(chart).to_be_visible()
            bars = chart.locator("rect")
            expect(bars).to_have_count(90)
            heights = [box["height"] for box in (bar.bounding_box() for bar in bars.all()) if box]
            assert len([height for height in heights if height > 0]) == 3, heights  # the three days with revenue
            revenue = page.locator(".bo-card", has_text="Revenue").first.locator(".bo-value")
            expect(revenue).to_have_text("₹4130.00")
        finally:
            browser.close()
