"""The admin on tables of hundreds of thousands of rows (issue 20).

- No exact COUNT(*) of a big table: an unfiltered list takes PostgreSQL's estimate
  (pg_class.reltuples, kept by ANALYZE and autovacuum); a filtered one counts at most
  COUNT_CAP rows, which the database stops reading once it has them.
- Deep pages skip keys, not rows: the page's keys come from the sort index alone.
- Search only where an index helps: the table's own text columns with `__contains` (LIKE, which
  pg_trgm's GIN indexes serve; Chinese has no case to fold), and related names by first
  searching the small related table, then matching its keys through the foreign-key index.
"""

from functools import cached_property

from django.contrib.admin.utils import get_fields_from_path
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Q

ESTIMATE_OVER = 100_000  # below this an exact count is cheap enough
COUNT_CAP = 10_000
SEARCH_MAX = 100  # characters of a search term used


def estimated_rows(model, using: str = "default") -> int:
    """The planner's row estimate for a model's table; -1 when unknown (never analysed)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return -1
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
            [model._meta.db_table],
        )
        row = cursor.fetchone()
    return int(row[0]) if row else -1


class EstimatedCountPaginator(Paginator):
    @cached_property
    def count(self):
        rows = self.object_list
        if not rows.query.where:
            estimate = estimated_rows(rows.model, rows.db)
            if estimate > ESTIMATE_OVER:
                return estimate
            return rows.count()
        return rows.order_by()[: COUNT_CAP + 1].count()

    def page(self, number):
        """The page's keys first, on the narrow sort index, then only its rows with their
        joins: OFFSET 99,900 then skips index entries rather than joined rows."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = self.object_list
        keys = list(rows.values_list("pk", flat=True)[bottom : bottom + self.per_page])
        found = rows.in_bulk(keys)
        return self._get_page([found[k] for k in keys if k in found], number, self)


class BigTableAdmin:
    """Mix in before admin.ModelAdmin. `search_fields` name own text columns with their
    lookup ("title__contains"); `search_related` maps a relation to the field searched in
    its table ({"participation__unit": "name"})."""

    show_full_result_count = False
    paginator = EstimatedCountPaginator
    list_per_page = 50  # rendering 100 rows cost more than finding them
    search_related: dict[str, str] = {}

    def get_search_results(self, request, queryset, search_term):
        term = (search_term or "").strip()[:SEARCH_MAX]
        if not term:
            return queryset, False
        condition = Q()
        for field in self.search_fields:
            condition |= Q(**{field: term})
        for path, field in self.search_related.items():
            related = get_fields_from_path(self.model, path)[-1].related_model
            keys = related._default_manager.filter(**{f"{field}__contains": term})
            condition |= Q(**{f"{path}__in": keys.values("pk")})
        return queryset.filter(condition), False

    def get_search_fields(self, request):
        # Shown as the search box's help; the search itself is get_search_results above.
        return (*self.search_fields, *self.search_related)
