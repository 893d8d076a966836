"""Who may do what to a unit's work: one name per rule, every app asks here.

Each rule combines a role with units.scope (the user must see the unit). Templates receive
the answers from views (or ask the filters of `{% load policy %}`), never compare role strings.
"""

from django.core.exceptions import PermissionDenied

from .models import Unit, User
from .scope import can_see_unit

KEEPING_ROLES = frozenset({User.Role.UNIT_STAFF, User.Role.OFFICE, User.Role.ADMIN})
ROUND_ROLES = frozenset({User.Role.SUPERVISOR, User.Role.OFFICE})


def may_keep(user, unit: Unit) -> bool:
    """Keep a unit's work: record activities, take opinions, keep problems, ledger and rules.
    Unit staff, the campaign office over the unit, and admins; supervisors and leaders read."""
    if not user.is_authenticated:
        return False
    return user.is_admin or (user.role in KEEPING_ROLES and can_see_unit(user, unit))


def may_supervise(user, unit: Unit) -> bool:
    """A member of a supervision group over the unit (or an admin): reviews materials, holds
    individual talks, verifies (销号) or returns ledger items."""
    if not user.is_authenticated:
        return False
    return user.is_admin or (user.role == User.Role.SUPERVISOR and can_see_unit(user, unit))


def may_see_contacts(user, unit: Unit) -> bool:
    """Read the name and contact a person left with an opinion: those who answer it (the
    staff who keep the unit's opinions) and the supervisors over the unit. Never a leader,
    about anyone: a contact is for answering, not for finding out who complained."""
    return may_keep(user, unit) or may_supervise(user, unit)


def may_run_rounds(user, unit: Unit) -> bool:
    """Supervisors over the unit and the campaign office run appraisal rounds."""
    if not user.is_authenticated:
        return False
    return user.is_admin or (user.role in ROUND_ROLES and can_see_unit(user, unit))


def may_get_bulletin(user, unit: Unit) -> bool:
    """The monthly bulletin (月通报) is written for those who run the unit's rounds: the
    supervisors over it and the campaign office."""
    return may_run_rounds(user, unit)


def may_open_review_queue(user) -> bool:
    """Supervisors (and admins) have a review queue; which materials are in it is scope's."""
    if not user.is_authenticated:
        return False
    return user.is_admin or user.role == User.Role.SUPERVISOR


def require(allowed: bool) -> None:
    """Raise PermissionDenied unless a rule above allowed it: `require(may_keep(user, unit))`."""
    if not allowed:
        raise PermissionDenied
