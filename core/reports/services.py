"""Requesting, rendering and expiring report files (pretix's services/export.py)."""

import datetime
import logging
import os
import uuid
from pathlib import Path

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import ReportFile
from ..queueing import enqueue, enqueue_on_commit
from ..services import audit_log
from ..transitions import can_transition, transition
from .names import download_name
from .registry import get_kind
from .render import render_to

logger = logging.getLogger(__name__)
Status = ReportFile.Status
# A report still queued this long after it was last sent to the broker is sent again.
REQUEUE_AFTER = datetime.timedelta(minutes=2)


def reports_dir() -> Path:
    return Path(settings.REPORTS_DIR)


def file_path(report_file: ReportFile) -> Path:
    return reports_dir() / report_file.path


def report_request(*, kind: str, fmt: str, params: dict, by) -> tuple[ReportFile, bool]:
    """Record a report request. Returns the row and whether it should render right now
    (small) rather than in the worker; the caller then runs report_render or queues it.
    Building the report checks the user's scope (Http404 when a unit is not theirs)."""
    report_kind = get_kind(kind, fmt)
    report = report_kind.build(user=by, params=params)
    count = report.count()
    inline = count is not None and count <= report_kind.inline_limit(fmt)
    unit, now = report.scope_unit(), timezone.now()
    with transaction.atomic():  # the row and its audit row, or neither
        report_file = ReportFile.objects.create(
            kind=kind,
            fmt=fmt,
            params=params,
            title=str(report.title)[:200],
            requested_by=by,
            # The unit the file covers, for the audit and the admin. Only the requester may
            # download it (dashboards.scope.get_report_for_user): it holds his view.
            unit=unit,
            filename=download_name(
                unit_name=unit.name if unit else "",
                title=report.title,
                day=timezone.localdate(now),
                fmt=fmt,
            ),  # fmt: skip
            rows=count,
            created_at=now,
            queued_at=None if inline else now,
            expires_at=now + datetime.timedelta(hours=settings.REPORT_KEEP_HOURS),
        )
        audit_log(
            actor=by, action="report.requested", obj=report_file, unit=unit,
            changes={"kind": kind, "fmt": fmt},
        )  # fmt: skip
        if not inline:
            from ..tasks import render_report

            # Broker down: the row stays queued and report_requeue sends it once it is back.
            enqueue_on_commit(render_report, report_file.pk, fallback="sweeper")
    return report_file, inline


def report_requeue(*, now: datetime.datetime | None = None) -> int:
    """Queue again the reports still waiting REQUEUE_AFTER after they were last queued: their
    task never reached the broker (Redis down) or was lost with it (Redis restarted empty).
    A waiting report is never failed for waiting; its status page says how long it has
    waited. A second delivery of one whose task did arrive is harmless: report_render leaves
    a row that is no longer queued alone. core.sweep_reports runs this every minute."""
    from ..tasks import render_report

    now = now or timezone.now()
    due = now - REQUEUE_AFTER
    waiting = ReportFile.objects.filter(
        Q(queued_at__lt=due) | Q(queued_at__isnull=True, created_at__lt=due),
        status=Status.QUEUED,
    )
    pks = list(waiting.order_by("pk").values_list("pk", flat=True)[:200])
    for pk in pks:
        if ReportFile.objects.filter(pk=pk, status=Status.QUEUED).update(queued_at=now):
            enqueue(render_report, pk, fallback="sweeper")
    return len(pks)


def _move(report_file: ReportFile, to: str, **fields) -> bool:
    """One status move, guarded by ReportFile.TRANSITIONS on the locked row."""
    with transaction.atomic():
        row = ReportFile.objects.select_for_update().get(pk=report_file.pk)
        if not can_transition(row, to):  # a duplicate delivery, or already failed as stale
            return False
        transition(row, to)
        for name, value in fields.items():
            setattr(row, name, value)
        row.save(update_fields=["status", *fields])
    for name, value in {"status": to, **fields}.items():
        setattr(report_file, name, value)
    return True


def report_render(*, report_file: ReportFile) -> ReportFile:
    """Render the file and store it; on any error the row says so in Chinese.

    A row that is no longer queued (a duplicate delivery, or already failed as stale) is
    left alone.
    """
    if not _move(report_file, Status.RUNNING, started_at=timezone.now(), progress=1):
        return report_file
    target = reports_dir() / f"{uuid.uuid4().hex}.{report_file.fmt}"
    partial = target.with_suffix(".part")
    try:
        report_kind = get_kind(report_file.kind, report_file.fmt)
        report = report_kind.build(user=report_file.requested_by, params=report_file.params)
        total = report_file.rows

        def progress(n: int) -> None:
            if total:
                percent = max(1, min(99, n * 100 // total))
                ReportFile.objects.filter(pk=report_file.pk).update(progress=percent)

        reports_dir().mkdir(parents=True, exist_ok=True)
        with open(partial, "wb") as out:
            rows = render_to(report, report_file.fmt, out, progress=progress)
        os.replace(partial, target)
    except SoftTimeLimitExceeded:
        partial.unlink(missing_ok=True)
        minutes = max(1, settings.REPORT_SOFT_TIME_LIMIT // 60)
        _fail(
            report_file,
            _("报表过大，生成超过 %(m)d 分钟已停止。请缩小筛选范围后重试。") % {"m": minutes},
        )
        return report_file
    except Exception as e:
        partial.unlink(missing_ok=True)
        logger.exception("report %s failed", report_file.pk)
        _fail(report_file, _failure_message(e, report_file))
        return report_file
    size = target.stat().st_size
    fields = {"path": target.name, "size": size, "progress": 100, "finished_at": timezone.now()}
    if rows is not None:
        fields["rows"] = rows
    if not _move(report_file, Status.DONE, **fields):
        target.unlink(missing_ok=True)
    return report_file


def _failure_message(e: Exception, report_file: ReportFile) -> str:
    """What the user reads: a domain error's own Chinese message, never internals."""
    if isinstance(e, ValidationError):
        return " ".join(e.messages)
    if isinstance(e, Http404 | PermissionDenied):
        return _("您已不能查看该单位的数据，报表未生成。")
    return _("生成报表时出错，未能完成（报表编号 %(pk)d）。请重试；如仍失败请联系管理员。") % {
        "pk": report_file.pk
    }


def _fail(report_file: ReportFile, message: str) -> None:
    _move(report_file, Status.FAILED, error=message, finished_at=timezone.now())


def report_fail_stale(*, now: datetime.datetime | None = None, pk: int | None = None) -> int:
    """Rows the worker started and never finished (killed at the hard limit) are marked
    failed with a message, so no page waits for them forever. Rows still queued are not:
    report_requeue queues them again until a worker takes them."""
    now = now or timezone.now()
    rows = ReportFile.objects.filter(status=Status.RUNNING)
    if pk is not None:
        rows = rows.filter(pk=pk)
    running_limit = now - datetime.timedelta(seconds=settings.REPORT_TIME_LIMIT + 60)
    failed = 0
    for row in rows.filter(started_at__lt=running_limit):
        _fail(row, _("生成报表超时或后台进程中断，未能完成。请缩小筛选范围后重试。"))
        failed += 1
    return failed


def report_expire(*, now: datetime.datetime | None = None) -> int:
    """Delete expired report rows and their files; returns how many."""
    now = now or timezone.now()
    expired = list(ReportFile.objects.filter(expires_at__lt=now).values_list("pk", "path"))
    for _pk, path in expired:
        if path:
            (reports_dir() / path).unlink(missing_ok=True)
    ReportFile.objects.filter(pk__in=[pk for pk, _path in expired]).delete()
    return len(expired)
