"""Scale data for the appraisal pages: one closed 民主评议 round per unit of the city profile,
rating the leadership team and up to three team members, with 12 codes (10 spent) and 10
anonymous ballots each (about 50,000 ballots and 200,000 ratings), built with bulk inserts.
"""

import datetime
import random
import time

from django.db import connection, transaction
from django.utils import timezone

from appraisals.codes import new_code
from appraisals.models import (
    AppraisalRound,
    AppraisalTarget,
    Ballot,
    BallotAnswer,
    BallotCode,
    BallotRating,
    Rating,
)
from demo.scale.units import SCALE_CODE_PREFIX
from units.models import Person, Unit

MARK = "（规模数据）"
CODES, BALLOTS, TARGET_PEOPLE = 12, 10, 3
BATCH = 5000
# Most ballots rate 好 or 较好, as real appraisals do.
WEIGHTS = [(Rating.GOOD, 60), (Rating.FAIRLY_GOOD, 28), (Rating.AVERAGE, 9), (Rating.POOR, 3)]
ANSWERS = ["会议偏多，陪会多", "下基层调研还不够", "文件简报可以再精简", "办事效率有待提高"]


def exists() -> bool:
    return AppraisalRound.objects.filter(title__endswith=MARK).exists()


def build(seed: int = 2014) -> dict[str, int]:
    rng = random.Random(seed)
    clock = time.perf_counter()
    root = Unit.objects.filter(code__startswith=SCALE_CODE_PREFIX, depth=0).get()
    units = list(
        Unit.objects.filter(path__startswith=root.path).order_by("path").values_list("id", "name")
    )
    people: dict[int, list[tuple[int, str]]] = {}
    team = Person.objects.filter(unit__path__startswith=root.path, is_team_member=True)
    for unit_id, person_id, name, position in team.order_by("unit_id", "rank", "id").values_list(
        "unit_id", "id", "name", "position"
    ):
        people.setdefault(unit_id, []).append((person_id, f"{name}（{position}）"))
    closes = timezone.now() - datetime.timedelta(days=30)
    opens = closes - datetime.timedelta(days=3)
    ratings, weights = zip(*WEIGHTS, strict=True)
    with transaction.atomic():
        rounds = AppraisalRound.objects.bulk_create(
            (
                AppraisalRound(
                    unit_id=unit_id,
                    title=f"{name}领导班子民主评议{MARK}",
                    kind=AppraisalRound.Kind.APPRAISAL,
                    scale="four",
                    mode=AppraisalRound.Mode.ONLINE,
                    questions=["存在哪些“四风”问题？"],
                    opens_at=opens,
                    closes_at=closes,
                    status=AppraisalRound.Status.CLOSED,
                    issued=CODES,
                )
                for unit_id, name in units
            ),
            batch_size=BATCH,
        )
        targets = []
        for r in rounds:
            targets.append(AppraisalTarget(round_id=r.pk, label="领导班子", order=0))
            for order, (person_id, label) in enumerate(people.get(r.unit_id, [])[:TARGET_PEOPLE]):
                targets.append(
                    AppraisalTarget(
                        round_id=r.pk, person_id=person_id, label=label, order=order + 1
                    )
                )
        targets = AppraisalTarget.objects.bulk_create(targets, batch_size=BATCH)
        by_round: dict[int, list[int]] = {}
        for t in targets:
            by_round.setdefault(t.round_id, []).append(t.pk)
        BallotCode.objects.bulk_create(
            (
                BallotCode(round_id=r.pk, code=new_code(), spent=i < BALLOTS)
                for r in rounds
                for i in range(CODES)
            ),
            batch_size=BATCH,
        )
        ballots = [
            Ballot(round_id=r.pk, day=(opens + datetime.timedelta(days=rng.randrange(3))).date())
            for r in rounds
            for _i in range(BALLOTS)
        ]
        Ballot.objects.bulk_create(ballots, batch_size=BATCH)
        rating_rows = [
            BallotRating(ballot_id=b.pk, target_id=t, rating=rating)
            for b in ballots
            for t, rating in zip(
                by_round[b.round_id],
                rng.choices(ratings, weights, k=len(by_round[b.round_id])),
                strict=True,
            )
        ]
        BallotRating.objects.bulk_create(rating_rows, batch_size=BATCH)
        answers = [
            BallotAnswer(round_id=b.round_id, ballot_id=b.pk, question=0, text=rng.choice(ANSWERS))
            for b in ballots
            if rng.random() < 0.3
        ]
        BallotAnswer.objects.bulk_create(answers, batch_size=BATCH)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (BallotCode, Ballot, BallotRating, BallotAnswer, AppraisalTarget):
                cursor.execute(f"ANALYZE {model._meta.db_table}")
    return {
        "rounds": len(rounds),
        "ballots": len(ballots),
        "ratings": len(rating_rows),
        "answers": len(answers),
        "seconds": round(time.perf_counter() - clock, 1),
    }
