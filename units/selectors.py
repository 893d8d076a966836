"""Reads shared by the units pages; each takes a constant number of queries."""

from django.db.models import Count, Q, QuerySet

from core.services import history_for

from .models import LiaisonPoint, Person, SupervisionGroup, Unit, User
from .scope import _root_paths, visible_units


def with_child_counts(units: QuerySet[Unit]) -> QuerySet[Unit]:
    return units.annotate(child_count=Count("children"))


def tree_roots(user) -> QuerySet[Unit]:
    """The top of the tree this user may browse: the real roots, or the user's own units."""
    paths = _root_paths(user)
    units = (
        Unit.objects.filter(parent=None) if paths is None else Unit.objects.filter(path__in=paths)
    )
    return with_child_counts(units).order_by("path")


def search_units(user, query: str) -> QuerySet[Unit]:
    return (
        visible_units(user)
        .filter(Q(name__icontains=query) | Q(code__iexact=query))
        .select_related("parent")
        .order_by("path")
    )


def unit_children(user, unit: Unit) -> QuerySet[Unit]:
    return with_child_counts(visible_units(user).filter(parent=unit)).order_by("path")


def unit_breadcrumb(user, unit: Unit) -> list[Unit]:
    return list(visible_units(user).filter(path__in=unit.ancestor_paths()).order_by("path"))


def unit_people(unit: Unit) -> QuerySet[Person]:
    return unit.people.order_by("rank", "id")


def groups_over(unit: Unit) -> QuerySet[SupervisionGroup]:
    """The one answer to "which supervision groups cover this unit", directly or through an
    ancestor (a group supervises its units and everything below them)."""
    return (
        SupervisionGroup.objects.filter(units__path__in=unit.lineage_paths())
        .distinct()
        .order_by("id")
    )


def supervisors_of(unit: Unit) -> QuerySet[User]:
    """The active supervisors in the groups over this unit: who is told to review or verify."""
    return User.objects.filter(
        is_active=True, role=User.Role.SUPERVISOR, supervision_groups__in=groups_over(unit)
    ).distinct()


def unit_liaison_points(unit: Unit) -> QuerySet[LiaisonPoint]:
    return unit.liaison_points.select_related("leader", "leader__unit")


def unit_history(unit: Unit, limit: int = 20):
    return history_for(unit)[:limit]


def group_units(user, group: SupervisionGroup) -> QuerySet[Unit]:
    return (
        with_child_counts(visible_units(user).filter(supervision_groups=group))
        .select_related("parent")
        .order_by("path")
    )
