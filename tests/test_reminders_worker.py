"""The daily job through a real Celery worker on Redis: the worker builds the digests from the
test database, queues their sending, and the e-mails land in a folder (the file backend).

In CI a missing Redis is a failure (the redis_url fixture, tests/conftest.py).
"""

import time
from pathlib import Path

import pytest
from celery import Celery
from django.db import connection

from reminders.models import DigestOutbox
from tests.helpers.worker import worker


def database_url() -> str:
    """The test database, as the worker process must reach it."""
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(s['NAME']).resolve()}"
    auth = f"{s['USER']}:{s['PASSWORD']}@" if s["PASSWORD"] else f"{s['USER']}@"
    return f"postgres://{auth}{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def wait_until_sent(expected: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if DigestOutbox.objects.filter(status="sent").count() == expected:
            return
        time.sleep(0.5)
    raise AssertionError(list(DigestOutbox.objects.values_list("status", "last_error")))


@pytest.mark.django_db(transaction=True)
def test_the_daily_job_runs_on_a_real_worker_and_each_digest_is_mailed_once(
    reminder_world, redis_url, tmp_path
):
    mail_dir = tmp_path / "mail"
    env = {
        "CELERY_BROKER_URL": redis_url,
        "CELERY_RESULT_BACKEND": redis_url,
        "DATABASE_URL": database_url(),
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
    }
    producer = Celery("producer", broker=redis_url, backend=redis_url)
    log = tmp_path / "worker.log"
    with worker(env, log):
        try:
            built = producer.send_task("reminders.build_daily", kwargs={"day": "2026-01-13"})
            assert built.get(timeout=60) == 4
            wait_until_sent(4)
            again = producer.send_task("reminders.build_daily", kwargs={"day": "2026-01-13"})
            assert again.get(timeout=60) == 0  # the second run of the day builds nothing
        except Exception:
            print(log.read_text())
            raise
    mails = "".join(p.read_text() for p in mail_dir.iterdir())
    for user in ["alice", "bob", "leo", "sam"]:
        assert mails.count(f"To: {user}@example.com") == 1
    assert "To: charlie@example.com" not in mails
    assert mails.count("Content-Type: text/html") == 4
