"""Reads the opinion pages share: the sorting list (keyset pages, Chinese search), likely
duplicates of one opinion, and the near-duplicate groups.

Chinese search. On PostgreSQL a GIN index holds each text's character bigrams
(feedback_bigrams(), migration 0002): a query's bigrams must all be in the row's, then
ILIKE confirms the substring. Bigrams and not pg_trgm's trigrams, because a two-character
word such as 会议 has no trigram pg_trgm could look up. On SQLite a plain ILIKE scan.

Likely duplicates. On PostgreSQL pg_trgm's `%` operator with a GIN index on
(unit_id, text gin_trgm_ops); elsewhere, or where the database's locale makes no trigrams
from Chinese, character-bigram Dice in Python (feedback/similarity.py).
"""

import datetime
from dataclasses import dataclass
from functools import cache

from django.core.paginator import Paginator
from django.db import DatabaseError, connection, transaction
from django.db.models import BooleanField, Count, Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL

from . import similarity
from .models import Opinion, OpinionGroup, OpinionGroupMember, OpinionNote

PAGE_SIZE = 50
COUNT_CAP = 10_000  # past this the list says "10,000 条以上" instead of counting a million
SEARCH_COUNT_CAP = 1_000  # a text search rechecks each row it counts: stop sooner
DUPLICATES = 10
TRGM_THRESHOLD = 0.45  # pg_trgm similarity (trigram Jaccard) for "likely the same"
FILTERS = {
    "channel": "channel",
    "source_group": "source_group",
    "four_winds": "four_winds",
    "question_type": "question_type",
    "target": "target",
    "status": "status",
    "date_from": "received_on__gte",
    "date_to": "received_on__lte",
}


def search(rows: QuerySet[Opinion], q: str, *, indexed: bool = True) -> QuerySet[Opinion]:
    q = (q or "").strip()
    if not q:
        return rows
    if indexed and connection.vendor == "postgresql" and len(q) >= 2:
        rows = rows.filter(
            RawSQL(
                'feedback_bigrams("feedback_opinion"."text") @> %s::text[]',
                (similarity.query_bigrams(q),),
                output_field=BooleanField(),
            )
        )
    return rows.filter(text__icontains=q)


def filtered(rows: QuerySet[Opinion], filters: dict, *, indexed=True) -> QuerySet[Opinion]:
    for name, lookup in FILTERS.items():
        value = filters.get(name)
        if value not in (None, ""):
            rows = rows.filter(**{lookup: value})
    return search(rows, filters.get("q", ""), indexed=indexed)


# Keyset pages: newest first by (received_on, id). "after" a cursor is older, "before" newer.
# An offset would make page 2,000 of a million rows read 100,000 rows to skip them.


def cursor_of(opinion: Opinion) -> str:
    return f"{opinion.received_on:%Y-%m-%d}_{opinion.pk}"


def parse_cursor(value) -> tuple[datetime.date, int] | None:
    try:
        day, pk = (value or "").split("_")
        return datetime.date.fromisoformat(day), int(pk)
    except ValueError:
        return None


@dataclass
class KeysetPage:
    object_list: list[Opinion]
    count: int
    count_capped: bool
    next_cursor: str = ""
    previous_cursor: str = ""

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    @property
    def has_other_pages(self) -> bool:
        return bool(self.next_cursor or self.previous_cursor)


def _older_than(day, pk) -> Q:
    # `received_on <= day` is the part an index can start from; the OR settles ties.
    return Q(received_on__lte=day) & (Q(received_on__lt=day) | Q(pk__lt=pk))


def _newer_than(day, pk) -> Q:
    return Q(received_on__gte=day) & (Q(received_on__gt=day) | Q(pk__gt=pk))


def opinion_page(
    rows: QuerySet[Opinion], *, filters: dict, after: str = "", before: str = ""
) -> KeysetPage:
    """One page of opinions, newest first; `filters` is a filter form's cleaned_data."""
    searching = bool((filters.get("q") or "").strip())
    cap = SEARCH_COUNT_CAP if searching else COUNT_CAP
    counted = filtered(rows, filters).order_by()[: cap + 1].count()
    # A word found in thousands of rows is dense in date order too, so the page is taken
    # from a window of the newest rows (by the date index), tested for the word; the planner
    # would instead fetch every match through the bigram index, or scan the table, and sort
    # them, as it cannot know the query's characters go together. A rarer word is fetched
    # through the index.
    window = None
    if searching and counted > cap:
        rows = window = filtered(rows, {**filters, "q": ""})
        window.search = filters["q"].strip()
    else:
        rows = filtered(rows, filters)
    # Prefetched, not joined: with a text test the planner expects a row or two and would
    # loop over every person for each opinion.
    rows = rows.select_related("unit").prefetch_related("target_person", "group_membership")
    if (cursor := parse_cursor(before)) is not None:
        found = _take(rows, window, _newer_than(*cursor), ("received_on", "id"))
        more_newer = len(found) > PAGE_SIZE
        found = found[:PAGE_SIZE][::-1]
        more_older = True
    else:
        cursor = parse_cursor(after)
        condition = _older_than(*cursor) if cursor is not None else Q()
        found = _take(rows, window, condition, ("-received_on", "-id"))
        more_older = len(found) > PAGE_SIZE
        found = found[:PAGE_SIZE]
        more_newer = cursor is not None
    page = KeysetPage(object_list=found, count=min(counted, cap), count_capped=counted > cap)
    if found:
        page.next_cursor = cursor_of(found[-1]) if more_older else ""
        page.previous_cursor = cursor_of(found[0]) if more_newer else ""
    sizes = group_sizes(found)
    labels = choice_labels()
    for o in found:
        membership = getattr(o, "group_membership", None)
        o.group_size = sizes.get(membership.group_id) if membership else None
        # get_FOO_display() rebuilds a dict of lazy strings on every call: 300 calls a page.
        o.labels = {name: table.get(getattr(o, name), "") for name, table in labels.items()}
    return page


WINDOW = 10_000


def _take(rows, window, condition: Q, order: tuple[str, str]) -> list[Opinion]:
    """PAGE_SIZE + 1 rows past the cursor. With a window, `rows` are not yet searched: the
    newest WINDOW rows are tested for the word (in SQL, above the LIMIT, so the planner
    cannot move the test below it), and if too few match, all rows are."""
    rows = rows.filter(condition).order_by(*order)
    if window is None:
        return list(rows[: PAGE_SIZE + 1])
    newest = window.filter(condition).order_by(*order).values("id", "text")[:WINDOW]
    sql, params = newest.query.sql_with_params()
    pattern = f"%{connection.ops.prep_for_like_query(window.search)}%"
    matching = RawSQL(
        f"SELECT w.id FROM ({sql}) w WHERE UPPER(w.text) LIKE UPPER(%s)", (*params, pattern)
    )
    found = list(rows.filter(pk__in=matching)[: PAGE_SIZE + 1])
    if len(found) <= PAGE_SIZE:
        found = list(search(rows, window.search, indexed=False)[: PAGE_SIZE + 1])
    return found


LABELLED = ("status", "channel", "source_group", "question_type", "four_winds", "target")


def choice_labels() -> dict[str, dict[str, str]]:
    """{field: {value: label}} in the active language, for the list's rows."""
    fields = {name: Opinion._meta.get_field(name) for name in LABELLED}
    return {name: {k: str(v) for k, v in f.flatchoices} for name, f in fields.items()}


def group_sizes(opinions: list[Opinion]) -> dict[int, int]:
    """{group id: how many opinions it holds} for the groups of these opinions; one query."""
    # A missing reverse one-to-one raises an AttributeError subclass: getattr's default.
    ids = {m.group_id for o in opinions if (m := getattr(o, "group_membership", None))}
    if not ids:
        return {}
    sizes = (
        OpinionGroupMember.objects.filter(group_id__in=ids)
        .values("group_id")
        .annotate(n=Count("id"))
        .values_list("group_id", "n")
    )
    return dict(sizes)


def opinion_notes(opinion: Opinion) -> list[OpinionNote]:
    return list(opinion.notes.select_related("author"))


# Likely duplicates of one opinion, within its unit.


@cache
def trigrams_work() -> bool:
    """pg_trgm only makes trigrams from characters LC_CTYPE calls alphanumeric; under the C
    locale Chinese gives none, and every similarity would be 0."""
    if connection.vendor != "postgresql":
        return False
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT coalesce(array_length(show_trgm('会议太多'), 1), 0)")
            return cursor.fetchone()[0] >= 3
    except DatabaseError:
        return False


def _duplicate_ids(opinion: Opinion, limit: int) -> list[tuple[int, float]]:
    if trigrams_work():
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('pg_trgm.similarity_threshold', %s, true)",
                [str(TRGM_THRESHOLD)],
            )
            cursor.execute(
                "SELECT id, similarity(text, %s) AS score FROM feedback_opinion"
                " WHERE unit_id = %s::bigint AND id <> %s AND text %% %s"
                " ORDER BY score DESC, id LIMIT %s",
                [opinion.text, opinion.unit_id, opinion.pk, opinion.text, limit],
            )
            return [(pk, round(score, 3)) for pk, score in cursor.fetchall()]
    others = (
        Opinion.objects.filter(unit_id=opinion.unit_id)
        .exclude(pk=opinion.pk)
        .values_list("id", "text")
    )
    return similarity.most_similar(opinion.text, others.iterator(chunk_size=2000), limit=limit)


def likely_duplicates(
    opinion: Opinion, rows: QuerySet[Opinion], *, limit: int = DUPLICATES
) -> list[tuple[Opinion, float]]:
    """The opinions of the same unit most like this one, best first; `rows` is the user's
    visible opinions, so a leader is not shown one that names him."""
    scored = _duplicate_ids(opinion, limit)
    found = rows.select_related("group_membership").in_bulk([pk for pk, _score in scored])
    return [(found[pk], score) for pk, score in scored if pk in found]


# Near-duplicate groups.


def group_page(unit, rows: QuerySet[Opinion], *, status: str = "", page_number=None):
    """The unit's groups, the most raised first. `shown` is whether the user may read the
    representative opinion: a leader does not read one that names him."""
    groups = OpinionGroup.objects.filter(unit=unit)
    if status:
        groups = groups.filter(status=status)
    groups = (
        groups.select_related("representative")
        .annotate(
            size=Count("members"),
            shown=Exists(rows.filter(pk=OuterRef("representative_id"))),
        )
        .order_by("-size", "-id")
    )
    page = Paginator(groups, PAGE_SIZE).get_page(page_number)
    page.object_list = list(page.object_list)
    return page


def group_members(group: OpinionGroup, rows: QuerySet[Opinion]) -> list[Opinion]:
    """The group's opinions the user may see, the representative first."""
    members = list(
        rows.filter(group_membership__group=group)
        .select_related("target_person", "group_membership")
        .order_by("received_on", "id")
    )
    members.sort(key=lambda o: o.pk != group.representative_id)
    return members


def merge_candidates(group: OpinionGroup) -> list[OpinionGroup]:
    """The unit's other groups, to pick from when merging; the largest first."""
    return list(
        OpinionGroup.objects.filter(unit_id=group.unit_id)
        .exclude(pk=group.pk)
        .select_related("representative")
        .annotate(size=Count("members"))
        .order_by("-size", "-id")[:200]
    )
