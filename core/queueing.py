"""Queue a task after the transaction commits, and survive a broker that is down.

With Redis stopped, `task.delay()` raises after the commit: the user would see an error
page for work that was saved. What it raises depends on where it fails (kombu's
OperationalError for the broker, redis errors, a RuntimeError from Celery's result store,
plain OSError), so `enqueue` catches any exception, and the settings keep the wait short
(broker and Redis connect timeouts, no publish retries, no result store for the tasks queued
here). Then it falls back:
- "inline": run the task here and now, in this process (light tasks: a few e-mails, a
  progress refresh), so nothing waits for the broker to come back;
- "sweeper": leave it; a periodic sweeper finds the work by its database row (the
  reminder outbox, report rows) and queues it once the broker is back.
Either way nothing is lost and the page the user sees is the normal one.
"""

import logging

from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)
BROKER_ERRORS = (OperationalError, ConnectionError, OSError, TimeoutError)


def enqueue(task, *args, fallback: str = "inline", **kwargs) -> bool:
    """Queue the task; False when the broker refused and the fallback ran instead."""
    # Eager (the tests): the task runs inside apply_async, so only a broker's own errors mean
    # "broker down"; anything else is the task's error and must fail its test.
    refused = BROKER_ERRORS if task.app.conf.task_always_eager else Exception
    try:
        task.apply_async(args, kwargs, retry=False)
        return True
    except refused as exc:  # the work is saved: whatever the broker did, fall back
        logger.warning(
            "broker unreachable (%s: %s); %s falls back to %s",
            exc.__class__.__name__, exc, task.name, fallback,
        )  # fmt: skip
    if fallback == "inline":
        try:
            task(*args, **kwargs)  # called directly: one attempt, no eager retry loop
        except Exception:  # e.g. the mail server down too: the sweeper finds the row later
            logger.exception("%s failed inline; its sweeper will retry", task.name)
    return False


def enqueue_on_commit(task, *args, fallback: str = "inline", **kwargs) -> None:
    transaction.on_commit(lambda: enqueue(task, *args, fallback=fallback, **kwargs))
