"""The summary page (意见汇总) at city scale: figures aggregated in SQL, texts group by group.

A unit can hold 100,000 opinions; the page must not load them all. One GROUP BY gives every
group's size and its channel and source counts; one windowed query gives each group's first
texts (FIRST_TEXTS); a group's further texts are paged on their own (`group_texts`). The Excel
table and the submitted material still hold every opinion (summary.summary_build).

The same rules as summary.py: an opinion that names a person shows its text only and is left
out of every channel and source count; contacts are never read.
"""

from collections import Counter

from django.core.paginator import Paginator
from django.db import connection, transaction
from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext as _

from core.http import is_id
from feedback.models import FourWinds
from units.models import Person, Unit

from .models import Opinion, OpinionGroup, OpinionGroupMember
from .summary import (
    TARGET_ORDER,
    WINDS_ORDER,
    Entry,
    Group,
    Summary,
    _clustered,
    summary_rows,
)

FIRST_TEXTS = 5  # texts each group shows on the summary page; the rest are read group by group
GROUP_PAGE = 100  # texts per page when one group is read on its own
KEY = ("four_winds", "target", "target_person_id")


def group_key(winds: str, target: str, person_id) -> str:
    return f"{winds or '-'}.{target or '-'}.{person_id or 0}"


def parse_group_key(value: str) -> dict | None:
    try:
        winds, target, person = (value or "").split(".")
    except ValueError:
        return None
    if not is_id(person):
        return None
    person_id = int(person)
    winds = "" if winds == "-" else winds
    if winds not in ("", *FourWinds.values) or target not in Opinion.Target.values:
        return None
    return {"four_winds": winds, "target": target, "target_person_id": person_id or None}


def _labels():
    return (
        {k: str(v) for k, v in Opinion.Channel.choices},
        {k: str(v) for k, v in Opinion.SourceGroup.choices},
        {k: str(v) for k, v in FourWinds.choices},
        {k: str(v) for k, v in Opinion.Target.choices},
    )


def summary_overview(unit: Unit, campaign, stage=None, per_group: int = FIRST_TEXTS) -> Summary:
    """The page's summary: every figure, and each group's first `per_group` texts."""
    channel_labels, source_labels, winds_labels, target_labels = _labels()
    unclassified = _("未分类")
    rows = summary_rows(unit, campaign)
    with transaction.atomic():
        _sort_in_memory()
        figures = list(
            rows.values(*KEY, "channel", "source_group").annotate(n=Count("id")).order_by()
        )
        people = _people({row["target_person_id"] for row in figures})
        groups = _groups(figures, people, winds_labels, target_labels, unclassified)
        _first_texts(rows, groups, per_group, channel_labels, source_labels)
    channels: Counter = Counter()
    sources: Counter = Counter()
    named = 0
    for row in figures:
        n, group = row["n"], groups[(row["four_winds"], row["target"], row["target_person_id"])]
        group.size += n
        if row["target_person_id"] is not None:
            named += n
            continue
        channel = channel_labels.get(row["channel"], row["channel"])
        group.channels[channel] += n
        channels[channel] += n
        if row["source_group"]:
            source = source_labels.get(row["source_group"], "")
            group.sources[source] += n
            sources[source] += n
    ordered = sorted(groups.values(), key=lambda g: g.order)
    return Summary(
        unit=unit,
        campaign=campaign,
        as_of=timezone.localdate(),
        groups=ordered,
        channels=channels,
        sources=sources,
        named_count=named,
        stage=stage,
    )


def _sort_in_memory() -> None:
    """A 100,000-opinion unit's GROUP BY and row numbering sort that many narrow rows: with
    PostgreSQL's default 4 MB they spill to disk (0.6 s each); in memory they take a tenth."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL work_mem = '32MB'")


def _people(ids) -> dict:
    ids = {pk for pk in ids if pk is not None}
    if not ids:
        return {}
    rows = Person.objects.filter(pk__in=ids).values_list("pk", "name", "rank")
    return {pk: (name, rank) for pk, name, rank in rows}


def _groups(figures, people, winds_labels, target_labels, unclassified) -> dict[tuple, Group]:
    groups: dict[tuple, Group] = {}
    for row in figures:
        winds, target, person_id = row["four_winds"], row["target"], row["target_person_id"]
        if (winds, target, person_id) in groups:
            continue
        name, rank = people.get(person_id, ("", 0))
        group = groups[(winds, target, person_id)] = Group(
            four_winds=winds_labels.get(winds, unclassified),
            target=name if person_id else target_labels.get(target, ""),
            names_person=person_id is not None,
            size=0,
            key=group_key(winds, target, person_id),
        )
        group.order = (
            WINDS_ORDER.get(winds, len(WINDS_ORDER)),
            TARGET_ORDER.get(target, 3),
            (rank or 0, name or "", person_id or 0),
        )
    return groups


def _first_ids(rows, groups, per_group: int) -> list[int]:
    """The ids of each group's first texts. On PostgreSQL one UNION ALL of a LIMIT per group,
    each read from the opinion_summary_group index (a few rows, whatever the unit's size);
    numbering every row of a 100,000-opinion unit instead sorts them all (0.5 s)."""
    if connection.vendor != "postgresql":
        numbered = rows.annotate(
            rank=Window(
                RowNumber(), partition_by=[F(k) for k in KEY], order_by=["received_on", "id"]
            )
        ).filter(rank__lte=per_group)
        return list(numbered.values_list("id", flat=True))
    parts = [
        rows.filter(four_winds=winds, target=target, target_person_id=person)
        .order_by("received_on", "id")
        .values_list("id", flat=True)[:per_group]
        for winds, target, person in groups
    ]
    first, *rest = parts
    return list(first.union(*rest, all=True)) if rest else list(first)


def _first_texts(rows, groups, per_group, channel_labels, source_labels) -> None:
    """Each group's first texts, oldest first, in one windowed query."""
    if not groups:
        return
    chosen = Opinion.objects.filter(pk__in=_first_ids(rows, groups, per_group))
    texts = chosen.order_by(*KEY, "received_on", "id").values_list(
        *KEY, "text", "channel", "source_group", "received_on",
        "group_membership__group_id", "group_membership__group__status",
    )  # fmt: skip
    for winds, target, person_id, text, channel, source, day, cluster, status in texts:
        group = groups[(winds, target, person_id)]
        cluster = cluster if status == OpinionGroup.Status.CONFIRMED else None
        if person_id is not None:
            group.entries.append(Entry(text=text, cluster=cluster))
        else:
            source_label = source_labels.get(source, "") if source else ""
            group.entries.append(
                Entry(text, channel_labels.get(channel, channel), source_label, day, cluster)
            )
    _number_clusters(rows, groups)


def _number_clusters(rows, groups) -> None:
    """Confirmed near-duplicates shown together, the first with how many say the same."""
    shown = {e.cluster for g in groups.values() for e in g.entries if e.cluster is not None}
    sizes = {}
    if shown:
        sizes = dict(
            OpinionGroupMember.objects.filter(group_id__in=shown, opinion__in=rows)
            .values("group_id")
            .annotate(n=Count("id"))
            .values_list("group_id", "n")
        )
    for group in groups.values():
        group.entries = _clustered(group.entries)
        for entry in group.entries:
            first = entry.cluster is not None and not entry.same_as_above
            if first and sizes.get(entry.cluster, 0) > 1:
                entry.raised_by = sizes[entry.cluster]


def group_texts(unit: Unit, campaign, key: dict, page_number):
    """One group's texts, a page at a time, oldest first."""
    channel_labels, source_labels, _w, _t = _labels()
    rows = summary_rows(unit, campaign).filter(**key).order_by("received_on", "id")
    page = Paginator(
        rows.values_list("text", "channel", "source_group", "received_on"), GROUP_PAGE
    ).get_page(page_number)
    named = key["target_person_id"] is not None
    page.object_list = [
        Entry(text=text)
        if named
        else Entry(text, channel_labels.get(c, c), source_labels.get(s, "") if s else "", day)
        for text, c, s, day in page.object_list
    ]
    return page
