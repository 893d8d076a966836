"""整改台账 as Excel and PDF: the ledger page's rows with the page's filters, in the
conventional column order (序号, 问题, 整改措施, 牵头领导, 责任单位, 完成时限, 进展, 状态).

It covers a unit, or its subtree as the page does with 包含下级单位 (the overview's buttons
export each top unit's subtree: the city-wide ledger for the campaign office). Rows stream
with values_list + iterator.
"""

from django.db.models import F, FilteredRelation, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.reports import Column, TableReport
from core.reports.registry import register
from units.scope import get_unit_for_user

from . import selectors
from .forms import LedgerFilterForm
from .models import RectificationItem

Status = RectificationItem.Status
FILTER_KEYS = (
    "q", "status", "kind", "four_winds", "lead_leader", "office", "special_campaign", "sort",
    "overdue", "missing", "subtree",
)  # fmt: skip


class LedgerReport(TableReport):
    filename = "zhenggai-taizhang"
    orientation = "landscape"
    columns = (
        Column(gettext_lazy("序号"), 6),
        Column(gettext_lazy("问题"), 26),
        Column(gettext_lazy("整改措施"), 40),
        Column(gettext_lazy("牵头领导"), 10),
        Column(gettext_lazy("责任单位"), 16),
        Column(gettext_lazy("完成时限"), 12),
        Column(gettext_lazy("进展"), 30),
        Column(gettext_lazy("状态"), 11),
    )

    def __init__(self, *, user, unit: int, filters: dict | None = None):
        super().__init__(user=user, unit=unit, filters=filters or {})
        self.today = timezone.localdate()
        # The scope check: a unit the user may not see is a 404, before any row is read.
        self.unit = get_unit_for_user(user, unit)
        leaders = list(selectors.unit_leaders(self.unit))
        campaigns = list(selectors.special_campaigns_for(self.unit))
        form = LedgerFilterForm(filters or {}, leaders=leaders, special_campaigns=campaigns)
        self.filters = form.filters()
        self.title = _("整改台账")

    @classmethod
    def params_from_request(cls, request) -> dict:
        data = request.GET
        return {"filters": {k: data[k] for k in FILTER_KEYS if data.get(k) not in (None, "")}}

    def scope_unit(self):
        return self.unit

    def subtitle(self) -> str:
        where = self.unit.name
        if self.filters.subtree:
            where = _("%(unit)s及下级单位") % {"unit": where}
        when = timezone.localtime().strftime("%Y年%m月%d日")
        return _("%(where)s · 截至 %(when)s") % {"where": where, "when": when}

    def queryset(self):
        items = selectors.ledger_items(self.unit, subtree=self.filters.subtree)
        items = selectors.filter_items(items, self.filters, self.today)
        order = selectors.SORTS.get(self.filters.sort, selectors.SORTS[selectors.DEFAULT_SORT])
        return items.order_by(*order[1])

    def count(self) -> int:
        return self.queryset().count()

    def rows(self):
        # The latest monthly report is the one for the item's last_report_month: a join,
        # where a subquery per row would cost the database four times as much at 60,000 rows.
        latest = FilteredRelation("reports", condition=Q(reports__month=F("last_report_month")))
        rows = (
            self.queryset()
            .annotate(latest=latest)
            .values_list(
                "problem__title",
                "title",
                "measures",
                "lead_leader__name",
                "unit__name",
                "responsible_office",
                "deadline",
                "progress_percent",
                "latest__what_done",
                "completion_note",
                "status",
            )  # fmt: skip
            .iterator(chunk_size=self.chunk_size)
        )
        statuses = {k: str(v) for k, v in Status.choices}
        overdue_label = _("（逾期）")
        many, today, open_ = self.filters.subtree, self.today, set(RectificationItem.OPEN)
        for n, (problem, title, measures, leader, unit, office, deadline, percent, done,
                note, status) in enumerate(rows, 1):  # fmt: skip
            label = statuses[status]
            if status in open_ and deadline < today:
                label += overdue_label
            progress = note if status not in open_ and note else done or ""
            yield (
                n,
                problem,
                f"{title}：{measures}" if title and title != problem else measures,
                leader or "",
                f"{unit} {office}" if many else office,
                deadline.isoformat(),
                f"{percent}% {progress}".strip() if status in open_ else progress,
                label,
            )


register(
    "rectification.ledger",
    LedgerReport,
    formats=("xlsx", "pdf"),
    inline_rows=2000,
)
