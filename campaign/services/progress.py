"""Task progress and the participation's counters, recomputed from activity records."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from units.models import LiaisonPoint, Person

from ..models import Activity, Participation, Stage, StageClosure, Task, TaskDefinition
from ..quotas import Member, Progress, Tally, evaluate, needs_taking_part


def tallies_for(participation_ids) -> dict[int, list[Tally]]:
    """One GROUP BY query: each participation's activities by kind and host."""
    rows = (
        Activity.objects.filter(participation_id__in=participation_ids)
        .values("participation_id", "kind", "host_id")
        .annotate(n=Count("id"), d=Sum("days"), h=Sum("hours"), f=Sum("households"))
        .order_by()
    )
    out: dict[int, list[Tally]] = defaultdict(list)
    for r in rows:
        out[r["participation_id"]].append(
            Tally(r["kind"], r["host_id"], r["n"], r["d"] or Decimal(0), r["h"] or Decimal(0),
                  r["f"] or 0)
        )  # fmt: skip
    return out


def taking_part_for(unit_ids, teams: dict[int, list[Member]]) -> dict[int, list[Tally]]:
    """What each team member of the units hosted or attended, in any unit: three queries.

    `teams` is team_of(unit_ids). An activity held at the member's contact point (联系点) is
    marked `at_liaison`.
    """
    team_ids = (
        Person.objects.filter(unit_id__in=unit_ids)
        .filter(Q(is_team_member=True) | Q(is_main_leader=True))
        .values("id")
    )
    person_unit = {m.id: unit_id for unit_id, members in teams.items() for m in members}
    liaison = set(
        LiaisonPoint.objects.filter(leader_id__in=team_ids).values_list("leader_id", "unit_id")
    )
    facts = ("kind", "days", "hours", "households", "participation__unit_id")
    rows = {
        (r[0], r[1]): r[2:]
        for r in Activity.attendees.through.objects.filter(person_id__in=team_ids).values_list(
            "person_id", "activity_id", *(f"activity__{f}" for f in facts)
        )
    }
    for r in Activity.objects.filter(host_id__in=team_ids).values_list("host_id", "id", *facts):
        rows.setdefault((r[0], r[1]), r[2:])  # a host who is also listed counts once
    out: dict[int, list[Tally]] = defaultdict(list)
    for (person_id, _activity_id), (kind, days, hours, households, held_in) in sorted(rows.items()):
        if person_id not in person_unit:
            continue
        out[person_unit[person_id]].append(
            Tally(kind, person_id, 1, days or Decimal(0), hours or Decimal(0), households or 0,
                  at_liaison=(person_id, held_in) in liaison)
        )  # fmt: skip
    return out


def team_of(unit_ids) -> dict[int, list[Member]]:
    """The leadership team (班子成员 and the main leader) of each unit, in rank order."""
    out: dict[int, list[Member]] = defaultdict(list)
    people = Person.objects.filter(unit_id__in=unit_ids).filter(is_team_member=True) | (
        Person.objects.filter(unit_id__in=unit_ids, is_main_leader=True)
    )
    fields = ("id", "unit_id", "name", "is_main_leader", "cadre_rank")
    for p in people.order_by("rank", "id").values(*fields):
        out[p["unit_id"]].append(Member(p["id"], p["name"], p["is_main_leader"], p["cadre_rank"]))
    return out


def task_progress(tasks, tallies, team, taking_part=()) -> dict[int, Progress]:
    return {
        t.pk: evaluate(t.definition, tallies, team, taking_part)
        for t in tasks
        if t.definition.has_quota
    }


def participation_refresh(participation: Participation) -> Participation:
    """Recompute one unit's quota tasks and the counters the campaign page sorts by."""
    refresh_participations([participation])
    return participation


def refresh_participations(participations: list[Participation]) -> None:
    """The same for many units at once, in a constant number of queries per call.

    Task rows are read as tuples and share one definition object per task type: building
    model instances for every task was most of the cost at city scale.
    """
    ids = [p.pk for p in participations]
    rows: dict[int, list[list]] = defaultdict(list)
    fields = ("id", "participation_id", "definition_id", "due_date", "progress", "completed_at")
    for row in Task.objects.filter(participation_id__in=ids).values_list(*fields):
        rows[row[1]].append(list(row))
    definitions = {
        d.pk: d
        for d in TaskDefinition.objects.filter(
            pk__in={r[2] for task_rows in rows.values() for r in task_rows}
        ).select_related("stage")
    }
    tallies = tallies_for(ids)
    teams = team_of({p.unit_id for p in participations})
    # Only quotas on taking part (集中学习 days, 走亲连心, 联系点) need the attendance rows.
    taking = (
        taking_part_for({p.unit_id for p in participations}, teams)
        if any(needs_taking_part(d) for d in definitions.values())
        else {}
    )
    closed: dict[int, set[int]] = defaultdict(set)
    for pid, stage_id in StageClosure.objects.filter(participation_id__in=ids).values_list(
        "participation_id", "stage_id"
    ):
        closed[pid].add(stage_id)
    stages: dict[int, list[Stage]] = defaultdict(list)
    for stage in Stage.objects.filter(
        campaign_id__in={p.campaign_id for p in participations}
    ).order_by("order"):
        stages[stage.campaign_id].append(stage)
    now, moved = timezone.now(), []
    changed: dict[tuple, list[int]] = defaultdict(list)
    for participation in participations:
        task_rows = rows[participation.pk]
        before = _counter_values(participation)
        tally, team = tallies.get(participation.pk, []), teams.get(participation.unit_id, [])
        for row in task_rows:
            definition = definitions[row[2]]
            if not definition.has_quota:
                continue
            p = evaluate(definition, tally, team, taking.get(participation.unit_id, []))
            fraction = Decimal(str(round(p.fraction, 3)))
            completed_at = (row[5] or now) if p.met else None
            if fraction != row[4] or completed_at != row[5]:
                row[4], row[5] = fraction, completed_at
                changed[(fraction, completed_at)].append(row[0])
        _set_counters(
            participation, task_rows, stages[participation.campaign_id], closed[participation.pk]
        )
        if _counter_values(participation) != before:
            moved.append(participation)
    # Progress values repeat across units (2/2, 1/3 …): one UPDATE per distinct value is far
    # cheaper than a CASE over every changed row.
    for (fraction, completed_at), pks in changed.items():
        Task.objects.filter(pk__in=pks).update(progress=fraction, completed_at=completed_at)
    Participation.objects.bulk_update(moved, COUNTERS, batch_size=1000)


COUNTERS = ["tasks_total", "tasks_done", "tasks_done_late", "oldest_open_due", "current_stage"]


def _counter_values(participation: Participation) -> list:
    return [participation.tasks_total, participation.tasks_done, participation.tasks_done_late,
            participation.oldest_open_due, participation.current_stage_id]  # fmt: skip


def _finished_late(row) -> bool:
    return bool(row[5]) and timezone.localdate(row[5]) > row[3]


def _set_counters(participation: Participation, task_rows: list[list], stages, closed) -> None:
    open_rows = [r for r in task_rows if not r[5]]
    participation.tasks_total = len(task_rows)
    participation.tasks_done = len(task_rows) - len(open_rows)
    participation.tasks_done_late = sum(1 for r in task_rows if _finished_late(r))
    participation.oldest_open_due = min((r[3] for r in open_rows), default=None)
    # The gates decide the stage (环节把关): the first stage not yet closed for the unit.
    # Work on later stages' tasks may start earlier (边学边查边改).
    participation.current_stage = next(
        (s for s in stages if s.pk not in closed), stages[-1] if stages else None
    )
