"""Who may run an appraisal round and who may read its results, always through units.scope.

Supervisors of the unit's group and the campaign office run rounds and see results at once;
the unit's staff see them after the round closes; a leader sees only his or her own.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from units.models import Unit, User
from units.scope import can_see_unit, unit_filter

from .models import AppraisalRound

MANAGING_ROLES = {User.Role.SUPERVISOR, User.Role.OFFICE}
ALL, OWN = "all", "own"


def visible_rounds(user) -> QuerySet[AppraisalRound]:
    return AppraisalRound.objects.filter(unit_filter(user))


def get_round_for_user(user, pk) -> AppraisalRound:
    return get_object_or_404(visible_rounds(user).select_related("unit", "created_by"), pk=pk)


def can_manage(user, unit: Unit) -> bool:
    """Supervisors over the unit and the campaign office create rounds, codes and tallies."""
    if not user.is_authenticated:
        return False
    return user.is_admin or (user.role in MANAGING_ROLES and can_see_unit(user, unit))


def require_manager(user, unit: Unit) -> None:
    if not can_manage(user, unit):
        raise PermissionDenied


def results_scope(user, round: AppraisalRound, now=None) -> str | None:
    """ALL, OWN (a leader's own target only) or None (nothing yet)."""
    if can_manage(user, round.unit):
        return ALL
    if not can_see_unit(user, round.unit) or not round.is_closed(now):
        return None
    if user.role == User.Role.LEADER:
        return OWN if user.person_id else None
    return ALL if user.role == User.Role.UNIT_STAFF else None
