"""The rules inventory (建章立制): record a rule to abolish, amend or establish, then adopt it."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.services import attachment_add, audit_log, diff
from core.transitions import transition

from ..models import Regulation
from ._common import filled, printable

FIELDS = ("title", "action", "description", "document_number")


def _check_items(unit, items) -> list:
    items = list(items)
    if any(item.unit_id != unit.pk for item in items):
        raise ValidationError({"items": _("只能关联本单位的整改事项。")})
    return items


@transaction.atomic
def regulation_create(*, unit, by, items=(), **fields) -> Regulation:
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise ValueError(f"regulation_create cannot set {sorted(unknown)}")
    items = _check_items(unit, items)
    regulation = Regulation(unit=unit, created_by=by, **fields)
    regulation.full_clean()
    regulation.save()
    regulation.items.set(items)
    audit_log(
        actor=by,
        action="regulation.created",
        obj=regulation,
        unit=unit,
        changes=filled(regulation, (*FIELDS, "items")),
    )
    return regulation


@transaction.atomic
def regulation_update(*, regulation: Regulation, by, items=None, **fields) -> Regulation:
    regulation = (
        Regulation.objects.select_for_update(of=("self",))
        .select_related("unit")
        .get(pk=regulation.pk)
    )
    watched = (*FIELDS, "items")
    before = printable(regulation, watched)
    for name, value in fields.items():
        if name not in FIELDS:
            raise ValueError(f"regulation_update cannot set {name}")
        setattr(regulation, name, value)
    if regulation.status != Regulation.Status.DRAFTING and "action" in diff(
        before, printable(regulation, FIELDS)
    ):
        raise ValidationError({"action": _("制度已出台或废止，不能再改变废改立类型。")})
    regulation.full_clean()
    if fields:
        regulation.save(update_fields=list(fields))
    if items is not None:
        regulation.items.set(_check_items(regulation.unit, items))
    changes = diff(before, printable(regulation, watched))
    if changes:
        audit_log(
            actor=by,
            action="regulation.updated",
            obj=regulation,
            unit=regulation.unit,
            changes=changes,
        )
    return regulation


@transaction.atomic
def regulation_adopt(*, regulation: Regulation, by, on: datetime.date, document=None) -> Regulation:
    """废 becomes 已废止, 改 and 立 become 已出台, on a date, with the document if there is one."""
    regulation = (
        Regulation.objects.select_for_update(of=("self",))
        .select_related("unit")
        .get(pk=regulation.pk)
    )
    new = regulation.final_status
    regulation.check_transition(new)  # before the date is checked: a finished rule says so
    if on is None:
        raise ValidationError({"on": _("请填写出台或废止日期。")})
    if on > timezone.localdate():
        raise ValidationError({"on": _("出台或废止日期不能晚于今天。")})
    moved = transition(regulation, new)
    regulation.adopted_on = on
    regulation.save(update_fields=["status", "adopted_on"])
    if document is not None:
        attachment_add(target=regulation, unit=regulation.unit, upload=document, by=by)
    audit_log(
        actor=by,
        action="regulation.adopted",
        obj=regulation,
        unit=regulation.unit,
        changes={**moved, "adopted_on": on.isoformat()},
    )
    return regulation
