"""Health: is the web process up, can it reach the database and Redis, are the workers alive?

It also counts what waits to be delivered (notices, digests, reports): a few for a minute
is normal, many for long means the mail server or the worker is down, and says so.

Each worker proves it is alive by running the `core.heartbeat` task that beat queues every
minute on each queue; the task writes the time into a file under VAR_DIR/heartbeat. The web process reads
the files' ages. This works the same on the filesystem broker of a laptop and on Redis.
"""

import datetime
import time
from collections.abc import Callable
from pathlib import Path

from celery import shared_task
from django.conf import settings
from django.db import connection
from django.db.models import Count, Min
from django.utils import timezone

QUEUES = ("celery", "reports")
STALE_AFTER = 3 * 60  # seconds: three missed beats


def _heartbeat_dir() -> Path:
    return Path(settings.VAR_DIR) / "heartbeat"


@shared_task(name="core.heartbeat", ignore_result=True)
def heartbeat(queue: str) -> None:
    folder = _heartbeat_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / queue).write_text(str(time.time()))


def check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except Exception as exc:
        return f"error: {exc.__class__.__name__}"


def redis_urls() -> list[str]:
    urls = [settings.CELERY_BROKER_URL]
    cache = settings.CACHES["default"]
    if "redis" in cache["BACKEND"].lower():
        urls.append(cache["LOCATION"])
    return [url for url in urls if url.startswith(("redis://", "rediss://"))]


def check_redis() -> str:
    urls = redis_urls()
    if not urls:
        return "not used"
    import redis

    try:
        for url in urls:
            redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2).ping()
        return "ok"
    except Exception as exc:
        return f"error: {exc.__class__.__name__}"


def check_worker(queue: str) -> str:
    beat = _heartbeat_dir() / queue
    if not beat.exists():
        return "no heartbeat yet"
    try:
        age = time.time() - float(beat.read_text())
    except ValueError:
        return "no heartbeat yet"
    return "ok" if age <= STALE_AFTER else f"stale: last heartbeat {int(age)} s ago"


# What waits to be delivered: name -> a function returning (how many, the oldest's time).
# Core counts notices and reports; apps above add theirs (reminders: digests) in ready().
WAITING: dict[str, Callable[[], tuple[int, datetime.datetime | None]]] = {}
LATE_AFTER = 10 * 60  # seconds: the sweepers run every minute, so this has been stuck a while


def register_waiting(name: str, count: Callable[[], tuple[int, datetime.datetime | None]]):
    WAITING[name] = count


def _waiting_notices():
    from .models import Notification
    from .sweep import NOTIFICATION_WINDOW

    rows = Notification.objects.filter(
        emailed_at__isnull=True, user__email__gt="",
        created_at__gte=timezone.now() - NOTIFICATION_WINDOW,
    )  # fmt: skip
    figures = rows.aggregate(n=Count("pk"), oldest=Min("created_at"))
    return figures["n"], figures["oldest"]


def _waiting_reports():
    from .models import ReportFile

    rows = ReportFile.objects.filter(status=ReportFile.Status.QUEUED)
    figures = rows.aggregate(n=Count("pk"), oldest=Min("created_at"))
    return figures["n"], figures["oldest"]


register_waiting("notices", _waiting_notices)
register_waiting("reports", _waiting_reports)


def check_waiting(count) -> str:
    """How many wait and for how long: plain "ok" when none do, "late" past LATE_AFTER (the
    mail server or the worker is down, as the message says)."""
    try:
        n, oldest = count()
    except Exception as exc:
        return f"error: {exc.__class__.__name__}"
    if not n:
        return "ok"
    age = int((timezone.now() - oldest).total_seconds()) if oldest else 0
    text = f"{n} waiting, oldest {age // 60} min"
    if age > LATE_AFTER:
        return f"late: {text} (mail server or worker down?)"
    return f"ok, {text}"


def health() -> dict[str, str]:
    report = {"web": "ok", "database": check_database(), "redis": check_redis()}
    for queue in QUEUES:
        report[f"worker:{queue}"] = check_worker(queue)
    for name, count in WAITING.items():
        report[f"waiting:{name}"] = check_waiting(count)
    return report


def healthy(report: dict[str, str]) -> bool:
    return all(value in ("ok", "not used") or value.startswith("ok,") for value in report.values())


def health_view(request):
    """GET /healthz/: 200 when everything answers, 503 naming what does not (JSON)."""
    from django.http import JsonResponse

    report = health()
    return JsonResponse(report, status=200 if healthy(report) else 503)
