"""Holding off code guessing at the public ballot box without storing who tried.

Only wrong codes count: a meeting room behind one address may cast many ballots with good
codes, but an address that has typed FAILURE_LIMIT wrong codes in WINDOW seconds is told to
wait. As in feedback.throttle, the address becomes an HMAC under SECRET_KEY used only as a
short-lived cache key; it is never written to the database or the logs.
"""

from core.throttle import address_key, client_address, count, hit

__all__ = ["FAILURE_LIMIT", "WINDOW", "blocked", "client_address", "note_failure"]

FAILURE_LIMIT = 20
WINDOW = 10 * 60  # seconds


def blocked(address: str) -> bool:
    return count(address_key("ballot-box", address)) >= FAILURE_LIMIT


def note_failure(address: str) -> None:
    hit(address_key("ballot-box", address), WINDOW)
