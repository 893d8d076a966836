"""Reminder settings: a Django setting of the same name wins, else the environment, else the
default. Read on every call, so tests can change them with the settings fixture."""

import environ
from django.conf import settings

DEFAULTS = {
    "REMINDER_HOUR": 8,  # local time (settings.TIME_ZONE, Asia/Shanghai)
    "REMINDER_MINUTE": 0,
    "REMINDER_WEEKDAY": 1,  # the office's weekly summary: 1 = Monday
    "REMINDER_TASK_DAYS": 3,  # tasks due within this many days
    "REMINDER_LEDGER_DAYS": 7,  # ledger items due within this many days
    "REMINDER_OVERDUE_ESCALATION_DAYS": 3,  # overdue longer than this: the supervisors hear too
    "REMINDER_BATCH_SIZE": 200,  # messages per SMTP connection (each claimed on its own)
    "REMINDER_LISTED": 20,  # entries listed per section; the rest are counted
}

_env = environ.Env()


def get(name: str) -> int:
    if hasattr(settings, name):
        return int(getattr(settings, name))
    return _env.int(name, default=DEFAULTS[name])
