"""Data the dashboard tests add to the campaign world: a district enrolled with its street and
community, opinions, and finished paper appraisal rounds with their tallies."""

import datetime

from appraisals.models import AppraisalRound, AppraisalTarget, Ballot, BallotRating, PaperTally
from campaign import services
from feedback.models import Opinion
from tests.factories import UnitFactory
from units.models import Unit

D = datetime.date


def add_district(world, name, code, start=None):
    district = UnitFactory(name=name, code=code, parent=world.city, kind=Unit.Kind.DISTRICT)
    street = UnitFactory(
        name=f"{name}街道", code=f"{code}1", parent=district, kind=Unit.Kind.TOWNSHIP
    )
    UnitFactory(name=f"{name}社区", code=f"{code}11", parent=street, kind=Unit.Kind.COMMUNITY)
    services.enrol_units(
        campaign=world.campaign,
        units=Unit.objects.filter(path__startswith=district.path),
        start_date=start or D(2026, 1, 20),
        label=f"{name}批次",
        by=world.olivia,
    )
    return district, street


def add_opinions(unit, rows):
    for channel, winds in rows:
        Opinion.objects.create(
            unit=unit, text="会议太多", channel=channel, four_winds=winds, received_on=D(2026, 2, 1)
        )


def appraisal(unit, *, closed=True, kind="satisfaction", scale="three"):
    """A paper round of `unit` opened on 2026-02-01, and its team target."""
    opens = datetime.datetime(2026, 2, 1, 9, tzinfo=datetime.UTC)
    round_ = AppraisalRound.objects.create(
        unit=unit,
        title="满意度测评",
        kind=kind,
        scale=scale,
        mode="paper",
        opens_at=opens,
        closes_at=opens + datetime.timedelta(days=3 if closed else 300),
    )
    team = AppraisalTarget.objects.create(round=round_, label="领导班子")
    return round_, team


def tally(round_, target, **counts):
    for rating, n in counts.items():
        PaperTally.objects.create(round=round_, target=target, rating=rating, count=n)


def ballots(round_, target, *ratings):
    for rating in ratings:
        ballot = Ballot.objects.create(round=round_, day=D(2026, 2, 2))
        BallotRating.objects.create(ballot=ballot, target=target, rating=rating)
