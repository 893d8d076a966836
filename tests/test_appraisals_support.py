"""Fixtures the appraisal and ballot tests share (they live beside the tests because
tests/conftest.py is shared by every feature).

`aw` is the persona world with a second team member in unit A (甲副主席) and an online
民主评议 round run by sam (supervisor of unit A): targets 领导班子, 甲主席 (leo's person) and
甲副主席; 30 codes; open from an hour ago for three days; two open questions.
"""

import datetime

import pytest
from django.utils import timezone

from appraisals import services
from appraisals.models import AppraisalRound, BallotCode
from tests.factories import PersonFactory

QUESTIONS = ["存在哪些“四风”问题？", "有什么意见建议？"]


def make_round(w, *, by=None, mode="online", count=30, people=None, **overrides):
    now = timezone.now()
    fields = {
        "unit": w.unit_a,
        "by": by or w.sam,
        "title": "甲单位领导班子民主评议",
        "kind": AppraisalRound.Kind.APPRAISAL,
        "scale": "four",
        "mode": mode,
        "opens_at": now - datetime.timedelta(hours=1),
        "closes_at": now + datetime.timedelta(days=3),
        "include_team": True,
        "people": people if people is not None else [w.chair, w.deputy],
        "questions": QUESTIONS,
        "count": count,
    }
    fields.update(overrides)
    return services.round_create(**fields)


def codes_of(round) -> list[str]:
    return list(
        BallotCode.objects.filter(round=round).order_by("id").values_list("code", flat=True)
    )


def vote(round, code, rating="good", answers=None, **per_target):
    """Cast one ballot rating every target `rating` (or per_target[label])."""
    ratings = {t.pk: per_target.get(t.label, rating) for t in round.targets.all()}
    services.ballot_cast(code=code, ratings=ratings, answers=answers or {})


@pytest.fixture
def aw(world):
    world.deputy = PersonFactory(unit=world.unit_a, name="甲副主席", position="副主席", rank=2)
    world.round = make_round(world)
    world.codes = codes_of(world.round)
    world.team, world.chair_target, world.deputy_target = world.round.targets.order_by("order")
    return world


# What tests/test_every_url.py needs to walk the appraisal URLs: unit A's online round (made
# on first use, by sam), the personas who own the manager-only pages, and the POST-only ones.
def _every_url_round(w):
    round = AppraisalRound.objects.filter(unit=w.unit_a).first()
    return round or make_round(w)


EVERY_URL_OBJECTS = {"appraisal_pk": lambda w: _every_url_round(w).pk}
OWNERS = {
    f"appraisals:{name}": "sam"
    for name in (
        "appraisal_create",
        "appraisal_codes",
        "appraisal_slips",
        "appraisal_close",
        "appraisal_tally",
        "appraisal_export",
    )
}
POST_ONLY = {"appraisals:appraisal_codes", "appraisals:appraisal_close"}
PUBLIC = {"appraisals:ballot", "appraisals:ballot_thanks"}
