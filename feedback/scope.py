"""Fetching opinions for a user, always through units.scope.

Staff, supervisors and the office see the opinions of the units they may see. A leader never
sees an opinion that names him or her (DESIGN.md §4.2), not in a list and not by URL.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from units.models import Unit, User
from units.scope import can_see_unit, unit_filter

from .models import Opinion

EDITING_ROLES = {User.Role.UNIT_STAFF, User.Role.OFFICE, User.Role.ADMIN}


def visible_opinions(user) -> QuerySet[Opinion]:
    rows = Opinion.objects.filter(unit_filter(user))
    is_leader = user.is_authenticated and not user.is_admin and user.role == User.Role.LEADER
    if is_leader and user.person_id:
        rows = rows.exclude(target_person_id=user.person_id)
    return rows


def get_opinion_for_user(user, pk) -> Opinion:
    return get_object_or_404(
        visible_opinions(user).select_related("unit", "campaign", "target_person", "entered_by"),
        pk=pk,
    )


def can_take(user, unit: Unit) -> bool:
    """Who enters and annotates a unit's opinions."""
    return user.is_admin or (user.role in EDITING_ROLES and can_see_unit(user, unit))


def require_taker(user, unit: Unit) -> None:
    if not can_take(user, unit):
        raise PermissionDenied
