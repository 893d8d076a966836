"""The ledger page: filters, the summary, one page of rows. Fixed query count at any size."""

import datetime
from dataclasses import dataclass, replace

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from feedback.models import FourWinds
from units.models import Person, Unit

from .. import reporting
from ..models import Problem, RectificationItem, SpecialCampaign

PAGE_SIZE = 50

Status = RectificationItem.Status
OPEN = RectificationItem.OPEN
STATUS_RANK = Case(
    *(When(status=s, then=Value(i)) for i, s in enumerate(Status.values)),
    output_field=IntegerField(),
)
SORTS = {
    "deadline": (_("完成时限由近到远"), ["deadline", "id"]),
    "-deadline": (_("完成时限由远到近"), ["-deadline", "-id"]),
    "status": (_("按状态"), [STATUS_RANK.asc(), "deadline", "id"]),
    "leader": (_("按牵头领导"), ["lead_leader__rank", "lead_leader_id", "deadline", "id"]),
    "-created": (_("最近建立"), ["-created_at", "-id"]),
}
DEFAULT_SORT = "deadline"


@dataclass
class LedgerFilters:
    status: str = ""  # a Status value, or "open" for 未开始 and 整改中 together
    overdue: bool = False
    missing: bool = False
    kind: str = ""
    four_winds: str = ""
    lead_leader: Person | None = None
    office: str = ""
    special_campaign: SpecialCampaign | None = None
    q: str = ""
    subtree: bool = False
    sort: str = DEFAULT_SORT


def overdue_q(today: datetime.date) -> Q:
    return Q(status__in=OPEN, deadline__lt=today)


def _unreported_q(today: datetime.date) -> Q | None:
    """Created before this month's window opened, with no report this month (any status)."""
    cutoff = reporting.owing_cutoff(today)
    if cutoff is None:
        return None
    month = reporting.month_of(today)
    return Q(created_at__lt=cutoff) & (
        Q(last_report_month__isnull=True) | Q(last_report_month__lt=month)
    )


def missing_q(today: datetime.date) -> Q | None:
    """Open items that owe this month's report and have not filed it; None outside the window."""
    unreported = _unreported_q(today)
    return None if unreported is None else Q(status__in=OPEN) & unreported


def ledger_items(unit: Unit, *, subtree: bool) -> QuerySet[RectificationItem]:
    # The caller fetched `unit` through the scope helper; every unit below a visible unit is
    # visible too (units.scope works on whole subtrees), so the subtree needs no second check.
    items = RectificationItem.objects.all()
    return items.filter(unit__path__startswith=unit.path) if subtree else items.filter(unit=unit)


def filter_items(items, f: LedgerFilters, today: datetime.date) -> QuerySet[RectificationItem]:
    if f.status == "open":
        items = items.filter(status__in=OPEN)
    elif f.status:
        items = items.filter(status=f.status)
    if f.overdue:
        items = items.filter(overdue_q(today))
    if f.missing:
        missing = missing_q(today)
        items = items.filter(missing) if missing is not None else items.none()
    if f.kind:
        items = items.filter(problem__kind=f.kind)
    if f.four_winds:
        items = items.filter(problem__four_winds=f.four_winds)
    if f.lead_leader:
        items = items.filter(lead_leader=f.lead_leader)
    if f.office:
        items = items.filter(responsible_office__icontains=f.office)
    if f.special_campaign:
        items = items.filter(special_campaign=f.special_campaign)
    if f.q:
        items = items.filter(title__icontains=f.q)
    return items


@dataclass
class LedgerSummary:
    total: int
    by_status: dict[str, int]
    overdue: int
    missing: int
    window_open: bool
    report_day: datetime.date

    @property
    def open(self) -> int:
        return self.by_status[Status.NOT_STARTED] + self.by_status[Status.IN_PROGRESS]

    def status_rows(self) -> list[tuple[str, str, int]]:
        return [(s.value, s.label, self.by_status[s.value]) for s in Status]


def ledger_summary(items: QuerySet[RectificationItem], today: datetime.date) -> LedgerSummary:
    """Counts by status, overdue and missing reports, in one pass grouped by status."""
    counts = {"n": Count("id"), "late": Count("id", filter=Q(deadline__lt=today))}
    unreported = _unreported_q(today)
    if unreported is not None:
        counts["unreported"] = Count("id", filter=unreported)
    by_status, overdue, missing = dict.fromkeys(Status.values, 0), 0, 0
    for row in items.values("status").annotate(**counts).order_by():
        by_status[row["status"]] = row["n"]
        if row["status"] in OPEN:
            overdue += row["late"]
            missing += row.get("unreported", 0)
    return LedgerSummary(
        total=sum(by_status.values()),
        by_status=by_status,
        overdue=overdue,
        missing=missing,
        window_open=unreported is not None,
        report_day=reporting.report_day(reporting.month_of(today)),
    )


# What a ledger row shows, and nothing more: the wide text columns stay in the database.
ROW_RELATED = ("problem", "lead_leader", "person", "special_campaign", "unit")  # unit last
ROW_FIELDS = (
    "title",
    "unit_id",
    "status",
    "deadline",
    "created_at",
    "last_report_month",
    "progress_percent",
    "responsible_office",
    "problem__kind",
    "problem__four_winds",
    "lead_leader__name",
    "person__name",
    "special_campaign__name",
    "unit__name",  # last: see ledger_page
)


class CountedPaginator(Paginator):
    """A paginator told its count, when the caller has already counted the rows."""

    def __init__(self, *args, count: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if count is not None:
            self.__dict__["count"] = count  # fills the cached_property

    def page(self, number):
        """A page past the middle is read from the other end, in the reverse of the same
        indexed sort: the last of 1,200 pages then skips no rows, the middle one the most."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        rows = self.object_list
        if bottom <= self.count // 2 or not getattr(rows, "ordered", False):
            return super().page(number)
        tail = list(rows.reverse()[self.count - top : self.count - bottom])
        return self._get_page(tail[::-1], number, self)


def known_count(f: LedgerFilters, summary: LedgerSummary) -> int | None:
    """The number of rows `f` selects when the summary already counted them (the summary's
    cards link to exactly these filters), or None when it has to be counted."""
    narrowing = replace(f, subtree=False, sort=DEFAULT_SORT)
    if narrowing.status in summary.by_status and narrowing == LedgerFilters(status=f.status):
        return summary.by_status[f.status]
    counted = [
        (LedgerFilters(), summary.total),
        (LedgerFilters(status="open"), summary.open),
        (LedgerFilters(overdue=True), summary.overdue),
        (LedgerFilters(status="open", overdue=True), summary.overdue),
        (LedgerFilters(missing=True), summary.missing),
        (LedgerFilters(status="open", missing=True), summary.missing),
    ]
    return next((n for filters, n in counted if filters == narrowing), None)


def ledger_page(
    items, f: LedgerFilters, *, today: datetime.date, page_number, count: int | None = None
) -> Page:
    """One page of the ledger; each row knows whether it is overdue and owes a report.

    `count`, when known (see known_count), saves counting the rows again. The page's ids are
    found first on the narrow table, then only those rows are fetched with their relations, so
    a deep page costs an index walk rather than joins over every row before it.
    """
    rows = filter_items(items, f, today).order_by(*SORTS.get(f.sort, SORTS[DEFAULT_SORT])[1])
    paginator = CountedPaginator(rows.values_list("id", flat=True), PAGE_SIZE, count=count)
    page = paginator.get_page(page_number)
    ids = list(page.object_list)
    # Rows of one unit need not join it; the subtree view shows each row's unit.
    related = ROW_RELATED if f.subtree else ROW_RELATED[:-1]
    fields = ROW_FIELDS if f.subtree else ROW_FIELDS[:-1]
    found = RectificationItem.objects.select_related(*related).only(*fields).in_bulk(ids)
    kinds = {k: str(v) for k, v in Problem.Kind.choices}
    winds = {k: str(v) for k, v in FourWinds.choices}
    statuses = {k: str(v) for k, v in Status.choices}
    page.object_list = [found[pk] for pk in ids]
    detail = reverse("rectification:item_detail", args=[0]).removesuffix("0/")  # once a page
    for item in page.object_list:
        item.url = f"{detail}{item.pk}/"
        item.overdue = item.is_overdue(today)
        item.report = item.report_state(today)
        item.status_label = statuses[item.status]
        item.kind_label = kinds[item.problem.kind]
        item.winds_label = winds[item.problem.four_winds]
    return page
