"""意见汇总表: every opinion verbatim, grouped by four-winds class and target (Excel).

The same rule as the summary page (feedback/summary.py): an opinion that names a person shows
its text only, never its channel, source group or date; no contact is ever exported. The page
downloads it through the report framework (feedback.opinion_summary); a submitted summary
carries it as its file (summary_xlsx).
"""

import io

from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaign.scope import get_campaign_for_user
from core.http import is_id
from core.reports import Column, TableReport
from core.reports.base import numbered
from core.reports.registry import register
from core.reports.xlsx import write_xlsx
from feedback.models import FourWinds
from units.scope import get_unit_for_user, unit_filter

from ..models import Opinion
from ..summary import TARGET_ORDER, WINDS_ORDER, summary_rows


def _rank(field: str, order: dict) -> Case:
    whens = [When(**{field: value}, then=Value(rank)) for value, rank in order.items()]
    return Case(*whens, default=Value(len(order)), output_field=IntegerField())


class OpinionSummaryReport(TableReport):
    title = gettext_lazy("意见汇总表")
    filename = "yijian-huizongbiao"
    columns = [
        Column(gettext_lazy("序号"), 6),
        Column(gettext_lazy("四风类别"), 10),
        Column(gettext_lazy("意见对象"), 12),
        Column(gettext_lazy("意见原文"), 70),
        Column(gettext_lazy("征求渠道"), 11),
        Column(gettext_lazy("意见来源"), 13),
        Column(gettext_lazy("收集日期"), 11),
    ]

    def __init__(self, *, user, unit: int, campaign: int | None = None):
        super().__init__(user=user, unit=unit, campaign=campaign)
        self.unit = get_unit_for_user(user, unit)
        self.campaign = None if campaign is None else get_campaign_for_user(user, campaign)

    @classmethod
    def params_from_request(cls, request) -> dict:
        campaign = request.GET.get("campaign", "")
        return {"campaign": int(campaign)} if is_id(campaign) else {}

    def scope_unit(self):
        return self.unit

    def subtitle(self) -> str:
        parts = [self.unit.name]
        if self.campaign is not None:
            parts.append(self.campaign.name)
        parts.append(_("截至 %(day)s") % {"day": timezone.localdate().isoformat()})
        return "  ".join(parts)

    def queryset(self):
        return (
            summary_rows(self.unit, self.campaign)
            .filter(unit_filter(self.user))
            .annotate(
                winds_rank=_rank("four_winds", WINDS_ORDER),
                target_rank=_rank("target", TARGET_ORDER),
            )
            .order_by(
                "winds_rank",
                "target_rank",
                "target_person__rank",
                "target_person__name",
                "target_person_id",
                "received_on",
                "id",
            )  # fmt: skip
        )

    def count(self) -> int:
        return self.queryset().count()

    def rows(self):
        # Labels translated once here, not once per row (a lazy label costs a gettext each time).
        channels = {k: str(v) for k, v in Opinion.Channel.choices}
        sources = {k: str(v) for k, v in Opinion.SourceGroup.choices}
        winds = {k: str(v) for k, v in FourWinds.choices}
        targets = {k: str(v) for k, v in Opinion.Target.choices}
        unclassified, hidden = _("未分类"), "—"
        rows = self.queryset().values_list(
            "four_winds", "target", "target_person_id", "target_person__name", "text",
            "channel", "source_group", "received_on",
        )  # fmt: skip
        plain = (
            [
                winds.get(w, unclassified),
                name if person_id else targets.get(target, ""),
                text,
                hidden if person_id else channels.get(channel, channel),
                hidden if person_id else sources.get(source, ""),
                hidden if person_id else day,
            ]
            for w, target, person_id, name, text, channel, source, day in rows.iterator(
                chunk_size=self.chunk_size
            )
        )
        return numbered(plain)


register("feedback.opinion_summary", OpinionSummaryReport, formats=("xlsx",), inline_rows=3000)


def summary_xlsx(*, user, unit, campaign=None) -> bytes:
    """The table as bytes, for the file a submitted summary carries."""
    report = OpinionSummaryReport(
        user=user, unit=unit.pk, campaign=campaign.pk if campaign is not None else None
    )
    out = io.BytesIO()
    write_xlsx(report, out)
    return out.getvalue()
