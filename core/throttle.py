"""Counting a client's attempts without storing who the client is.

The address becomes a keyed hash (HMAC-SHA256 under SECRET_KEY) used only as a short-lived
cache key; it is never written to the database or the logs. The default cache is per process:
point CACHE_URL at Redis when several web processes must share the counts.
"""

import hashlib
import hmac

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver

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


# ---------------------------------------------------------------------------- Password spraying
# django-axes locks one username from one address. A sprayer tries a few passwords against
# many usernames and never reaches that limit, so failures are also counted per address across
# usernames, with a higher threshold (LOGIN_ADDRESS_FAILURE_LIMIT in an hour by default).


def _login_key(request) -> str:
    return address_key("login-failures", client_address(request))


@receiver(user_login_failed)
def count_login_failure(sender, credentials=None, request=None, **kwargs) -> None:
    """Count a wrong password against the address (not one refused because it is locked)."""
    if request is None or getattr(request, "axes_locked_out", False):
        return
    hit(_login_key(request), settings.LOGIN_ADDRESS_WINDOW_SECONDS)


class AddressLockBackend:
    """First in AUTHENTICATION_BACKENDS: refuses every login from an address with too many
    failures across usernames, before any password is checked. It marks the request as axes
    does, so AxesMiddleware answers with the same Chinese lockout page. Like axes' backend it
    has no get_user: it never logs anyone in."""

    def authenticate(self, request, **credentials):
        if request is None:
            return None
        if count(_login_key(request)) < settings.LOGIN_ADDRESS_FAILURE_LIMIT:
            return None
        request.axes_locked_out = True
        request.login_address_locked = True
        raise PermissionDenied
