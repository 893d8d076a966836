"""Sorting opinions (梳理): status moves and bulk classification.

Every status move takes the same steps: lock the rows, check them against
Opinion.TRANSITIONS, save only the changed fields, write one audit row per opinion. Audit rows
name an opinion by id only, never its text (see intake.py).
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.services import audit_log, diff, snapshot
from core.transitions import transition
from feedback.models import FourWinds
from units.models import Person, Unit

from ..models import Opinion

Status = Opinion.Status
# What bulk classification may set, and the choices each accepts.
CLASSIFIABLE = {
    "four_winds": FourWinds.values,
    "question_type": Opinion.Question.values,
    "source_group": Opinion.SourceGroup.values,
    "target": Opinion.Target.values,
    "status": Status.values,
}
SNAPSHOT = ("status", "four_winds", "question_type", "source_group", "target", "target_person")


def _lock(ids: Iterable[int], unit: Unit | None = None) -> list[Opinion]:
    rows = Opinion.objects.select_for_update(of=("self",)).filter(pk__in=list(ids))
    if unit is not None:
        rows = rows.filter(unit=unit)
    return list(rows.select_related("unit", "target_person").order_by("pk"))


@transaction.atomic
def opinion_set_status(*, opinion: Opinion, status: str, by) -> Opinion:
    """Move one opinion along the sorting flow; a move the table does not allow is refused."""
    if status not in Status.values:
        raise ValidationError(_("未知的意见状态。"))
    opinion = _lock([opinion.pk])[0]
    if opinion.status == status:
        return opinion
    moved = transition(opinion, status)
    opinion.save(update_fields=["status"])
    audit_log(
        actor=by, action="opinion.status_changed", obj=opinion, unit=opinion.unit, changes=moved
    )
    return opinion


@transaction.atomic
def opinions_turn_into_problem(*, opinions: Iterable[Opinion], problem, by) -> int:
    """转为问题: the opinions a problem was recorded from move to 已转为问题.

    Called by rectification's problem_create. An opinion already answered (已反馈) stays so.
    Returns how many moved.
    """
    moved = 0
    for opinion in _lock([o.pk for o in opinions]):
        if opinion.status == Status.PROBLEM or not opinion.can_transition(Status.PROBLEM):
            continue
        changes = transition(opinion, Status.PROBLEM)
        opinion.save(update_fields=["status"])
        audit_log(
            actor=by,
            action="opinion.status_changed",
            obj=opinion,
            unit=opinion.unit,
            changes={**changes, "problem": problem.pk},
        )
        moved += 1
    return moved


def _check_classification(unit: Unit, fields: dict) -> dict:
    fields = {k: v for k, v in fields.items() if v not in (None, "")}
    unknown = set(fields) - set(CLASSIFIABLE) - {"target_person"}
    if unknown:
        raise ValueError(f"opinions_classify cannot set {sorted(unknown)}")
    if not fields:
        raise ValidationError(_("请至少选择一项要设置的分类。"))
    for name, value in fields.items():
        if name in CLASSIFIABLE and value not in CLASSIFIABLE[name]:
            raise ValidationError(_("“%(value)s”不是有效的选项。") % {"value": value})
    person = fields.get("target_person")
    if person is not None:
        if not isinstance(person, Person) or person.unit_id != unit.pk:
            raise ValidationError(_("所提领导必须是本单位人员。"))
        if fields.setdefault("target", Opinion.Target.LEADER) != Opinion.Target.LEADER:
            raise ValidationError(_("选择了所提领导时，意见对象应为“某位领导”。"))
    elif fields.get("target") == Opinion.Target.LEADER:
        raise ValidationError(_("意见对象为“某位领导”时，请选择是哪位领导。"))
    elif "target" in fields:
        fields["target_person"] = None
    return fields


@transaction.atomic
def opinions_classify(*, unit: Unit, ids: Iterable[int], by, **fields) -> int:
    """Set the same classification on many of a unit's opinions in one go; all or nothing.

    Only the fields given change. Setting a classification on an opinion still 已收集 also
    moves it to 已梳理, since classifying is what sorting means. Returns how many changed.
    """
    fields = _check_classification(unit, fields)
    ids = [int(i) for i in ids]
    if not ids:
        raise ValidationError(_("请先勾选要分类的意见。"))
    locked = _lock(ids, unit)
    if len(locked) != len(set(ids)):
        raise ValidationError(_("勾选的意见中有不属于本单位或已不存在的，本次未做任何修改。"))
    new_status = fields.pop("status", None)
    changed = 0
    for opinion in locked:
        before = snapshot(opinion, SNAPSHOT)
        for name, value in fields.items():
            setattr(opinion, name, value)
        status = new_status or (
            Status.SORTED if fields and opinion.status == Status.COLLECTED else opinion.status
        )
        if status != opinion.status:
            transition(opinion, status)  # the snapshot diff below records the move
        changes = diff(before, snapshot(opinion, SNAPSHOT))
        if not changes:
            continue
        opinion.save(update_fields=[*fields, "status"])
        audit_log(actor=by, action="opinion.classified", obj=opinion, unit=unit, changes=changes)
        changed += 1
    return changed
