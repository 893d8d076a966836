"""Periodic sweepers (every minute, config/celery.py): work whose task never reached the
broker (Redis was down or restarted empty), or whose worker died mid-send, is found by its
database row and done now. Each takes a row only through its claim (a lease that has run
out, a conditional status move), so a sweep that overlaps a late task sends nothing twice."""

import datetime
import logging

from celery import shared_task
from django.db.models import Q
from django.utils import timezone

logger = logging.getLogger(__name__)
NOTIFICATION_WINDOW = datetime.timedelta(days=3)  # older unsent notices are stale news


def _waiting_notifications(now):
    """Unsent notices with an address whose own task has had its chance (one lease) and
    whose claim, if any, has run out."""
    from .models import Notification
    from .notifications import mail_lease

    expired = now - mail_lease()
    return Notification.objects.filter(
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=expired),
        emailed_at__isnull=True,
        created_at__lte=expired,
        created_at__gte=now - NOTIFICATION_WINDOW,
        user__email__gt="",
    )


def unsent_notification_ids(now=None) -> list[int]:
    now = now or timezone.now()
    return list(_waiting_notifications(now).order_by("pk").values_list("pk", flat=True)[:500])


@shared_task(name="core.sweep_notifications")
def sweep_notifications() -> int:
    from .notifications import send_notification_emails_now

    ids = unsent_notification_ids()
    if not ids:
        return 0
    try:
        return send_notification_emails_now(ids)
    except OSError as exc:  # SMTPException is an OSError: the next sweep tries again
        logger.warning("notices: %s e-mails wait for the mail server: %r", len(ids), exc)
        return 0


@shared_task(name="core.sweep_reports")
def sweep_reports() -> int:
    from .reports.services import report_requeue

    return report_requeue()
