"""Queue a task after the transaction commits, and survive a broker that is down.

With Redis stopped, `task.delay()` raises after the commit: the user would see an error
page for work that was saved. `enqueue_on_commit` catches that and falls back:
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


def enqueue(task, *args, fallback: str = "inline", **kwargs) -> None:
    try:
        task.apply_async(args, kwargs, retry=False)
    except BROKER_ERRORS as exc:
        logger.warning("broker unreachable (%s); %s falls back to %s", exc, task.name, fallback)
        if fallback == "inline":
            task.apply(args, kwargs)


def enqueue_on_commit(task, *args, fallback: str = "inline", **kwargs) -> None:
    transaction.on_commit(lambda: enqueue(task, *args, fallback=fallback, **kwargs))
