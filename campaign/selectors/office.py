"""Reads for the campaign office's pages; each takes a fixed number of queries at any size."""

import datetime
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, FloatField, Q, QuerySet, Sum
from django.db.models.functions import Cast, NullIf
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from units.models import Unit
from units.scope import _root_paths, visible_units

from ..models import Campaign, Participation, Stage, Task
from ..scope import visible_campaigns, visible_participations

PAGE_SIZE = 50
PICKER_SIZE = 20

_DONE_RATIO = Cast("tasks_done", FloatField()) / NullIf(F("tasks_total"), 0)
SORTS = {
    "late": (_("滞后优先"), [F("oldest_open_due").asc(nulls_last=True), "unit__path"]),
    "done": (_("完成率从低到高"), [F("done_ratio").asc(nulls_first=True), "unit__path"]),
    "done_desc": (_("完成率从高到低"), [F("done_ratio").desc(nulls_last=True), "unit__path"]),
    "name": (_("单位名称"), ["unit__name", "unit__path"]),
}
DEFAULT_SORT = "late"


# The campaign list ---------------------------------------------------------------------------


def campaign_rows(user) -> QuerySet[Campaign]:
    """The user's campaigns, each with the number of enrolled units the user may see."""
    mine = Q(participations__unit__in=visible_units(user))
    return (
        visible_campaigns(user)
        .select_related("organiser", "template")
        .annotate(unit_count=Count("participations", filter=mine))
        .order_by("-start_date", "-id")
    )


# The campaign page ---------------------------------------------------------------------------


@dataclass
class Filters:
    district: Unit | None = None
    kind: str = ""
    stage: Stage | None = None
    sort: str = DEFAULT_SORT


@dataclass
class Summary:
    units: int
    average_done: int
    by_stage: list[tuple[Stage | None, int]] = field(default_factory=list)
    not_started: int = 0  # 未启动: enrolled in a later batch; they owe nothing yet


def campaign_stages(campaign: Campaign) -> list[Stage]:
    return list(campaign.stages.order_by("order"))


def campaign_districts(user, campaign: Campaign) -> list[Unit]:
    """The districts (县区) of the organiser's area that the user may see, in tree order."""
    return list(
        visible_units(user)
        .filter(kind=Unit.Kind.DISTRICT, path__startswith=campaign.organiser.path)
        .order_by("path")
    )


def campaign_participations(user, campaign: Campaign) -> QuerySet[Participation]:
    return visible_participations(user).filter(campaign=campaign)


def campaign_summary(
    participations: QuerySet[Participation],
    stages: list[Stage],
    today: datetime.date | None = None,
) -> Summary:
    """Units per stage (未启动 apart) and the average % done of started units: one GROUP BY."""
    today = today or timezone.localdate()
    waiting = Q(start_date__gt=today)
    rows = (
        participations.values_list("current_stage_id")
        .annotate(
            n=Count("id"),
            w=Count("id", filter=waiting),
            ratio_sum=Sum(_DONE_RATIO, filter=~waiting),
        )
        .order_by()
    )
    counts, units, not_started, ratio_sum = {}, 0, 0, 0.0
    for stage_id, n, w, ratios in rows:
        counts[stage_id] = n - w
        units += n
        not_started += w
        ratio_sum += ratios or 0.0
    by_stage = [(stage, counts.get(stage.pk, 0)) for stage in stages]
    if counts.get(None):
        by_stage.append((None, counts[None]))
    started = units - not_started
    average = round(100 * ratio_sum / started) if started else 0
    return Summary(units=units, average_done=average, by_stage=by_stage, not_started=not_started)


def participation_page(
    participations: QuerySet[Participation],
    filters: Filters,
    *,
    districts: list[Unit],
    stages: list[Stage],
    batches: list,
    unfiltered_count: int,
    today: datetime.date,
    page_number,
) -> Page:
    """One page of the table, each row with its district, overdue count and days late.

    Stages and batches are a handful of rows the page has already loaded, so they are
    attached here rather than joined into the query.
    """
    rows = participations
    filtered = filters.district or filters.kind or filters.stage
    if filters.district:
        rows = rows.filter(unit__path__startswith=filters.district.path)
    if filters.kind:
        rows = rows.filter(unit__kind=filters.kind)
    if filters.stage:
        rows = rows.filter(current_stage=filters.stage)
    rows = (
        rows.select_related("unit")
        .annotate(done_ratio=_DONE_RATIO)
        .order_by(*SORTS.get(filters.sort, SORTS[DEFAULT_SORT])[1])
    )
    paginator = Paginator(rows, PAGE_SIZE)
    if not filtered:
        paginator.count = unfiltered_count  # the summary has just counted the same rows
    page = paginator.get_page(page_number)
    page.object_list = list(page.object_list)
    overdue = _overdue_counts([p.pk for p in page.object_list], today)
    district_by_path = {d.path: d for d in districts}
    stage_by_id, batch_by_id = {s.pk: s for s in stages}, {b.pk: b for b in batches}
    kind_labels = {k: str(label) for k, label in Unit.Kind.choices}
    # Labels are computed once here: per-row template filters and lookups were most of the
    # page's time at 50 rows.
    for p in page.object_list:
        p.current_stage = stage_by_id.get(p.current_stage_id)
        p.batch = batch_by_id.get(p.batch_id)
        p.kind_label = kind_labels.get(p.unit.kind, p.unit.kind)
        p.workspace_url = reverse("campaign:workspace", args=[p.pk])
        p.start_iso, p.start_md = p.start_date.isoformat(), p.start_date.strftime("%m-%d")
        p.percent = p.percent_done
        p.district = _district_of(p.unit, district_by_path)
        p.overdue_count = overdue.get(p.pk, 0)
        p.late_days = p.days_late(today)
        p.not_started = not p.has_started(today)
    return page


def _overdue_counts(participation_ids: list[int], today: datetime.date) -> dict[int, int]:
    if not participation_ids:
        return {}
    return dict(
        Task.objects.filter(
            participation_id__in=participation_ids, due_date__lt=today, completed_at__isnull=True
        )
        .values_list("participation_id")
        .annotate(n=Count("id"))
        .order_by()
    )


def _district_of(unit: Unit, district_by_path: dict[str, Unit]) -> Unit | None:
    for path in unit.lineage_paths():
        if path in district_by_path:
            return district_by_path[path]
    return None


# Enrolment -----------------------------------------------------------------------------------


def enrolment_units(*, user, root: Unit, subtree: bool, kinds: list[str]) -> QuerySet[Unit]:
    """The units a batch would take in: the root (and its subtree), optionally of some kinds."""
    units = visible_units(user)
    units = units.filter(path__startswith=root.path) if subtree else units.filter(pk=root.pk)
    if kinds:
        units = units.filter(kind__in=kinds)
    return units


@dataclass
class EnrolPreview:
    total: int
    already: int

    @property
    def new(self) -> int:
        return self.total - self.already


def enrolment_preview(campaign: Campaign, units: QuerySet[Unit]) -> EnrolPreview:
    return EnrolPreview(
        total=units.count(), already=units.filter(participations__campaign=campaign).count()
    )


def unit_picker_choices(user, query: str, selected: Unit | None) -> tuple[list[Unit], bool]:
    """A short list to pick a batch's root unit from: search results, or the top of the tree.

    Returns the units and whether more matched than are shown.
    """
    units = visible_units(user).select_related("parent").order_by("depth", "path")
    if query:
        units = units.filter(Q(name__icontains=query) | Q(code__iexact=query))
    else:
        paths = _root_paths(user)
        top = Q(depth__lte=1) if paths is None else Q(path__in=paths)
        if paths:
            top |= Q(parent__path__in=paths)
        units = units.filter(top)
    found = list(units[: PICKER_SIZE + 1])
    more = len(found) > PICKER_SIZE
    found = found[:PICKER_SIZE]
    if selected is not None and selected not in found:
        found.insert(0, selected)
    return found, more


# The task list -------------------------------------------------------------------------------


def campaign_task_list(campaign: Campaign) -> list[Stage]:
    """The stages in order, each with its task definitions and required materials; each task
    carries how many enrolled units it applies to (`unit_count`)."""
    stages = list(
        campaign.stages.order_by("order").prefetch_related("tasks__material", "materials")
    )
    counts = dict(
        Task.objects.filter(definition__stage__campaign=campaign)
        .values_list("definition_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for stage in stages:
        for t in stage.tasks.all():
            t.unit_count = counts.get(t.pk, 0)
    return stages
