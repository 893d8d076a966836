"""A real Celery worker, started as a separate process, runs a task queued before it started.

Once on Redis (as in production) and once on the filesystem broker that `make run` uses.
In CI a missing Redis is a failure, not a skip.
"""

from pathlib import Path

from celery import Celery

from tests.helpers.worker import worker


def run_ping_through(producer: Celery, env: dict, log_path: Path) -> str:
    # Queued before any worker runs: it must wait and then run, not be lost.
    result = producer.send_task("core.ping")
    with worker(env, log_path):
        try:
            return result.get(timeout=60)
        except Exception:
            print(log_path.read_text())
            raise


def test_a_real_worker_on_redis_runs_a_task_queued_before_it_started(redis_url, tmp_path):
    env = {"CELERY_BROKER_URL": redis_url, "CELERY_RESULT_BACKEND": redis_url}
    producer = Celery("producer", broker=redis_url, backend=redis_url)
    assert run_ping_through(producer, env, tmp_path / "worker.log") == "pong"


def test_a_real_worker_on_the_serverless_broker_runs_a_queued_task(tmp_path):
    """`make run` has no broker server: kombu's filesystem transport under VAR_DIR."""
    folders = {
        "data_folder_in": tmp_path / "celery" / "queue",
        "data_folder_out": tmp_path / "celery" / "queue",
        "processed_folder": tmp_path / "celery" / "processed",
        "control_folder": tmp_path / "celery" / "control",
    }
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    backend = f"file://{tmp_path / 'results'}"
    (tmp_path / "results").mkdir()
    producer = Celery("producer", broker="filesystem://", backend=backend)
    producer.conf.broker_transport_options = {k: str(v) for k, v in folders.items()}
    # The worker derives the same folders from VAR_DIR, as `make run` does from var/.
    env = {
        "VAR_DIR": str(tmp_path),
        "CELERY_BROKER_URL": "filesystem://",
        "CELERY_RESULT_BACKEND": backend,
    }
    assert run_ping_through(producer, env, tmp_path / "worker.log") == "pong"
