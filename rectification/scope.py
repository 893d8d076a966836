"""Fetching rectification objects for a user, always through units.scope.visible_units.

Unit staff, the campaign office and admins keep a unit's ledger; supervisors read it and
verify (销号) or return completed items; leaders read.
"""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from units.scope import visible_units

from .models import Problem, RectificationItem, Regulation


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
