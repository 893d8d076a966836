"""Fetching opinions for a user, always through units.scope.

Staff, supervisors and the office see the opinions of the units they may see. A leader never
sees an opinion that names him or her (DESIGN.md §4.2), not in a list and not by URL.
"""

from django.db import connection
from django.db.models import BigIntegerField, BooleanField, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from django.shortcuts import get_object_or_404

from units.models import Unit, User
from units.scope import unit_filter

from .models import Opinion


def _hide_from_leader(user, rows: QuerySet[Opinion]) -> QuerySet[Opinion]:
    is_leader = user.is_authenticated and not user.is_admin and user.role == User.Role.LEADER
    if is_leader and user.person_id:
        rows = rows.exclude(target_person_id=user.person_id)
    return rows


def visible_opinions(user) -> QuerySet[Opinion]:
    return _hide_from_leader(user, Opinion.objects.filter(unit_filter(user)))


def unit_opinions(user, unit: Unit, *, subtree: bool = False) -> QuerySet[Opinion]:
    """The opinions of a unit the caller fetched with get_unit_for_user (or of its subtree).

    Scope is a set of whole subtrees, so a visible unit's sub-units are visible too; this
    filters on unit_id alone and spares the list the join visible_opinions needs.
    """
    if subtree and connection.vendor == "postgresql":
        # The subtree's unit ids as one bigint array from a sub-select: the planner then ANDs
        # the unit index's bitmap with the search's bigram index before reading the table
        # (a district's search: 1.7 s with a join on the path, 385 ms with the ids written
        # out, whose better estimate talks it out of the AND, 125 ms so, under load).
        rows = Opinion.objects.filter(
            RawSQL(
                '"feedback_opinion"."unit_id" = ANY((SELECT array_agg(u.id) FROM units_unit u'
                " WHERE u.path LIKE %s)::bigint[])",
                (f"{unit.path}%",),
                BooleanField(),
            )
        )
    elif subtree:
        rows = Opinion.objects.filter(unit__path__startswith=unit.path)
    else:
        # Typed as bigint, the column's type: PostgreSQL's btree_gin operator classes (the
        # search and look-up indexes lead with unit_id) match only `bigint = bigint`, and
        # the plain integer the ORM would send is `bigint = integer`.
        rows = Opinion.objects.filter(unit_id=Cast(Value(unit.pk), BigIntegerField()))
    return _hide_from_leader(user, rows)


def get_opinion_for_user(user, pk) -> Opinion:
    return get_object_or_404(
        visible_opinions(user).select_related(
            "unit", "campaign", "target_person", "entered_by", "group_membership__group"
        ),
        pk=pk,
    )
