"""Server time of the summary page (意见汇总) and of a district's free-text search (issue 17).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/campaign_scale \
        .venv/bin/python bench/bench_opinion_summary.py

Goals: the summary page of the busiest unit (20,000 opinions) under 150 ms and of a unit with
100,000 under 400 ms; free-text search in a district with its sub-units (about 430 units) under
100 ms median. The 100,000-opinion unit is made for the run (copies of other units' opinions
under one new unit) inside a transaction that is rolled back, so the data stays as it was.
The scale data files its opinions under no campaign, so the page is asked for those
(`campaign=none`), which is the same work as for one campaign's.
"""

from _harness import client_for, measure, report  # noqa: I001

import os
import sys

from django.db import connection, transaction
from django.db.models import Count
from django.urls import reverse

from feedback.models import Opinion
from units.models import Unit, User
from units.services import unit_create
from demo.scale.units import SCALE_CODE_PREFIX

TINY = bool(os.environ.get("BENCH_TINY"))  # bench/run_tiny.sh: only that it still runs
BIG = 300 if TINY else 100_000
RUNS = int(os.environ.get("BENCH_RUNS", "0")) or None


class Rollback(Exception):
    pass


def summary_url(unit) -> str:
    return reverse("feedback:opinion_summary", args=[unit.pk]) + "?campaign=none"


def main():
    only_big = "--big" in sys.argv
    print(f"load average at start: {os.getloadavg()} ({os.cpu_count()} cores)")
    root = Unit.objects.filter(code__startswith=SCALE_CODE_PREFIX, depth=0).get()
    office = User.objects.filter(role=User.Role.OFFICE, home_unit=root).first()
    busy_id, busy_count = (
        Opinion.objects.values_list("unit").annotate(n=Count("id")).order_by("-n").first()
    )
    busy = Unit.objects.get(pk=busy_id)
    district = Unit.objects.filter(path__startswith=root.path, kind=Unit.Kind.DISTRICT).first()
    units = Unit.objects.filter(path__startswith=district.path).count()
    district_list = reverse("feedback:opinion_list", args=[district.pk])
    client = client_for(office)
    if not only_big:
        report(f"summary ({busy_count:,})", measure(client, summary_url(busy), runs=RUNS or 20))
        for word in ("门难进", "公车私用", "会议"):
            url = f"{district_list}?subtree=on&q={word}"
            report(f"district ({units} units) {word}", measure(client, url, runs=RUNS or 20))
    try:
        with transaction.atomic():
            big = unit_create(
                name="意见汇总压测单位", code=f"{SCALE_CODE_PREFIX}SUMMARY-BENCH", parent=root,
                kind=Unit.Kind.DEPARTMENT,
            )  # fmt: skip
            with connection.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO feedback_opinion (unit_id, text, channel, source_group,"
                    " question_type, four_winds, target, received_on, is_anonymous, contact,"
                    " status) SELECT %s, text, channel, source_group, question_type, four_winds,"
                    " 'unit', received_on, is_anonymous, contact, status FROM feedback_opinion"
                    " ORDER BY id LIMIT %s",
                    [big.pk, BIG],
                )
                cursor.execute("ANALYZE feedback_opinion")
            report(f"summary ({BIG:,})", measure(client, summary_url(big), runs=RUNS or 10))
            raise Rollback
    except Rollback:
        print("rolled back: the data is as it was")
    print(f"load average at end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
