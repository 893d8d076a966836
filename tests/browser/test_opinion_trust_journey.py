"""Opinions you can trust, in a browser (issue 17): staff with two campaigns pick the running
one for the summary, see what will be sent and confirm; a citizen posts to the box on a phone
and keeps the 查询码; staff turn the opinion into a problem with a public commitment; the
citizen checks the code and sees 已转为问题 with the commitment."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from campaign import services as cs
from campaign.models import Material
from feedback import services
from feedback.models import Opinion
from tests.helpers.rectification import COMMITMENT, open_item
from units.models import Unit

pytestmark = pytest.mark.django_db(transaction=True)


def test_summary_of_the_running_campaign_and_a_receipt_for_the_public(
    page, browser, live_server, sign_in, screenshot, campaign_world
):
    w = campaign_world
    cache.clear()  # the box's and the 查询码 page's throttles count per address
    later = cs.campaign_create(
        template=w.template, name="下一轮专项活动", organiser=w.city,
        start_date=datetime.date(2099, 1, 1), end_date=datetime.date(2099, 12, 31), by=w.olivia,
    )  # fmt: skip
    cs.enrol_units(campaign=later, units=Unit.objects.filter(pk=w.unit_a.pk),
                   start_date=datetime.date(2099, 1, 1), label="第二批", by=w.olivia)  # fmt: skip
    for text in ("会议太多，基层疲于应付。", "窗口办事要跑好几趟。"):
        services.opinion_take(unit=w.unit_a, by=w.alice, text=text, channel="symposium",
                              received_on=datetime.date(2026, 1, 15))  # fmt: skip

    sign_in(w.alice, w.password)
    page.goto(live_server.url + reverse("feedback:opinion_summary", args=[w.unit_a.pk]))
    expect(page.get_by_role("heading", name=re.compile("测试教育实践活动"))).to_be_visible()
    page.get_by_label("汇总哪项活动的意见").select_option(value=str(later.pk))
    page.get_by_role("button", name="查看").click()
    expect(page.get_by_text("还没有征求到意见。")).to_be_visible()
    page.get_by_label("汇总哪项活动的意见").select_option(value=str(w.campaign.pk))
    page.get_by_role("button", name="查看").click()
    page.get_by_role("link", name="报送督导组").click()
    expect(page.get_by_role("heading", name="确认报送督导组")).to_be_visible()
    expect(page.get_by_text("共 2 条意见")).to_be_visible()
    screenshot("opinion-summary-confirm")
    assert not Material.objects.filter(requirement__kind="opinion_summary").exists()
    page.get_by_role("button", name="确认报送").click()
    expect(page.get_by_text(re.compile("已报送督导组审核"))).to_be_visible()
    assert (
        Material.objects.get(requirement__kind="opinion_summary").participation == w.participation
    )

    # A citizen on a phone, no login.
    phone = browser.new_context(viewport={"width": 390, "height": 844}, reduced_motion="reduce")
    citizen = phone.new_page()
    citizen.goto(live_server.url + reverse("feedback:public_box", args=[w.unit_a.code]))
    citizen.get_by_label("您的意见和建议").fill("办事窗口中午不开门，上班族只能请假来办。")
    citizen.get_by_role("button", name="提交意见").click()
    expect(citizen.get_by_text("您的查询码")).to_be_visible()
    code = citizen.locator("[data-receipt]").inner_text().strip()
    assert re.fullmatch(r"[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}", code)
    screenshot_path = citizen.screenshot(full_page=True)
    assert screenshot_path

    # Staff turn it into a problem whose ledger item carries a public commitment.
    opinion = Opinion.objects.get(channel="box")
    item = open_item(w, deadline=timezone.localdate() + datetime.timedelta(days=60))
    item.problem.opinions.add(opinion)
    services.opinions_turn_into_problem(opinions=[opinion], problem=item.problem, by=w.alice)

    citizen.get_by_role("link", name="凭查询码查看办理情况").click()
    citizen.get_by_label("查询码").fill(code)
    citizen.get_by_role("button", name="查询").click()
    expect(citizen.get_by_text("已转为问题")).to_be_visible()
    expect(citizen.get_by_text(COMMITMENT)).to_be_visible()
    phone.close()
