from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import Attachment, AuditLog


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The printable values of some fields, to compare before and after a change."""
    out = {}
    for name in fields:
        field = obj._meta.get_field(name)
        if field.many_to_one:
            # The related object's name reads better in history than its id.
            related = getattr(obj, field.name)
            out[name] = str(related) if related is not None else None
            continue
        value = getattr(obj, field.attname)
        if field.choices:
            value = dict(field.flatchoices).get(value, value)
        out[name] = value if value is None or isinstance(value, (bool, int, float)) else str(value)
    return out


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list]:
    """{field: [old, new]} for every field whose value changed."""
    return {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}


def audit_log(
    *,
    actor,
    action: str,
    obj: models.Model,
    changes: dict | None = None,
    unit=None,
) -> AuditLog:
    """Write one audit row. `action` is a dotted code such as ``unit.moved``."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditLog.objects.create(
        actor=actor,
        actor_name=(actor.get_full_name() or actor.get_username()) if actor else "",
        action=action,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        unit=unit,
        changes=changes or {},
    )


def history_for(obj: models.Model):
    """The audit rows of one object, newest first."""
    return AuditLog.objects.filter(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
    ).select_related("actor", "content_type")


def attachment_add(*, target: models.Model, unit, upload, by) -> "Attachment":
    """Validate and store one uploaded file for an object; raises ValidationError in Chinese."""
    from .uploads import validate_upload

    mime, name = validate_upload(upload)
    attachment = Attachment.objects.create(
        content_type=ContentType.objects.get_for_model(target),
        object_id=str(target.pk),
        unit=unit,
        file=upload,
        name=name,
        mime=mime,
        size=upload.size,
        uploaded_by=by,
    )
    audit_log(actor=by, action="attachment.added", obj=target, unit=unit, changes={"file": name})
    return attachment


def attachments_for(obj: models.Model):
    return Attachment.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    )
