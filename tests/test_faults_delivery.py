"""Delivery under faults, against real services: a real SMTP server (aiosmtpd, in this
process), real Celery workers on a private Redis, and the database the suite runs on
(SQLite, or PostgreSQL in CI's second pass). In CI a missing redis-server fails these tests.

The rule under test (DESIGN.md §4.4): for notices, digests and reports the row is the truth.
A sender claims a row with a lease just before its message goes out and marks it sent only
after the mail server accepted it; a sweeper (every minute) takes only rows whose lease has
run out; every e-mail carries its row's Message-ID, so the one message a crash may repeat
can be dropped by a relay. Queueing never blocks or fails a request.

Each scenario prints its figures (recipients × copies as the SMTP server counted them, and
the time from recovery to delivery): `pytest -s tests/test_faults_delivery.py`.
"""

import asyncio
import datetime
import email
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from email import policy

import psycopg2
import pytest
import redis
from aiosmtpd.controller import Controller
from celery import Celery
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from campaign import services as cs
from campaign.models import MaterialRequirement
from config.celery import app as celery_app
from core.models import AuditLog, Notification, ReportFile
from core.notifications import send_notification_emails_now
from core.reports.registry import ReportKind
from core.reports.services import report_request, report_requeue
from reminders.models import DigestOutbox
from reminders.services import outbox_send, outbox_sweep
from tests.factories import UserFactory
from tests.helpers.environment import in_ci
from tests.helpers.worker import BASE_DIR, worker
from tests.test_faults import PrivateRedis, _reset_broker_connections, private_redis  # noqa: F401
from tests.test_reminders_smtp import free_port
from tests.test_reminders_worker import database_url

LEASE = 2  # seconds: production's 120, scaled down with the relay's pace


def figures(scenario: str, relay: "Relay", **more) -> None:
    copies = Counter(relay.copies().values())
    shape = ", ".join(f"{n} recipient(s) × {c}" for c, n in sorted(copies.items()))
    extra = "".join(f"; {k.replace('_', ' ')} {v}" for k, v in more.items())
    print(f"\n[{scenario}] {shape}{extra}")


class Relay:
    """An SMTP server that keeps what it accepted: to whom, with which Message-ID, when.
    `delay` makes it slow (seconds per message); `on_message` runs as each one arrives."""

    def __init__(self):
        self.delay, self.on_message, self.refused = 0.0, None, set()
        self.started, self.accepted = 0, []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.started += 1
        if self.on_message:
            self.on_message()
        if self.delay:
            await asyncio.sleep(self.delay)
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        self.accepted.append((message["To"], message["Message-ID"], time.monotonic()))
        return "250 OK"

    def copies(self) -> dict[str, int]:
        return dict(Counter(to for to, _id, _t in self.accepted))

    def ids_of(self, to: str) -> set[str]:
        return {mid for rcpt, mid, _t in self.accepted if rcpt == to}

    def last_at(self) -> float:
        return max(t for _to, _id, t in self.accepted)

    def down(self) -> None:
        self.controller.stop()

    def up(self) -> None:  # a stopped aiosmtpd controller cannot start again: a new one
        self.controller = Controller(self, hostname="127.0.0.1", port=self.controller.port)
        self.controller.start()


@pytest.fixture
def relay(settings):
    """The relay, listening; `relay.down()` takes it down, `relay.up()` brings it back."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 5
    settings.EMAIL_USE_TLS = False
    settings.MAIL_LEASE_SECONDS = LEASE
    handler = Relay()
    handler.controller = Controller(handler, hostname="127.0.0.1", port=settings.EMAIL_PORT)
    handler.controller.start()
    yield handler
    if getattr(handler.controller, "_thread", None):
        handler.controller.stop()


@pytest.fixture
def own_redis(tmp_path):
    if not shutil.which("redis-server"):
        if in_ci():
            pytest.fail("redis-server is not installed (CI must run the fault tests)")
        pytest.skip("redis-server is not installed")
    server = PrivateRedis(tmp_path)
    server.start()
    yield server
    if server.proc.poll() is None:
        server.stop()


def recipients(world, n: int) -> list:
    return [
        UserFactory(username=f"r{i:02}", email=f"r{i:02}@example.com", home_unit=world.unit_a)
        for i in range(n)
    ]


def outbox_rows(users, *, age: int = 0) -> list[int]:
    build, created = uuid.uuid4(), timezone.now() - datetime.timedelta(seconds=age)
    return [
        DigestOutbox.objects.create(
            user=u, day=datetime.date(2026, 1, 13), subject=f"【工作提醒】{u.username}",
            text="您好", html="<p>您好</p>", build_id=build, created_at=created,
        ).pk
        for u in users
    ]  # fmt: skip


def notices(users) -> list[int]:
    return [Notification.objects.create(user=u, subject=f"通知 {u.username}").pk for u in users]


def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def assert_each_once_or_one_repeat(relay: Relay, users, kind: str) -> None:
    copies = relay.copies()
    assert sorted(copies) == sorted(u.email for u in users)  # nothing lost
    repeated = [to for to, n in copies.items() if n > 1]
    assert len(repeated) <= 1 and all(copies[to] == 2 for to in repeated)
    for to in repeated:  # the repeat is the same message: one Message-ID
        [message_id] = relay.ids_of(to)
        assert re.fullmatch(rf"<{kind}-\d+@[\w.-]+>", message_id)


# --- A worker killed with SIGKILL during a send -------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", ["notification", "digest"])
def test_a_worker_killed_mid_send_loses_nothing_and_repeats_at_most_the_message_in_flight(
    kind, world, relay, own_redis, tmp_path
):
    relay.delay = 0.5  # slow enough that the kill lands while the relay holds a message
    users = recipients(world, 6)
    if kind == "notification":
        ids, send, sweep = (
            notices(users),
            "core.send_notification_emails",
            "core.sweep_notifications",
        )
    else:
        ids, send, sweep = outbox_rows(users), "reminders.send_outbox", "reminders.sweep_outbox"
    env = {
        "CELERY_BROKER_URL": own_redis.url(1),
        "DATABASE_URL": database_url(),
        "VAR_DIR": str(tmp_path),
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(relay.controller.port),
        "MAIL_LEASE_SECONDS": str(LEASE),
    }
    # Not the current app: shared tasks in later tests must stay bound to the project's.
    producer = Celery("producer", broker=own_redis.url(1), set_as_current=False)
    producer.send_task(send, args=[ids])
    with worker(env, tmp_path / "killed.log") as proc:
        try:
            wait_for(lambda: relay.started >= 3, 60, "the third message to be in flight")
        except AssertionError:
            print((tmp_path / "killed.log").read_text())
            raise
        proc.kill()  # SIGKILL: no clean-up of any kind
        proc.wait()
    in_flight = relay.started - len(relay.accepted)
    time.sleep(relay.delay + 0.2)  # the relay finishes the message it was holding
    assert len(relay.accepted) < len(users)  # the kill did interrupt the run

    if kind == "notification":
        done = lambda: not Notification.objects.filter(pk__in=ids, emailed_at=None).exists()  # noqa: E731
    else:
        done = lambda: not DigestOutbox.objects.filter(pk__in=ids).exclude(status="sent").exists()  # noqa: E731
    recovered = time.monotonic()
    with worker(env, tmp_path / "recovery.log"):
        try:
            # What beat does every minute, here every second: only expired leases are taken.
            deadline = time.monotonic() + 90
            while not done() and time.monotonic() < deadline:
                producer.send_task(sweep)
                time.sleep(1)
            assert done(), "rows left unsent"
        except AssertionError:
            print((tmp_path / "recovery.log").read_text())
            raise
    assert_each_once_or_one_repeat(relay, users, kind)
    figures(
        f"SIGKILL mid-send, {kind}s", relay, in_flight_at_the_kill=in_flight,
        recovery_to_delivery=f"{relay.last_at() - recovered:.1f} s (lease {LEASE} s, new worker "
        "start included)",
    )  # fmt: skip


# --- A slow relay while the sweeper runs -------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_slow_relay_gets_each_digest_exactly_once_while_the_sweeper_runs(world, relay):
    """20 recipients at 0.5 s a message with a 2 s lease: a batch claimed at once would
    outlive its lease and the sweeper would send it again. Each row is claimed on its own,
    just before its message, so sender and sweeper share the work and nobody gets two."""
    relay.delay = 0.5
    users = recipients(world, 20)
    ids = outbox_rows(users, age=60)  # old enough that the sweeper may take them at once
    errors, finished = [], threading.Event()

    def in_thread(work):
        def run():
            try:
                work()
            except Exception as exc:  # reported by the assertion below
                errors.append(exc)
            finally:
                connection.close()

        return threading.Thread(target=run)

    def sweeper():
        while not finished.is_set():
            outbox_sweep()
            time.sleep(0.3)

    started = time.monotonic()
    sender, sweeping = in_thread(lambda: outbox_send(ids=ids)), in_thread(sweeper)
    sender.start()
    sweeping.start()
    sender.join(60)
    finished.set()
    sweeping.join(60)
    assert not errors, errors
    outbox_sweep()
    assert relay.copies() == {u.email: 1 for u in users}
    assert set(DigestOutbox.objects.values_list("status", flat=True)) == {"sent"}
    figures(
        "slow relay 0.5 s/message, lease 2 s", relay,
        all_delivered_after=f"{relay.last_at() - started:.1f} s",
    )  # fmt: skip


# --- The database connection cut between send and mark -----------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", ["notification", "digest"])
def test_a_database_cut_between_send_and_mark_sends_nothing_twice(kind, world, relay, caplog):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL fault test; it runs in CI's PostgreSQL pass")
    users = recipients(world, 3)
    ids = notices(users) if kind == "notification" else outbox_rows(users)
    params = connection.settings_dict
    killer = psycopg2.connect(
        dbname=params["NAME"], user=params["USER"] or "postgres",
        host=params["HOST"] or "127.0.0.1", port=params["PORT"] or 5432,
    )  # fmt: skip
    killer.autocommit = True
    connection.ensure_connection()
    sender_pid = connection.connection.info.backend_pid

    def cut_once():
        # The message is in the relay's hands; the sender's next write finds no connection.
        relay.on_message = None
        with killer.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [sender_pid])

    relay.on_message = cut_once
    try:
        sent = send_notification_emails_now(ids) if kind == "notification" else outbox_send(ids=ids)
    finally:
        killer.close()
    assert sent == 3
    assert "the database is gone" in caplog.text  # the cut did land between send and mark
    assert relay.copies() == {u.email: 1 for u in users}
    if kind == "notification":
        assert not Notification.objects.filter(pk__in=ids, emailed_at=None).exists()
    else:
        assert set(DigestOutbox.objects.values_list("status", flat=True)) == {"sent"}
    figures(f"database cut between send and mark, {kind}s", relay)


# --- SMTP down: the cron command ----------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_with_smtp_down_the_cron_command_says_why_in_one_line_and_exits_0(
    reminder_world, relay, capsys, tmp_path
):
    relay.down()
    call_command("send_reminders", "--date", "2026-01-13")
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("4 digests built for 2026-01-13; mail server unreachable")
    assert "4 e-mails wait in the outbox for the sender" in lines[0]
    assert set(DigestOutbox.objects.values_list("status", flat=True)) == {"pending"}

    # The same through manage.py, as cron runs it: exit status 0, one line, no traceback.
    env = {
        **os.environ, "DATABASE_URL": database_url(), "VAR_DIR": str(tmp_path),
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(relay.controller.port),
    }  # fmt: skip
    run = subprocess.run(
        [sys.executable, "manage.py", "send_reminders", "--date", "2026-01-13"],
        cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip().splitlines() == [
        line.replace("4 digests built", "0 digests built") for line in lines
    ]
    assert "Traceback" not in run.stderr

    relay.up()  # the server is back: the next run sends what waited
    recovered = time.monotonic()
    call_command("send_reminders", "--date", "2026-01-13")
    assert capsys.readouterr().out.strip() == "0 digests built for 2026-01-13; 4 e-mails sent"
    assert sorted(relay.copies().values()) == [1, 1, 1, 1]
    figures("SMTP down, cron", relay, recovery_to_delivery=f"{relay.last_at() - recovered:.1f} s")


# --- Redis gone: no error page, no wait --------------------------------------------------


@pytest.fixture
def redis_then_gone(private_redis, settings):  # noqa: F811
    """The web process has used Redis (broker and result store) once; then Redis stops."""
    old_backend = celery_app.conf.result_backend
    celery_app.conf.broker_transport_options = settings.BROKER_FAIL_FAST
    celery_app.conf.result_backend = private_redis.url(2)
    _forget_result_backend()
    _reset_broker_connections()
    from core.queueing import enqueue
    from core.tasks import ping

    assert enqueue(ping)  # queued, and subscribed to its result
    private_redis.stop()
    yield private_redis
    celery_app.conf.result_backend = old_backend
    _forget_result_backend()


def _forget_result_backend():
    celery_app._backend_cache = None
    celery_app._local.__dict__.pop("backend", None)


def timed(request):
    started = time.monotonic()
    response = request()
    return response, time.monotonic() - started


@pytest.mark.django_db(transaction=True)
def test_with_redis_gone_no_request_fails_or_waits_and_reports_are_queued_again(
    redis_then_gone, client, review_world, monkeypatch, settings, tmp_path
):
    from core.queueing import enqueue
    from core.tasks import ping

    settings.REPORTS_DIR = tmp_path / "reports"
    settings.DEBUG = False
    w = review_world
    client.raise_request_exception = False
    client.force_login(w.alice)
    # The broker's OperationalError, then the result store's RuntimeError: both caught, fast.
    assert not enqueue(ping) and not enqueue(ping)

    requirement = MaterialRequirement.objects.create(
        stage=w.stage1, kind="study_plan", title="学习计划", is_gate=True
    )
    material = cs.material_start(participation=w.participation, requirement=requirement, by=w.alice)
    response, took = timed(
        lambda: client.post(
            reverse("campaign:material_submit", args=[material.pk]), {"text": "学习计划（第一稿）"}
        )
    )
    assert response.status_code == 302 and took < 2, (response.status_code, took)
    material.refresh_from_db()
    assert material.status == "submitted"
    # Its notice to the supervisor was e-mailed by the web process itself.
    assert Notification.objects.filter(user=w.sam, emailed_at__isnull=False).exists()

    # A large report: its task cannot reach the broker; the row waits, queued.
    monkeypatch.setattr(ReportKind, "inline_limit", lambda self, fmt: -1)
    url = reverse("report_start", args=[w.unit_a.pk, "rectification.ledger", "xlsx"])
    response, report_took = timed(lambda: client.post(url))
    assert response.status_code == 302 and report_took < 2, (response.status_code, report_took)
    report = ReportFile.objects.get()
    assert report.status == "queued" and report.queued_at is not None
    status_page, page_took = timed(lambda: client.get(response.url))
    assert status_page.status_code == 200 and page_took < 2
    health, health_took = timed(lambda: client.get("/healthz/"))
    assert health.status_code == 503 and health_took < 2
    assert health.json()["redis"].startswith("error")
    assert health.json()["waiting:reports"] == "ok, 1 waiting, oldest 0 min"

    # Redis comes back empty: the next sweep after REQUEUE_AFTER queues the report again,
    # and a worker would take it; it is not failed for having waited.
    redis_then_gone.start()
    _reset_broker_connections()
    recovered = time.monotonic()
    assert report_requeue(now=timezone.now() + datetime.timedelta(minutes=3)) == 1
    queued_again = time.monotonic() - recovered
    assert redis.Redis(port=redis_then_gone.port, db=1).llen("reports") == 1
    report.refresh_from_db()
    assert report.status == "queued"
    print(
        f"\n[Redis stopped] material submit {took:.2f} s, report request {report_took:.2f} s, "
        f"status page {page_took:.2f} s, /healthz/ {health_took:.2f} s; no 500. Redis back: "
        f"report queued again {queued_again:.2f} s after the sweep (sweep every 60 s, "
        "REQUEUE_AFTER 2 min)"
    )


# --- A report request that fails half-way keeps nothing ---------------------------------


def test_a_report_request_that_fails_half_way_keeps_no_row(world, monkeypatch):
    def broken_audit(**kwargs):
        raise RuntimeError("the audit write failed")

    monkeypatch.setattr("core.reports.services.audit_log", broken_audit)
    audit_rows = AuditLog.objects.count()
    with pytest.raises(RuntimeError):
        report_request(
            kind="rectification.ledger",
            fmt="xlsx",
            params={"unit": world.unit_a.pk},
            by=world.alice,
        )
    assert not ReportFile.objects.exists()
    assert AuditLog.objects.count() == audit_rows


def test_a_queued_report_is_queued_again_not_failed(world, monkeypatch):
    sent = []
    monkeypatch.setattr("core.reports.services.enqueue", lambda task, pk, **kw: sent.append(pk))
    monkeypatch.setattr(ReportKind, "inline_limit", lambda self, fmt: -1)
    report, inline = report_request(
        kind="rectification.ledger", fmt="xlsx", params={"unit": world.unit_a.pk}, by=world.alice
    )
    assert not inline
    now = timezone.now()
    assert report_requeue(now=now + datetime.timedelta(minutes=1)) == 0  # its task may come
    assert report_requeue(now=now + datetime.timedelta(minutes=3)) == 1
    assert report_requeue(now=now + datetime.timedelta(minutes=4)) == 0  # just queued again
    assert report_requeue(now=now + datetime.timedelta(hours=2)) == 1  # still waiting: again
    report.refresh_from_db()
    assert report.status == "queued" and sent == [report.pk, report.pk]


def test_health_counts_what_waits_and_flags_it_late(world, client, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    world.sam.email = "sam@example.gov.cn"
    world.sam.save()
    notice = Notification.objects.create(user=world.sam, subject="待发的通知")
    report = client.get("/healthz/").json()
    assert report["waiting:notices"] == "ok, 1 waiting, oldest 0 min"
    assert report["waiting:digests"] == "ok" and report["waiting:reports"] == "ok"
    Notification.objects.filter(pk=notice.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=25)
    )
    report = client.get("/healthz/").json()
    assert report["waiting:notices"].startswith("late: 1 waiting, oldest 25 min")


def test_a_report_waiting_for_a_worker_says_so_on_its_pages(world, client):
    report = ReportFile.objects.create(
        kind="rectification.ledger", fmt="xlsx", title="整改台账", requested_by=world.alice,
        created_at=timezone.now() - datetime.timedelta(minutes=5), queued_at=timezone.now(),
        expires_at=timezone.now() + datetime.timedelta(days=1),
    )  # fmt: skip
    client.force_login(world.alice)
    page = client.get(reverse("report_status", args=[report.pk])).content.decode()
    assert "已等待 5 分钟" in page and "自动重新排队" in page
    assert "已等待 5 分钟" in client.get(reverse("reports")).content.decode()
    report.refresh_from_db()
    assert report.status == "queued"  # waiting is no failure


def test_every_sweeper_runs_every_minute():
    from config.celery import beat_schedule

    schedule = beat_schedule()
    for name in ("sweep-notifications", "sweep-reports", "reminders-sweep"):
        assert schedule[name]["schedule"] == 60.0, name
    assert celery_app.tasks["core.sweep_reports"].name == "core.sweep_reports"


@pytest.mark.django_db(transaction=True)
def test_a_refused_address_does_not_hold_up_the_other_notices(world, relay):
    users = recipients(world, 3)
    ids = notices(users)
    relay.refused = {users[0].email}
    assert send_notification_emails_now(ids) == 2
    assert relay.copies() == {users[1].email: 1, users[2].email: 1}
    refused = Notification.objects.get(pk=ids[0])
    assert refused.emailed_at is None and refused.claimed_at is not None  # tried after its lease
