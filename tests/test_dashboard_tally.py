"""The opinion tally the dashboards read stays equal to the opinion rows after every kind of
change (PostgreSQL, where triggers keep it; SQLite counts the rows directly)."""

import pytest
from django.db import connection

from dashboards.models import OpinionTally
from dashboards.tally import opinion_counts
from feedback.models import FourWinds, Opinion
from feedback.scope import visible_opinions
from units.models import Unit, User
from units.services import unit_move

from .factories import OpinionFactory, UnitFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the tally is kept by PostgreSQL triggers"
    ),
]


def tally_of(unit: Unit) -> dict[tuple[str, str], int]:
    rows = OpinionTally.objects.filter(unit=unit).exclude(n=0)
    return {(t.channel, t.four_winds): t.n for t in rows}


def rows_of(unit: Unit) -> dict[tuple[str, str], int]:
    counted: dict[tuple[str, str], int] = {}
    for channel, winds in Opinion.objects.filter(unit__path__startswith=unit.path).values_list(
        "channel", "four_winds"
    ):
        counted[(channel, winds)] = counted.get((channel, winds), 0) + 1
    return counted


def assert_true(*units):
    for unit in units:
        unit.refresh_from_db()
        assert tally_of(unit) == rows_of(unit), unit.name


@pytest.fixture
def tree():
    city = UnitFactory(name="市", kind=Unit.Kind.CITY)
    district = UnitFactory(name="区", kind=Unit.Kind.DISTRICT, parent=city)
    street = UnitFactory(name="街道", kind=Unit.Kind.TOWNSHIP, parent=district)
    other = UnitFactory(name="另一区", kind=Unit.Kind.DISTRICT, parent=city)
    return city, district, street, other


def test_tally_equals_the_rows_after_inserts_updates_deletes_and_moves(tree):
    city, district, street, other = tree
    OpinionFactory.create_batch(3, unit=street)
    OpinionFactory(unit=district, channel=Opinion.Channel.HOTLINE)
    Opinion.objects.bulk_create(
        OpinionFactory.build(unit=other, four_winds=FourWinds.BUREAUCRATISM) for _ in range(5)
    )
    assert_true(city, district, street, other)
    assert sum(tally_of(city).values()) == 9

    # A reclassification, a change of channel, a status change that counts nothing.
    first = Opinion.objects.filter(unit=street).first()
    Opinion.objects.filter(pk=first.pk).update(four_winds=FourWinds.HEDONISM)
    Opinion.objects.filter(unit=other).update(channel=Opinion.Channel.LETTER)
    Opinion.objects.filter(unit=district).update(status=Opinion.objects.first().status)
    assert_true(city, district, street, other)

    Opinion.objects.filter(unit=street).first().delete()
    assert_true(city, district, street, other)

    # The street moves to the other district, with its opinions.
    unit_move(unit=street, new_parent=other)
    assert_true(city, district, street, other)
    assert sum(tally_of(other).values()) == 7


def test_dashboard_counts_from_the_tally_equal_the_visible_rows(tree):
    city, district, street, other = tree
    OpinionFactory.create_batch(2, unit=street)
    OpinionFactory(unit=other, channel=Opinion.Channel.HOTLINE)
    office = User.objects.create(username="office", role=User.Role.OFFICE, home_unit=city)
    staff = User.objects.create(username="staff", role=User.Role.UNIT_STAFF, home_unit=district)
    for user in (office, staff):
        from_tally = opinion_counts(user, visible_opinions(user), city)
        direct = (
            visible_opinions(user)
            .values_list("channel", "four_winds")
            .order_by("channel", "four_winds")
        )
        expected: dict = {}
        for key in direct:
            expected[key] = expected.get(key, 0) + 1
        assert {(c, w): n for c, w, n in from_tally} == expected
