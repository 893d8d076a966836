"""Building digests into the outbox, sending each once, and sweeping up after a worker that
died mid-send (DESIGN.md §4.4): the outbox row is the truth, claimed with a lease just before
its message goes out and marked sent only after the mail server accepted it."""

import datetime
import logging
import uuid
from dataclasses import dataclass, field
from smtplib import SMTPRecipientsRefused

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Count, F, Min
from django.utils import timezone, translation

from core.models import Notification
from core.notifications import mail_lease, message_id, record_after_send
from core.queueing import enqueue_on_commit
from core.transitions import transition

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


def outbox_claim(*, ids=None, limit: int = 1) -> list[DigestOutbox]:
    """Move up to `limit` pending rows to sending; only the rows this call moved come back.

    The claim (claim_id, and claimed_at that starts its lease) is what lets one sender, and
    only one, send a row. outbox_send claims one row at a time, just before its message goes
    out, so no claim ages behind a slow batch while the sweeper watches its lease.
    """
    pending = _pending(ids)
    pks = list(pending.order_by("pk").values_list("pk", flat=True)[:limit])
    if not pks:
        return []
    claim = uuid.uuid4()
    DigestOutbox.objects.filter(pk__in=pks, status=Status.PENDING).update(
        status=Status.SENDING, claim_id=claim, claimed_at=timezone.now(),
        attempts=F("attempts") + 1,
    )  # fmt: skip
    return list(DigestOutbox.objects.filter(claim_id=claim).select_related("user").order_by("pk"))


def _pending(ids=None):
    rows = DigestOutbox.objects.filter(status=Status.PENDING)
    return rows if ids is None else rows.filter(pk__in=ids)


def outbox_send(*, ids=None) -> int:
    """Send pending rows, up to REMINDER_BATCH_SIZE over one SMTP connection; returns how
    many were sent.

    Each row is claimed just before its message goes out and marked sent only after the
    server accepted it. A mail server that is down raises before any claim (the rows stay
    pending for the task's retry, the sweeper or the next cron run); one that fails mid-send
    gets that row back to pending; rows already sent stay sent.
    """
    sent, more = 0, True
    while more and _pending(ids).exists():
        connection = get_connection()
        try:
            connection.open()
        except Exception as exc:
            _pending(ids).update(last_error=repr(exc)[:1000])
            raise
        with connection:
            for _ in range(conf.get("REMINDER_BATCH_SIZE")):
                claimed = outbox_claim(ids=ids, limit=1)
                if not claimed:
                    more = False
                    break
                sent += _send_one(claimed[0], connection)
    return sent


def _send_one(row: DigestOutbox, connection) -> int:
    if not row.user.email:
        transition(row, Status.SKIPPED)
        DigestOutbox.objects.filter(pk=row.pk).update(status=Status.SKIPPED)
        return 0
    message = EmailMultiAlternatives(
        subject=row.subject, body=row.text, to=[row.user.email], connection=connection,
        headers={"Message-ID": message_id("digest", row.pk)},
    )  # fmt: skip
    message.attach_alternative(row.html, "text/html")
    try:
        message.send()
    except SMTPRecipientsRefused as exc:  # this address, not the server: do not retry
        transition(row, Status.FAILED)
        DigestOutbox.objects.filter(pk=row.pk).update(status=Status.FAILED, last_error=repr(exc))
        return 0
    except Exception as exc:  # not accepted: the row goes back for the retry
        DigestOutbox.objects.filter(pk=row.pk, status=Status.SENDING, claim_id=row.claim_id).update(
            status=Status.PENDING, claim_id=None, claimed_at=None, last_error=repr(exc)[:1000]
        )
        raise
    transition(row, Status.SENT)
    record_after_send(
        lambda: DigestOutbox.objects.filter(pk=row.pk).update(
            status=Status.SENT, sent_at=timezone.now()
        )
    )
    return 1


def outbox_waiting() -> tuple[int, datetime.datetime | None]:
    """How many digests wait to be sent (pending, or claimed and not yet accepted) and since
    when: /healthz/ reports it."""
    rows = DigestOutbox.objects.filter(status__in=[Status.PENDING, Status.SENDING])
    figures = rows.aggregate(n=Count("pk"), oldest=Min("created_at"))
    return figures["n"], figures["oldest"]


def outbox_sweep(*, send: bool = True) -> dict[str, int]:
    """Put back rows whose claim has run out, then send what has waited longer than a lease.

    A claim lives MAIL_LEASE_SECONDS (one message's send, with EMAIL_TIMEOUT to spare): a
    row still sending after that is a dead sender's. Pending rows older than a lease are the
    sweeper's too (their task never reached the broker, or gave up); fresher ones are left to
    the task queued when they were built. Beat runs this every minute.
    """
    cutoff = timezone.now() - mail_lease()
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
