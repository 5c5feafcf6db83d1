"""The one browser set-up of the end-to-end check and of ``make screenshot`` (scripts/screenshot_dashboard.py).

Debian's ``chromium`` from PATH (``scripts/ensure_test_prereqs.sh`` installs it), headless, driven by Playwright,
which never downloads a browser of its own here. Playwright launches Chromium without its sandbox by default, which
is what running as root (containers, CI) needs.
"""

from __future__ import annotations

import shutil

from playwright.sync_api import Browser, Page, Playwright

VIEWPORT = {"width": 1280, "height": 900}


def chromium_path() -> str:
    found = shutil.which("chromium")
    assert found, "Debian's chromium is not on PATH: run scripts/ensure_test_prereqs.sh (make test does)."
    return found


def launch(playwright: Playwright) -> Browser:
    return playwright.chromium.launch(executable_path=chromium_path(), headless=True)


def sign_in_to_admin(browser: Browser, base_url: str, email: str, password: str) -> Page:
    """A page signed in through the admin login form, on /admin/."""
    page = browser.new_page(viewport=VIEWPORT)
    page.goto(f"{base_url}/admin/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", password)
    page.click("input[type=submit]")
    page.wait_for_url(f"{base_url}/admin/")
    return page
