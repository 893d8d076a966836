"""When monthly progress reports (月调度) are owed — the one place the rule is written.

Each month has a report day: settings.PROGRESS_REPORT_DAY (default the 25th), or the month's
last day when the month is shorter. The reporting window opens WINDOW_DAYS (5) days before the
report day — when the reminders start — and stays open to the end of the month.

An item owes the month's report when it is open (未开始 or 整改中) and was created before the
window opened: an item opened inside the window first reports next month. While the window is
open an owed report that has not been filed is shown: as 待报 before the report day and as
未报 (missing) from the report day on. On the first of the next month the flag clears and the
new month starts over; last month's gap stays visible in the item's report list.

Reports are filed for the current month only, any day of the month, one per item.
"""

import calendar
import datetime

from django.conf import settings
from django.utils import timezone

WINDOW_DAYS = 5


def configured_day() -> int:
    return int(getattr(settings, "PROGRESS_REPORT_DAY", 25))


def month_of(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def report_day(month: datetime.date) -> datetime.date:
    last = calendar.monthrange(month.year, month.month)[1]
    return month.replace(day=max(1, min(configured_day(), last)))


def window_opens(month: datetime.date) -> datetime.date:
    return max(month, report_day(month) - datetime.timedelta(days=WINDOW_DAYS))


def window_open(today: datetime.date) -> bool:
    return today >= window_opens(month_of(today))


def owing_cutoff(today: datetime.date) -> datetime.datetime | None:
    """Items created before this moment owe this month's report; None while none is owed."""
    if not window_open(today):
        return None
    opens = window_opens(month_of(today))
    return timezone.make_aware(datetime.datetime.combine(opens, datetime.time.min))


def owes_report(created_at: datetime.datetime, today: datetime.date) -> bool:
    cutoff = owing_cutoff(today)
    return cutoff is not None and created_at < cutoff
