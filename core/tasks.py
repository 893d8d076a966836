from celery import shared_task
from django.db import InterfaceError, OperationalError

# The worker imports only <app>.tasks: these register the sweepers and the heartbeat there.
from .health import heartbeat  # noqa: F401
from .sweep import sweep_notifications, sweep_reports  # noqa: F401


@shared_task(name="core.ping", ignore_result=False)
def ping() -> str:
    """A task with no side effects: the health check and the worker tests queue it."""
    return "pong"


@shared_task(
    name="core.send_notification_emails",
    autoretry_for=(OSError, OperationalError, InterfaceError),
    retry_backoff=30,
    retry_backoff_max=3600,
    max_retries=12,
)
def send_notification_emails(ids: list[int]) -> int:
    """SMTP or the database down: the task retries with backoff for hours, and the sweeper
    (every minute) takes any notice whose claim has run out; no notice is lost."""
    from .notifications import send_notification_emails_now

    return send_notification_emails_now(ids)


@shared_task(name="core.render_report", acks_late=True)
def render_report(report_file_id: int) -> str:
    """Runs on the `reports` queue (CELERY_TASK_ROUTES) with the report time limits."""
    from .models import ReportFile
    from .reports.services import report_render

    report_file = (
        ReportFile.objects.filter(pk=report_file_id).select_related("requested_by").first()
    )
    if report_file is None:
        return "gone"
    return report_render(report_file=report_file).status


@shared_task(name="core.expire_reports")
def expire_reports() -> dict:
    from .reports.services import report_expire, report_fail_stale

    return {"stale": report_fail_stale(), "expired": report_expire()}
