"""Monthly progress (月调度): one report per open item per month, for the current month."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.services import attachment_add, audit_log

from .. import reporting
from ..models import ProgressReport, RectificationItem
from .items import lock, set_status


@transaction.atomic
def progress_report_file(
    *, item: RectificationItem, by, what_done: str, percent: int, uploads=()
) -> ProgressReport:
    """File this month's report; the first report also starts an item not yet started."""
    item = lock(item)
    if not item.is_open:
        raise ValidationError(
            _("整改事项已%(status)s，不再填报进展。") % {"status": item.get_status_display()}
        )
    month = reporting.month_of(timezone.localdate())
    if ProgressReport.objects.filter(item=item, month=month).exists():
        raise ValidationError(
            _("本事项%(month)s的进展已经填报，每月填报一次。")
            % {"month": f"{month.year}年{month.month}月"}
        )
    what_done = (what_done or "").strip()
    if not what_done:
        raise ValidationError({"what_done": _("请填写本月整改情况。")})
    if not isinstance(percent, int) or not 0 <= percent <= 100:
        raise ValidationError({"percent": _("完成进度应为 0 到 100 之间的整数。")})
    report = ProgressReport(
        item=item, month=month, what_done=what_done, percent=percent, reported_by=by
    )
    report.full_clean()
    report.save()
    for upload in uploads:
        attachment_add(target=report, unit=item.unit, upload=upload, by=by)
    audit_log(
        actor=by,
        action="progressreport.filed",
        obj=report,
        unit=item.unit,
        changes={
            "month": f"{month.year}年{month.month}月",
            "percent": percent,
            "what_done": what_done,
        },
    )
    if item.status == RectificationItem.Status.NOT_STARTED:
        set_status(
            item,
            RectificationItem.Status.IN_PROGRESS,
            by=by,
            action="rectificationitem.started",
            source=RectificationItem.Status.NOT_STARTED,
        )
    item.progress_percent, item.last_report_month = percent, month
    item.save(update_fields=["progress_percent", "last_report_month"])
    return report
