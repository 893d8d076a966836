"""The appraisal scale builder (seed_scale's appraisals.scale step)."""

import pytest

from appraisals.models import AppraisalRound, Ballot, BallotCode, BallotRating
from appraisals.results import round_results
from demo.management.commands.seed_scale import STEPS
from demo.scale import appraisals as scale_appraisals
from demo.scale import units as unit_scale

pytestmark = pytest.mark.django_db


def test_seed_scale_runs_the_appraisal_step_after_the_units():
    assert STEPS.index("demo.scale.appraisals") > STEPS.index("demo.scale.units")


def test_scale_builder_makes_one_closed_round_per_unit_with_consistent_ballots():
    unit_scale.build(units=30, people=120, users=6, groups=2, city_name="小市", tag="small")
    assert not scale_appraisals.exists()
    counts = scale_appraisals.build()
    assert scale_appraisals.exists()
    rounds = AppraisalRound.objects.filter(title__endswith=scale_appraisals.MARK)
    assert counts["rounds"] == rounds.count() == 30
    assert all(r.is_closed() for r in rounds)
    assert Ballot.objects.count() == counts["ballots"] == 30 * scale_appraisals.BALLOTS
    assert BallotCode.objects.filter(spent=True).count() == counts["ballots"]
    assert BallotCode.objects.count() == 30 * scale_appraisals.CODES
    assert BallotRating.objects.count() == counts["ratings"]
    busy = rounds.order_by("id").first()
    rows = round_results(busy)
    assert rows[0].target.label == "领导班子"
    assert all(r.total == scale_appraisals.BALLOTS and r.rate is not None for r in rows)
