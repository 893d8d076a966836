"""Building digests into the outbox, sending them at most once, and sweeping up after a
worker that died mid-send (DESIGN.md §4.4)."""

import datetime
import logging
import uuid
from dataclasses import dataclass, field
from smtplib import SMTPRecipientsRefused

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation

from core.models import Notification
from core.queueing import enqueue_on_commit

from . import conf
from .models import DigestOutbox
from .render import Lines, Rendered, render_daily, render_weekly
from .selectors import daily_digests
from .weekly import week_of, weekly_summaries

log = logging.getLogger(__name__)
Kind = DigestOutbox.Kind
Status = DigestOutbox.Status


@dataclass
class BuildResult:
    day: datetime.date
    kind: str
    digests: list[Rendered] = field(default_factory=list)
    created_ids: list[int] = field(default_factory=list)


def digests_render(*, day: datetime.date, kind: str = Kind.DAILY, skip=()) -> list[Rendered]:
    with translation.override(settings.LANGUAGE_CODE):
        if kind == Kind.WEEKLY:
            return [render_weekly(s) for s in weekly_summaries(day) if s.user.pk not in skip]
        lines = Lines()
        return [render_daily(d, lines) for d in daily_digests(day) if d.user.pk not in skip]


def digests_build(
    *, day: datetime.date, kind: str = Kind.DAILY, dry_run: bool = False, queue_send=True
) -> BuildResult:
    """Write one outbox row and one in-app notice per user with something due.

    A second build of the same day (and kind) inserts nothing: the users who already have a
    row are skipped, and the unique constraint settles a race between two builds. Only the
    rows this build inserted (found by build_id) get a notice and are queued for sending.
    """
    key = week_of(day) if kind == Kind.WEEKLY else day
    done = set(DigestOutbox.objects.filter(day=key, kind=kind).values_list("user_id", flat=True))
    result = BuildResult(day=key, kind=kind, digests=digests_render(day=day, kind=kind, skip=done))
    if dry_run or not result.digests:
        return result
    build_id = uuid.uuid4()
    with transaction.atomic():
        DigestOutbox.objects.bulk_create(
            [
                DigestOutbox(user=r.user, day=key, kind=kind, subject=r.subject[:200],
                             text=r.text, html=r.html, build_id=build_id)
                for r in result.digests
            ],
            batch_size=500,
            ignore_conflicts=True,
        )  # fmt: skip
        created = dict(DigestOutbox.objects.filter(build_id=build_id).values_list("user_id", "pk"))
        result.created_ids = sorted(created.values())
        # The e-mail is the outbox row's; marking the notice e-mailed keeps core's notice
        # mail from ever sending it again.
        now = timezone.now()
        Notification.objects.bulk_create(
            [
                Notification(user=r.user, subject=r.subject[:200], body=r.summary, url="",
                             emailed_at=now)
                for r in result.digests
                if r.user.pk in created
            ],
            batch_size=500,
        )  # fmt: skip
        if queue_send and result.created_ids:
            from .tasks import send_outbox

            ids = result.created_ids
            # Broker down: the rows stay pending and the outbox sweeper queues them later.
            enqueue_on_commit(send_outbox, ids, fallback="sweeper")
    return result


def outbox_claim(*, ids=None, limit: int) -> list[DigestOutbox]:
    """Move up to `limit` pending rows to sending; only the rows this call moved come back."""
    pending = DigestOutbox.objects.filter(status=Status.PENDING)
    if ids is not None:
        pending = pending.filter(pk__in=ids)
    pks = list(pending.order_by("pk").values_list("pk", flat=True)[:limit])
    if not pks:
        return []
    claim = uuid.uuid4()
    DigestOutbox.objects.filter(pk__in=pks, status=Status.PENDING).update(
        status=Status.SENDING, claim_id=claim, claimed_at=timezone.now(),
        attempts=F("attempts") + 1,
    )  # fmt: skip
    return list(DigestOutbox.objects.filter(claim_id=claim).select_related("user").order_by("pk"))


def outbox_send(*, ids=None) -> int:
    """Send pending rows in batches, one SMTP connection per batch; returns how many sent.

    A mail server that is down raises: the unsent rows of the batch go back to pending for
    the task's retry (or the sweeper), the rows already sent stay sent.
    """
    sent = 0
    while batch := outbox_claim(ids=ids, limit=conf.get("REMINDER_BATCH_SIZE")):
        sent += _send_batch(batch)
    return sent


def _send_batch(batch: list[DigestOutbox]) -> int:
    sent, unsent = 0, list(batch)
    try:
        with get_connection() as connection:
            while unsent:
                row = unsent[0]
                _send_one(row, connection)
                unsent.pop(0)
                sent += row.status == Status.SENT
    except Exception as exc:
        DigestOutbox.objects.filter(
            pk__in=[r.pk for r in unsent], status=Status.SENDING, claim_id=batch[0].claim_id
        ).update(status=Status.PENDING, claim_id=None, claimed_at=None, last_error=repr(exc)[:1000])
        raise
    return sent


def _send_one(row: DigestOutbox, connection) -> None:
    now = timezone.now()
    if not row.user.email:
        row.status = Status.SKIPPED
        DigestOutbox.objects.filter(pk=row.pk).update(status=Status.SKIPPED)
        return
    message = EmailMultiAlternatives(
        subject=row.subject, body=row.text, to=[row.user.email], connection=connection
    )
    message.attach_alternative(row.html, "text/html")
    try:
        message.send()
    except SMTPRecipientsRefused as exc:  # this address, not the server: do not retry
        row.status = Status.FAILED
        DigestOutbox.objects.filter(pk=row.pk).update(status=Status.FAILED, last_error=repr(exc))
        return
    row.status = Status.SENT
    DigestOutbox.objects.filter(pk=row.pk).update(status=Status.SENT, sent_at=now)


def outbox_sweep(*, send: bool = True) -> dict[str, int]:
    """Put back rows claimed by a worker that died, then send what has waited too long.

    Rows waiting longer than REMINDER_STUCK_MINUTES are the sweeper's: their own task has
    died or given up. Fresh rows are left to the task queued when they were built.
    """
    cutoff = timezone.now() - datetime.timedelta(minutes=conf.get("REMINDER_STUCK_MINUTES"))
    stuck = DigestOutbox.objects.filter(status=Status.SENDING, claimed_at__lt=cutoff).update(
        status=Status.PENDING, claim_id=None, claimed_at=None,
        last_error="claimed but never sent: the worker stopped",
    )  # fmt: skip
    waiting = list(
        DigestOutbox.objects.filter(status=Status.PENDING, created_at__lt=cutoff).values_list(
            "pk", flat=True
        )
    )
    sent = 0
    if send and waiting:
        try:
            sent = outbox_send(ids=waiting)
        except OSError as exc:  # SMTPException is an OSError: the next sweep tries again
            log.warning("reminders: %s rows wait for the mail server: %r", len(waiting), exc)
    return {"stuck": stuck, "waiting": len(waiting), "sent": sent}
