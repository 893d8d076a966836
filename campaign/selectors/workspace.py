"""Reads for a unit's workspace. Each costs the same number of queries whatever the data size."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Page, Paginator
from django.db.models import CharField, QuerySet
from django.db.models.functions import Cast

from core.models import Attachment
from core.services import attachments_for, history_for
from units.models import Person

from ..models import Activity, Participation, Stage, Task
from ..quotas import Progress
from ..services.progress import tallies_for, task_progress, team_of

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

    @property
    def is_overdue(self) -> bool:
        return self.status == Task.Status.OVERDUE

    @property
    def is_done(self) -> bool:
        return self.status == Task.Status.DONE

    @property
    def percent(self) -> int:
        return round(100 * self.progress.fraction) if self.progress else 0


@dataclass
class StageBlock:
    stage: Stage
    state: str  # "past", "current" or "upcoming", relative to the unit's current stage
    rows: list[TaskRow] = field(default_factory=list)

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
            if not r.task.definition.has_quota and not r.is_done
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
    progress = task_progress(
        tasks,
        tallies_for([participation.pk]).get(participation.pk, []),
        team_of([participation.unit_id]).get(participation.unit_id, []),
    )
    evidence = _task_evidence(participation)
    current = participation.current_stage or (stages[0] if stages else None)
    blocks = {s.pk: StageBlock(stage=s, state=_stage_state(s, current)) for s in stages}
    for task in tasks:
        status = task.status(today)
        blocks[task.definition.stage_id].rows.append(
            TaskRow(
                task=task,
                status=status,
                status_label=str(Task.Status(status).label),
                progress=progress.get(task.pk),
                evidence=evidence.get(task.pk, []),
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
    )


def unit_people(participation: Participation) -> QuerySet[Person]:
    """Who may host or attend the unit's activities: its own people, in rank order."""
    return Person.objects.filter(unit_id=participation.unit_id).order_by("rank", "id")


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
