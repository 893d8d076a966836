"""Reads the opinion pages share: the sorting list (keyset pages, Chinese search), likely
duplicates of one opinion, and the near-duplicate groups.

Chinese search. On PostgreSQL a GIN index holds each text's character bigrams
(feedback_bigrams(), migration 0002): a query's bigrams must all be in the row's, then
ILIKE confirms the substring. Bigrams and not pg_trgm's trigrams, because a two-character
word such as 会议 has no trigram pg_trgm could look up. On SQLite a plain ILIKE scan.

Likely duplicates. On PostgreSQL pg_trgm's `%` operator with a GIN index on
(unit_id, text gin_trgm_ops) offers candidates, which feedback/similarity.py scores on the
normalised text (width, script, punctuation, particles), as it scores the suggested groups;
elsewhere, or where the database's locale makes no trigrams from Chinese, similarity.py
scores all of the unit's opinions.
"""

import datetime
from dataclasses import dataclass
from functools import cache

from django.core.paginator import Paginator
from django.db import DatabaseError, connection, transaction
from django.db.models import BooleanField, Count, Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL

from core.models import AuditLog
from units.scope import unit_filter

from . import similarity
from .models import Opinion, OpinionGroup, OpinionGroupMember, OpinionNote
from .scope import visible_opinions
from .services.groups import GONE_ACTIONS

PAGE_SIZE = 50
COUNT_CAP = 10_000  # past this the list says "10,000 条以上" instead of counting a million
SEARCH_COUNT_CAP = 1_000  # a text search rechecks each row it counts: stop sooner
DUPLICATES = 10
TRGM_THRESHOLD = 0.45  # pg_trgm similarity (trigram Jaccard) for a candidate worth scoring
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
    rows: QuerySet[Opinion],
    *,
    filters: dict,
    after: str = "",
    before: str = "",
    allow_window: bool = True,
) -> KeysetPage:
    """One page of opinions, newest first; `filters` is a filter form's cleaned_data.

    `allow_window` allows the newest-rows window for a common word (below): right for one
    unit or the whole tree, whose rows the date index yields densely. A district's rows are a
    few percent of the table's; there the word's index is cheaper, and one query fetches the
    keys of the newest matches, which give both the count and the page.
    """
    searching = bool((filters.get("q") or "").strip())
    cap = SEARCH_COUNT_CAP if searching else COUNT_CAP
    if searching and not allow_window:
        keyed = _page_from_keys(rows, filters, after=after, before=before)
        if keyed is not None:
            return _labelled(keyed)
    counted = filtered(rows, filters).order_by()[: cap + 1].count()
    # A word found in thousands of rows is dense in date order too, so the page is taken
    # from a window of the newest rows (by the date index), tested for the word; the planner
    # would instead fetch every match through the bigram index, or scan the table, and sort
    # them, as it cannot know the query's characters go together. A rarer word is fetched
    # through the index.
    window = None
    if searching and counted > cap and allow_window:
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
    return _labelled(page)


def _page_rows(rows: QuerySet[Opinion]) -> QuerySet[Opinion]:
    # Prefetched, not joined: with a text test the planner expects a row or two and would
    # loop over every person for each opinion.
    return rows.select_related("unit").prefetch_related("target_person", "group_membership")


def _page_from_keys(rows, filters, *, after, before) -> KeysetPage | None:
    """A searched page from the keys of the newest SEARCH_COUNT_CAP + 1 matches, fetched in
    one query; None when the cursor lies deeper than those keys."""
    cap = SEARCH_COUNT_CAP
    keys = list(
        filtered(rows, filters)
        .order_by("-received_on", "-id")
        .values_list("received_on", "id")[: cap + 1]
    )
    capped = len(keys) > cap
    if (cursor := parse_cursor(before)) is not None:
        if capped and cursor < keys[-1]:
            return None
        newer = [k for k in keys if k > cursor]
        picked, more_newer, more_older = newer[-PAGE_SIZE:], len(newer) > PAGE_SIZE, True
    else:
        cursor = parse_cursor(after)
        older = [k for k in keys if cursor is None or k < cursor]
        if capped and cursor is not None and len(older) <= PAGE_SIZE:
            return None  # past the keys we hold: the usual path pages on
        picked, more_older = older[:PAGE_SIZE], len(older) > PAGE_SIZE
        more_newer = cursor is not None
    found = _page_rows(Opinion.objects.filter(pk__in=[pk for _day, pk in picked]))
    found = sorted(found, key=lambda o: (o.received_on, o.pk), reverse=True)
    page = KeysetPage(object_list=found, count=min(len(keys), cap), count_capped=capped)
    if found:
        page.next_cursor = cursor_of(found[-1]) if more_older else ""
        page.previous_cursor = cursor_of(found[0]) if more_newer else ""
    return page


def _labelled(page: KeysetPage) -> KeysetPage:
    found = page.object_list
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


TRGM_CANDIDATES = 30  # rows pg_trgm offers per look-up, rescored in Python


def _duplicate_ids(opinion: Opinion, limit: int) -> list[tuple[int, float]]:
    if trigrams_work():
        # pg_trgm offers candidates on the raw text, looser than the measure, in both scripts
        # (the text as written, in Simplified and in Traditional); similarity.py scores them
        # on the normalised text, as the suggested groups are.
        texts = sorted({opinion.text, similarity.simplified(opinion.text),
                        similarity.traditional(opinion.text)})  # fmt: skip
        match = " OR ".join(["text %% %s"] * len(texts))
        best = ", ".join(["similarity(text, %s)"] * len(texts))
        best = f"greatest({best})" if len(texts) > 1 else best
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('pg_trgm.similarity_threshold', %s, true)",
                [str(TRGM_THRESHOLD)],
            )
            cursor.execute(
                f"SELECT id, text FROM feedback_opinion"
                f" WHERE unit_id = %s::bigint AND id <> %s AND ({match})"
                f" ORDER BY {best} DESC, id LIMIT %s",
                [opinion.unit_id, opinion.pk, *texts, *texts, TRGM_CANDIDATES],
            )
            candidates = cursor.fetchall()
        return similarity.most_similar(opinion.text, candidates, limit=limit)
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


def group_gone(user, pk) -> dict | None:
    """What the record says of a group that no longer exists, if it was of a unit the user
    may see: why it went, its 归纳, and each of its opinions the user may read with the group
    it is in now. None when there is no such record."""
    record = (
        AuditLog.objects.filter(
            content_type__app_label="feedback",
            content_type__model="opiniongroup",
            object_id=str(pk),
            action__in=GONE_ACTIONS,
        )
        .filter(unit_filter(user))
        .select_related("unit")
        .order_by("-created_at", "-id")
        .first()
    )
    if record is None:
        return None
    ids = [i for i in record.changes.get("opinion_ids", []) if isinstance(i, int)]
    opinions = list(
        visible_opinions(user)
        .filter(pk__in=ids)
        .select_related("group_membership__group")
        .order_by("received_on", "id")
    )
    into = record.changes.get("into")
    return {
        "record": record,
        "unit": record.unit,
        "pk": pk,
        "title": record.changes.get("title", ""),
        "opinions": opinions,
        "into": OpinionGroup.objects.filter(pk=into, unit=record.unit).first() if into else None,
    }
