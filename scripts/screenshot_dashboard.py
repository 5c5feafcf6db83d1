"""``make screenshot``: docs/img/dashboard.png, the admin dashboard with the demo history, as the README shows it.

Builds a scratch embedded default in a temporary directory (SQLite database and embedded Redis; `make run`'s
var/db.sqlite3 is not used): migrate, ``seed_demo`` (with its ~90 days of history), then ``manage.py runserver`` on a
free port. Signs in as the demo superuser and takes the picture with the browser set-up of the end-to-end check
(``tests.e2e.browser``: Debian's headless ``chromium`` through Playwright).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import expect, sync_playwright  # noqa: E402

from core.embedded import EmbeddedRedis  # noqa: E402
from tests.e2e import browser as chromium  # noqa: E402

OUTPUT = ROOT / "docs" / "img" / "dashboard.png"
EMAIL, PASSWORD = "admin@example.com", "demo-admin-2026"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, server: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"runserver exited with {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - our own local server
                return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.3)
    raise SystemExit(f"{url} did not answer within {timeout:.0f}s")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="screenshot-") as scratch:
        redis = EmbeddedRedis(scratch, persist=False)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.development",
            "DATABASE_URL": f"sqlite:///{scratch}/db.sqlite3",
            "REDIS_URL": redis.start(),
            "DEMO_ADMIN_PASSWORD": PASSWORD,
        }
        manage = [sys.executable, str(ROOT / "manage.py")]
        server = None
        try:
            subprocess.run([*manage, "migrate", "--verbosity", "0"], env=env, cwd=ROOT, check=True)
            subprocess.run([*manage, "seed_demo"], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
            port = free_port()
            base_url = f"http://127.0.0.1:{port}"
            # --insecure: static files served by runserver whatever DJANGO_DEBUG says.
            server = subprocess.Popen(
                [*manage, "runserver", "--noreload", "--insecure", f"127.0.0.1:{port}"],
                env=env,
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            wait_until_up(f"{base_url}/admin/login/", server)
            with sync_playwright() as playwright:
                browser = chromium.launch(playwright)
                try:
                    page = chromium.sign_in_to_admin(browser, base_url, EMAIL, PASSWORD)
                    expect(page.locator("#revenue-chart svg")).to_be_visible()
                    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=str(OUTPUT))
                finally:
                    browser.close()
        finally:
            if server is not None:
                server.terminate()
                server.wait(timeout=10)
            redis.stop()
    print(f"Wrote {OUTPUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
