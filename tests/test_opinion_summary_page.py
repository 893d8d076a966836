"""The summary page at city scale (issue 17, item 7): figures aggregated in SQL, each group's
first texts on the page and the rest paged group by group; the same figures as the full
summary that is submitted."""

import datetime

import pytest
from django.urls import reverse

from feedback.models import Opinion
from feedback.summary import summary_build
from feedback.summary_page import FIRST_TEXTS, GROUP_PAGE, group_key, summary_overview

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 1, 15)


def add(w, n, **fields):
    Opinion.objects.bulk_create(
        Opinion(unit=w.unit_a, campaign=w.campaign, text=f"意见{i:04d}", channel="symposium",
                received_on=DAY, **fields)
        for i in range(n)
    )  # fmt: skip


def test_the_page_figures_equal_the_full_summarys(campaign_world):
    w = campaign_world
    add(w, 7, four_winds="formalism", target="team", source_group="veterans")
    Opinion.objects.create(unit=w.unit_a, campaign=w.campaign, text="关于甲主席", channel="weibo",
                           target="leader", target_person=w.chair, received_on=DAY)  # fmt: skip
    full, page = summary_build(w.unit_a, w.campaign), summary_overview(w.unit_a, w.campaign)
    assert page.total == full.total == 8
    assert (page.channels, page.sources, page.named_count) == (
        full.channels, full.sources, full.named_count
    )  # fmt: skip
    assert [(g.four_winds, g.target, g.count) for g in page.groups] == [
        (g.four_winds, g.target, g.count) for g in full.groups
    ]
    assert "微博" not in page.channels  # the opinion about a leader is not counted by channel


def test_a_big_group_shows_its_first_texts_and_pages_the_rest(campaign_world, as_user):
    w = campaign_world
    add(w, GROUP_PAGE + 5, four_winds="formalism", target="team")
    client = as_user(w.alice)
    url = reverse("feedback:opinion_summary", args=[w.unit_a.pk])
    response = client.get(url)
    (group,) = response.context["summary"].groups
    assert group.count == GROUP_PAGE + 5 and len(group.shown) == FIRST_TEXTS
    assert group.hidden == GROUP_PAGE + 5 - FIRST_TEXTS
    key = group_key("formalism", "team", None)
    assert f"group={key}" in response.content.decode()
    first = client.get(url, {"group": key, "campaign": w.campaign.pk})
    assert [e.text for e in first.context["page"].object_list][:1] == ["意见0000"]
    second = client.get(url, {"group": key, "page": 2, "campaign": w.campaign.pk})
    assert second.status_code == 200
    assert [e.text for e in second.context["page"].object_list][:1] == [f"意见{GROUP_PAGE:04d}"]
    for bad in (
        "x",
        "formalism.team",
        "evil.team.0",
        "formalism.nobody.0",
        "formalism.team.x",
        "formalism.team.99999999999999999999",
        "formalism.team.-1",
        "formalism.team.²",
    ):
        assert client.get(url, {"group": bad}).status_code == 200  # falls back to the summary
