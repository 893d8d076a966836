"""Contacts only for those who answer (issue 17, item 4): the name and contact a person left
with an opinion reach the unit's staff who keep opinions and its supervisors, never a leader
(about anyone), in no page, export, submitted summary or stage-summary draft."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dashboards.exports import StageSummaryDraft
from feedback.models import Opinion
from feedback.summary import summary_submit
from units.policy import may_see_contacts

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 1, 15)
# Found nowhere else in the data: a leak anywhere shows up as this string.
ABOUT_DEPUTY = "王某某 13912345678"
ABOUT_TEAM = "李某某 13787654321"


@pytest.fixture
def named(campaign_world):
    w = campaign_world
    common = {"unit": w.unit_a, "campaign": w.campaign, "received_on": DAY, "is_anonymous": False}
    w.about_deputy = Opinion.objects.create(
        text="甲副主席下基层太少。", channel="hotline", target="leader",
        target_person=w.deputy, contact=ABOUT_DEPUTY, **common,
    )  # fmt: skip
    w.about_chair = Opinion.objects.create(
        text="甲主席讲话太长。", channel="weibo", target="leader", target_person=w.chair,
        contact="赵某 13600000000", **common,
    )  # fmt: skip
    w.about_team = Opinion.objects.create(
        text="班子会议太多。", channel="symposium", target="team", contact=ABOUT_TEAM, **common
    )
    return w


def test_the_rule_lets_staff_and_supervisors_see_contacts_never_a_leader(named):
    w = named
    assert may_see_contacts(w.alice, w.unit_a)
    assert may_see_contacts(w.sam, w.unit_a)
    assert not may_see_contacts(w.leo, w.unit_a)
    assert not may_see_contacts(w.charlie, w.unit_a)


@pytest.mark.parametrize("persona", ["alice", "sam"])
def test_those_who_answer_see_the_contact_on_the_opinion(named, as_user, persona):
    w = named
    page = as_user(getattr(w, persona)).get(
        reverse("feedback:opinion_detail", args=[w.about_deputy.pk])
    )
    assert ABOUT_DEPUTY in page.content.decode()


def test_a_leader_sees_no_contact_in_any_page(named, as_user):
    w = named
    client = as_user(w.leo)
    urls = [
        reverse("feedback:opinion_detail", args=[w.about_deputy.pk]),
        reverse("feedback:opinion_detail", args=[w.about_team.pk]),
        reverse("feedback:opinion_list", args=[w.unit_a.pk]),
        reverse("feedback:opinion_summary", args=[w.unit_a.pk]),
        reverse("feedback:group_list", args=[w.unit_a.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        for secret in (ABOUT_DEPUTY, ABOUT_TEAM, "13600000000"):
            assert secret not in page, url
    # The opinion about the leader himself is not his to open at all.
    assert (
        client.get(reverse("feedback:opinion_detail", args=[w.about_chair.pk])).status_code == 404
    )


def test_no_export_and_no_submitted_summary_carries_a_contact(named, as_user):
    w = named
    for user in (w.leo, w.alice):
        sheet = as_user(user).get(reverse("feedback:opinion_summary_xlsx", args=[w.unit_a.pk]))
        cells = " ".join(
            str(c) for row in load_workbook(io.BytesIO(sheet.getvalue())).active.values for c in row
        )
        assert "甲副主席下基层太少。" in cells
        for secret in (ABOUT_DEPUTY, ABOUT_TEAM):
            assert secret not in cells
    revision = summary_submit(unit=w.unit_a, by=w.alice, campaign=w.campaign)
    assert "班子会议太多。" in revision.text
    for secret in (ABOUT_DEPUTY, ABOUT_TEAM):
        assert secret not in revision.text


def test_the_leaders_stage_summary_draft_leaves_out_opinions_about_him(named):
    w = named

    def counts(user):
        draft = StageSummaryDraft(user=user, unit=w.unit_a.pk, participation=w.participation.pk)
        context = draft.context()
        assert not any(secret in str(context) for secret in (ABOUT_DEPUTY, ABOUT_TEAM))
        return dict(context["opinions"]), context["opinion_total"]

    assert counts(w.alice) == ({"热线电话": 1, "微博": 1, "座谈会": 1}, 3)
    # leo is 甲主席: the 微博 opinion about him is neither counted nor its channel shown.
    assert counts(w.leo) == ({"热线电话": 1, "座谈会": 1}, 2)
