"""Reads the opinion pages share."""

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from .models import Opinion, OpinionNote

PAGE_SIZE = 50
FILTERS = {
    "channel": "channel",
    "source_group": "source_group",
    "four_winds": "four_winds",
    "question_type": "question_type",
    "status": "status",
    "date_from": "received_on__gte",
    "date_to": "received_on__lte",
    "q": "text__icontains",
}


def opinion_page(rows: QuerySet[Opinion], *, filters: dict, page_number) -> Page:
    """One page of opinions, newest first; `filters` is a filter form's cleaned_data."""
    for name, lookup in FILTERS.items():
        value = filters.get(name)
        if value not in (None, ""):
            rows = rows.filter(**{lookup: value})
    rows = rows.select_related("target_person", "campaign").order_by("-received_on", "-id")
    page = Paginator(rows, PAGE_SIZE).get_page(page_number)
    page.object_list = list(page.object_list)
    return page


def opinion_notes(opinion: Opinion) -> list[OpinionNote]:
    return list(opinion.notes.select_related("author"))
