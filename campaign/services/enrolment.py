"""Enrolling units in batches (压茬进行): each batch with its own start date."""

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from core.services import audit_log
from units.models import Unit

from ..models import Campaign, EnrolmentBatch, Participation, Task, TaskDefinition


@transaction.atomic
def enrol_units(*, campaign: Campaign, units, start_date, label: str, by) -> EnrolmentBatch:
    """Enrol every unit of `units` not yet in the campaign; create their tasks with dates."""
    if not (campaign.start_date <= start_date <= campaign.end_date):
        raise ValidationError(
            _("启动日期必须在活动期间（%(start)s 至 %(end)s）内。")
            % {"start": campaign.start_date, "end": campaign.end_date}
        )
    unit_kinds = list(
        units.exclude(participations__campaign=campaign).order_by("path").values_list("id", "kind")
    )
    if not unit_kinds:
        raise ValidationError(_("没有可以报名的单位：所选单位都已参加本活动。"))
    unit_ids = [pk for pk, _kind in unit_kinds]
    definitions = list(
        TaskDefinition.objects.filter(stage__campaign=campaign).select_related("stage")
    )
    dues = [(d.pk, d.due_for(start_date), d.applies_kinds) for d in definitions]
    # Each unit kind's own task list (seed 001: 民主生活会 for 领导班子, 组织生活会 for 基层).
    per_kind = {
        kind: [due for _pk, due, kinds in dues if kind in kinds] for _id, kind in unit_kinds
    }
    first_stage = campaign.stages.order_by("order").first()
    batch = EnrolmentBatch.objects.create(
        campaign=campaign,
        label=label,
        start_date=start_date,
        unit_count=len(unit_ids),
        created_by=by,
    )
    Participation.objects.bulk_create(
        (
            Participation(
                campaign=campaign,
                unit_id=unit_id,
                batch=batch,
                start_date=start_date,
                current_stage=first_stage,
                tasks_total=len(per_kind[kind]),
                oldest_open_due=min(per_kind[kind], default=None),
            )
            for unit_id, kind in unit_kinds
        ),
        batch_size=2000,
    )
    _insert_tasks(batch, dues)
    audit_log(
        actor=by,
        action="campaign.units_enrolled",
        obj=campaign,
        unit=campaign.organiser,
        changes={"batch": label, "start_date": str(start_date), "units": len(unit_ids)},
    )
    return batch


def _insert_tasks(batch: EnrolmentBatch, dues, *, only_missing: bool = False) -> int:
    """One INSERT … SELECT per task: the database copies the batch's applicable participations.

    A batch shares one start date, so each task's due date is the same for all its units.
    Building 200,000 Task objects for bulk_create spent most of its time in Python; this
    plain SQL runs on SQLite and PostgreSQL alike and takes under half the time.
    `only_missing` skips units that already have the task, so adding it again never duplicates.
    """
    qn = connection.ops.quote_name
    task_table, participation_table = Task._meta.db_table, Participation._meta.db_table
    unit_table = Unit._meta.db_table
    inserted = 0
    with connection.cursor() as cursor:
        for definition_id, due, kinds in dues:
            marks = ", ".join(["%s"] * len(kinds))
            missing = (
                f" AND NOT EXISTS (SELECT 1 FROM {qn(task_table)} t WHERE "
                f"t.participation_id = p.id AND t.definition_id = %s)"
                if only_missing
                else ""
            )
            cursor.execute(
                f"INSERT INTO {qn(task_table)} (participation_id, definition_id, due_date, "
                f"progress, completion_note, review_state) SELECT p.id, %s, %s, 0, '', '' "
                f"FROM {qn(participation_table)} p JOIN {qn(unit_table)} u ON u.id = p.unit_id "
                f"WHERE p.batch_id = %s AND u.kind IN ({marks}){missing}",
                [definition_id, due, batch.pk, *kinds] + ([definition_id] if only_missing else []),
            )
            inserted += max(cursor.rowcount, 0)
    return inserted


def _batch_refresh(batch: EnrolmentBatch) -> None:
    from .progress import refresh_participations

    refresh_participations(list(Participation.objects.select_for_update().filter(batch=batch)))


@transaction.atomic
def batch_task_add(*, batch: EnrolmentBatch, definition: TaskDefinition, by) -> int:
    """Give one batch's applicable units a task they lack; a second call adds nothing."""
    if definition.stage.campaign_id != batch.campaign_id:
        raise ValidationError(_("这项任务不属于本批次参加的活动。"))
    due = definition.due_for(batch.start_date)
    added = _insert_tasks(
        batch, [(definition.pk, due, definition.applies_kinds)], only_missing=True
    )
    if added:
        _batch_refresh(batch)
    audit_log(actor=by, action="batch.task_added", obj=batch, unit=batch.campaign.organiser,
              changes={"task": definition.title, "units": added})  # fmt: skip
    return added


@transaction.atomic
def batch_task_drop(*, batch: EnrolmentBatch, definition: TaskDefinition, by) -> int:
    """Take a task away from one batch's units; a task already done is kept as a record."""
    if definition.stage.campaign_id != batch.campaign_id:
        raise ValidationError(_("这项任务不属于本批次参加的活动。"))
    dropped, _by_model = Task.objects.filter(
        participation__batch=batch, definition=definition, completed_at__isnull=True
    ).delete()
    if dropped:
        _batch_refresh(batch)
    audit_log(actor=by, action="batch.task_dropped", obj=batch, unit=batch.campaign.organiser,
              changes={"task": definition.title, "units": dropped})  # fmt: skip
    return dropped
