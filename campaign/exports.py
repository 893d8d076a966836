"""The campaign's files: the 任务完成情况表 (Excel) and a random inspection's 随机抽查通报 (PDF).

任务完成情况表: one row per enrolled unit, one column per task of the campaign, each cell
the unit's progress on it; the campaign office downloads it from the campaign page. Rows
stream in chunks: one query for a chunk of units and one for their tasks, so the query
count grows with the number of chunks (2,000 units each), never with the rows.
"""

from itertools import islice

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from core.http import is_id
from core.reports import Column, DocumentReport, TableReport
from core.reports.registry import register
from units.scope import get_unit_for_user

from .models import Participation, Task, TaskDefinition
from .scope import get_campaign_for_user, get_inspection_round_for_user


class TaskCompletionReport(TableReport):
    filename = "renwu-wancheng-qingkuang"
    orientation = "landscape"

    def __init__(self, *, user, unit: int, campaign: int):
        super().__init__(user=user, unit=unit, campaign=campaign)
        self.unit = get_unit_for_user(user, unit)
        self.campaign = get_campaign_for_user(user, campaign)
        self.today = timezone.localdate()
        self.title = _("%(name)s任务完成情况表") % {"name": self.campaign.name}
        self.definitions = list(
            TaskDefinition.objects.filter(stage__campaign=self.campaign)
            .order_by("stage__order", "order", "id")
            .values_list("id", "title")
        )

    @classmethod
    def params_from_request(cls, request) -> dict:
        from django.core.exceptions import ValidationError

        campaign = request.GET.get("campaign", "")
        if not is_id(campaign):
            raise ValidationError(_("请从活动页面导出任务完成情况表。"))
        return {"campaign": int(campaign)}

    def scope_unit(self):
        return self.unit

    @property
    def columns(self):
        return [
            Column(_("序号"), 6),
            Column(_("单位"), 24),
            Column(_("当前环节"), 14),
            *(Column(title, 12) for _pk, title in self.definitions),
            Column(_("已完成/任务数"), 12),
            Column(_("完成率"), 8),
        ]

    def subtitle(self) -> str:
        when = timezone.localtime().strftime("%Y年%m月%d日")
        return _("%(unit)s及下级参学单位 · 截至 %(when)s") % {"unit": self.unit.name, "when": when}

    def participations(self):
        return Participation.objects.filter(
            campaign=self.campaign, unit__path__startswith=self.unit.path
        ).order_by("unit__path")

    def count(self) -> int:
        return self.participations().count()

    def rows(self):
        rows = self.participations().values_list(
            "id", "unit__name", "current_stage__name", "tasks_done", "tasks_total"
        )
        iterator = rows.iterator(chunk_size=self.chunk_size)
        columns = {pk: i for i, (pk, _title) in enumerate(self.definitions)}
        done, late = _("已完成"), _("逾期")
        n = 0
        while chunk := list(islice(iterator, self.chunk_size)):
            cells: dict[int, list] = {row[0]: [""] * len(columns) for row in chunk}
            tasks = Task.objects.filter(participation_id__in=cells).values_list(
                "participation_id", "definition_id", "progress", "completed_at", "due_date"
            )
            for participation_id, definition_id, progress, completed_at, due in tasks:
                i = columns.get(definition_id)
                if i is None:
                    continue
                if completed_at:
                    text = done
                else:
                    text = f"{round(progress * 100)}%"
                    if due < self.today:
                        text = f"{late} {text}"
                cells[participation_id][i] = text
            for pk, unit_name, stage, tasks_done, tasks_total in chunk:
                n += 1
                rate = f"{round(100 * tasks_done / tasks_total)}%" if tasks_total else ""
                yield [n, unit_name, stage or "", *cells[pk], f"{tasks_done}/{tasks_total}", rate]


register("campaign.tasks", TaskCompletionReport, formats=("xlsx",), inline_rows=3000)


class InspectionBulletin(DocumentReport):
    """随机抽查通报: how a random inspection round was drawn and what the inspectors found,
    for its campaign office (every drawn unit) or a supervisor (the units he may see)."""

    filename = "suiji-choucha-tongbao"
    template_name = "campaign/inspection_bulletin.html"

    def __init__(self, *, user, round: int, unit: int | None = None):
        super().__init__(user=user, round=round, unit=unit)
        self.round, self.findings = get_inspection_round_for_user(user, round)
        # Started from a unit's page, the unit must be the campaign's organiser.
        if unit is not None and unit != self.round.campaign.organiser_id:
            raise Http404
        self.title = _("随机抽查通报（%(round)s）") % {"round": self.round.name}

    @classmethod
    def params_from_request(cls, request) -> dict:
        value = request.GET.get("round", "")
        if not is_id(value):
            raise ValidationError(_("请从随机调研页面下载通报。"))
        return {"round": int(value)}

    def scope_unit(self):
        return self.round.campaign.organiser

    def count(self) -> int:
        return len(self.findings)

    def context(self) -> dict:
        findings = self.findings
        return {
            "title": _("随机抽查通报"),
            "round": self.round,
            "campaign": self.round.campaign,
            "findings": findings,
            "recorded": sum(1 for f in findings if f.is_recorded),
            "with_problems": sum(1 for f in findings if f.problems.strip()),
            "issued_on": timezone.localdate(),
        }


register("campaign.inspection_bulletin", InspectionBulletin, formats=("pdf",))
