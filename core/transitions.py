"""The one guard on status moves (STYLE.md, "State and history").

Every model with a status keeps its allowed moves in a table on the class::

    TRANSITIONS = {Status.DRAFT: {Status.SUBMITTED}, Status.SUBMITTED: set(), ...}

and every service moves the status with ``transition(obj, to)``, on a row it has locked with
``select_for_update`` inside ``transaction.atomic``. A move the table does not allow raises a
ValidationError of one shape, "<对象>当前状态为“X”，不能改为“Y”。". ``transition`` returns
``{"status": [old label, new label]}``, the audit row's ``changes`` for the move, so every
status change reads the same in history.

Models may inherit ``TransitionsMixin`` for ``obj.check_transition(to)`` and
``obj.can_transition(to)``, and define ``transition_subject()`` to name the object in the
error (an opinion by its number, a regulation by its title); the default is its verbose name.
A model whose moves have a rule beyond the table overrides ``check_transition``.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext


def _table(obj: models.Model) -> dict[str, set[str]]:
    return {str(now): {str(to) for to in allowed} for now, allowed in type(obj).TRANSITIONS.items()}


def status_label(obj: models.Model, value, *, field: str = "status") -> str:
    """The readable label of one value of a status field."""
    choices = dict(obj._meta.get_field(field).flatchoices)
    return str(choices.get(value, value))


def transition_subject(obj: models.Model) -> str:
    subject = getattr(obj, "transition_subject", None)
    if callable(subject):
        return str(subject())
    return str(capfirst(obj._meta.verbose_name))


def transition_error(obj: models.Model, to, *, field: str = "status") -> ValidationError:
    """The refusal of a move, in the one shape every status model uses."""
    subject = transition_subject(obj)
    if subject[-1:].isascii() and subject[-1:].isalnum():
        subject += " "  # "意见 #12 当前状态为…"
    message = gettext("%(object)s当前状态为“%(current)s”，不能改为“%(new)s”。") % {
        "object": subject,
        "current": status_label(obj, getattr(obj, field), field=field),
        "new": status_label(obj, to, field=field),
    }
    return ValidationError(message.replace("  ", " "))  # a translation may bring its own space


def can_transition(obj: models.Model, to, *, field: str = "status", source=None) -> bool:
    """Whether the table allows moving obj's status to `to`.

    `source` names the one status the move must start from, when two moves share a target
    (starting 未开始 → 整改中 and returning 已完成 → 整改中).
    """
    current = str(getattr(obj, field))
    if source is not None and current != str(source):
        return False
    return str(to) in _table(obj).get(current, set())


def check_transition(obj: models.Model, to, *, field: str = "status", source=None) -> None:
    """Raise the one-shaped ValidationError if the table does not allow the move."""
    if not can_transition(obj, to, field=field, source=source):
        raise transition_error(obj, to, field=field)


def transition(obj: models.Model, to, *, field: str = "status", source=None) -> dict[str, list]:
    """Check the move against the model's TRANSITIONS, set the field, and return the audit
    ``changes`` for it: ``{field: [old label, new label]}``. The caller saves the row (with
    ``update_fields``) and writes the audit row.

    A model's own ``check_transition`` method, if it adds a rule to the table (a regulation's
    action decides where it ends), is the guard used for its status field."""
    guard = getattr(obj, "check_transition", None)
    if field == "status" and callable(guard):
        guard(to, source=source)
    else:
        check_transition(obj, to, field=field, source=source)
    before = status_label(obj, getattr(obj, field), field=field)
    setattr(obj, field, to)
    return {field: [before, status_label(obj, to, field=field)]}


class TransitionsMixin:
    """``check_transition`` and ``can_transition`` as methods of a model with TRANSITIONS."""

    def check_transition(self, to, *, source=None) -> None:
        check_transition(self, to, source=source)

    def can_transition(self, to, *, source=None) -> bool:
        try:
            self.check_transition(to, source=source)  # a model's own rule counts here too
        except ValidationError:
            return False
        return True
