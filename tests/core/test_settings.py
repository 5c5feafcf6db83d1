"""Production settings: `check --deploy` is clean, and missing secrets stop start-up."""

import os
import subprocess
import sys

from django.conf import settings

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": "x9!k2#p-" + "a8Zq" * 12,
    "DJANGO_ALLOWED_HOSTS": "api.example.com",
    "RAZORPAY_KEY_ID": "rzp_live_example",
    "RAZORPAY_KEY_SECRET": "razorpay-key-secret-example",
    "RAZORPAY_WEBHOOK_SECRET": "razorpay-webhook-secret-example",
}


def manage(*args, env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DJANGO_SECRET_KEY"}

    result = manage("check", env=env)

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is required in production" in result.stderr


def test_production_refuses_to_start_without_a_database_url():
    env = {**PRODUCTION_ENV, "DATABASE_URL": ""}

    result = manage("check", env=env)

    assert result.returncode != 0
    assert "DATABASE_URL is required in production" in result.stderr


def test_uploads_go_to_s3_when_a_bucket_is_configured():
    env = {**PRODUCTION_ENV, "AWS_STORAGE_BUCKET_NAME": "platform-media", "AWS_S3_ENDPOINT_URL": "http://127.0.0.1:9"}
    result = manage(
        "shell",
        "-c",
        "from django.core.files.storage import default_storage as s; s._setup(); "
        "print(type(s._wrapped).__name__, s._wrapped.bucket_name)",
        env=env,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == ["S3Storage", "platform-media"]
