"""The dashboards' SQL: each function is one GROUP BY (or one short list), whatever the size.

A "bucket" is a unit whose subtree is counted together: a district (县区) on the office's
dashboard, a supervised unit on a supervisor's. The bucket of a row is a CASE over path
prefixes, so grouping by it needs no per-unit query and no join beyond the unit's own row.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from campaign.models import Material, Participation, Task
from rectification.models import RectificationItem
from units.models import Unit

NO_BUCKET = 0
NOT_STARTED = "not_started"  # the by_stage key of units whose start date is still ahead


def bucket_case(buckets: list[Unit], field: str) -> Case | Value:
    """The pk of the bucket a row's unit lies in (the deepest first), or NO_BUCKET."""
    ordered = sorted(buckets, key=lambda b: len(b.path), reverse=True)
    if not ordered:
        return Value(NO_BUCKET)
    whens = [When(**{f"{field}__startswith": b.path}, then=Value(b.pk)) for b in ordered]
    return Case(*whens, default=Value(NO_BUCKET), output_field=IntegerField())


@dataclass
class Tally:
    units: int = 0
    tasks_total: int = 0
    tasks_done: int = 0
    late_units: int = 0
    escalated_units: int = 0
    overdue_tasks: int = 0
    done_late_tasks: int = 0  # 逾期完成: finished, but after the due date
    not_started_units: int = 0  # 未启动: owe nothing yet

    def add(self, other: "Tally") -> None:
        for name in vars(self):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class Breakdown:
    """Units and tasks counted three ways from the same rows: by bucket, by kind, by stage."""

    by_bucket: dict[int, Tally]
    by_kind: dict[str, Tally]
    by_stage: dict[int | None, int]
    overall: Tally


def participation_breakdown(
    participations: QuerySet[Participation],
    tasks: QuerySet[Task],
    buckets: list[Unit],
    *,
    today: datetime.date,
    escalate_before: datetime.date,
    count_future: bool = False,
) -> Breakdown:
    """Two queries: participations grouped by (bucket, kind, stage), overdue tasks by
    (bucket, kind). Rolled up here into the three views the dashboards show.

    Both ways of counting overdue tasks give the same numbers; `count_future` picks the one
    that reads fewer rows (see late_in_campaign).
    """
    by_bucket: dict[int, Tally] = defaultdict(Tally)
    by_kind: dict[str, Tally] = defaultdict(Tally)
    by_stage: dict[int | None, int] = defaultdict(int)
    overall = Tally()
    rows = (
        participations.annotate(bucket=bucket_case(buckets, "unit__path"))
        .values_list("bucket", "unit__kind", "current_stage_id")
        .annotate(
            n=Count("id"),
            total=Sum("tasks_total"),
            done=Sum("tasks_done"),
            late=Count("id", filter=Q(oldest_open_due__lt=today)),
            escalated=Count("id", filter=Q(oldest_open_due__lt=escalate_before)),
            done_late=Sum("tasks_done_late"),
            waiting=Count("id", filter=Q(start_date__gt=today)),
        )
        .order_by()
    )
    for bucket, kind, stage_id, n, total, done, late, escalated, done_late, waiting in rows:
        tally = Tally(n, total or 0, done or 0, late, escalated, 0, done_late or 0, waiting)
        by_bucket[bucket].add(tally)
        by_kind[kind].add(tally)
        by_stage[stage_id] += n - waiting
        by_stage[NOT_STARTED] += waiting
        overall.add(tally)
    # Overdue = unfinished and due before today. Late in a campaign nearly every open task is
    # overdue, so counting the few open tasks not yet due and subtracting them from the open
    # count (a kept counter) reads far fewer rows; early on, counting directly does.
    if count_future:
        for t in (*by_bucket.values(), *by_kind.values(), overall):
            t.overdue_tasks = t.tasks_total - t.tasks_done
        sign, tasks = -1, tasks.filter(due_date__gte=today, completed_at__isnull=True)
    else:
        sign, tasks = 1, tasks.filter(due_date__lt=today, completed_at__isnull=True)
    counted = (
        tasks.annotate(bucket=bucket_case(buckets, "participation__unit__path"))
        .values_list("bucket", "participation__unit__kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    for bucket, kind, n in counted:
        by_bucket[bucket].overdue_tasks += sign * n
        by_kind[kind].overdue_tasks += sign * n
        overall.overdue_tasks += sign * n
    return Breakdown(dict(by_bucket), dict(by_kind), dict(by_stage), overall)


def late_in_campaign(campaign, today: datetime.date) -> bool:
    """Past the campaign's midpoint most tasks are due, so fewer are still to come."""
    return today > campaign.start_date + (campaign.end_date - campaign.start_date) / 2


def most_late(
    participations: QuerySet[Participation], *, today: datetime.date, limit: int = 20
) -> list[Participation]:
    """The units whose oldest unfinished task is most overdue, each with its overdue count.

    The count is a correlated subquery, so the database runs it for the rows shown only.
    """
    overdue = (
        Task.objects.filter(
            participation=OuterRef("pk"), due_date__lt=today, completed_at__isnull=True
        )
        .order_by()
        .values("participation")
        .annotate(c=Count("id"))
        .values("c")
    )
    return list(
        participations.filter(oldest_open_due__lt=today)
        .select_related("unit")
        .annotate(overdue_tasks=Coalesce(Subquery(overdue, output_field=IntegerField()), 0))
        .order_by("oldest_open_due", "unit__path")[:limit]
    )


def waiting_materials(materials: QuerySet[Material]) -> list[tuple[str, int, datetime.datetime]]:
    """Submitted materials waiting for a decision: (kind, count, oldest submission) by kind."""
    return list(
        materials.filter(status=Material.Status.SUBMITTED)
        .values_list("requirement__kind")
        .annotate(n=Count("id"), oldest=Min("submitted_at"))
        .order_by("-n", "requirement__kind")
    )


@dataclass
class LedgerTally:
    by_status: dict[str, int]
    overdue: int
    escalated: int

    @property
    def total(self) -> int:
        return sum(self.by_status.values())

    @property
    def done(self) -> int:
        return sum(self.by_status[s] for s in RectificationItem.DONE)


def ledger_tally(
    items: QuerySet[RectificationItem], *, today: datetime.date, escalate_before: datetime.date
) -> LedgerTally:
    open_ = Q(status__in=RectificationItem.OPEN)
    by_status = dict.fromkeys(RectificationItem.Status.values, 0)
    overdue = escalated = 0
    rows = (
        items.values_list("status")
        .annotate(
            n=Count("id"),
            late=Count("id", filter=open_ & Q(deadline__lt=today)),
            very_late=Count("id", filter=open_ & Q(deadline__lt=escalate_before)),
        )
        .order_by()
    )
    for status, n, late, very_late in rows:
        by_status[status] = n
        overdue += late
        escalated += very_late
    return LedgerTally(by_status=by_status, overdue=overdue, escalated=escalated)


def satisfaction(rounds: QuerySet, buckets: list[Unit]) -> dict[int, tuple[int, int]]:
    """{bucket: (positive ratings, all ratings)} of the leadership teams in finished rounds,
    online ballots and paper tallies together, in one query (a UNION ALL of two GROUP BYs)."""
    from appraisals.models import SCALE_POSITIVE, BallotRating, PaperTally

    positive = [r for ratings in SCALE_POSITIVE.values() for r in ratings]
    team = {"target__person__isnull": True}
    online = (
        BallotRating.objects.filter(target__round__in=rounds, **team)
        .annotate(bucket=bucket_case(buckets, "target__round__unit__path"))
        .values_list("bucket")
        .annotate(total=Count("id"), good=Count("id", filter=Q(rating__in=positive)))
        .order_by()
    )
    paper = (
        PaperTally.objects.filter(round__in=rounds, **team)
        .annotate(bucket=bucket_case(buckets, "round__unit__path"))
        .values_list("bucket")
        .annotate(
            total=Coalesce(Sum("count"), 0),
            good=Coalesce(Sum("count", filter=Q(rating__in=positive)), 0),
        )
        .order_by()
    )
    out: dict[int, tuple[int, int]] = {}
    for bucket, total, good in online.union(paper, all=True):
        before = out.get(bucket, (0, 0))
        out[bucket] = (before[0] + good, before[1] + total)
    return out
