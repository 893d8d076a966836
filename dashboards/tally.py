"""Reading the opinion tally (see models.OpinionTally; its triggers are in migration 0001)."""

from django.db import connection
from django.db.models import Count, Q, Sum

from feedback.models import Opinion
from units.models import Unit, User
from units.scope import _root_paths

from .models import OpinionTally


def _outermost(paths: set[str]) -> list[str]:
    return sorted(p for p in paths if not any(p != q and p.startswith(q) for q in paths))


def tally_paths(user, under: Unit) -> list[str] | None:
    """The subtrees whose tallies add up to the opinions `user` may see under `under`, or
    None when the tally cannot answer: on SQLite (no triggers keep it), or for a leader, who
    must not count the opinions naming him or her."""
    if connection.vendor != "postgresql":
        return None
    if user.role == User.Role.LEADER and not user.is_admin:
        return None
    roots = _root_paths(user)
    if roots is None:
        return [under.path]
    paths = set()
    for path in roots:
        if path.startswith(under.path):
            paths.add(path)
        elif under.path.startswith(path):
            paths.add(under.path)
    return _outermost(paths)


def opinion_counts(user, opinions, under: Unit) -> list[tuple[str, str, int]]:
    """(channel, four-winds class, count) of the opinions the user may see under a unit:
    from the tally when it can answer, else from `opinions` (that user's visible opinions)."""
    paths = tally_paths(user, under)
    if paths is None:
        rows = opinions.filter(unit__path__startswith=under.path)
        return list(rows.values_list("channel", "four_winds").annotate(n=Count("id")).order_by())
    if not paths:
        return []
    return list(
        OpinionTally.objects.filter(unit__path__in=paths)
        .values_list("channel", "four_winds")
        .annotate(total=Sum("n"))
        .filter(~Q(total=0))
        .order_by()
    )


def counted_from_rows(unit: Unit) -> dict[tuple[str, str], int]:
    """What the tally of `unit` should say, counted from the opinions (for tests and checks)."""
    rows = (
        Opinion.objects.filter(unit__path__startswith=unit.path)
        .values_list("channel", "four_winds")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {(c, w): n for c, w, n in rows}
