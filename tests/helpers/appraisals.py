"""Appraisal rounds made through the services, and what tests/test_every_url.py needs to walk
the appraisal URLs. The appraisal_world fixture (tests/conftest.py) uses make_round."""

import datetime

from django.utils import timezone

from appraisals import services
from appraisals.models import AppraisalRound, BallotCode

QUESTIONS = ["存在哪些“四风”问题？", "有什么意见建议？"]


def make_round(world, *, by=None, mode="online", count=30, people=None, **overrides):
    """Unit A's online 民主评议 round: open from an hour ago for three days, two questions."""
    now = timezone.now()
    fields = {
        "unit": world.unit_a,
        "by": by or world.sam,
        "title": "甲单位领导班子民主评议",
        "kind": AppraisalRound.Kind.APPRAISAL,
        "scale": "four",
        "mode": mode,
        "opens_at": now - datetime.timedelta(hours=1),
        "closes_at": now + datetime.timedelta(days=3),
        "include_team": True,
        "people": people if people is not None else [world.chair, world.deputy],
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


# For tests/test_every_url.py: unit A's online round (made on first use, by sam, and closed so
# that its results show), the personas who own the manager-only pages, the POST-only pages,
# the public ones, and the owner's answer where it is not a page.
def _every_url_round(world):
    round = AppraisalRound.objects.filter(unit=world.unit_a).first()
    if round is None:
        round = make_round(world)
        services.round_close(round=round, by=world.sam)
    return round


EVERY_URL_OBJECTS = {"appraisal_pk": lambda world: _every_url_round(world).pk}
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
# Once a round has opened, slips are only a reprint posted with a reason: a GET goes back to
# the round's page, which has the form.
OWNER_STATUS = {"appraisals:appraisal_slips": 302}
