"""Reads for a unit's workspace. Each costs the same number of queries whatever the data size."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Page, Paginator
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast

from core.models import Attachment
from core.services import attachments_for, history_for
from units.models import Person

from ..models import Activity, Participation, Stage, Task
from ..quotas import Progress
from ..services.progress import taking_part_for, tallies_for, task_progress, team_of

ACTIVITY_PAGE_SIZE = 20
HISTORY_LIMIT = 50


@dataclass
class TaskRow:
    task: Task
    status: str
    status_label: str
    progress: Progress | None = None
    evidence: list[Attachment] = field(default_factory=list)
    form: object = None  # the view attaches a completion form to open tasks without a quota
    today: datetime.date = datetime.date.min

    @property
    def is_overdue(self) -> bool:
        # Open and past its due date, even while its material waits for review.
        return self.status in (Task.Status.OVERDUE, Task.Status.IN_REVIEW,
                               Task.Status.RETURNED) and self.task.due_date < self.today  # fmt: skip

    @property
    def is_done(self) -> bool:
        return self.status in (Task.Status.DONE, Task.Status.DONE_LATE)

    @property
    def is_done_late(self) -> bool:
        return self.status == Task.Status.DONE_LATE

    @property
    def days_late_done(self) -> int:
        return self.task.days_late_done()

    @property
    def percent(self) -> int:
        return round(100 * self.progress.fraction) if self.progress else 0


@dataclass
class StageBlock:
    stage: Stage
    state: str  # "past", "current" or "upcoming", relative to the unit's current stage
    rows: list[TaskRow] = field(default_factory=list)
    window: tuple[datetime.date, datetime.date] | None = None  # seed 002's dated plan

    @property
    def is_current(self) -> bool:
        return self.state == "current"

    @property
    def done(self) -> int:
        return sum(1 for r in self.rows if r.is_done)

    @property
    def overdue(self) -> int:
        return sum(1 for r in self.rows if r.is_overdue)

    @property
    def total(self) -> int:
        return len(self.rows)


@dataclass
class Workspace:
    stages: list[StageBlock]
    activities: Page
    tasks_total: int
    tasks_done: int
    tasks_overdue: int
    tasks_done_late: int = 0
    not_started: bool = False  # 未启动: before the unit's start date it owes nothing

    @property
    def current(self) -> StageBlock | None:
        return next((s for s in self.stages if s.is_current), None)

    @property
    def percent_done(self) -> int:
        return round(100 * self.tasks_done / self.tasks_total) if self.tasks_total else 0

    def open_manual_rows(self) -> list[TaskRow]:
        """Tasks without a quota that staff may still mark as done."""
        return [
            r
            for s in self.stages
            for r in s.rows
            if not r.task.definition.has_quota
            and not r.task.definition.material_id
            and not r.is_done
            and r.status != Task.Status.NOT_ACTIVE
        ]


def _task_evidence(participation: Participation) -> dict[int, list[Attachment]]:
    """Every evidence file of the unit's tasks, in one query."""
    task_ids = participation.tasks.annotate(sid=Cast("pk", CharField())).values("sid")
    rows = Attachment.objects.filter(
        content_type=ContentType.objects.get_for_model(Task), object_id__in=task_ids
    ).order_by("uploaded_at", "id")
    out: dict[int, list[Attachment]] = defaultdict(list)
    for a in rows:
        out[int(a.object_id)].append(a)
    return out


def _stage_window(stage: Stage, start: datetime.date):
    if stage.window_from_day is None or stage.window_to_day is None:
        return None
    return (
        start + datetime.timedelta(days=stage.window_from_day),
        start + datetime.timedelta(days=stage.window_to_day),
    )


def _stage_state(stage: Stage, current: Stage | None) -> str:
    if current is None or stage.order > current.order:
        return "upcoming"
    return "current" if stage.pk == current.pk else "past"


def workspace_tasks(participation: Participation, today: datetime.date) -> list[StageBlock]:
    """The campaign's stages in order, each with the unit's tasks, status and quota progress."""
    stages = list(participation.campaign.stages.order_by("order"))
    tasks = list(
        participation.tasks.select_related("definition", "completed_by").order_by(
            "definition__order", "definition__id"
        )
    )
    teams = team_of([participation.unit_id])
    progress = task_progress(
        tasks,
        tallies_for([participation.pk]).get(participation.pk, []),
        teams.get(participation.unit_id, []),
        # Always read, so the page costs the same whichever quotas the campaign has.
        taking_part_for([participation.unit_id], teams).get(participation.unit_id, []),
    )
    evidence = _task_evidence(participation)
    current = participation.current_stage or (stages[0] if stages else None)
    if not participation.has_started(today):
        current = None  # 未启动: no stage is current yet
    start = participation.start_date
    blocks = {
        s.pk: StageBlock(stage=s, state=_stage_state(s, current), window=_stage_window(s, start))
        for s in stages
    }
    for task in tasks:
        status = task.status(today, start)
        blocks[task.definition.stage_id].rows.append(
            TaskRow(
                task=task,
                status=status,
                status_label=str(Task.Status(status).label),
                progress=progress.get(task.pk),
                evidence=evidence.get(task.pk, []),
                today=today,
            )
        )
    return list(blocks.values())


def activity_log(participation: Participation) -> QuerySet[Activity]:
    return participation.activities.select_related("host").order_by("-date", "-id")


def workspace(participation: Participation, *, today: datetime.date, page=None) -> Workspace:
    stages = workspace_tasks(participation, today)
    rows = [r for s in stages for r in s.rows]
    return Workspace(
        stages=stages,
        activities=Paginator(activity_log(participation), ACTIVITY_PAGE_SIZE).get_page(page),
        tasks_total=len(rows),
        tasks_done=sum(1 for r in rows if r.is_done),
        tasks_overdue=sum(1 for r in rows if r.is_overdue),
        tasks_done_late=sum(1 for r in rows if r.is_done_late),
        not_started=not participation.has_started(today),
    )


def unit_people(participation: Participation, *, with_liaison=False) -> QuerySet[Person]:
    """Who may host the unit's activities: its own people, in rank order. With `with_liaison`,
    also who may attend: leaders whose contact point (联系点) the unit is."""
    people = Q(unit_id=participation.unit_id)
    if with_liaison:
        people |= Q(liaison_points__unit_id=participation.unit_id)
    return Person.objects.filter(people).distinct().order_by("unit_id", "rank", "id")


@dataclass
class ActivityDetail:
    attendees: list[Person]
    attachments: list[Attachment]
    history: list


def activity_detail(activity: Activity) -> ActivityDetail:
    return ActivityDetail(
        attendees=list(activity.attendees.order_by("rank", "id")),
        attachments=list(attachments_for(activity).order_by("uploaded_at", "id")),
        history=list(history_for(activity)[:HISTORY_LIMIT]),
    )
