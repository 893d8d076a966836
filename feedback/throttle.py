"""Holding off a flood of submissions to the public opinion box without storing who sent them.

The client's address becomes a keyed hash (HMAC-SHA256 with SECRET_KEY), used only as a
short-lived cache key; it is never written to the database or the logs. The same caveats as
rectification.throttle apply: the default cache is per process (point CACHES at Redis with
several web processes), and an address is a weak identity.
"""

import hashlib
import hmac

from django.conf import settings
from django.core.cache import cache

from rectification.throttle import client_address

__all__ = ["LIMIT", "WINDOW", "claim_submission", "client_address"]

LIMIT = 5
WINDOW = 10 * 60  # seconds


def _key(address: str) -> str:
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"opinion-box|{address}".encode(), hashlib.sha256
    ).hexdigest()
    return f"feedback:box:{digest[:40]}"


def claim_submission(address: str) -> bool:
    """True if this address may submit one more opinion in the current window."""
    key = _key(address)
    cache.add(key, 0, WINDOW)
    try:
        return cache.incr(key) <= LIMIT
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW)
        return True
