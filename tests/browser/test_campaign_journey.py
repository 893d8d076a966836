"""Issue 3's journey: the office creates campaigns from both templates and enrols two
staggered batches; unit staff record activities and watch the quota and status change."""

import datetime

import pytest
from playwright.sync_api import expect

from campaign.services import templates_load_shipped

pytestmark = pytest.mark.django_db(transaction=True)


def create_campaign(page, base, template, name, start, end):
    page.goto(f"{base}/campaigns/")
    page.get_by_role("link", name="新建活动").click()
    page.get_by_label("活动模板").select_option(label=template)
    page.get_by_label("活动名称").fill(name)
    page.get_by_label("开始日期").fill(start)
    page.get_by_label("结束日期").fill(end)
    page.get_by_role("button", name="创建").click()
    expect(page.get_by_role("heading", name=name)).to_be_visible()


def enrol(page, search, unit_name, start, label):
    page.get_by_role("link", name="参学单位报名").click()
    page.get_by_placeholder("按单位名称或编码搜索").fill(search)
    page.get_by_label(unit_name).check()
    page.get_by_label("启动日期").fill(start)
    page.get_by_label("批次名称").fill(label)
    page.get_by_role("button", name="确认报名").click()


def test_office_sets_up_and_staff_watch_quotas_move(page, live_server, world, sign_in, screenshot):
    templates_load_shipped()
    base = live_server.url
    today = datetime.date.today()
    start, end = today - datetime.timedelta(days=20), today + datetime.timedelta(days=280)

    sign_in(world.olivia, world.password)
    create_campaign(page, base, "干部作风建设年", "干部作风建设年活动", f"{today.year}-02-20",
                    f"{today.year}-12-31")  # fmt: skip
    create_campaign(page, base, "党的群众路线教育实践活动", "群众路线教育实践活动",
                    start.isoformat(), end.isoformat())  # fmt: skip
    enrol(page, "甲单位", world.unit_a.name, start.isoformat(), "第一批（机关）")
    expect(page.get_by_text("第一批（机关）").first).to_be_visible()
    second = (start + datetime.timedelta(days=15)).isoformat()
    enrol(page, "乙单位", "乙单位", second, "第二批（基层）")
    expect(page.get_by_text("第二批（基层）").first).to_be_visible()
    expect(page.get_by_role("link", name="乙单位")).to_be_visible()
    screenshot("campaign-office-page")

    page.get_by_role("button", name="退出").click()
    sign_in(world.alice, world.password)
    page.get_by_role("link", name="进入工作台").first.click()
    expect(page.get_by_text("0/2 次").first).to_be_visible()

    for n, day in enumerate(
        (start + datetime.timedelta(days=3), start + datetime.timedelta(days=5))
    ):
        page.get_by_role("link", name="记录活动").first.click()
        page.get_by_label("活动类型").select_option(label="座谈会")
        page.get_by_label("主题").fill(f"征求意见座谈会（{n + 1}）")
        page.locator("#id_date").fill(day.isoformat())
        page.get_by_label("主持人").select_option(label="甲主席（主席）")
        page.get_by_label("参加人数").fill("15")
        page.get_by_role("button", name="保存").click()
        expect(page.get_by_text(f"征求意见座谈会（{n + 1}）").first).to_be_visible()
    expect(page.get_by_text("2/2 次").first).to_be_visible()
    screenshot("campaign-workspace-after-activities")
