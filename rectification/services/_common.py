"""What the rectification services share: printable snapshots for the audit log."""

from typing import Any

from django.db import models

from core.services import snapshot


def printable(obj: models.Model, fields) -> dict[str, Any]:
    """Like core.services.snapshot, with related objects by name rather than by id."""
    out: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        if field.many_to_many:
            out[name] = "、".join(str(o) for o in getattr(obj, name).all()) or None
        elif field.is_relation:
            related = getattr(obj, name)
            out[name] = None if related is None else str(related)
        else:
            out.update(snapshot(obj, [name]))
    return out


def filled(obj: models.Model, fields) -> dict[str, Any]:
    """The printable values a new object was given, leaving out the empty ones."""
    return {k: v for k, v in printable(obj, fields).items() if v not in (None, "")}
