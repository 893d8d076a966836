"""Who may run an appraisal round and who may read its results, always through units.scope.

Nobody sees results while a round is open, only its turnout: refreshing them after each new
ballot would read that voter's ratings and answers (DESIGN.md §4.2). Once it is over, those who
run it (supervisors of the unit's group, the campaign office) and the unit's staff see them all;
a leader sees only his or her own.
"""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from units.models import User
from units.policy import may_run_rounds
from units.scope import can_see_unit, unit_filter

from .models import AppraisalRound

ALL, OWN = "all", "own"


def visible_rounds(user) -> QuerySet[AppraisalRound]:
    return AppraisalRound.objects.filter(unit_filter(user))


def get_round_for_user(user, pk) -> AppraisalRound:
    return get_object_or_404(visible_rounds(user).select_related("unit", "created_by"), pk=pk)


def results_scope(user, round: AppraisalRound, now=None) -> str | None:
    """ALL, OWN (a leader's own target only) or None (nothing, or nothing yet)."""
    if not round.is_closed(now):
        return None
    if may_run_rounds(user, round.unit):
        return ALL
    if not can_see_unit(user, round.unit):
        return None
    if user.role == User.Role.LEADER:
        return OWN if user.person_id else None
    return ALL if user.role == User.Role.UNIT_STAFF else None
