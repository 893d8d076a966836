"""The tests' clock: the system runs on Beijing time."""

import datetime
from zoneinfo import ZoneInfo

import time_machine

TZ = ZoneInfo("Asia/Shanghai")


def at(day: datetime.date, hour: int = 9):
    """Freeze the clock on `day`, Beijing time."""
    moment = datetime.datetime.combine(day, datetime.time(hour), TZ)
    return time_machine.travel(moment, tick=False)
