"""Holding off a flood of submissions to the public opinion box without storing who sent them.

The client's address becomes a keyed hash (HMAC-SHA256 with SECRET_KEY), used only as a
short-lived cache key; it is never written to the database or the logs. The same caveats as
rectification.throttle apply: the default cache is per process (point CACHES at Redis with
several web processes), and an address is a weak identity.
"""

from core.throttle import address_key, client_address, hit

__all__ = ["LIMIT", "WINDOW", "claim_receipt_check", "claim_submission", "client_address"]

LIMIT = 5
WINDOW = 10 * 60  # seconds


def claim_submission(address: str) -> bool:
    """True if this address may submit one more opinion in the current window."""
    return hit(address_key("opinion-box", address), WINDOW) <= LIMIT


def claim_receipt_check(address: str) -> bool:
    """True if this address may look up one more 查询码 in the window: as many as it may post,
    twice over (a code mistyped once), and no more, so codes cannot be tried in bulk."""
    return hit(address_key("opinion-receipt", address), WINDOW) <= 2 * LIMIT
