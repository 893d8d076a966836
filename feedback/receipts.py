"""The public box's receipt (查询码): a short random code the citizen keeps, with which the box
later shows what became of the opinion.

Only a keyed hash of the code is stored on the opinion (HMAC-SHA256, salted with a key
derived from SECRET_KEY that the database never holds), so the code cannot be read back from
the data nor guessed offline; nothing else links the opinion to the person. Twelve characters
from 31 that are not confused when written down (no 0/O, 1/I/L): about 59 bits.
"""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from units.models import Unit

from .models import Opinion

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 12


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def shown(code: str) -> str:
    """ABCD-EFGH-JKMN: easier to copy by hand."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def cleaned(value: str) -> str:
    """What the citizen typed, as the code: upper case, no dashes or spaces."""
    value = (value or "").upper().replace("-", "").replace(" ", "")
    return value if len(value) == LENGTH and set(value) <= set(ALPHABET) else ""


def receipt_hash(code: str) -> str:
    key = hashlib.sha256(f"opinion-receipt|{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, code.encode(), hashlib.sha256).hexdigest()


def opinion_by_receipt(unit: Unit, value: str) -> Opinion | None:
    """The unit's opinion this code was given for, or None (a wrong code says no more)."""
    code = cleaned(value)
    if not code:
        return None
    return Opinion.objects.filter(unit=unit, receipt_hash=receipt_hash(code)).first()


# What the citizen is told, by the opinion's status.
PUBLIC_STATUS = {
    Opinion.Status.COLLECTED: _("已收到"),
    Opinion.Status.SORTED: _("已梳理"),
    Opinion.Status.PROBLEM: _("已转为问题"),
    Opinion.Status.ANSWERED: _("已反馈"),
}
