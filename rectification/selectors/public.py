"""The public page (公示): only public fields, ratings withheld under MIN_RATINGS."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from units.models import Unit

from ..models import PublicRating, RectificationItem
from .ledger import OPEN, PAGE_SIZE, STATUS_RANK, Status

MIN_RATINGS = 5  # results with fewer ratings are withheld (样本不足), as for appraisals


@dataclass
class RatingResult:
    satisfied: int = 0
    basically: int = 0
    unsatisfied: int = 0

    @property
    def total(self) -> int:
        return self.satisfied + self.basically + self.unsatisfied

    @property
    def shown(self) -> bool:
        return self.total >= MIN_RATINGS

    @property
    def satisfaction(self) -> int:
        """满意度: the share rating 满意 or 基本满意, in percent."""
        return round(100 * (self.satisfied + self.basically) / self.total) if self.total else 0

    def percent(self, count: int) -> int:
        return round(100 * count / self.total) if self.total else 0

    def bars(self) -> list[tuple[str, int, int]]:
        labels = dict(PublicRating.Rating.choices)
        return [
            (labels[key], getattr(self, key), self.percent(getattr(self, key)))
            for key in PublicRating.Rating.values
        ]


@dataclass
class PublicItem:
    """Only what the public may read: no notes, no people, no problem text."""

    pk: int
    title: str
    measures: str
    commitment: str
    responsible_office: str
    deadline: datetime.date
    status: str
    status_label: str
    completed_on: datetime.date | None
    percent: int
    special_campaign: str
    overdue: bool
    rating: RatingResult

    @property
    def can_rate(self) -> bool:
        return self.status in RectificationItem.DONE


PUBLIC_FIELDS = (
    "id",
    "title",
    "measures",
    "public_commitment",
    "responsible_office",
    "deadline",
    "status",
    "completed_at",
    "progress_percent",
    "special_campaign__name",
)


def public_items(unit: Unit) -> QuerySet[RectificationItem]:
    """The unit's items with a public commitment (公开承诺); the rest are not published."""
    return RectificationItem.objects.filter(unit=unit).exclude(public_commitment="")


def public_summary(unit: Unit) -> dict[str, int]:
    return public_items(unit).aggregate(
        total=Count("id"),
        done=Count("id", filter=Q(status__in=RectificationItem.DONE)),
        verified=Count("id", filter=Q(status=Status.VERIFIED)),
    )


def public_page(unit: Unit, *, today: datetime.date, page_number) -> Page:
    rows = public_items(unit).values(*PUBLIC_FIELDS).order_by(STATUS_RANK.desc(), "deadline", "id")
    page = Paginator(rows, PAGE_SIZE).get_page(page_number)
    ids = [row["id"] for row in page.object_list]
    ratings: dict[int, RatingResult] = defaultdict(RatingResult)
    for item_id, rating, n in (
        PublicRating.objects.filter(item_id__in=ids)
        .values_list("item_id", "rating")
        .annotate(n=Count("id"))
        .order_by()
    ):
        setattr(ratings[item_id], rating, n)
    labels = dict(Status.choices)
    page.object_list = [
        PublicItem(
            pk=row["id"],
            title=row["title"],
            measures=row["measures"],
            commitment=row["public_commitment"],
            responsible_office=row["responsible_office"],
            deadline=row["deadline"],
            status=row["status"],
            status_label=str(labels[row["status"]]),
            completed_on=timezone.localtime(row["completed_at"]).date()
            if row["completed_at"]
            else None,
            percent=100 if row["status"] in RectificationItem.DONE else row["progress_percent"],
            special_campaign=row["special_campaign__name"] or "",
            overdue=row["status"] in OPEN and row["deadline"] < today,
            rating=ratings[row["id"]],
        )
        for row in page.object_list
    ]
    return page


def opinion_commitments(opinion) -> list[dict]:
    """The public commitments of the ledger items made from the problems an opinion became
    (the 查询码 page): public fields only, as on the 公示 page."""
    return list(
        public_items(opinion.unit)
        .filter(problem__opinions=opinion)
        .values("title", "public_commitment", "deadline", "status")
        .order_by("deadline", "id")
        .distinct()
    )
