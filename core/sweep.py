"""Periodic sweepers: work whose task never reached the broker (Redis was down) is found by
its database row and done now. Each claims rows with a conditional update, so a sweep that
overlaps a late task sends nothing twice."""

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

NOTIFICATION_GRACE = timedelta(minutes=10)  # the normal task has had its chance by then
NOTIFICATION_WINDOW = timedelta(days=3)  # older unsent notices are stale news: not mailed


def unsent_notification_ids(now=None) -> list[int]:
    from .models import Notification

    now = now or timezone.now()
    return list(
        Notification.objects.filter(
            emailed_at__isnull=True,
            created_at__lte=now - NOTIFICATION_GRACE,
            created_at__gte=now - NOTIFICATION_WINDOW,
            user__email__gt="",
        ).values_list("pk", flat=True)[:500]
    )


@shared_task(name="core.sweep_notifications", ignore_result=True)
def sweep_notifications() -> int:
    from .notifications import send_notification_emails_now

    ids = unsent_notification_ids()
    return send_notification_emails_now(ids) if ids else 0
