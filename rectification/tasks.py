"""Mail that follows a ledger move, queued with transaction.on_commit by the services."""

from smtplib import SMTPException

from celery import shared_task

RETRY = {
    "autoretry_for": (SMTPException, ConnectionError),
    "retry_backoff": True,
    "max_retries": 8,
}


@shared_task(name="rectification.notify_item_completed", **RETRY)
def notify_item_completed(item_id: int) -> int:
    """Tell the supervision group that an item waits for verification (销号)."""
    from .notices import item_completed_notice

    return item_completed_notice(item_id=item_id)


@shared_task(name="rectification.notify_item_returned", **RETRY)
def notify_item_returned(item_id: int) -> int:
    """Tell the unit's staff that the supervision group returned an item, and why."""
    from .notices import item_returned_notice

    return item_returned_notice(item_id=item_id)
