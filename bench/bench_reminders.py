"""Building every user's daily digest on the scale data: users with a digest, queries, seconds.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/campaign_scale2
    .venv/bin/python manage.py migrate
    .venv/bin/python bench/bench_reminders.py [--date 2026-05-20]

Two figures: the build alone (what `send_reminders --dry-run` does: query, assign, render)
and the whole build with the outbox rows and in-app notices written, in a transaction that
is rolled back. Goal (issue 8): a bounded number of queries, under 10 s on PostgreSQL.
"""

import argparse  # noqa: I001
import datetime
import time

from _harness import connection

from django.db import transaction
from django.test.utils import CaptureQueriesContext

from campaign.models import Task
from rectification.models import RectificationItem
from reminders.services import digests_build, digests_render
from units.models import Unit, User


class Rollback(Exception):
    pass


def timed(fn):
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = fn()
        seconds = time.perf_counter() - started
    return result, len(queries), seconds


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--date", default="2026-05-20")
    day = datetime.date.fromisoformat(parser.parse_args().date)
    print(
        f"{connection.vendor}: {Unit.objects.count():,} units, {User.objects.count():,} users, "
        f"{Task.objects.count():,} tasks, {RectificationItem.objects.count():,} ledger items; "
        f"day {day}"
    )
    digests, queries, seconds = timed(lambda: digests_render(day=day))
    listed = sum(d.text.count("\n  http") for d in digests)
    print(f"build (dry run)      {len(digests):>5} users with a digest  {queries:>3} queries  "
          f"{seconds:6.2f} s  ({listed:,} entries listed)")  # fmt: skip

    def build_and_roll_back():
        try:
            with transaction.atomic():
                result = digests_build(day=day, queue_send=False)
                raise Rollback(result)
        except Rollback as done:
            return done.args[0]

    weekly, queries, seconds = timed(lambda: digests_render(day=day, kind="weekly"))
    print(f"weekly summaries     {len(weekly):>5} office users           {queries:>3} queries  "
          f"{seconds:6.2f} s")  # fmt: skip

    result, queries, seconds = timed(build_and_roll_back)
    print(f"build + outbox write {len(result.created_ids):>5} rows                 {queries:>3} "
          f"queries  {seconds:6.2f} s  (rolled back)")  # fmt: skip


if __name__ == "__main__":
    main()
