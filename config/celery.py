"""The Celery app and its one beat schedule: every periodic task of the project is listed here."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def beat_schedule() -> dict:
    """Beat's timetable. Reminder times follow the REMINDER_* settings (reminders/conf.py)."""
    from core.health import QUEUES
    from reminders import conf

    hour, minute = conf.get("REMINDER_HOUR"), conf.get("REMINDER_MINUTE")
    heartbeats = {
        f"heartbeat-{queue}": {
            "task": "core.heartbeat",
            "schedule": 60.0,
            "args": (queue,),
            "options": {"queue": queue, "expires": 55},
        }
        for queue in QUEUES
    }
    every_minute = {"schedule": 60.0, "options": {"expires": 55}}
    return {
        **heartbeats,
        # The sweepers: every minute, each takes only rows whose claim or queueing has run
        # out (core/sweep.py, reminders.services.outbox_sweep); a late one is dropped.
        "sweep-notifications": {**every_minute, "task": "core.sweep_notifications"},
        "sweep-reports": {**every_minute, "task": "core.sweep_reports"},
        "reports-expire": {"task": "core.expire_reports", "schedule": crontab(minute="*/15")},
        # A round that ran out of time has its ballots rewritten in random order.
        "appraisals-seal": {**every_minute, "task": "appraisals.seal_due_rounds"},
        "reminders-daily": {
            "task": "reminders.build_daily",
            "schedule": crontab(hour=hour, minute=minute),
        },
        "reminders-weekly": {
            "task": "reminders.build_weekly",
            "schedule": crontab(day_of_week=conf.get("REMINDER_WEEKDAY"), hour=hour, minute=minute),
        },
        "reminders-sweep": {**every_minute, "task": "reminders.sweep_outbox"},
    }


@app.on_after_configure.connect
def _install_beat_schedule(sender, **kwargs):
    # Read when the app is first configured, after Django's settings are importable.
    sender.conf.beat_schedule = beat_schedule()
