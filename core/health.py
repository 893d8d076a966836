"""Health: is the web process up, can it reach the database and Redis, are the workers alive?

Each worker proves it is alive by running the `core.heartbeat` task that beat queues every
minute on each queue; the task writes the time into a file under VAR_DIR/heartbeat. The web process reads
the files' ages. This works the same on the filesystem broker of a laptop and on Redis.
"""

import time
from pathlib import Path

from celery import shared_task
from django.conf import settings
from django.db import connection

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


def health() -> dict[str, str]:
    report = {"web": "ok", "database": check_database(), "redis": check_redis()}
    for queue in QUEUES:
        report[f"worker:{queue}"] = check_worker(queue)
    return report


def healthy(report: dict[str, str]) -> bool:
    return all(value in ("ok", "not used") for value in report.values())


def health_view(request):
    """GET /healthz/: 200 when everything answers, 503 naming what does not (JSON)."""
    from django.http import JsonResponse

    report = health()
    return JsonResponse(report, status=200 if healthy(report) else 503)
