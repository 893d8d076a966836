"""Surviving faults of the real services.

Redis: a private redis-server started and stopped by the test (the machine's own Redis is
shared with other tests). With it stopped, pages and forms work, rate limits fail open, and
queued work falls back (inline, or to its outbox/sweeper) so nothing is lost; once it is back,
tasks reach the broker again.

PostgreSQL: the request's database connection is terminated in the middle of a write (what a
server restart does to it); the user gets the clear error page and no half-written rows are
left; the next request works.
"""

import shutil
import socket
import subprocess
import time

import psycopg2
import pytest
import redis
from django.core import mail
from django.db import connection, transaction
from django.db.models.signals import post_save
from django.urls import reverse
from kombu import pools as kombu_pools

from config.celery import app as celery_app
from core.models import AuditLog, Notification
from core.notifications import notify
from core.queueing import enqueue
from core.sweep import sweep_notifications
from core.tasks import ping
from feedback.models import Opinion
from tests.conftest import in_ci


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PrivateRedis:
    def __init__(self, tmp_path):
        self.port = _free_port()
        self.dir = tmp_path
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.dir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        client = redis.Redis(port=self.port, socket_connect_timeout=1)
        for _ in range(50):
            try:
                client.ping()
                return
            except redis.exceptions.ConnectionError:
                time.sleep(0.1)
        raise RuntimeError("private redis-server did not start")

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)

    def url(self, db: int) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"


def _reset_broker_connections():
    """Forget pooled broker connections, so the next publish connects to the current URL."""
    kombu_pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def private_redis(tmp_path, settings):
    if not shutil.which("redis-server"):
        if in_ci():
            pytest.fail("redis-server is not installed (CI must run the fault tests)")
        pytest.skip("redis-server is not installed")
    server = PrivateRedis(tmp_path)
    server.start()
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": server.url(0),
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    old = (celery_app.conf.broker_url, celery_app.conf.broker_transport_options)
    celery_app.conf.broker_url = server.url(1)
    celery_app.conf.broker_transport_options = {}
    celery_app.conf.task_always_eager = False
    _reset_broker_connections()
    yield server
    celery_app.conf.broker_url, celery_app.conf.broker_transport_options = old
    _reset_broker_connections()
    if server.proc.poll() is None:
        server.stop()


def test_with_redis_stopped_pages_and_forms_work_and_nothing_is_lost(
    private_redis, client, world, django_capture_on_commit_callbacks
):
    private_redis.stop()
    world.sam.email = "sam@example.gov.cn"
    world.sam.save()

    client.force_login(world.alice)
    for url in (
        reverse("home"),
        f"/units/{world.unit_a.pk}/",
        f"/units/{world.unit_a.pk}/opinions/",
    ):
        assert client.get(url).status_code == 200, url

    # The public opinion box: its rate limit lives in Redis, and fails open.
    client.logout()
    box = reverse("feedback:public_box", args=[world.unit_a.code])
    response = client.post(box, {"text": "会议太多，希望精简。", "contact": ""})
    # The thanks page with its 查询码 is the answer itself (issue 17), not a redirect.
    assert response.status_code == 200 and "意见已收到" in response.content.decode()
    assert Opinion.objects.filter(text="会议太多，希望精简。").exists()

    # A notice whose e-mail task cannot reach the broker is sent at once instead.
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        notify(users=[world.sam], subject="有材料待审核", body="甲单位提交了实施方案。")
    assert [m.subject for m in mail.outbox] == ["有材料待审核"]
    assert Notification.objects.get(subject="有材料待审核").emailed_at is not None

    # Redis is back: tasks reach the broker again, and the sweeper sends nothing twice.
    private_redis.start()
    _reset_broker_connections()
    enqueue(ping)
    assert redis.Redis(port=private_redis.port, db=1).llen("celery") == 1
    assert sweep_notifications() == 0
    assert len(mail.outbox) == 1


def test_an_unsent_notice_is_mailed_by_the_sweeper(world, time_machine):
    time_machine.move_to("2026-11-20 09:00 +08:00")
    world.sam.email = "sam@example.gov.cn"
    world.sam.save()
    Notification.objects.create(user=world.sam, subject="待补发的通知")
    assert sweep_notifications() == 0  # within the grace period: the task may still come
    time_machine.move_to("2026-11-20 09:11 +08:00")
    assert sweep_notifications() == 1
    assert sweep_notifications() == 0
    assert [m.subject for m in mail.outbox] == ["待补发的通知"]


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL fault test; it runs in CI's PostgreSQL pass")


@pytest.mark.django_db(transaction=True)
def test_a_database_cut_mid_request_shows_the_error_page_and_writes_nothing(
    postgres_only, world, settings
):
    from django.test import Client

    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    client.force_login(world.alice)
    params = {**connection.settings_dict}
    killer = psycopg2.connect(
        dbname=params["NAME"], user=params["USER"] or "postgres",
        host=params["HOST"] or "127.0.0.1", port=params["PORT"] or 5432,
    )  # fmt: skip
    killer.autocommit = True

    def cut(sender, instance, created, **kwargs):
        # The opinion row is written; before its audit row, the server drops the connection.
        with killer.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(%s)", [connection.connection.info.backend_pid]
            )

    audit_rows = AuditLog.objects.count()
    post_save.connect(cut, sender=Opinion)
    try:
        response = client.post(
            reverse("feedback:opinion_create", args=[world.unit_a.pk]),
            {"text": "半截写入测试", "channel": Opinion.Channel.values[0],
             "received_on": "2026-11-20", "target": "team", "is_anonymous": "on"},
        )  # fmt: skip
    finally:
        post_save.disconnect(cut, sender=Opinion)
        killer.close()
    assert response.status_code == 500
    assert "服务器出错了" in response.content.decode()
    assert "没有保存任何半截的数据" in response.content.decode()

    connection.close()  # what the end of the request does with a broken connection
    assert not Opinion.objects.filter(text="半截写入测试").exists()
    assert AuditLog.objects.count() == audit_rows
    assert client.get(reverse("home")).status_code == 200
