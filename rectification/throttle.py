"""Holding off repeat public ratings without storing who rated.

The client's address is turned into a keyed hash (HMAC-SHA256 with SECRET_KEY) and used only
as a short-lived key in Django's cache; it is never written to the database or the logs. One
address may rate a given item once per day, and at most HOURLY_LIMIT items an hour.

The default cache is per process: with several web processes, point CACHES at Redis so they
share the keys. An address is a weak identity (offices share one behind NAT), so this is a
brake on casual repeat voting, not a guarantee; the one-time codes of the appraisal feature
(feedback.BallotCode) are the strong form, to be used here once that feature exists.
"""

import datetime
import hashlib
import hmac

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from core.security import client_ip

DAY = 24 * 60 * 60
HOURLY_LIMIT = 30


def _key(*parts: str) -> str:
    message = "|".join(parts).encode()
    digest = hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()
    return f"rectification:rating:{digest[:40]}"


def client_address(request) -> str:
    # The deployment decides whom to trust: REMOTE_ADDR, or nginx's X-Real-IP when
    # TRUST_X_REAL_IP is set (deploy/). X-Forwarded-For is whatever the client says.
    return client_ip(request)


def claim_rating(address: str, item_id: int, today: datetime.date) -> bool:
    """True if this address may rate this item today; the claim is then spent."""
    hour = _key("hour", address, timezone.now().strftime("%Y%m%d%H"))
    cache.add(hour, 0, 60 * 60)
    try:
        if cache.incr(hour) > HOURLY_LIMIT:
            return False
    except ValueError:  # expired between add and incr
        cache.set(hour, 1, 60 * 60)
    return cache.add(_key("item", address, str(item_id), today.isoformat()), 1, DAY)
