"""The quota engine on its own: every host rule and measure, without a database."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from campaign.quotas import Member, Tally, evaluate

D = Decimal
CHAIR, DEPUTY, MEMBER = (
    Member(1, "主席", True),
    Member(2, "副主席", False),
    Member(3, "委员", False),
)
TEAM = [CHAIR, DEPUTY, MEMBER]


def quota(kinds, host="any", measure="count", minimum=1):
    return SimpleNamespace(quota_kinds=kinds, quota_host=host, quota_measure=measure,
                           quota_minimum=D(minimum))  # fmt: skip


def tally(kind, host, count=1, days=0, hours=0):
    return Tally(kind, host, count, D(days), D(hours))


def test_main_leader_must_host_himself():
    q = quota(["symposium"], host="main_leader", minimum=2)
    tallies = [tally("symposium", CHAIR.id), tally("symposium", DEPUTY.id, count=5)]
    p = evaluate(q, tallies, TEAM)
    assert (p.met, p.label, p.fraction) == (False, "1/2 次", 0.5)
    p = evaluate(q, [*tallies, tally("symposium", CHAIR.id)], TEAM)
    assert (p.met, p.label) == (True, "2/2 次")


def test_each_other_team_member_excludes_the_main_leader():
    q = quota(["symposium"], host="each_other_team_member", minimum=1)
    p = evaluate(q, [tally("symposium", CHAIR.id, count=3), tally("symposium", DEPUTY.id)], TEAM)
    assert not p.met
    assert p.label == "1/2 名班子成员已完成"
    assert [(name, ok) for name, _v, ok in p.people] == [("副主席", True), ("委员", False)]
    p = evaluate(q, [tally("symposium", DEPUTY.id), tally("symposium", MEMBER.id)], TEAM)
    assert p.met and p.label == "2/2 名班子成员已完成"


def test_each_team_member_counts_days_per_person():
    q = quota(["field_research"], host="each_team_member", measure="days", minimum=3)
    tallies = [tally("field_research", m.id, days=3) for m in TEAM[:2]]
    tallies.append(tally("field_research", MEMBER.id, days=D("1.5")))
    p = evaluate(q, tallies, TEAM)
    assert not p.met and p.label == "2/3 名班子成员已完成"
    assert p.fraction == pytest.approx((1 + 1 + 0.5) / 3)


def test_days_add_up_across_kinds_and_hosts():
    q = quota(["central_group_study", "thematic_study"], measure="days", minimum=3)
    tallies = [tally("central_group_study", None, days=1), tally("thematic_study", 2, days=D("1.5")),
               tally("symposium", 1, days=9)]  # fmt: skip
    p = evaluate(q, tallies, TEAM)
    assert (p.met, p.label) == (False, "2.5/3 天")


def test_hours_measure():
    q = quota(["lecture"], measure="hours", minimum=4)
    assert evaluate(q, [tally("lecture", None, hours=4)], TEAM).met


def test_a_per_person_quota_without_a_team_is_not_met():
    q = quota(["symposium"], host="each_team_member")
    p = evaluate(q, [tally("symposium", None, count=9)], [])
    assert not p.met and p.label == "尚未登记班子成员"


def test_more_than_enough_caps_the_bar_at_full():
    p = evaluate(quota(["symposium"], minimum=2), [tally("symposium", 1, count=7)], TEAM)
    assert p.met and p.fraction == 1.0 and p.label == "7/2 次"
