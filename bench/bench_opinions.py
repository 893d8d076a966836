"""Server time of the opinion list (梳理) and of the duplicate look-up on 1,000,000 opinions.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/campaign_bench
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py seed_scale
    .venv/bin/python bench/bench_opinions.py

seed_scale's feedback.scale step makes the opinions: ten busy city bodies with 20,000 each,
the rest over the city's 5,000 units, one in six a planted near-duplicate. Goals (issue 5):
the list page's median under 100 ms, with keyset pages deep into the busiest unit and
city-wide; finding the likely duplicates of one opinion under 100 ms on PostgreSQL.
"""

from _harness import client_for, measure, report  # noqa: I001

import random
import statistics
import time

from django.db.models import Count
from django.urls import reverse

from feedback import selectors
from feedback.models import Opinion
from units.models import Unit, User
from demo.scale.units import SCALE_CODE_PREFIX


def cursor_at(rows, depth: int) -> str:
    """The keyset cursor `depth` rows down the list, as "下一页" would reach it."""
    depth = min(depth, rows.count() - 1)  # a tiny city (seed_scale --tiny) has fewer rows
    row = rows.order_by("-received_on", "-id").values("received_on", "id")[depth]
    return f"{row['received_on']:%Y-%m-%d}_{row['id']}"


def lookup_times(opinions: list[Opinion]) -> dict:
    times, found = [], []
    for opinion in opinions:
        started = time.perf_counter()
        found.append(len(selectors._duplicate_ids(opinion, selectors.DUPLICATES)))
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[int(len(times) * 0.95) - 1], 1),
        "max_ms": round(times[-1], 1),
        "found_median": statistics.median(found),
    }


def main():
    root = Unit.objects.filter(code__startswith=SCALE_CODE_PREFIX, depth=0).get()
    office = User.objects.filter(role=User.Role.OFFICE, home_unit=root).first()
    busy_id, busy_count = (
        Opinion.objects.values_list("unit").annotate(n=Count("id")).order_by("-n").first()
    )
    busy = Unit.objects.get(pk=busy_id)
    staff = User.objects.filter(role=User.Role.UNIT_STAFF, home_unit=busy).first() or office
    district = Unit.objects.filter(path__startswith=root.path, kind=Unit.Kind.DISTRICT).first()
    print(
        f"opinions {Opinion.objects.count():,}; busiest unit {busy.name} with {busy_count:,}; "
        f"trigram look-up: {'pg_trgm' if selectors.trigrams_work() else 'Python Dice'}"
    )
    unit_list = reverse("feedback:opinion_list", args=[busy.pk])
    city_list = reverse("feedback:opinion_list", args=[root.pk])
    district_list = reverse("feedback:opinion_list", args=[district.pk])
    deep = cursor_at(Opinion.objects.filter(unit=busy), 15_000)
    city_deep = cursor_at(Opinion.objects.all(), 500_000)
    pages = {
        "list (busiest unit)": (staff, unit_list),
        "list, keyset row 15,000": (staff, f"{unit_list}?after={deep}"),
        "list, back from row 15,000": (staff, f"{unit_list}?before={deep}"),
        "list, 2 filters": (staff, f"{unit_list}?status=collected&channel=symposium"),
        "list, search 会议 (common)": (staff, f"{unit_list}?q=会议"),
        "list, search 公车私用": (staff, f"{unit_list}?q=公车私用"),
        "list, search 前店后厂 +filter": (staff, f"{unit_list}?q=前店后厂&status=sorted"),
        "list, search 无此内容 (none)": (staff, f"{unit_list}?q=无此内容"),
        "city-wide with sub-units": (office, f"{city_list}?subtree=on"),
        "city-wide, row 500,000": (office, f"{city_list}?subtree=on&after={city_deep}"),
        "city-wide, search 公车私用": (office, f"{city_list}?subtree=on&q=公车私用"),
        "city-wide, filter answered": (office, f"{city_list}?subtree=on&status=answered"),
        "district with sub-units": (office, f"{district_list}?subtree=on"),
        "district, search 门难进": (office, f"{district_list}?subtree=on&q=门难进"),
    }
    opinion = Opinion.objects.filter(unit=busy).order_by("-id").first()
    pages["opinion page (with look-up)"] = (
        staff,
        reverse("feedback:opinion_detail", args=[opinion.pk]),
    )
    pages["groups (busiest unit)"] = (staff, reverse("feedback:group_list", args=[busy.pk]))
    for name, (user, url) in pages.items():
        report(name, measure(client_for(user), url, runs=20))

    rng = random.Random(5)
    busy_ids = list(Opinion.objects.filter(unit=busy).values_list("id", flat=True))
    sample = list(Opinion.objects.filter(pk__in=rng.sample(busy_ids, 50)))
    result = lookup_times(sample)
    print(
        f"{'duplicates of one (busiest)':<28} median {result['median_ms']:>7} ms   "
        f"p95 {result['p95_ms']:>7} ms   max {result['max_ms']} ms   "
        f"(50 opinions, median {result['found_median']} found)"
    )
    top = Opinion.objects.order_by("-id").values_list("id", flat=True).first()
    sample = list(Opinion.objects.filter(pk__in=[rng.randint(1, top) for _ in range(50)]))
    result = lookup_times(sample)
    print(
        f"{'duplicates of one (any unit)':<28} median {result['median_ms']:>7} ms   "
        f"p95 {result['p95_ms']:>7} ms   max {result['max_ms']} ms   "
        f"(50 opinions, median {result['found_median']} found)"
    )


if __name__ == "__main__":
    main()
