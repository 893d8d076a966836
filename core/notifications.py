"""In-app notifications with an e-mail each, queued only after the change commits."""

import datetime
import logging
import time
from smtplib import SMTPRecipientsRefused

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import InterfaceError, OperationalError
from django.db import connection as db_connection
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from .models import Notification
from .queueing import enqueue_on_commit

logger = logging.getLogger(__name__)


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


def mail_lease() -> datetime.timedelta:
    """How long a sender's claim on a row lasts (MAIL_LEASE_SECONDS)."""
    return datetime.timedelta(seconds=settings.MAIL_LEASE_SECONDS)


def message_id(kind: str, pk: int) -> str:
    """The one Message-ID of a row's e-mail: a resend after a crash repeats it, so a relay
    or mail client can drop the copy."""
    return f"<{kind}-{pk}@{settings.EMAIL_MESSAGE_ID_DOMAIN}>"


def record_after_send(update) -> None:
    """Record that a message went out, even if the database connection dropped while it
    was being sent: reconnect and write again, a few times, before giving up (the row then
    stays claimed, and after its lease the sweeper sends it once more, same Message-ID)."""
    for pause in (0.2, 1, 3, None):
        try:
            update()
            return
        except (OperationalError, InterfaceError) as exc:
            if pause is None or db_connection.in_atomic_block:
                raise
            logger.warning("sent, but the database is gone (%r): reconnecting to record it", exc)
            db_connection.close()
            time.sleep(pause)


def _claim_notification(pk: int) -> Notification | None:
    """Take the row for one send, unless it is e-mailed or another sender's lease runs."""
    now = timezone.now()
    free = Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - mail_lease())
    rows = Notification.objects.filter(free, pk=pk, emailed_at__isnull=True)
    if not rows.update(claimed_at=now):
        return None
    return Notification.objects.select_related("user").get(pk=pk)


def send_notification_emails_now(ids: list[int]) -> int:
    """E-mail each notice once; returns how many were sent.

    The row is the truth: a sender claims it with a lease (claimed_at) just before sending
    and sets emailed_at only after the mail server accepted the message. A sender killed
    mid-send loses nothing (the sweeper takes the row again once the lease has run out) and
    at most that one message arrives twice, with the same Message-ID. A failed send releases
    the row for the task's retry.
    """
    ids = list(
        Notification.objects.filter(
            pk__in=ids, emailed_at__isnull=True, user__email__gt=""
        ).values_list("pk", flat=True)
    )
    if not ids:
        return 0
    sent = 0
    with get_connection() as connection:  # a server that is down fails here, before a claim
        for pk in sorted(ids):
            row = _claim_notification(pk)
            if row is None:
                continue  # sent already, or another sender has it
            message = build_email(
                to=row.user.email,
                subject=row.subject,
                template="notification",
                context={"notification": row, "user": row.user},
            )
            message.extra_headers["Message-ID"] = message_id("notification", row.pk)
            message.connection = connection
            try:
                message.send()
            except SMTPRecipientsRefused as exc:
                # This address, not the server: the claim stays, so the others go out now and
                # this one is tried again only after its lease (and /healthz/ counts it).
                logger.warning(
                    "notice %s: the mail server refused %s: %r", row.pk, row.user.email, exc
                )
                continue
            except Exception:
                Notification.objects.filter(pk=row.pk, claimed_at=row.claimed_at).update(
                    claimed_at=None
                )
                raise
            record_after_send(
                lambda pk=row.pk: Notification.objects.filter(pk=pk).update(
                    emailed_at=timezone.now()
                )
            )
            sent += 1
    return sent


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
