"""The whole city profile in one run: every dashboard, feed, deep list and admin page of issue 20,
with the login page as the framework's floor.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/campaign_scale \
        .venv/bin/python bench/bench_city.py [--runs N] [--only WORD]

Prints median, p95, the query count and the multiple of the floor for each page, and the
machine's load average before and after (the figures mean little on a busy machine). Goals:
dashboards and the feed under 50 ms, admin changelists under 200 ms, admin searches under
500 ms. Signs in a superuser `bench-admin` for the admin pages (made if missing).
"""

import argparse
import logging
import os
import statistics
import time

from _harness import PLAIN_STATIC, client_for
from django.apps import apps
from django.contrib.admin import site
from django.db import connection, reset_queries
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from campaign.calendar import calendar_etag, feed_for_user
from campaign.models import Campaign
from demo.scale.units import SCALE_CODE_PREFIX
from rectification.models import RectificationItem
from rectification.selectors.ledger import PAGE_SIZE as LEDGER_PAGE_SIZE
from units.models import Unit, User

ADMIN_PAGE = 1000  # the admin's deep page, or its last if it has fewer


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def timed(client: Client, url: str, runs: int, status: int = 200) -> dict:
    """Median and p95 of GET url after two warm-ups; the query count of one request."""
    with override_settings(STORAGES=PLAIN_STATIC, ALLOWED_HOSTS=["testserver"]):
        for _ in range(2):
            response = client.get(url)
            assert response.status_code == status, (url, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        count = len(queries)
        times = []
        for _ in range(runs):
            reset_queries()
            started = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {
        "median": statistics.median(times),
        "p95": times[max(0, int(len(times) * 0.95) - 1)],
        "queries": count,
    }


def _rows(model) -> int:
    return model.objects.count()


def bench_admin() -> User:
    user = User.objects.filter(username="bench-admin").first()
    if user is None:
        user = User.objects.create_superuser("bench-admin", "bench@example.invalid", None)
    return user


def pages() -> list[tuple[str, Client, str, int]]:
    root = Unit.objects.filter(code__startswith=SCALE_CODE_PREFIX, depth=0).get()
    campaign = Campaign.objects.filter(organiser=root).first()
    office = User.objects.filter(role=User.Role.OFFICE, home_unit=root).first()
    supervisor = (
        User.objects.filter(role=User.Role.SUPERVISOR, supervision_groups__units__isnull=False)
        .annotate(n=Count("supervision_groups__units"))
        .order_by("-n", "pk")
        .first()
    )
    district = (
        Unit.objects.filter(path__startswith=root.path, kind=Unit.Kind.DISTRICT)
        .order_by("path")
        .first()
    )
    items = RectificationItem.objects.filter(unit__path__startswith=root.path).count()
    last = max(1, -(-items // LEDGER_PAGE_SIZE))
    admin = client_for(bench_admin())
    as_office, as_supervisor = client_for(office), client_for(supervisor)
    feed = reverse("campaign:calendar_feed", args=[feed_for_user(supervisor).token])
    ledger = reverse("rectification:ledger", args=[root.pk])
    opinions = reverse("feedback:opinion_list", args=[district.pk])
    rows = [
        ("login page (floor)", Client(), reverse("login"), 200),
        ("office dashboard", as_office, reverse("dashboards:dashboard", args=[campaign.pk]), 200),
        (
            "supervisor dashboard",
            as_supervisor,
            reverse("dashboards:supervision_dashboard", args=[campaign.pk]),
            200,
        ),
        ("iCalendar feed (supervisor)", Client(), feed, 200),
    ]
    etag = calendar_etag(supervisor)
    rows.append(("iCalendar feed, unchanged", Client(headers={"If-None-Match": etag}), feed, 304))
    rows += [
        (f"ledger, sub-units, page {last}", as_office, f"{ledger}?subtree=on&page={last}", 200),
        ("opinion search, district", as_office, f"{opinions}?subtree=on&q=会议", 200),
    ]
    admin_pages = {
        "opinion": ("feedback", "opinion", "会议"),
        "task": ("campaign", "task", "街道"),
        "activity": ("campaign", "activity", "学习"),
        "progressreport": ("rectification", "progressreport", "整改"),
        "rectificationitem": ("rectification", "rectificationitem", "会议"),
        "auditlog": ("core", "auditlog", "scale"),
    }
    for name, (app, model, word) in admin_pages.items():
        url = reverse(f"admin:{app}_{model}_changelist")
        model_class = apps.get_model(app, model)
        per_page = site._registry[model_class].list_per_page
        deep = min(ADMIN_PAGE, max(1, _rows(model_class) // per_page))
        rows += [
            (f"admin {name} list", admin, url, 200),
            (f"admin {name} search", admin, f"{url}?q={word}", 200),
            (f"admin {name} page {deep}", admin, f"{url}?p={deep}", 200),
        ]
    return rows


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_RUNS", 20)))
    parser.add_argument("--only", default="", help="measure only pages whose name has this")
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)  # axes logs every force_login
    print(f"load average before: {load()}   database: {connection.vendor}   runs: {args.runs}")
    print(f"{'page':<32} {'median':>9} {'p95':>9} {'queries':>8} {'× floor':>8}")
    floor = None
    for name, client, url, status in pages():
        if args.only and args.only not in name and floor is not None:
            continue
        r = timed(client, url, args.runs, status)
        floor = floor or r["median"]
        print(
            f"{name:<32} {r['median']:>7.1f}ms {r['p95']:>7.1f}ms {r['queries']:>8} "
            f"{r['median'] / floor:>7.1f}×"
        )
    print(f"load average after: {load()}")


if __name__ == "__main__":
    main()
