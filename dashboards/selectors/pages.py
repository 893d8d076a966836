"""The campaign-wide dashboards: the campaign office's (the whole campaign, by district) and
a supervisor's (the units of his or her groups, plus the review queue and escalations).

Every figure's rows link to the list the number came from, filtered the same way.
"""

import datetime

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from campaign.models import Campaign, Material, Participation, Stage, Task
from campaign.selectors.materials import review_queue, waited_label
from campaign.selectors.office import campaign_districts, campaign_participations, campaign_stages
from feedback.scope import visible_opinions
from rectification.models import RectificationItem
from units.models import Unit
from units.policy import may_open_review_queue
from units.scope import _root_paths, unit_filter, visible_units

from .. import tally
from . import campaign_figures as charts
from . import queries
from .base import (
    Card,
    Dashboard,
    Scope,
    escalation_days,
    url_with,
)
from .figures import percent

LATE_LIMIT = 20
REVIEW_LIMIT = 10


def _late_rows(scope: Scope, late: list[Participation], stages: list[Stage], escalate_before):
    by_stage = {s.pk: s for s in stages}
    buckets = sorted(scope.buckets, key=lambda b: len(b.path), reverse=True)
    for p in late:
        p.stage = by_stage.get(p.current_stage_id)
        p.bucket = next((b for b in buckets if p.unit.path.startswith(b.path)), None)
        p.late_days = p.days_late(scope.today)
        p.percent = p.percent_done
        p.escalated = p.oldest_open_due < escalate_before
        p.workspace_url = reverse("campaign:workspace", args=[p.pk])
    return late


def _campaign_dashboard(scope: Scope) -> tuple[Dashboard, queries.Breakdown]:
    user, campaign, today = scope.user, scope.campaign, scope.today
    days = escalation_days()
    escalate_before = today - datetime.timedelta(days=days)
    stages = campaign_stages(campaign)
    participations = campaign_participations(user, campaign)
    tasks = Task.objects.filter(
        unit_filter(user, "participation__unit"), participation__campaign=campaign
    )
    breakdown = queries.participation_breakdown(
        participations,
        tasks,
        scope.buckets,
        today=today,
        escalate_before=escalate_before,
        count_future=queries.late_in_campaign(campaign, today),
    )
    late = queries.most_late(participations, today=today, limit=LATE_LIMIT)
    materials = Material.objects.filter(
        unit_filter(user, "participation__unit"), participation__campaign=campaign
    )
    waiting = queries.waiting_materials(materials)
    # From the kept counters (dashboards.tally), not a scan of every opinion.
    opinions = tally.opinion_counts(user, visible_opinions(user), campaign.organiser)
    # An IN over the units lets the database use the items' (unit, status) index for a few
    # supervised units; a join with LIKE on the unit's path made it read every item.
    units = visible_units(user).filter(path__startswith=campaign.organiser.path)
    ledger = queries.ledger_tally(
        RectificationItem.objects.filter(unit__in=units.values("pk")),
        today=today,
        escalate_before=escalate_before,
    )
    overall = breakdown.overall
    waiting_total = sum(n for _k, n, _o in waiting)
    oldest = min((o for _k, _n, o in waiting), default=None)
    detail = ("campaign:detail", campaign.pk)
    cards = [
        Card(_("参学单位"), overall.units, url_with(*detail)),
        Card(
            _("任务完成率"),
            f"{percent(overall.tasks_done, overall.tasks_total)}%",
            note=_("%(done)s / %(total)s 项")
            % {"done": overall.tasks_done, "total": overall.tasks_total},
        ),
        Card(
            _("逾期任务"),
            overall.overdue_tasks,
            url_with(*detail, sort="late"),
            note=_("%(n)s 个单位滞后") % {"n": overall.late_units},
            tone="danger" if overall.overdue_tasks else "",
        ),
        Card(
            _("待审核材料"),
            waiting_total,
            reverse("campaign:review_queue") if may_open_review_queue(user) else "",
            note=_("最久已等待 %(w)s") % {"w": waited_label(oldest, timezone.now())}
            if oldest
            else "",
        ),
        Card(
            _("整改完成率"),
            f"{percent(ledger.done, ledger.total)}%",
            _ledger_url(scope),
            note=_("%(done)s / %(total)s 项，逾期 %(late)s 项")
            % {"done": ledger.done, "total": ledger.total, "late": ledger.overdue},
        ),
        Card(_("征求意见"), sum(n for _c, _w, n in opinions)),
    ]
    figures = [
        charts.stage_figure(scope, stages, breakdown.by_stage),
        charts.bucket_figure(scope, breakdown),
        charts.kind_figure(scope, breakdown),
        charts.satisfaction_figure(scope),
        charts.materials_figure(scope, waiting),
        charts.ledger_figure(scope, ledger),
        *charts.opinion_figures(scope, opinions),
    ]
    dashboard = Dashboard(
        campaign=campaign,
        cards=cards,
        figures=figures,
        late=_late_rows(scope, late, stages, escalate_before),
        escalate_days=days,
        review_count=waiting_total,
        ledger=ledger,
    )
    return dashboard, breakdown


def _ledger_url(scope: Scope) -> str:
    if scope.list_root is None:
        return reverse("rectification:overview")
    return url_with("rectification:ledger", scope.list_root.pk, subtree="on")


def office_dashboard(user, campaign: Campaign, *, today: datetime.date) -> Dashboard:
    districts = campaign_districts(user, campaign)
    scope = Scope(
        user=user,
        campaign=campaign,
        buckets=districts,
        bucket_title=_("按县区：任务完成率和逾期任务"),
        bucket_word=_("县区"),
        bucket_url={
            d.pk: url_with("campaign:detail", campaign.pk, district=d.pk, sort="late")
            for d in districts
        },
        list_root=campaign.organiser,
        today=today,
    )
    dashboard, _breakdown = _campaign_dashboard(scope)
    return dashboard


def supervised_units(user, campaign: Campaign) -> list[Unit]:
    """The units the user's groups supervise, outermost only (a sub-unit counts with its
    parent), each with `participation_pk` in the campaign (None if not enrolled)."""
    enrolled = Participation.objects.filter(campaign=campaign, unit=OuterRef("pk")).values("pk")
    units = list(
        Unit.objects.filter(path__in=_root_paths(user) or [])
        .annotate(participation_pk=Subquery(enrolled[:1]))
        .order_by("path")
    )
    return [u for u in units if not any(u.path.startswith(o.path) and u != o for o in units)]


def supervisor_dashboard(user, campaign: Campaign, *, today: datetime.date) -> Dashboard:
    # The scope helper has already read the user's supervised paths (and cached them).
    roots = supervised_units(user, campaign)
    enrolled = {u.pk: u.participation_pk for u in roots if u.participation_pk}
    scope = Scope(
        user=user,
        campaign=campaign,
        buckets=roots,
        bucket_title=_("按督导单位：任务完成率和逾期任务"),
        bucket_word=_("督导单位"),
        bucket_url={
            unit_pk: reverse("campaign:workspace", args=[pk]) for unit_pk, pk in enrolled.items()
        },
        list_root=roots[0] if len(roots) == 1 else None,
        today=today,
    )
    dashboard, breakdown = _campaign_dashboard(scope)
    queue = review_queue(user).filter(participation__campaign=campaign)[:REVIEW_LIMIT]
    now = timezone.now()
    dashboard.review_rows = [(m, waited_label(m.submitted_at, now)) for m in queue]
    days = dashboard.escalate_days
    dashboard.cards[2:2] = [
        Card(
            _("逾期超过 %(d)s 天的单位") % {"d": days},
            breakdown.overall.escalated_units,
            url_with("campaign:detail", campaign.pk, sort="late"),
            tone="danger" if breakdown.overall.escalated_units else "",
        ),
        Card(
            _("逾期超过 %(d)s 天的整改事项") % {"d": days},
            dashboard.ledger.escalated,
            url_with("rectification:ledger", scope.list_root.pk, subtree="on", overdue="on")
            if scope.list_root
            else reverse("rectification:overview"),
            tone="danger" if dashboard.ledger.escalated else "",
        ),
    ]
    return dashboard
