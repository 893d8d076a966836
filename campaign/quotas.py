"""Quota progress computed from activity tallies. Pure functions: no queries here.

A tally is one GROUP BY row of a unit's activities: (kind, host, count, days, hours).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from .models import QuotaHost, QuotaMeasure

ZERO = Decimal(0)


@dataclass(frozen=True)
class Tally:
    kind: str
    host_id: int | None
    count: int
    days: Decimal
    hours: Decimal

    def amount(self, measure: str) -> Decimal:
        if measure == QuotaMeasure.DAYS:
            return self.days or ZERO
        if measure == QuotaMeasure.HOURS:
            return self.hours or ZERO
        return Decimal(self.count)


@dataclass(frozen=True)
class Member:
    id: int
    name: str
    is_main_leader: bool


@dataclass
class Progress:
    met: bool
    fraction: float
    label: str
    people: list[tuple[str, Decimal, bool]] = field(default_factory=list)


def _fmt(value: Decimal) -> str:
    return f"{Decimal(value).normalize():f}"


def evaluate(definition, tallies: Iterable[Tally], team: Sequence[Member]) -> Progress:
    """How far a unit has got with one task's quota."""
    kinds, measure = set(definition.quota_kinds), definition.quota_measure
    minimum = Decimal(definition.quota_minimum)
    unit_label = str(QuotaMeasure(measure).label)
    by_host: dict[int | None, Decimal] = {}
    for t in tallies:
        if t.kind in kinds:
            by_host[t.host_id] = by_host.get(t.host_id, ZERO) + t.amount(measure)

    if definition.quota_host in (QuotaHost.ANY, QuotaHost.MAIN_LEADER):
        if definition.quota_host == QuotaHost.ANY:
            value = sum(by_host.values(), ZERO)
        else:
            value = sum((by_host.get(m.id, ZERO) for m in team if m.is_main_leader), ZERO)
        return Progress(
            met=value >= minimum,
            fraction=float(min(Decimal(1), value / minimum)),
            label=f"{_fmt(value)}/{_fmt(minimum)} {unit_label}",
        )

    members = [
        m
        for m in team
        if definition.quota_host == QuotaHost.EACH_TEAM_MEMBER or not m.is_main_leader
    ]
    if not members:
        return Progress(met=False, fraction=0.0, label=_("尚未登记班子成员"))
    people = [
        (m.name, by_host.get(m.id, ZERO), by_host.get(m.id, ZERO) >= minimum) for m in members
    ]
    done = sum(1 for _name, _value, ok in people if ok)
    fraction = sum(float(min(Decimal(1), value / minimum)) for _n, value, _ok in people) / len(
        people
    )
    return Progress(
        met=done == len(members),
        fraction=fraction,
        label=_("%(done)s/%(total)s 名班子成员已完成") % {"done": done, "total": len(members)},
        people=people,
    )
