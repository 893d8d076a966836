"""The summary belongs to a campaign and a stage (issue 17, item 1): the page asks which
campaign (by default the running one, never one not started), says so in its title, counts
only that campaign's opinions; 报送督导组 shows what will be sent and asks to confirm.
Opinions are filed at intake under the unit's running campaign; staff can change it."""

import datetime

import pytest
from django.urls import reverse

from campaign import services as cs
from campaign.models import Material
from core.models import AuditLog
from feedback import services
from feedback.campaigns import running_campaign
from feedback.models import Opinion
from units.models import Unit

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 1, 15)


@pytest.fixture
def two_campaigns(campaign_world):
    """unit A runs 测试教育实践活动 and is enrolled in a newer campaign not yet started."""
    w = campaign_world
    w.later = cs.campaign_create(
        template=w.template, name="下一轮专项活动", organiser=w.city,
        start_date=datetime.date(2099, 1, 1), end_date=datetime.date(2099, 12, 31), by=w.olivia,
    )  # fmt: skip
    cs.enrol_units(
        campaign=w.later, units=Unit.objects.filter(pk=w.unit_a.pk),
        start_date=datetime.date(2099, 1, 1), label="第二批", by=w.olivia,
    )  # fmt: skip
    for i in range(12):
        services.opinion_take(unit=w.unit_a, by=w.alice, text=f"本轮意见{i}", channel="symposium",
                              received_on=DAY)  # fmt: skip
    Opinion.objects.create(unit=w.unit_a, campaign=w.later, text="下一轮的意见",
                           channel="box", received_on=DAY)  # fmt: skip
    return w


def summary(client, unit, **params):
    return client.get(reverse("feedback:opinion_summary", args=[unit.pk]), params)


def test_intake_files_an_opinion_under_the_running_campaign_never_one_not_started(two_campaigns):
    w = two_campaigns
    assert running_campaign(w.unit_a) == w.campaign
    assert Opinion.objects.filter(campaign=w.campaign).count() == 12
    public = services.opinion_public_submit(unit=w.unit_a, text="意见箱来的意见")
    assert public.campaign == w.campaign


def test_the_page_defaults_to_the_running_campaign_and_says_so(two_campaigns, as_user):
    w = two_campaigns
    response = summary(as_user(w.alice), w.unit_a)
    assert response.context["summary"].campaign == w.campaign
    assert response.context["summary"].total == 12
    page = response.content.decode()
    assert "甲单位征求意见汇总（测试教育实践活动 · 学习教育·听取意见）" in page.replace(
        w.unit_a.name, "甲单位"
    )
    assert "下一轮的意见" not in page
    assert "下一轮专项活动" in page  # offered in the choice, marked 未启动
    assert "未启动" in page


def test_a_campaign_chosen_explicitly_counts_only_its_opinions(two_campaigns, as_user):
    w = two_campaigns
    response = summary(as_user(w.alice), w.unit_a, campaign=w.later.pk)
    assert response.context["summary"].campaign == w.later
    assert [e.text for g in response.context["summary"].groups for e in g.entries] == [
        "下一轮的意见"
    ]
    # A campaign the unit is not in, or garbage, falls back to the running one.
    for value in ("999999", "abc", "-1"):
        assert summary(as_user(w.alice), w.unit_a, campaign=value).context["summary"].campaign == (
            w.campaign
        )


def test_submitting_shows_what_will_be_sent_and_asks_to_confirm(two_campaigns, as_user):
    w = two_campaigns
    client = as_user(w.alice)
    url = reverse("feedback:opinion_summary_submit", args=[w.unit_a.pk])
    confirm = client.get(url, {"campaign": w.campaign.pk})
    assert confirm.status_code == 200
    page = confirm.content.decode()
    assert "确认报送督导组" in page and "测试教育实践活动" in page and "共 12 条意见" in page
    assert not Material.objects.filter(requirement__kind="opinion_summary").exists()
    # A POST without the confirmation only shows the page again.
    assert client.post(url, {"campaign": w.campaign.pk}).status_code == 200
    assert not Material.objects.filter(requirement__kind="opinion_summary").exists()
    response = client.post(url, {"campaign": w.campaign.pk, "confirmed": "1"})
    assert response.status_code == 302
    material = Material.objects.get(requirement__kind="opinion_summary")
    assert material.participation == w.participation
    assert "共 12 条意见" in material.revisions.get().text
    assert "测试教育实践活动" in material.revisions.get().text


def test_a_campaign_not_started_is_never_submitted(two_campaigns, as_user):
    w = two_campaigns
    url = reverse("feedback:opinion_summary_submit", args=[w.unit_a.pk])
    response = as_user(w.alice).post(url, {"campaign": w.later.pk, "confirmed": "1"}, follow=True)
    assert "还没有启动" in response.content.decode()
    assert not Material.objects.filter(requirement__kind="opinion_summary").exists()


def test_staff_change_an_opinions_campaign_audited(two_campaigns, as_user):
    w = two_campaigns
    opinion = Opinion.objects.filter(campaign=w.campaign).first()
    url = reverse("feedback:opinion_campaign", args=[opinion.pk])
    as_user(w.alice).post(url, {"campaign": w.later.pk})
    opinion.refresh_from_db()
    assert opinion.campaign == w.later
    log = AuditLog.objects.get(action="opinion.campaign_changed")
    assert log.changes == {"campaign": ["测试教育实践活动", "下一轮专项活动"]}
    # A leader cannot; a campaign of another unit is refused.
    assert as_user(w.leo).post(url, {"campaign": w.campaign.pk}).status_code == 403
    as_user(w.alice).post(url, {"campaign": 999999})
    opinion.refresh_from_db()
    assert opinion.campaign == w.later
