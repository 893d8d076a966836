"""A report rendered by a real Celery worker consuming the `reports` queue on Redis.

Uses Redis database 13 (tests/test_worker.py uses 15). In CI a missing Redis is a failure.
"""

import os
import signal
import subprocess
import sys
import time
import uuid

import openpyxl
import pytest
from celery import Celery
from django.db import connection

from tests.factories import ProblemFactory, RectificationItemFactory
from tests.helpers.worker import BASE_DIR, flushed_redis

REDIS_URL = os.environ.get("TEST_REPORTS_REDIS_URL", "redis://127.0.0.1:6379/13")


@pytest.fixture
def redis_url():
    return flushed_redis(REDIS_URL)


def database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_on_the_reports_queue_renders_the_ledger(world, redis_url, tmp_path):
    from core.reports.services import report_request

    for n in range(5):
        RectificationItemFactory(problem=ProblemFactory(unit=world.unit_a, title=f"工作者问题{n}"))
    RectificationItemFactory(problem=ProblemFactory(unit=world.unit_b, title="乙单位的问题"))
    report, inline = report_request(
        kind="rectification.ledger", fmt="xlsx", params={"unit": world.unit_a.pk}, by=world.alice
    )
    producer = Celery("producer", broker=redis_url)
    # Queued before the worker starts, on the reports queue as the route says.
    producer.send_task("core.render_report", args=[report.pk], queue="reports")
    env = {
        **os.environ,
        "CELERY_BROKER_URL": redis_url,
        "DATABASE_URL": database_url(),
        "VAR_DIR": str(tmp_path),
    }
    log_path = tmp_path / "worker.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo",
             "-Q", "celery,reports", "-l", "info", "-n", f"reports-{uuid.uuid4().hex[:8]}@%h"],
            cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline:
                report.refresh_from_db()
                if report.is_finished:
                    break
                time.sleep(0.5)
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
    assert report.status == "done", log_path.read_text()[-3000:]
    assert report.progress == 100 and report.rows == 5
    path = tmp_path / "reports" / report.path
    ws = openpyxl.load_workbook(path, read_only=True).worksheets[0]
    titles = [row[1] for row in list(ws.iter_rows(values_only=True))[3:]]
    assert sorted(titles) == [f"工作者问题{n}" for n in range(5)]
