"""The security baseline: production settings, login throttling, passwords, sessions, headers."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

BASE_DIR = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "PRODUCTION": "true",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "campaign.example.gov.cn",
}


def manage(*args, env):
    # As on a server: none of the variables the test run itself sets (the browser tests set
    # DJANGO_ALLOW_ASYNC_UNSAFE, which the deploy check rightly refuses).
    dropped = ("SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env={**clean, **env},
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_production_settings_pass_the_deploy_check():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def _fail_login(client, username, times):
    for _ in range(times):
        response = client.post(reverse("login"), {"username": username, "password": "错误密码x1"})
    return response


def test_five_failed_logins_lock_the_account_with_a_chinese_message(client, world):
    response = _fail_login(client, "alice", 4)
    assert response.status_code == 200  # the form again, not yet locked
    response = _fail_login(client, "alice", 1)
    assert response.status_code == 429
    page = response.content.decode()
    assert "登录失败次数过多，账号已暂时锁定" in page
    assert "30 分钟" in page
    # Even the right password is refused while locked.
    response = client.post(reverse("login"), {"username": "alice", "password": world.password})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_lock_does_not_touch_other_users(client, world):
    _fail_login(client, "alice", 5)
    response = client.post(reverse("login"), {"username": "bob", "password": world.password})
    assert response.status_code == 302


def test_an_admin_unlocks_a_locked_account_in_the_admin(client, world):
    _fail_login(client, "alice", 5)
    attempt = AccessAttempt.objects.get(username="alice")
    client.force_login(world.root)
    page = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert "alice" in page.content.decode()
    client.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"})
    assert not AccessAttempt.objects.exists()
    client.logout()
    response = client.post(reverse("login"), {"username": "alice", "password": world.password})
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("abc12x", "太短"),
        ("1234567890123", "只包含数字"),
        ("abcdefghijkl", "同时包含字母和数字"),
    ],
)
def test_weak_passwords_are_refused_in_chinese(password, message, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    with pytest.raises(ValidationError) as error:
        validate_password(password)
    assert any(message in m for m in error.value.messages), error.value.messages


def test_a_strong_password_passes():
    validate_password("dangjian-2026-qunzhong")


def test_sessions_end_with_the_browser_and_within_eight_hours(client, world, settings):
    import config.settings as configured  # the suite lengthens sessions for time travel

    assert configured.SESSION_COOKIE_AGE <= 8 * 3600
    response = client.post(reverse("login"), {"username": "alice", "password": world.password})
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"]
    assert not cookie["max-age"] and not cookie["expires"]  # gone when the browser closes


def test_pages_carry_the_security_headers(client, world):
    client.force_login(world.alice)
    response = client.get(reverse("home"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


SERVED_TEMPLATES = [
    path
    for folder in [BASE_DIR / "templates", *BASE_DIR.glob("*/templates")]
    for path in folder.rglob("*.html")
    if "emails" not in path.parts and "email" not in path.parts and ".venv" not in path.parts
]


@pytest.mark.parametrize("path", SERVED_TEMPLATES, ids=lambda p: str(p.relative_to(BASE_DIR)))
def test_no_template_needs_the_csp_loosened(path):
    """No inline script, no event-handler attribute, no style attribute: CSP stays strict.
    PDF templates (rendered by WeasyPrint, never served as pages) may carry <style>."""
    html = path.read_text()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline <script>"
    assert not re.search(r"\son[a-z]+=\"", html), "inline event handler"
    assert 'style="' not in html, "inline style attribute"
