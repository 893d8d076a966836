"""In-app notifications with an e-mail each, queued only after the change commits."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.utils import timezone

from .models import Notification
from .queueing import enqueue_on_commit


def notify(*, users, subject: str, body: str = "", url: str = "") -> list[Notification]:
    rows = Notification.objects.bulk_create(
        [Notification(user=u, subject=subject[:200], body=body, url=url) for u in set(users)]
    )
    ids = [r.pk for r in rows if r.pk]
    if ids:
        from .tasks import send_notification_emails

        enqueue_on_commit(send_notification_emails, ids)
    return rows


def build_email(*, to: str, subject: str, template: str, context: dict) -> EmailMultiAlternatives:
    """One message with a text and an HTML body from templates/emails/<template>.{txt,html}."""
    context = {"site_url": settings.SITE_URL, **context}
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"emails/{template}.txt", context),
        to=[to],
    )
    message.attach_alternative(render_to_string(f"emails/{template}.html", context), "text/html")
    return message


def send_notification_emails_now(ids: list[int]) -> int:
    """Claim each unsent row, send over one connection; a failed send is released to retry."""
    sent = 0
    rows = Notification.objects.filter(pk__in=ids, emailed_at__isnull=True).select_related("user")
    with get_connection() as connection:
        for row in rows:
            if not row.user.email:
                continue
            claimed = Notification.objects.filter(pk=row.pk, emailed_at__isnull=True).update(
                emailed_at=timezone.now()
            )
            if not claimed:
                continue  # another worker has it
            message = build_email(
                to=row.user.email,
                subject=row.subject,
                template="notification",
                context={"notification": row, "user": row.user},
            )
            message.connection = connection
            try:
                message.send()
            except Exception:
                Notification.objects.filter(pk=row.pk).update(emailed_at=None)
                raise
            sent += 1
    return sent


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
