"""The figures of the campaign-wide dashboards (the office's and a supervisor's): each
turns one query's rows into a titled table whose rows link to the list behind them."""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from appraisals.models import MIN_SAMPLE, AppraisalRound
from campaign.models import MaterialKind, Stage
from campaign.selectors.materials import waited_label
from feedback.models import FourWinds, Opinion
from rectification.models import RectificationItem
from units.models import Unit
from units.policy import may_open_review_queue
from units.scope import visible_units

from . import queries
from .base import LEDGER_COLORS, Scope, url_with
from .figures import GREEN, RED, Figure, Row, percent


def stage_figure(scope: Scope, stages: list[Stage], by_stage: dict) -> Figure:
    detail = ("campaign:detail", scope.campaign.pk)
    rows = [
        Row(f"{s.order}. {s.name}", [by_stage.get(s.pk, 0)], url_with(*detail, stage=s.pk))
        for s in stages
    ]
    if by_stage.get(queries.NOT_STARTED):
        rows.insert(0, Row(_("未启动"), [by_stage[queries.NOT_STARTED]]))
    if by_stage.get(None):
        rows.append(Row(_("（无任务）"), [by_stage[None]]))
    return Figure(
        key="stages",
        title=_("各环节单位数"),
        label_header=_("当前环节"),
        columns=[_("单位数")],
        rows=rows,
        empty=_("还没有参学单位。"),
    )


def progress_columns() -> list[str]:
    return [_("参学单位"), _("任务数"), _("已完成"), _("完成率（%）"), _("逾期任务"), _("滞后单位"),
            _("逾期完成"), _("未启动单位")]  # fmt: skip


def _progress_values(t: queries.Tally) -> list:
    done = percent(t.tasks_done, t.tasks_total)
    return [t.units, t.tasks_total, t.tasks_done, done, t.overdue_tasks, t.late_units,
            t.done_late_tasks, t.not_started_units]  # fmt: skip


def _progress_figure(key, title, label_header, rows) -> Figure:
    return Figure(
        key=key,
        title=title,
        size="wide",
        label_header=label_header,
        columns=progress_columns(),
        rows=rows,
        charted=(3, 4),
        right_axis=(4,),
        percent=(3,),
        colors=(GREEN, RED),
        empty=_("还没有参学单位。"),
    )


def bucket_figure(scope: Scope, breakdown: queries.Breakdown) -> Figure:
    rows = [
        Row(b.name, _progress_values(breakdown.by_bucket[b.pk]), scope.bucket_url.get(b.pk, ""))
        for b in scope.buckets
        if b.pk in breakdown.by_bucket
    ]
    if queries.NO_BUCKET in breakdown.by_bucket:
        rows.append(Row(_("其他单位"), _progress_values(breakdown.by_bucket[queries.NO_BUCKET])))
    return _progress_figure("buckets", scope.bucket_title, _("范围"), rows)


def kind_figure(scope: Scope, breakdown: queries.Breakdown) -> Figure:
    rows = [
        Row(
            str(label),
            _progress_values(breakdown.by_kind[kind]),
            url_with("campaign:detail", scope.campaign.pk, kind=kind, sort="late"),
        )
        for kind, label in Unit.Kind.choices
        if kind in breakdown.by_kind
    ]
    return _progress_figure("kinds", _("按单位类别：任务完成率和逾期任务"), _("单位类别"), rows)


def materials_figure(scope: Scope, waiting: list) -> Figure:
    link = may_open_review_queue(scope.user)
    rows = [
        Row(
            str(MaterialKind(kind).label) if kind in MaterialKind.values else kind,
            [n, waited_label(oldest, timezone.now())],
            url_with("campaign:review_queue", kind=kind) if link else "",
        )
        for kind, n, oldest in waiting
    ]
    return Figure(
        key="materials",
        size="narrow",
        title=_("待审核材料"),
        label_header=_("材料类型"),
        columns=[_("待审核"), _("最久已等待")],
        rows=rows,
        chart="hbar",
        note="" if link else _("审核队列供督导组使用；各单位的材料可在其工作台查看。"),
        empty=_("没有等待审核的材料。"),
    )


def opinion_figures(scope: Scope, counts: list) -> list[Figure]:
    by_channel, by_winds = {}, {}
    for channel, winds, n in counts:
        by_channel[channel] = by_channel.get(channel, 0) + n
        by_winds[winds] = by_winds.get(winds, 0) + n
    root = scope.list_root
    link = (
        (lambda **f: url_with("feedback:opinion_list", root.pk, subtree="on", **f))
        if root
        else (lambda **f: "")
    )
    note = "" if root else _("请从各单位页面打开意见列表。")
    channel_rows = [
        Row(str(label), [by_channel[value]], link(channel=value))
        for value, label in Opinion.Channel.choices
        if value in by_channel
    ]
    winds_rows = [
        Row(str(label), [by_winds[value]], link(four_winds=value))
        for value, label in FourWinds.choices
        if value in by_winds
    ]
    if by_winds.get(""):
        winds_rows.append(Row(_("未分类"), [by_winds[""]]))
    common = {
        "label_header": "",
        "columns": [_("意见数")],
        "chart": "doughnut",
        "note": note,
        "size": "narrow",
    }
    return [
        Figure(key="channels", title=_("意见按征求渠道"), rows=channel_rows,
               empty=_("还没有征求到意见。"), **{**common, "label_header": _("征求渠道")}),
        Figure(key="winds", title=_("意见按“四风”类别"), rows=winds_rows,
               empty=_("还没有征求到意见。"), **{**common, "label_header": _("四风类别")}),
    ]  # fmt: skip


def ledger_figure(scope: Scope, ledger: queries.LedgerTally) -> Figure:
    root = scope.list_root

    def link(status):
        if root is None:
            return reverse("rectification:overview")
        return url_with("rectification:ledger", root.pk, subtree="on", status=status)

    rows = [
        Row(str(label), [ledger.by_status[value]], link(value))
        for value, label in RectificationItem.Status.choices
    ]
    return Figure(
        key="ledger",
        size="narrow",
        title=_("整改事项按状态"),
        label_header=_("状态"),
        columns=[_("事项数")],
        rows=rows,
        chart="doughnut",
        colors=LEDGER_COLORS,
        empty=_("还没有整改事项。"),
    )


def satisfaction_figure(scope: Scope) -> Figure:
    """Satisfaction with the leadership teams by district, from finished appraisal rounds.

    A district with fewer than MIN_SAMPLE ratings shows 样本不足, as a round's results do.
    """
    now = timezone.now()
    units = visible_units(scope.user).filter(path__startswith=scope.campaign.organiser.path)
    rounds = AppraisalRound.objects.filter(
        Q(status=AppraisalRound.Status.CLOSED) | Q(closes_at__lte=now),
        unit__in=units.values("pk"),
        kind__in=[AppraisalRound.Kind.APPRAISAL, AppraisalRound.Kind.SATISFACTION],
    )
    counts = queries.satisfaction(rounds.values("pk"), scope.buckets)

    def values(bucket_pk):
        good, total = counts[bucket_pk]
        return [percent(good, total) if total >= MIN_SAMPLE else None, total]

    rows = [
        Row(b.name, values(b.pk), url_with("appraisals:appraisal_list", b.pk))
        for b in scope.buckets
        if b.pk in counts
    ]
    if queries.NO_BUCKET in counts:
        rows.append(Row(_("其他单位"), values(queries.NO_BUCKET)))
    return Figure(
        key="satisfaction",
        title=_("各%(word)s领导班子满意度") % {"word": scope.bucket_word},
        label_header=scope.bucket_word,
        columns=[_("满意率（%）"), _("评价票数")],
        rows=rows,
        percent=(0,),
        colors=(GREEN,),
        note=_("满意率 =（好、较好、满意、基本满意）÷ 全部评价，只计已结束的民主评议和满意度测评；"
               "不足 %(n)s 票的显示“样本不足”。链接打开该单位本级的评议列表。") % {"n": MIN_SAMPLE},
        empty=_("还没有已结束的民主评议或满意度测评。"),
    )  # fmt: skip
