"""Holding off repeat public ratings without storing who rated.

One address may rate a given item once per day, and at most HOURLY_LIMIT items an hour. The
address is kept only as core.throttle's keyed hash in the cache (never in the database or the
logs). An address is a weak identity (offices share one behind NAT), so this is a brake on
casual repeat voting, not a guarantee; one-time codes (appraisals.BallotCode) are the strong form.
"""

import datetime

from django.core.cache import cache
from django.utils import timezone

from core.throttle import address_key, hit

DAY = 24 * 60 * 60
HOURLY_LIMIT = 30


def claim_rating(address: str, item_id: int, today: datetime.date) -> bool:
    """True if this address may rate this item today; the claim is then spent."""
    hour = timezone.now().strftime("%Y%m%d%H")
    if hit(address_key(f"rating-hour-{hour}", address), 60 * 60) > HOURLY_LIMIT:
        return False
    return cache.add(address_key(f"rating-{item_id}-{today.isoformat()}", address), 1, DAY)
