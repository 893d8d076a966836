"""Tasks without a quota are completed by staff; the office edits a campaign's task list."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Min, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from core.queueing import enqueue_on_commit
from core.services import attachment_add, audit_log, diff, snapshot

from ..models import Participation, Stage, Task, TaskDefinition

DEFINITION_FIELDS = (
    "applies_kinds",
    "quota_by_rank",
    "title",
    "office",
    "description",
    "due_offset_days",
    "due_date",
    "quota_kinds",
    "quota_host",
    "quota_measure",
    "quota_minimum",
)


def _refresh_later(campaign_id: int) -> None:
    from ..tasks import refresh_campaign_progress

    enqueue_on_commit(refresh_campaign_progress, campaign_id)


@transaction.atomic
def task_complete(*, task: Task, note: str, by, evidence=None) -> Task:
    task = (
        Task.objects.select_for_update()
        .select_related("definition", "participation")
        .get(pk=task.pk)
    )
    if task.definition.has_quota:
        raise ValidationError(_("该任务有数量要求，完成情况由活动记录自动计算，不能手动标记。"))
    if task.definition.material_id:
        raise ValidationError(_("该任务在对应材料通过督导组审核后自动完成，不需要再标记。"))
    if task.completed_at:
        raise ValidationError(_("该任务已经标记为完成。"))
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("请简要说明完成情况。")})
    task.completed_at, task.completed_by, task.completion_note = timezone.now(), by, note
    task.progress = 1
    task.save(update_fields=["completed_at", "completed_by", "completion_note", "progress"])
    unit = task.participation.unit
    if evidence:
        attachment_add(target=task, unit=unit, upload=evidence, by=by)
    audit_log(actor=by, action="task.completed", obj=task, unit=unit, changes={"note": note})
    from .progress import participation_refresh

    participation_refresh(task.participation)
    return task


@transaction.atomic
def task_reopen(*, task: Task, by) -> Task:
    task = (
        Task.objects.select_for_update()
        .select_related("definition", "participation")
        .get(pk=task.pk)
    )
    if task.definition.has_quota or task.definition.material_id or not task.completed_at:
        raise ValidationError(_("只有手动标记完成的任务可以撤销完成。"))
    task.completed_at, task.completed_by, task.progress = None, None, 0
    task.save(update_fields=["completed_at", "completed_by", "progress"])
    audit_log(actor=by, action="task.reopened", obj=task, unit=task.participation.unit)
    from .progress import participation_refresh

    participation_refresh(task.participation)
    return task


@transaction.atomic
def task_definition_update(*, definition: TaskDefinition, by, **fields) -> TaskDefinition:
    """Edit a campaign's task; enrolled units' due dates and progress follow."""
    definition = (
        TaskDefinition.objects.select_for_update().select_related("stage").get(pk=definition.pk)
    )
    before = snapshot(definition, DEFINITION_FIELDS)
    for name, value in fields.items():
        if name not in DEFINITION_FIELDS:
            raise ValueError(f"task_definition_update cannot set {name}")
        setattr(definition, name, value)
    definition.full_clean()
    changes = diff(before, snapshot(definition, DEFINITION_FIELDS))
    if not changes:
        return definition
    definition.save()
    if {"due_offset_days", "due_date"} & set(changes):
        _redate_tasks(definition)
    campaign = definition.stage.campaign
    audit_log(
        actor=by,
        action="taskdefinition.updated",
        obj=definition,
        unit=campaign.organiser,
        changes=changes,
    )
    _refresh_later(campaign.pk)
    return definition


def _redate_tasks(definition: TaskDefinition) -> None:
    tasks = list(Task.objects.filter(definition=definition).select_related("participation"))
    for task in tasks:
        task.due_date = definition.due_for(task.participation.start_date)
    Task.objects.bulk_update(tasks, ["due_date"], batch_size=2000)
    # Lateness must follow at once, not wait for the background refresh.
    oldest_open = (
        Task.objects.filter(participation=OuterRef("pk"), completed_at__isnull=True)
        .order_by()
        .values("participation")
        .annotate(m=Min("due_date"))
        .values("m")
    )
    Participation.objects.filter(campaign=definition.stage.campaign_id).update(
        oldest_open_due=Subquery(oldest_open)
    )


@transaction.atomic
def task_definition_create(*, stage: Stage, by, **fields) -> TaskDefinition:
    """Add a task to a running campaign: every enrolled unit gets it."""
    last = stage.tasks.order_by("-order").values_list("order", flat=True).first() or 0
    definition = TaskDefinition(stage=stage, order=last + 1, **fields)
    definition.full_clean()
    definition.save()
    participations = Participation.objects.filter(
        campaign=stage.campaign, unit__kind__in=definition.applies_kinds
    )
    Task.objects.bulk_create(
        (
            Task(participation_id=pid, definition=definition, due_date=definition.due_for(start))
            for pid, start in participations.values_list("id", "start_date")
        ),
        batch_size=5000,
    )
    participations.update(tasks_total=F("tasks_total") + 1)
    audit_log(
        actor=by,
        action="taskdefinition.created",
        obj=definition,
        unit=stage.campaign.organiser,
        changes=snapshot(definition, DEFINITION_FIELDS),
    )
    _refresh_later(stage.campaign_id)
    return definition


def campaign_refresh(campaign_id: int, chunk: int = 200) -> int:
    """Recompute every enrolled unit's progress (after the office edits a task)."""
    from .progress import refresh_participations

    ids = list(Participation.objects.filter(campaign_id=campaign_id).values_list("id", flat=True))
    for i in range(0, len(ids), chunk):
        with transaction.atomic():
            refresh_participations(
                list(Participation.objects.select_for_update().filter(pk__in=ids[i : i + chunk]))
            )
    return len(ids)
