"""Quota progress computed from activity tallies. Pure functions: no queries here.

A tally is one GROUP BY row of a unit's activities: (kind, host, count, days, hours,
households). For quotas on what each member takes part in, `host_id` is the person who hosted
or attended, and `at_liaison` says the activity was held at his or her contact point (联系点).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from .models.kinds import PER_PERSON_HOSTS, QuotaHost, QuotaMeasure

ZERO = Decimal(0)


@dataclass(frozen=True)
class Tally:
    kind: str
    host_id: int | None
    count: int
    days: Decimal
    hours: Decimal
    households: int = 0
    at_liaison: bool = False

    def amount(self, measure: str) -> Decimal:
        if measure == QuotaMeasure.DAYS:
            return self.days or ZERO
        if measure == QuotaMeasure.HOURS:
            return self.hours or ZERO
        if measure == QuotaMeasure.HOUSEHOLDS:
            return Decimal(self.households or 0)
        return Decimal(self.count)


@dataclass(frozen=True)
class Member:
    id: int
    name: str
    is_main_leader: bool
    cadre_rank: str = ""


@dataclass(frozen=True)
class PersonProgress:
    name: str
    value: Decimal
    target: Decimal
    ok: bool

    def __iter__(self):  # (name, value, ok), as the task row unpacks it
        return iter((self.name, self.value, self.ok))

    @property
    def label(self) -> str:
        return f"{self.name} {_fmt(self.value)}/{_fmt(self.target)}"


@dataclass
class Progress:
    met: bool
    fraction: float
    label: str
    people: list[PersonProgress] = field(default_factory=list)


def _fmt(value: Decimal) -> str:
    return f"{Decimal(value).normalize():f}"


def needs_taking_part(definition) -> bool:
    return definition.quota_host in (
        QuotaHost.EACH_TEAM_MEMBER_TAKES_PART, QuotaHost.EACH_TEAM_MEMBER_AT_LIAISON
    )  # fmt: skip


def target_for(definition, member: Member) -> Decimal:
    """A member's own target: by cadre rank where the quota says so (县处级 7, 乡科级 5 …)."""
    by_rank = getattr(definition, "quota_by_rank", None) or {}
    if member.cadre_rank in by_rank:
        return Decimal(str(by_rank[member.cadre_rank]))
    return Decimal(definition.quota_minimum)


def evaluate(
    definition, tallies: Iterable[Tally], team: Sequence[Member], taking_part=()
) -> Progress:
    """How far a unit has got with one task's quota.

    `taking_part` holds what each team member hosted or attended, here or elsewhere; only the
    quotas on taking part read it.
    """
    kinds, measure = set(definition.quota_kinds), definition.quota_measure
    minimum = Decimal(definition.quota_minimum)
    unit_label = str(QuotaMeasure(measure).label)
    by_host: dict[int | None, Decimal] = {}
    if definition.quota_host == QuotaHost.EACH_TEAM_MEMBER_TAKES_PART:
        tallies = taking_part
    elif definition.quota_host == QuotaHost.EACH_TEAM_MEMBER_AT_LIAISON:
        tallies = [t for t in taking_part if t.at_liaison]
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

    assert definition.quota_host in PER_PERSON_HOSTS
    members = [
        m
        for m in team
        if definition.quota_host != QuotaHost.EACH_OTHER_TEAM_MEMBER or not m.is_main_leader
    ]
    if not members:
        return Progress(met=False, fraction=0.0, label=_("尚未登记班子成员"))
    people = []
    for m in members:
        value, target = by_host.get(m.id, ZERO), target_for(definition, m)
        people.append(PersonProgress(m.name, value, target, value >= target))
    done = sum(1 for p in people if p.ok)
    fraction = sum(float(min(Decimal(1), p.value / p.target)) for p in people) / len(people)
    return Progress(
        met=done == len(members),
        fraction=fraction,
        label=_("%(done)s/%(total)s 名班子成员已完成") % {"done": done, "total": len(members)},
        people=people,
    )
