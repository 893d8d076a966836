"""Real Celery workers for the worker tests: an empty Redis database, and a worker process
started beside the test. In CI a missing Redis is a failure, not a skip."""

import os
import signal
import subprocess
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.helpers.environment import in_ci

BASE_DIR = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def flushed_redis(url: str) -> str:
    """An empty Redis database for a worker test; in CI a missing Redis fails the test."""
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).flushdb()
    except redis.exceptions.ConnectionError:
        message = f"Redis is not reachable at {url}"
        if in_ci():
            pytest.fail(message + " (CI must run this test)")
        pytest.skip(message + "; start redis-server to run this test")
    return url


@contextmanager
def worker(env, log_path):
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo",
             "-l", "info", "-n", f"test-{uuid.uuid4().hex[:8]}@%h"],
            cwd=BASE_DIR, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            yield proc
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
