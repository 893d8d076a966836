"""What the dashboards share: cards, the dashboard itself, the scope a dashboard counts."""

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse

from campaign.models import Campaign, Participation
from reminders import conf as reminder_conf
from units.models import Unit

from . import queries
from .figures import BLUE, GREEN, GREY, ORANGE, RED, Figure

# 未开始, 整改中, 已完成, 已销号 — and a material's 草稿, 已提交, 已通过, 已退回.
LEDGER_COLORS = (GREY, BLUE, ORANGE, GREEN)
MATERIAL_COLORS = (GREY, BLUE, GREEN, RED)


@dataclass
class Card:
    label: str
    value: object
    url: str = ""
    note: str = ""
    tone: str = ""  # "danger" when the number calls for action
    compact: bool = False  # a word rather than a number: a smaller font


@dataclass
class Dashboard:
    campaign: Campaign
    cards: list[Card]
    figures: list[Figure]
    late: list[Participation] = field(default_factory=list)
    escalate_days: int = 0
    review_rows: list = field(default_factory=list)
    review_count: int = 0
    ledger: queries.LedgerTally | None = None


def url_with(name: str, *args, **params) -> str:
    url = reverse(name, args=args)
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"{url}?{query}" if query else url


def escalation_days() -> int:
    return reminder_conf.get("REMINDER_OVERDUE_ESCALATION_DAYS")


@dataclass
class Scope:
    """What one dashboard counts and where its links go."""

    user: object
    campaign: Campaign
    buckets: list[Unit]
    bucket_title: str
    bucket_word: str  # 县区 or 督导单位, for titles
    bucket_url: dict[int, str]
    list_root: Unit | None  # the unit whose ledger and opinion lists the links open
    today: datetime.date
