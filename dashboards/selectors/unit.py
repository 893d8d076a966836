"""A unit's own dashboard: its progress against the stages, quotas, ledger and deadlines."""

import datetime
from dataclasses import dataclass

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from campaign.models import Material, Participation
from campaign.selectors.workspace import StageBlock, workspace_tasks
from rectification.models import RectificationItem

from . import queries
from .base import LEDGER_COLORS, MATERIAL_COLORS, Card, escalation_days, url_with
from .figures import GREEN, GREY, RED, Figure, Row, percent

DEADLINE_LIMIT = 8


@dataclass
class UnitDashboard:
    participation: Participation
    cards: list[Card]
    figures: list[Figure]
    stages: list[StageBlock]
    quotas: list  # TaskRows with a quota
    deadlines: list  # open TaskRows, soonest first


def unit_dashboard(participation: Participation, *, today: datetime.date) -> UnitDashboard:
    unit = participation.unit
    stages = workspace_tasks(participation, today)
    rows = [r for s in stages for r in s.rows]
    workspace = reverse("campaign:workspace", args=[participation.pk])
    stage_rows = [
        Row(
            f"{b.stage.order}. {b.stage.name}",
            [b.done, b.overdue, b.total - b.done - b.overdue],
            f"{workspace}#stage-{b.stage.pk}",
        )
        for b in stages
    ]
    stage_figure = Figure(
        key="unit-stages",
        title=_("各环节任务"),
        label_header=_("环节"),
        columns=[_("已完成"), _("已逾期"), _("未完成")],
        rows=stage_rows,
        charted=(0, 1, 2),
        stacked=True,
        colors=(GREEN, RED, GREY),
        empty=_("本活动还没有任务。"),
    )
    materials = dict(
        participation.materials.values_list("status").annotate(n=Count("id")).order_by()
    )
    materials_url = reverse("campaign:materials", args=[participation.pk])
    material_figure = Figure(
        key="unit-materials",
        title=_("材料"),
        label_header=_("状态"),
        columns=[_("份数")],
        rows=[
            Row(str(label), [materials.get(value, 0)], materials_url)
            for value, label in Material.Status.choices
        ],
        chart="doughnut",
        colors=MATERIAL_COLORS,
        empty=_("还没有材料。"),
    )
    days = escalation_days()
    ledger = queries.ledger_tally(
        RectificationItem.objects.filter(unit=unit),
        today=today,
        escalate_before=today - datetime.timedelta(days=days),
    )
    ledger_figure = Figure(
        key="unit-ledger",
        title=_("整改事项按状态"),
        label_header=_("状态"),
        columns=[_("事项数")],
        rows=[
            Row(
                str(label),
                [ledger.by_status[v]],
                url_with("rectification:ledger", unit.pk, status=v),
            )
            for v, label in RectificationItem.Status.choices
        ],
        chart="doughnut",
        colors=LEDGER_COLORS,
        empty=_("还没有整改事项。"),
    )
    done = sum(1 for r in rows if r.is_done)
    overdue = sum(1 for r in rows if r.is_overdue)
    open_rows = sorted((r for r in rows if not r.is_done), key=lambda r: r.task.due_date)
    for r in open_rows:
        r.days_left = (r.task.due_date - today).days
        r.days_late = -r.days_left
    cards = [
        Card(
            _("当前环节"),
            participation.current_stage.name if participation.current_stage else "—",
            workspace,
            compact=True,
        ),
        Card(_("任务完成率"), f"{percent(done, len(rows))}%", workspace,
             note=_("%(done)s / %(total)s 项") % {"done": done, "total": len(rows)}),
        Card(_("逾期任务"), overdue, workspace, tone="danger" if overdue else ""),
        Card(_("待审核材料"), materials.get(Material.Status.SUBMITTED, 0), materials_url),
        Card(_("已退回待修改"), materials.get(Material.Status.RETURNED, 0), materials_url,
             tone="danger" if materials.get(Material.Status.RETURNED) else ""),
        Card(_("整改完成率"), f"{percent(ledger.done, ledger.total)}%",
             reverse("rectification:ledger", args=[unit.pk]),
             note=_("%(done)s / %(total)s 项，逾期 %(late)s 项")
             % {"done": ledger.done, "total": ledger.total, "late": ledger.overdue}),
    ]  # fmt: skip
    return UnitDashboard(
        participation=participation,
        cards=cards,
        figures=[stage_figure, material_figure, ledger_figure],
        stages=stages,
        quotas=[r for r in rows if r.progress is not None],
        deadlines=open_rows[:DEADLINE_LIMIT],
    )
