"""Fetching rectification objects for a user, always through units.scope.visible_units.

Unit staff, the campaign office and admins keep a unit's ledger; supervisors read it and
verify (销号) or return completed items; leaders read.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from units.models import Unit, User
from units.scope import can_see_unit, visible_units

from .models import Problem, RectificationItem, Regulation

EDITING_ROLES = {User.Role.UNIT_STAFF, User.Role.OFFICE, User.Role.ADMIN}


def visible_problems(user) -> QuerySet[Problem]:
    return Problem.objects.filter(unit__in=visible_units(user))


def get_problem_for_user(user, pk) -> Problem:
    return get_object_or_404(
        visible_problems(user).select_related("unit", "person", "campaign", "found_by"), pk=pk
    )


def visible_items(user) -> QuerySet[RectificationItem]:
    return RectificationItem.objects.filter(unit__in=visible_units(user))


def get_item_for_user(user, pk) -> RectificationItem:
    return get_object_or_404(
        visible_items(user).select_related(
            "unit", "problem", "lead_leader", "person", "special_campaign", "verified_by"
        ),
        pk=pk,
    )


def visible_regulations(user) -> QuerySet[Regulation]:
    return Regulation.objects.filter(unit__in=visible_units(user))


def get_regulation_for_user(user, pk) -> Regulation:
    return get_object_or_404(visible_regulations(user).select_related("unit"), pk=pk)


def can_edit(user, unit: Unit) -> bool:
    """Who keeps a unit's problems, ledger and rules."""
    return user.is_admin or (user.role in EDITING_ROLES and can_see_unit(user, unit))


def require_editor(user, unit: Unit) -> None:
    if not can_edit(user, unit):
        raise PermissionDenied


def can_verify(user, unit: Unit) -> bool:
    """A member of a supervision group over the unit (or an admin) verifies and returns items."""
    return user.is_admin or (user.role == User.Role.SUPERVISOR and can_see_unit(user, unit))


def require_verifier(user, unit: Unit) -> None:
    if not can_verify(user, unit):
        raise PermissionDenied
