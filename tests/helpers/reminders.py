"""The reminder tests' day. reminder_world (tests/conftest.py) is campaign_world built on
Friday 2026-01-16, everyone with an e-mail address. Units A and A1 were enrolled on the 10th,
so each has 制订学习计划 due on the 15th; unit A's material was submitted on the 16th. Report
day is the 25th, so January's report window opens on the 20th. A day's digest depends only on
the data and the day, so the tests build digests for days around the 16th."""

import datetime

BUILT = datetime.date(2026, 1, 16)
