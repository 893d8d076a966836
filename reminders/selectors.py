"""What every user is reminded of on a day, computed for all users at once.

The query count does not grow with the data: one query per kind of thing reminded (open
tasks, materials, ledger items) and three for who sees which units. Things are then given
to users in Python by unit path prefix, the same subtree rule as units.scope: a sorted list
of paths and two binary searches per user and section.

Who gets what (DESIGN.md §4.4):
- unit staff and leaders, for their home unit's subtree (and a leader's liaison points, as in
  units.scope): tasks due soon or overdue, materials returned, ledger items due soon or
  overdue, ledger items owing this month's progress report; a leader also for the items he
  or she leads wherever they are;
- supervisors, for the subtrees of their groups' units: revisions waiting for review, and
  the tasks and ledger items overdue by more than the escalation threshold;
- the campaign office gets the weekly summary (weekly.py), not a daily digest: its scope is
  the whole city, a daily list of it would be noise. Admins get none.
"""

import datetime
import heapq
from bisect import bisect_left
from dataclasses import dataclass, field

from django.db.models import Max, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from campaign.models import Material, Task
from rectification import reporting
from rectification.models import RectificationItem
from rectification.selectors import missing_q
from units.models import LiaisonPoint, SupervisionGroup, User

from . import conf

UNIT_ROLES = (User.Role.UNIT_STAFF, User.Role.LEADER)
END = "~"  # sorts after every path character (0-9, A-Z)


@dataclass(frozen=True)
class Entry:
    id: int
    title: str
    unit: str
    path: str
    date: datetime.date
    url: str
    note: str = ""  # the campaign, the material's author, the report's state
    days: int = 0  # days overdue, or days waiting for review


@dataclass
class Section:
    key: str
    label: str
    entries: list[Entry]  # the first REMINDER_LISTED, most urgent first
    count: int

    @property
    def more(self) -> int:
        return self.count - len(self.entries)


@dataclass
class Digest:
    user: User
    day: datetime.date
    sections: list[Section] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(s.count for s in self.sections)


def labels() -> dict[str, str]:
    return {
        "tasks_overdue": _("已逾期的任务"),
        "tasks_due": _("%(days)s 天内到期的任务") % {"days": conf.get("REMINDER_TASK_DAYS")},
        "materials_returned": _("被督导组退回修改的材料"),
        "items_overdue": _("已逾期的整改事项"),
        "items_due": _("%(days)s 天内到期的整改事项") % {"days": conf.get("REMINDER_LEDGER_DAYS")},
        "reports_missing": _("本月尚未填报进展的整改事项"),
        "reviews": _("等待您审核的材料"),
        "escalated_tasks": _("督导单位逾期超过 %(days)s 天的任务")
        % {"days": conf.get("REMINDER_OVERDUE_ESCALATION_DAYS")},
        "escalated_items": _("督导单位逾期超过 %(days)s 天的整改事项")
        % {"days": conf.get("REMINDER_OVERDUE_ESCALATION_DAYS")},
    }


def url_maker(name: str):
    """reverse() once, then format: a hundred thousand links cost one reverse each kind."""
    marker = 987654321
    pattern = reverse(name, args=[marker]).replace(str(marker), "{}")
    return pattern.format


class PathIndex:
    """Entries sorted by unit path; `under(roots)` is every entry in those subtrees."""

    def __init__(self, entries):
        self.entries = sorted(entries, key=lambda e: e.path)
        self.paths = [e.path for e in self.entries]
        self._cache: dict[tuple, tuple[list[Entry], int]] = {}

    def top(self, roots: tuple[str, ...], n: int) -> tuple[list[Entry], int]:
        """The n most urgent entries under the roots, and how many there are in all."""
        if roots not in self._cache:
            spans = [(bisect_left(self.paths, r), bisect_left(self.paths, r + END)) for r in roots]
            count = sum(hi - lo for lo, hi in spans)
            found = (self.entries[lo:hi] for lo, hi in spans)
            listed = heapq.nsmallest(n, (e for part in found for e in part), key=_urgency)
            self._cache[roots] = (listed, count)
        return self._cache[roots]


def _urgency(entry: Entry):
    return (entry.date, entry.id)


def normalized(paths) -> tuple[str, ...]:
    """Sorted roots with the ones inside another dropped, so subtrees never overlap."""
    kept: list[str] = []
    for path in sorted(set(paths)):
        if not kept or not path.startswith(kept[-1]):
            kept.append(path)
    return tuple(kept)


def recipients() -> tuple[list[User], dict[int, tuple[str, ...]]]:
    """Users who may get a daily digest, and the unit roots each one's digest covers."""
    users = list(
        User.objects.filter(
            is_active=True, role__in=(*UNIT_ROLES, User.Role.SUPERVISOR)
        ).select_related("home_unit")
    )
    group_paths: dict[int, list[str]] = {}
    memberships = SupervisionGroup.members.through.objects.filter(
        supervisiongroup__units__isnull=False
    ).values_list("user_id", "supervisiongroup__units__path")
    for user_id, path in memberships:
        group_paths.setdefault(user_id, []).append(path)
    liaison: dict[int, list[str]] = {}
    for person_id, path in LiaisonPoint.objects.values_list("leader_id", "unit__path"):
        liaison.setdefault(person_id, []).append(path)
    roots = {}
    for user in users:
        if user.role == User.Role.SUPERVISOR:
            paths = group_paths.get(user.pk, [])
        else:
            paths = [user.home_unit.path] if user.home_unit_id else []
            if user.role == User.Role.LEADER and user.person_id:
                paths += liaison.get(user.person_id, [])
        roots[user.pk] = normalized(paths)
    return users, roots


def task_entries(day: datetime.date) -> dict[str, list[Entry]]:
    horizon = day + datetime.timedelta(days=conf.get("REMINDER_TASK_DAYS"))
    escalate = day - datetime.timedelta(days=conf.get("REMINDER_OVERDUE_ESCALATION_DAYS"))
    workspace = url_maker("campaign:workspace")
    # A unit not yet started (未启动) owes nothing: its tasks wait for its start date.
    rows = Task.objects.filter(
        completed_at__isnull=True, due_date__lte=horizon, participation__start_date__lte=day
    ).values_list(
        "id",
        "due_date",
        "definition__title",
        "participation_id",
        "participation__unit__name",
        "participation__unit__path",
        "participation__campaign__name",
    )
    out = {"tasks_overdue": [], "tasks_due": [], "escalated_tasks": []}
    for pk, due, title, participation, unit, path, campaign in rows:
        entry = Entry(pk, title, unit, path, due, workspace(participation), campaign,
                      (day - due).days)  # fmt: skip
        out["tasks_overdue" if due < day else "tasks_due"].append(entry)
        if due < escalate:
            out["escalated_tasks"].append(entry)
    return out


def material_entries(day: datetime.date) -> dict[str, list[Entry]]:
    material = url_maker("campaign:material")
    rows = (
        Material.objects.filter(status__in=(Material.Status.RETURNED, Material.Status.SUBMITTED))
        .annotate(returned_at=Max("revisions__review__decided_at"))
        .values_list(
            "id", "status", "submitted_at", "returned_at", "revision_count",
            "requirement__title", "person__name", "participation__unit__name",
            "participation__unit__path",
        )
    )  # fmt: skip
    out = {"materials_returned": [], "reviews": []}
    for pk, status, submitted, returned, number, title, person, unit, path in rows:
        title = f"{title}（{person}）" if person else title
        if status == Material.Status.RETURNED:
            when = (returned or submitted).date()
            out["materials_returned"].append(Entry(pk, title, unit, path, when, material(pk)))
        elif submitted:
            note = _("第%(n)s稿") % {"n": number}
            waiting = (day - submitted.date()).days
            out["reviews"].append(
                Entry(pk, title, unit, path, submitted.date(), material(pk), note, waiting)
            )
    return out


def item_entries(day: datetime.date) -> tuple[dict[str, list[Entry]], dict[int, list]]:
    """Open ledger items due soon, overdue or owing a report; also by lead leader."""
    horizon = day + datetime.timedelta(days=conf.get("REMINDER_LEDGER_DAYS"))
    escalate = day - datetime.timedelta(days=conf.get("REMINDER_OVERDUE_ESCALATION_DAYS"))
    detail = url_maker("rectification:item_detail")
    wanted = Q(deadline__lte=horizon)
    missing = missing_q(day)
    if missing is not None:
        wanted |= missing
    rows = RectificationItem.objects.filter(wanted, status__in=RectificationItem.OPEN).values_list(
        "id", "title", "deadline", "unit__name", "unit__path", "lead_leader_id", "created_at",
        "last_report_month",
    )  # fmt: skip
    month = reporting.month_of(day)
    late = day >= reporting.report_day(month)
    out = {"items_overdue": [], "items_due": [], "reports_missing": [], "escalated_items": []}
    led: dict[int, list[tuple[str, Entry]]] = {}
    for pk, title, deadline, unit, path, leader, created, last_month in rows:
        url = detail(pk)
        kinds = []
        if deadline <= horizon:
            entry = Entry(pk, title, unit, path, deadline, url, days=(day - deadline).days)
            kinds.append(("items_overdue" if deadline < day else "items_due", entry))
            if deadline < escalate:
                out["escalated_items"].append(entry)
        if last_month != month and reporting.owes_report(created, day):
            note = _("逾期未报") if late else _("待报")
            kinds.append(("reports_missing", Entry(pk, title, unit, path, deadline, url, note)))
        for key, entry in kinds:
            out[key].append(entry)
            led.setdefault(leader, []).append((key, entry))
    return out, led


UNIT_SECTIONS = (
    "tasks_overdue", "tasks_due", "materials_returned", "items_overdue", "items_due",
    "reports_missing",
)  # fmt: skip
SUPERVISOR_SECTIONS = ("reviews", "escalated_tasks", "escalated_items")


def daily_digests(day: datetime.date) -> list[Digest]:
    """Every user's digest for the day; users with nothing due are left out."""
    users, roots = recipients()
    found = {**task_entries(day), **material_entries(day)}
    items, led = item_entries(day)
    found.update(items)
    indexes = {key: PathIndex(entries) for key, entries in found.items()}
    names, listed = labels(), conf.get("REMINDER_LISTED")
    digests = []
    for user in users:
        supervisor = user.role == User.Role.SUPERVISOR
        digest = Digest(user=user, day=day)
        for key in SUPERVISOR_SECTIONS if supervisor else UNIT_SECTIONS:
            entries, count = indexes[key].top(roots[user.pk], listed)
            if user.role == User.Role.LEADER and user.person_id in led:
                extra = [e for k, e in led[user.person_id] if k == key]
                entries, count = _with_led(entries, count, extra, roots[user.pk], listed)
            if count:
                digest.sections.append(Section(key, names[key], entries, count))
        if digest.total:
            digests.append(digest)
    return digests


def _with_led(entries, count, led, roots, listed):
    """Add the items a leader leads that lie outside his or her units (inside, they count)."""
    extra = [e for e in led if not e.path.startswith(roots)]
    if not extra:
        return entries, count
    return heapq.nsmallest(listed, [*entries, *extra], key=_urgency), count + len(extra)
