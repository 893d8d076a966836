from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from core.services import audit_log, diff, snapshot

from .models import PATH_STEP, Unit, path_step, step_number

UNIT_FIELDS = ("name", "code", "kind")


def next_child_path(parent: Unit | None) -> str:
    last = (
        Unit.objects.filter(parent=parent).order_by("-path").values_list("path", flat=True).first()
    )
    prefix = parent.path if parent else ""
    return prefix + path_step(step_number(last[-PATH_STEP:]) + 1 if last else 0)


@transaction.atomic
def unit_create(*, name: str, code: str, kind: str, parent: Unit | None = None, by=None) -> Unit:
    if parent is not None:
        # Lock the parent so two children created at once do not get the same path.
        parent = Unit.objects.select_for_update().get(pk=parent.pk)
    path = next_child_path(parent)
    unit = Unit(
        name=name, code=code, kind=kind, parent=parent, path=path, depth=len(path) // PATH_STEP - 1
    )
    unit.full_clean()
    unit.save()
    audit_log(
        actor=by, action="unit.created", obj=unit, unit=unit, changes=snapshot(unit, UNIT_FIELDS)
    )
    return unit


@transaction.atomic
def unit_update(*, unit: Unit, by=None, **fields) -> Unit:
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    before = snapshot(unit, UNIT_FIELDS)
    for name, value in fields.items():
        if name not in UNIT_FIELDS:
            raise ValueError(f"unit_update cannot set {name}")
        setattr(unit, name, value)
    unit.full_clean()
    changes = diff(before, snapshot(unit, UNIT_FIELDS))
    if changes:
        unit.save(update_fields=list(changes))
        audit_log(actor=by, action="unit.updated", obj=unit, unit=unit, changes=changes)
    return unit


@transaction.atomic
def unit_move(*, unit: Unit, new_parent: Unit | None, by=None) -> Unit:
    """Put a unit (with its whole subtree) under another parent, in one UPDATE."""
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if new_parent is not None:
        new_parent = Unit.objects.select_for_update().get(pk=new_parent.pk)
        if new_parent.path.startswith(unit.path):
            raise ValidationError(_("不能把单位移动到它自己或它的下级单位之下。"))
    if unit.parent_id == (new_parent.pk if new_parent else None):
        return unit
    old_path, old_parent = unit.path, unit.parent
    new_path = next_child_path(new_parent)
    depth_change = (len(new_path) - len(old_path)) // PATH_STEP
    Unit.objects.filter(path__startswith=old_path).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
        depth=F("depth") + depth_change,
    )
    Unit.objects.filter(pk=unit.pk).update(parent=new_parent)
    unit.refresh_from_db()
    audit_log(
        actor=by,
        action="unit.moved",
        obj=unit,
        unit=unit,
        changes={"parent": [str(old_parent) if old_parent else None, str(new_parent or "")]},
    )
    return unit
