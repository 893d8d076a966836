"""GET /healthz/ and `manage.py healthcheck`: web, database, Redis and the workers."""

import json

import pytest
from django.core.management import CommandError, call_command

from core.health import heartbeat


@pytest.fixture(autouse=True)
def _own_var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path


def test_without_a_worker_heartbeat_the_check_fails_and_says_which(client, db):
    response = client.get("/healthz/")
    assert response.status_code == 503
    report = json.loads(response.content)
    assert report["web"] == "ok" and report["database"] == "ok"
    assert report["worker:celery"] == "no heartbeat yet"


def test_with_fresh_heartbeats_everything_is_ok(client, db):
    heartbeat("celery")
    heartbeat("reports")
    response = client.get("/healthz/")
    assert response.status_code == 200, response.content
    assert json.loads(response.content)["worker:reports"] == "ok"


def test_a_stale_heartbeat_is_reported(client, db, time_machine):
    time_machine.move_to("2026-11-20 08:00 +08:00", tick=False)
    heartbeat("celery")
    heartbeat("reports")
    time_machine.move_to("2026-11-20 08:10 +08:00", tick=False)
    report = json.loads(client.get("/healthz/").content)
    assert report["worker:celery"].startswith("stale")


def test_redis_down_is_reported(client, db, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    heartbeat("celery")
    heartbeat("reports")
    response = client.get("/healthz/")
    assert response.status_code == 503
    assert json.loads(response.content)["redis"].startswith("error")


def test_the_command_exits_non_zero_when_something_is_down(db, capsys):
    with pytest.raises(CommandError):
        call_command("healthcheck")
    heartbeat("celery")
    heartbeat("reports")
    call_command("healthcheck")
    assert "database" in capsys.readouterr().out
