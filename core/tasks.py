from celery import shared_task


@shared_task(name="core.ping")
def ping() -> str:
    """A task with no side effects: the health check and the worker tests queue it."""
    return "pong"


@shared_task(
    name="core.send_notification_emails",
    autoretry_for=(OSError,),
    retry_backoff=30,
    retry_backoff_max=3600,
    max_retries=12,
)
def send_notification_emails(ids: list[int]) -> int:
    """SMTP down: the task retries with backoff for hours; no notice is lost or sent twice."""
    from .notifications import send_notification_emails_now

    return send_notification_emails_now(ids)
