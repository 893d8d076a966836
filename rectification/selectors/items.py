"""One item's page: its months of progress, its evidence, its whole history."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone

from core.models import Attachment, AuditLog
from core.services import attachments_for

from .. import reporting
from ..models import ProgressReport, RectificationItem, Regulation

HISTORY_LIMIT = 100


@dataclass
class MonthRow:
    month: datetime.date
    report: ProgressReport | None
    state: str  # "filed", "due", "missing" or ""
    files: list[Attachment] = field(default_factory=list)
    past: bool = False


@dataclass
class ItemDetail:
    months: list[MonthRow]
    evidence: list[Attachment]
    regulations: list[Regulation]
    history: list[AuditLog]
    report_state: str
    overdue: bool
    days_left: int

    @property
    def days_late(self) -> int:
        return max(0, -self.days_left)


def _files_by_object(model, ids) -> dict[int, list[Attachment]]:
    out: dict[int, list[Attachment]] = defaultdict(list)
    rows = Attachment.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        object_id__in=[str(i) for i in ids],
    ).order_by("uploaded_at", "id")
    for a in rows:
        out[int(a.object_id)].append(a)
    return out


def _previous_month(month: datetime.date) -> datetime.date:
    return (month - datetime.timedelta(days=1)).replace(day=1)


def report_months(item: RectificationItem, reports, files, today) -> list[MonthRow]:
    """Month by month, newest first: the report filed, or a gap where one was owed."""
    by_month = {r.month: r for r in reports}
    current = reporting.month_of(today)
    first = reporting.month_of(timezone.localtime(item.created_at).date())
    last = current
    if not item.is_open and item.completed_at:
        last = min(current, reporting.month_of(timezone.localtime(item.completed_at).date()))
    rows, month = [], max([last, *by_month])
    while month >= min([first, *by_month]):
        report = by_month.get(month)
        if report:
            state = "filed"
        elif month == current:
            state = item.report_state(today)
        elif month <= last:
            opens = reporting.window_opens(month)
            owed = item.created_at < timezone.make_aware(
                datetime.datetime.combine(opens, datetime.time.min)
            )
            state = "missing" if owed else ""
        else:
            state = ""
        if state:
            files_of = files.get(report.pk, []) if report else []
            rows.append(MonthRow(month, report, state, files_of, past=month < current))
        month = _previous_month(month)
    return rows


def item_history(item: RectificationItem, report_ids) -> list[AuditLog]:
    """The item's own audit rows and those of its progress reports, newest first."""
    types = ContentType.objects.get_for_models(RectificationItem, ProgressReport)
    return list(
        AuditLog.objects.filter(
            Q(content_type=types[RectificationItem], object_id=str(item.pk))
            | Q(
                content_type=types[ProgressReport],
                object_id__in=[str(i) for i in report_ids],
            )
        ).select_related("actor", "content_type")[:HISTORY_LIMIT]
    )


def item_detail(item: RectificationItem, *, today: datetime.date) -> ItemDetail:
    reports = list(item.reports.select_related("reported_by").order_by("-month"))
    ids = [r.pk for r in reports]
    return ItemDetail(
        months=report_months(item, reports, _files_by_object(ProgressReport, ids), today),
        evidence=list(attachments_for(item).order_by("uploaded_at", "id")),
        regulations=list(item.regulations.order_by("id")),
        history=item_history(item, ids),
        report_state=item.report_state(today),
        overdue=item.is_overdue(today),
        days_left=item.days_left(today),
    )
