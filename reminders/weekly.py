"""The campaign office's weekly summary: overdue tasks and ledger items counted by unit.

Two grouped queries for the whole city and one for the office users; each office user gets
the units within his or her scope (units.scope: the home unit's subtree).
"""

import datetime
from bisect import bisect_left
from dataclasses import dataclass, field

from django.db.models import Count

from campaign.models import Task
from rectification.models import RectificationItem
from rectification.selectors import overdue_q
from units.models import User

from .selectors import END

LISTED_UNITS = 50


@dataclass
class UnitRow:
    name: str
    path: str
    tasks: int = 0
    items: int = 0

    @property
    def total(self) -> int:
        return self.tasks + self.items


@dataclass
class Summary:
    user: User
    day: datetime.date  # the Monday of the week
    rows: list[UnitRow] = field(default_factory=list)  # the units with most overdue first
    units: int = 0
    tasks: int = 0
    items: int = 0

    @property
    def total(self) -> int:
        return self.tasks + self.items

    @property
    def more(self) -> int:
        return self.units - len(self.rows)


def week_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def overdue_by_unit(day: datetime.date) -> list[UnitRow]:
    rows: dict[str, UnitRow] = {}
    tasks = (
        Task.objects.filter(
            completed_at__isnull=True, due_date__lt=day, participation__start_date__lte=day
        )
        .values_list("participation__unit__name", "participation__unit__path")
        .annotate(n=Count("id"))
        .order_by()
    )
    for name, path, n in tasks:
        rows.setdefault(path, UnitRow(name, path)).tasks = n
    items = (
        RectificationItem.objects.filter(overdue_q(day))
        .values_list("unit__name", "unit__path")
        .annotate(n=Count("id"))
        .order_by()
    )
    for name, path, n in items:
        rows.setdefault(path, UnitRow(name, path)).items = n
    return sorted(rows.values(), key=lambda r: r.path)


def weekly_summaries(day: datetime.date) -> list[Summary]:
    """Each office user's summary for the week of `day`; an office with nothing overdue
    gets none."""
    rows = overdue_by_unit(day)
    paths = [r.path for r in rows]
    offices = User.objects.filter(
        is_active=True, role=User.Role.OFFICE, home_unit__isnull=False
    ).select_related("home_unit")
    summaries = []
    for user in offices:
        root = user.home_unit.path
        mine = rows[bisect_left(paths, root) : bisect_left(paths, root + END)]
        if not mine:
            continue
        summary = Summary(user=user, day=week_of(day), units=len(mine))
        summary.tasks = sum(r.tasks for r in mine)
        summary.items = sum(r.items for r in mine)
        summary.rows = sorted(mine, key=lambda r: (-r.total, r.path))[:LISTED_UNITS]
        summaries.append(summary)
    return summaries
