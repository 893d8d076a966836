"""Reading a round: its progress and its results, in a fixed number of queries.

A target rated by fewer than MIN_SAMPLE ballots shows "样本不足" instead of figures, here and
in every export, so a small group's votes cannot be read off. Open answers are sorted by
question and text, never by arrival.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Max, Sum
from django.utils.translation import gettext_lazy as _

from .models import (
    MIN_SAMPLE,
    AppraisalRound,
    AppraisalTarget,
    BallotAnswer,
    BallotRating,
    PaperTally,
)

INSUFFICIENT = _("样本不足")


@dataclass
class TargetResult:
    target: AppraisalTarget
    counts: list[tuple[str, str, int]]  # (rating, label, count) in the scale's order
    total: int

    @property
    def suppressed(self) -> bool:
        return self.total < MIN_SAMPLE

    @property
    def positive(self) -> int:
        return sum(n for rating, _label, n in self.counts if rating in self._positive)

    @property
    def rate(self) -> Decimal | None:
        """The satisfaction rate in per cent, one decimal; None when suppressed."""
        if self.suppressed:
            return None
        return (Decimal(100 * self.positive) / self.total).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )

    _positive: set = field(default_factory=set, repr=False)


@dataclass
class Progress:
    issued: int
    spent: int
    ballots: int


def round_progress(round: AppraisalRound) -> Progress:
    if round.is_online:
        # Every spent code let exactly one ballot in, so the ballots are the spent codes.
        spent = ballots = round.ballots.count()
    else:
        per_target = (
            PaperTally.objects.filter(round=round)
            .values("target")
            .annotate(n=Sum("count"))
            .aggregate(most=Max("n"))
        )
        spent = ballots = per_target["most"] or 0
    return Progress(issued=round.issued, spent=spent, ballots=ballots)


def round_results(round: AppraisalRound, *, person_id: int | None = None) -> list[TargetResult]:
    """Every target's figures; with person_id, only that person's own target."""
    targets = list(round.targets.select_related("person"))
    if person_id is not None:
        targets = [t for t in targets if t.person_id == person_id]
    counts: dict[tuple[int, str], int] = {}
    online = (
        BallotRating.objects.filter(ballot__round=round)
        .values_list("target_id", "rating")
        .annotate(n=Count("id"))
        .order_by()
    )
    for target_id, rating, n in online:
        counts[(target_id, rating)] = counts.get((target_id, rating), 0) + n
    for target_id, rating, n in PaperTally.objects.filter(round=round).values_list(
        "target_id", "rating", "count"
    ):
        counts[(target_id, rating)] = counts.get((target_id, rating), 0) + n
    results = []
    for target in targets:
        row = [(str(r), r.label, counts.get((target.pk, str(r)), 0)) for r in round.ratings]
        results.append(
            TargetResult(
                target=target,
                counts=row,
                total=sum(n for *_rest, n in row),
                _positive={str(r) for r in round.positive},
            )
        )
    return results


def round_answers(round: AppraisalRound, progress: Progress) -> list[tuple[str, list[str]]] | None:
    """Each open question with its answers sorted by text; None below the sample minimum."""
    if not round.questions:
        return []
    if progress.ballots < MIN_SAMPLE:
        return None
    by_question: dict[int, list[str]] = {i: [] for i in range(len(round.questions))}
    rows = BallotAnswer.objects.filter(round=round).order_by("question", "text")
    for question, text in rows.values_list("question", "text"):
        by_question.setdefault(question, []).append(text)
    return [(q, by_question.get(i, [])) for i, q in enumerate(round.questions)]
