"""Shared set-up for the page benchmarks: Django in-process, DEBUG off, timings printed.

Benchmarks print figures and never fail on time. Run them against the scale data
(`make scale`, or `manage.py seed_scale` with DATABASE_URL set for PostgreSQL).
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "false")  # no per-query logging, as in production

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402

PLAIN_STATIC = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# BENCH_RUNS=1 with `seed_scale --tiny` is the CI run that keeps the benchmarks working.
RUNS = int(os.environ.get("BENCH_RUNS", 30))


def measure(client: Client, url: str, runs: int = RUNS) -> dict:
    """Median and 95th percentile server time of GET url, after two warm-up requests."""
    with override_settings(STORAGES=PLAIN_STATIC, ALLOWED_HOSTS=["testserver"]):
        for _ in range(2):
            assert client.get(url).status_code == 200, url
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        query_count = len(queries)  # read now: reset_queries() below empties the log
        times = []
        for _ in range(runs):
            reset_queries()
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
    times.sort()
    return {
        "url": url,
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[int(len(times) * 0.95) - 1], 1),
        "queries": query_count,
        "database": connection.vendor,
    }


def report(name: str, result: dict) -> None:
    print(
        f"{name:<28} median {result['median_ms']:>7} ms   p95 {result['p95_ms']:>7} ms   "
        f"{result['queries']:>3} queries   ({result['database']}) {result['url']}"
    )
