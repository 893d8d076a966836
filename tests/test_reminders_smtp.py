"""A real SMTP server (aiosmtpd, in this process): down for an hour, then up; nothing is lost,
nothing is sent twice, and the digests go in batches over one connection each."""

import datetime
import email
import socket
from email import policy

import pytest
from aiosmtpd.controller import Controller
from celery.exceptions import Retry

from reminders.models import DigestOutbox
from reminders.services import digests_build, outbox_send, outbox_sweep
from tests.helpers.clock import at

D = datetime.date


class Sink:
    """Keeps every message and which connection (SMTP session) brought it."""

    def __init__(self):
        self.messages, self.sessions = [], []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        self.sessions.append(id(session))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 5
    settings.EMAIL_USE_TLS = False
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=settings.EMAIL_PORT)
    yield sink, controller
    if getattr(controller, "_thread", None):
        controller.stop()


def test_smtp_down_for_an_hour_loses_nothing_and_sends_nothing_twice(
    reminder_world, smtp, settings
):
    sink, controller = smtp
    settings.REMINDER_BATCH_SIZE = 3
    day = D(2026, 1, 13)
    with at(day, hour=8) as clock:
        built = digests_build(day=day, queue_send=False).created_ids
        assert len(built) == 4
        with pytest.raises(OSError):  # nothing listens: connection refused
            outbox_send(ids=built)
        rows = DigestOutbox.objects.all()
        assert {r.status for r in rows} == {"pending"}
        # Refused at connect, before any claim: every row says why it waits.
        assert sum("refused" in r.last_error for r in rows) == 4
        clock.shift(datetime.timedelta(minutes=30))
        assert outbox_sweep()["sent"] == 0  # still down: the sweeper logs and waits
        clock.shift(datetime.timedelta(minutes=30))
        controller.start()  # an hour later the server is back
        assert outbox_sweep() == {"stuck": 0, "waiting": 4, "sent": 4}
        assert outbox_send() == 0 and outbox_sweep()["sent"] == 0
    recipients = sorted(m["To"] for m in sink.messages)
    assert recipients == [f"{u}@example.com" for u in ["alice", "bob", "leo", "sam"]]
    assert len(set(sink.sessions)) == 2  # 4 messages in batches of 3: two connections
    alice = next(m for m in sink.messages if m["To"] == "alice@example.com")
    assert alice["Subject"].strip().startswith("【工作提醒】1月13日")
    assert alice.get_body("plain").get_content().startswith(f"{reminder_world.alice}，您好")
    assert "制订学习计划" in alice.get_body("html").get_content()
    assert set(DigestOutbox.objects.values_list("status", flat=True)) == {"sent"}


def test_the_send_task_retries_with_backoff_when_the_server_is_down(reminder_world, smtp):
    from reminders.tasks import send_outbox

    assert send_outbox.autoretry_for and send_outbox.retry_backoff == 60
    assert send_outbox.retry_backoff_max == 3600
    sink, controller = smtp
    with at(D(2026, 1, 13)):
        ids = digests_build(day=D(2026, 1, 13), queue_send=False).created_ids
        with pytest.raises(Retry, match="Connection refused"):  # queued again, later
            send_outbox.apply(args=[ids], throw=True)
        assert DigestOutbox.objects.filter(status="pending").count() == 4
        controller.start()
        assert send_outbox.apply(args=[ids]).get() == 4
    assert len(sink.messages) == 4
