"""Counting a client's attempts without storing who the client is.

The address becomes a keyed hash (HMAC-SHA256 under SECRET_KEY) used only as a short-lived
cache key; it is never written to the database or the logs. The default cache is per process:
point CACHE_URL at Redis when several web processes must share the counts.
"""

import hashlib
import hmac

from django.conf import settings
from django.core.cache import cache

from .security import client_ip


def address_key(purpose: str, address: str) -> str:
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"{purpose}|{address}".encode(), hashlib.sha256
    ).hexdigest()
    return f"throttle:{purpose}:{digest[:40]}"


def count(key: str) -> int:
    return cache.get(key) or 0


def hit(key: str, window: int) -> int:
    """Count one more attempt in the window; returns the count so far."""
    cache.add(key, 0, window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr (or the cache is down)
        cache.set(key, 1, window)
        return 1


def client_address(request) -> str:
    """The address the throttles count: REMOTE_ADDR, or nginx's X-Real-IP when the deployment
    trusts it (TRUST_X_REAL_IP, deploy/). X-Forwarded-For is whatever the client says."""
    return client_ip(request)
