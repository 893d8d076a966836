"""The ledger's items: opening, editing, assigning, and every status move.

Every move takes the same steps: lock the row, check it against RectificationItem.TRANSITIONS,
save only the changed fields, write an audit row, and queue mail after the commit.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.queueing import enqueue_on_commit
from core.services import attachment_add, audit_log, diff
from core.transitions import transition
from units.policy import may_supervise

from ..models import Problem, RectificationItem
from ..selectors import special_campaigns_for
from ._common import filled, printable

Status = RectificationItem.Status
FIELDS = (
    "title",
    "measures",
    "lead_leader",
    "person",
    "responsible_office",
    "deadline",
    "expected_result",
    "public_commitment",
    "special_campaign",
    "internal_note",
)
ASSIGNABLE = ("lead_leader", "responsible_office")


def lock(item: RectificationItem) -> RectificationItem:
    return (
        RectificationItem.objects.select_for_update(of=("self",))
        .select_related("unit", "problem", "lead_leader")
        .get(pk=item.pk)
    )


def _check(item: RectificationItem, *, new_deadline: bool) -> None:
    """The rules a form cannot see: people of the item's unit, a campaign offered to it."""
    unit_id = item.unit_id
    if item.lead_leader_id and item.lead_leader.unit_id != unit_id:
        raise ValidationError({"lead_leader": _("牵头领导必须是本单位人员。")})
    if item.person_id and item.person.unit_id != unit_id:
        raise ValidationError({"person": _("个人整改措施的责任人必须是本单位人员。")})
    campaign = item.special_campaign
    if campaign is not None and campaign not in special_campaigns_for(item.unit):
        raise ValidationError({"special_campaign": _("该专项整治不适用于本单位。")})
    if new_deadline and item.deadline and item.deadline < timezone.localdate():
        raise ValidationError({"deadline": _("完成时限不能早于今天。")})


@transaction.atomic
def item_create(*, problem: Problem, by, **fields) -> RectificationItem:
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise ValueError(f"item_create cannot set {sorted(unknown)}")
    item = RectificationItem(problem=problem, unit=problem.unit, created_by=by, **fields)
    if item.person is None and problem.scope == Problem.Scope.PERSON:
        item.person = problem.person  # a leader's own problem becomes a personal measure
    item.full_clean()
    _check(item, new_deadline=True)
    item.save()
    audit_log(
        actor=by,
        action="rectificationitem.created",
        obj=item,
        unit=item.unit,
        changes=filled(item, FIELDS),
    )
    return item


def _refuse_if_closed(item: RectificationItem) -> None:
    if not item.is_open:
        raise ValidationError(
            _("整改事项“%(title)s”已%(status)s，不能修改；如需修改，请先由督导组退回。")
            % {"title": item.title, "status": item.get_status_display()}
        )


@transaction.atomic
def item_update(*, item: RectificationItem, by, **fields) -> RectificationItem:
    item = lock(item)
    _refuse_if_closed(item)
    before = printable(item, FIELDS)
    old_deadline = item.deadline
    for name, value in fields.items():
        if name not in FIELDS:
            raise ValueError(f"item_update cannot set {name}")
        setattr(item, name, value)
    item.full_clean()
    _check(item, new_deadline=item.deadline != old_deadline)
    changes = diff(before, printable(item, FIELDS))
    if not changes:
        return item
    item.save(update_fields=list(fields))
    audit_log(
        actor=by, action="rectificationitem.updated", obj=item, unit=item.unit, changes=changes
    )
    return item


@transaction.atomic
def item_bulk_assign(*, items, by, lead_leader=None, responsible_office: str = "") -> int:
    """Give many items one lead leader and/or office; all or nothing. Returns how many changed."""
    responsible_office = (responsible_office or "").strip()
    if lead_leader is None and not responsible_office:
        raise ValidationError(_("请选择牵头领导或填写责任单位（部门）。"))
    locked = list(
        RectificationItem.objects.select_for_update(of=("self",))
        .select_related("unit", "lead_leader")
        .filter(pk__in=[i.pk for i in items])
        .order_by("pk")
    )
    if not locked:
        raise ValidationError(_("请至少勾选一个整改事项。"))
    closed = [i.title for i in locked if not i.is_open]
    if closed:
        raise ValidationError(
            _("已完成或已销号的事项不能重新分配：%(titles)s。") % {"titles": "、".join(closed)}
        )
    if lead_leader is not None:
        strangers = [i.title for i in locked if i.unit_id != lead_leader.unit_id]
        if strangers:
            raise ValidationError(
                _("牵头领导必须是事项所在单位的人员：%(titles)s。")
                % {"titles": "、".join(strangers)}
            )
    changed = 0
    for item in locked:
        before = printable(item, ASSIGNABLE)
        if lead_leader is not None:
            item.lead_leader = lead_leader
        if responsible_office:
            item.responsible_office = responsible_office
        changes = diff(before, printable(item, ASSIGNABLE))
        if not changes:
            continue
        item.save(update_fields=list(changes))
        audit_log(
            actor=by,
            action="rectificationitem.assigned",
            obj=item,
            unit=item.unit,
            changes=changes,
        )
        changed += 1
    return changed


def set_status(
    item: RectificationItem, new: str, *, by, action: str, source=None, extra=None, note=None
):
    """Move a locked item to `new` through the TRANSITIONS guard, and audit the move."""
    moved = transition(item, new, source=source)
    for name, value in (extra or {}).items():
        setattr(item, name, value)
    item.save(update_fields=["status", *(extra or {})])
    audit_log(
        actor=by,
        action=action,
        obj=item,
        unit=item.unit,
        changes={**moved, **(note or {})},
    )


@transaction.atomic
def item_start(*, item: RectificationItem, by) -> RectificationItem:
    item = lock(item)
    set_status(
        item,
        Status.IN_PROGRESS,
        by=by,
        action="rectificationitem.started",
        source=Status.NOT_STARTED,
    )
    return item


@transaction.atomic
def item_complete(*, item: RectificationItem, by, note: str = "", evidence=()) -> RectificationItem:
    """Completion needs evidence: a written result, at least one file, or both."""
    item = lock(item)
    item.check_transition(Status.COMPLETED)
    note = (note or "").strip()
    if not note and not evidence:
        raise ValidationError(_("请填写整改成效或上传至少一份佐证材料。"))
    for upload in evidence:  # each file writes its own attachment.added row
        attachment_add(target=item, unit=item.unit, upload=upload, by=by)
    set_status(
        item,
        Status.COMPLETED,
        by=by,
        action="rectificationitem.completed",
        extra={"completed_at": timezone.now(), "completion_note": note, "return_reason": ""},
        note={"completion_note": note or None},
    )
    _notify_later("notify_item_completed", item.pk)
    return item


@transaction.atomic
def item_verify(*, item: RectificationItem, by) -> RectificationItem:
    """销号: a member of a supervision group over the unit, or an admin, confirms the result."""
    item = lock(item)
    if not may_supervise(by, item.unit):
        raise PermissionDenied
    set_status(
        item,
        Status.VERIFIED,
        by=by,
        action="rectificationitem.verified",
        extra={"verified_at": timezone.now(), "verified_by": by},
    )
    return item


@transaction.atomic
def item_return(*, item: RectificationItem, by, reason: str) -> RectificationItem:
    """The supervision group sends a completed item back to 整改中, saying why."""
    item = lock(item)
    if not may_supervise(by, item.unit):
        raise PermissionDenied
    item.check_transition(Status.IN_PROGRESS, source=Status.COMPLETED)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写退回理由。")})
    set_status(
        item,
        Status.IN_PROGRESS,
        by=by,
        action="rectificationitem.returned",
        source=Status.COMPLETED,
        extra={"return_reason": reason, "completed_at": None},
        note={"return_reason": reason},
    )
    _notify_later("notify_item_returned", item.pk)
    return item


def _notify_later(task_name: str, item_id: int) -> None:
    from .. import tasks

    task = getattr(tasks, task_name)
    enqueue_on_commit(task, item_id)
