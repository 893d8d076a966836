"""One-time ballot codes (评议码): hard to guess, easy to read aloud and type.

Ten characters from an alphabet of 31 that leaves out the look-alikes 0/O, 1/I/L: about
49.5 bits from `secrets`, printed in groups as XXXX-XXXX-XX. Input is normalised (case,
spaces, dashes) before it is looked up.
"""

import math
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 10
GROUPS = (4, 4, 2)
BITS = LENGTH * math.log2(len(ALPHABET))


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def display_code(code: str) -> str:
    parts, start = [], 0
    for size in GROUPS:
        parts.append(code[start : start + size])
        start += size
    return "-".join(p for p in parts if p)


def normalise(typed: str) -> str:
    """The stored form of what someone typed: upper case, no spaces or dashes."""
    cleaned = "".join(typed.split()).upper()
    for dash in "-－—–_":
        cleaned = cleaned.replace(dash, "")
    return cleaned


def looks_valid(code: str) -> bool:
    return len(code) == LENGTH and all(c in ALPHABET for c in code)
