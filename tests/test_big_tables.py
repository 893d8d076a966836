"""The admin on big tables and the calendar feed cost the same number of queries at two data
sizes, and the admin never counts a big table exactly (issue 20)."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.bigtables import COUNT_CAP, EstimatedCountPaginator
from core.models import AuditLog
from feedback.models import Opinion

from .factories import (
    ActivityFactory,
    AuditLogFactory,
    OpinionFactory,
    ParticipationFactory,
    ProgressReportFactory,
    RectificationItemFactory,
    TaskFactory,
    UnitFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PAGES = {
    "opinion": ("feedback", "opinion", "会议"),
    "task": ("campaign", "task", "单位"),
    "activity": ("campaign", "activity", "学习"),
    "progressreport": ("rectification", "progressreport", "整改"),
    "rectificationitem": ("rectification", "rectificationitem", "单位"),
    "auditlog": ("core", "auditlog", "material."),
}


def add_rows(n: int) -> None:
    unit = UnitFactory()
    participation = ParticipationFactory(unit=unit)
    OpinionFactory.create_batch(n, unit=unit)
    AuditLogFactory.create_batch(n)
    TaskFactory.create_batch(n, participation=participation)
    ActivityFactory.create_batch(n, participation=participation)
    RectificationItemFactory.create_batch(n)
    ProgressReportFactory.create_batch(n)


def admin_queries(client) -> dict[str, int]:
    counts = {}
    for name, (app, model, word) in PAGES.items():
        url = reverse(f"admin:{app}_{model}_changelist")
        for label, params in (("list", {}), ("search", {"q": word}), ("page", {"p": 2})):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url, params)
            assert response.status_code in (200, 302), (name, label)
            counts[f"{name} {label}"] = len(queries)
    return counts


def test_admin_changelists_cost_the_same_at_two_sizes(client, monkeypatch):
    # Two rows a page, so both sizes have a page 2 (a single page is fetched differently).
    for app, model, _word in PAGES.values():
        model_admin = admin.site._registry[apps.get_model(app, model)]
        monkeypatch.setattr(model_admin, "list_per_page", 2)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    add_rows(3)
    small = admin_queries(client)
    add_rows(12)
    large = admin_queries(client)
    assert small == large
    assert max(large.values()) <= 12


def test_a_filtered_admin_list_counts_no_further_than_the_cap():
    OpinionFactory.create_batch(3)
    paginator = EstimatedCountPaginator(Opinion.objects.filter(text__contains="会议"), 50)
    assert paginator.count == 3
    assert COUNT_CAP >= 10_000


def test_the_admin_pages_by_keys_and_keeps_the_sort():
    AuditLogFactory.create_batch(5)
    everything = sorted(AuditLog.objects.values_list("pk", flat=True), reverse=True)
    # A small table is counted exactly (the estimate is for tables past 100,000 rows).
    paginator = EstimatedCountPaginator(AuditLog.objects.order_by("-id"), 2)
    assert paginator.count == len(everything)
    pages = [[r.pk for r in paginator.page(n).object_list] for n in paginator.page_range]
    assert sum(pages, []) == everything


def test_admin_search_finds_rows_by_their_text_and_their_units_name(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    unit = UnitFactory(name="东城区教育局")
    wanted = OpinionFactory(unit=unit, text="食堂饭菜太贵")
    by_text = OpinionFactory(text="会议太多")
    url = reverse("admin:feedback_opinion_changelist")
    assert list(client.get(url, {"q": "教育局"}).context["cl"].result_list) == [wanted]
    assert list(client.get(url, {"q": "会议太"}).context["cl"].result_list) == [by_text]


def test_calendar_feed_costs_the_same_at_two_sizes(client, campaign_world):
    from campaign.calendar import feed_for_user

    w = campaign_world
    url = reverse("campaign:calendar_feed", args=[feed_for_user(w.alice).token])
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    TaskFactory.create_batch(5, participation=ParticipationFactory(unit=w.unit_a))
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert response.status_code == 200
    assert len(small) == len(large) <= 6


@pytest.mark.parametrize("sort", ["deadline", "-deadline", "status", "leader", "-created"])
def test_ledger_pages_past_the_middle_read_backwards_in_the_same_order(sort):
    from rectification.models import RectificationItem
    from rectification.selectors.ledger import SORTS, CountedPaginator

    RectificationItemFactory.create_batch(7)
    rows = RectificationItem.objects.order_by(*SORTS[sort][1]).values_list("id", flat=True)
    everything = list(rows)
    paginator = CountedPaginator(rows, 2, count=len(everything))
    pages = [list(paginator.page(n).object_list) for n in paginator.page_range]
    assert sum(pages, []) == everything
