"""The reminder tasks. Their times are in the one beat schedule (config/celery.py).

Beat starts the daily build at REMINDER_HOUR:REMINDER_MINUTE (settings.TIME_ZONE, Asia/Shanghai),
the office's weekly summary on REMINDER_WEEKDAY, and the sweeper every minute. A build
queues the send of the rows it wrote; the sweeper picks up whatever a dead or exhausted send
left behind, once its claim's lease (MAIL_LEASE_SECONDS) has run out.
"""

import datetime
from smtplib import SMTPException

from celery import shared_task
from django.db import InterfaceError, OperationalError


def _day(day: str | None) -> datetime.date:
    from django.utils import timezone

    return datetime.date.fromisoformat(day) if day else timezone.localdate()


@shared_task(name="reminders.build_daily", ignore_result=False)
def build_daily(day: str | None = None) -> int:
    from .services import digests_build

    return len(digests_build(day=_day(day)).created_ids)


@shared_task(name="reminders.build_weekly", ignore_result=False)
def build_weekly(day: str | None = None) -> int:
    from .models import DigestOutbox
    from .services import digests_build

    return len(digests_build(day=_day(day), kind=DigestOutbox.Kind.WEEKLY).created_ids)


@shared_task(
    name="reminders.send_outbox",
    autoretry_for=(SMTPException, OSError, OperationalError, InterfaceError),
    retry_backoff=60,
    retry_backoff_max=3600,
    max_retries=10,
)
def send_outbox(ids: list[int] | None = None) -> int:
    """A mail server or the database down: retries for hours; after that the sweeper keeps
    trying. A retry never resends a row that went out: sent rows are no longer pending."""
    from .services import outbox_send

    return outbox_send(ids=ids)


@shared_task(name="reminders.sweep_outbox")
def sweep_outbox() -> dict:
    from .services import outbox_sweep

    return outbox_sweep()
