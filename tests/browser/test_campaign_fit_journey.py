"""Issue 15's journey: the office enrols a leadership-team unit and a 基层党组织 on different
dates; the 基层 unit has no 民主生活会 task and shows 未启动 until its date; staff submit the
实施方案, the supervisor approves it and the task is done without a second click; a task
finished late shows 逾期完成."""

import datetime

import pytest
from playwright.sync_api import expect

from campaign.models import Participation, Task
from campaign.services import templates_load_shipped
from tests.browser.test_campaign_journey import create_campaign

pytestmark = pytest.mark.django_db(transaction=True)


def enrol(page, search, unit_name, start, label):
    """One unit alone, without its sub-units."""
    page.get_by_role("link", name="参学单位报名").click()
    page.get_by_placeholder("按单位名称或编码搜索").fill(search)
    page.get_by_label(unit_name).check()
    page.get_by_label("包含全部下级单位").uncheck()
    page.get_by_label("启动日期").fill(start)
    page.get_by_label("批次名称").fill(label)
    page.get_by_role("button", name="确认报名").click()


def switch_user(page, sign_in, user, password):
    page.context.clear_cookies()
    sign_in(user, password)


def test_units_get_their_own_tasks_statuses_are_honest_and_materials_complete_tasks(
    page, live_server, world, sign_in, screenshot
):
    templates_load_shipped()
    base = live_server.url
    today = datetime.date.today()
    start = today - datetime.timedelta(days=5)
    later = today + datetime.timedelta(days=10)

    # The office enrols the leadership team now and the branch (基层党组织) in ten days.
    sign_in(world.olivia, world.password)
    create_campaign(page, base, "党的群众路线教育实践活动", "群众路线教育实践活动",
                    (start - datetime.timedelta(days=1)).isoformat(),
                    (today + datetime.timedelta(days=280)).isoformat())  # fmt: skip
    enrol(page, "绝密", world.unit_a.name, start.isoformat(), "第一批（领导机关）")
    expect(page.get_by_text("第一批（领导机关）").first).to_be_visible()
    enrol(page, "下属支部", world.unit_a1.name, later.isoformat(), "第二批（基层）")
    expect(page.get_by_text("第二批（基层）").first).to_be_visible()
    expect(page.locator("#not-started-count")).to_contain_text("1")
    expect(page.get_by_role("row", name=world.unit_a1.name)).to_contain_text("未启动")
    screenshot("fit-1-campaign-page")

    team = Participation.objects.get(unit=world.unit_a)
    branch = Participation.objects.get(unit=world.unit_a1)

    # The branch's workspace: 未启动, no 民主生活会, its 组织生活会 instead.
    page.goto(f"{base}/participations/{branch.pk}/")
    expect(page.locator("#not-started")).to_be_visible()
    expect(page.get_by_text("召开专题民主生活会")).to_have_count(0)
    expect(page.get_by_text("召开专题组织生活会", exact=True)).to_have_count(1)
    screenshot("fit-2-branch-not-started")

    # Staff submit the 实施方案 from the team's materials page.
    switch_user(page, sign_in, world.alice, world.password)
    page.goto(f"{base}/participations/{team.pk}/materials/")
    page.locator("li", has_text="实施方案").get_by_role("button", name="开始撰写").click()
    page.get_by_label("正文").fill("实施方案\n一、指导思想。\n二、方法步骤。")
    page.get_by_role("button", name="提交审核").click()
    expect(page.get_by_text("已提交第1稿，等待督导组审核。")).to_be_visible()
    plan_task = Task.objects.get(participation=team, definition__title="制订实施方案")
    page.goto(f"{base}/participations/{team.pk}/")
    row = page.locator(f"#task-{plan_task.pk}")
    expect(row).to_contain_text("待审核")
    expect(row.get_by_text("标记完成")).to_have_count(0)

    # The supervisor approves it.
    switch_user(page, sign_in, world.sam, world.password)
    page.goto(f"{base}/reviews/")
    page.get_by_role("link", name="实施方案").click()
    page.get_by_label("通过").check()
    page.get_by_role("button", name="提交审核结论").click()
    expect(page.get_by_text("已审核通过实施方案（第1稿）。")).to_be_visible()

    # The task is done without a second click; a task finished after its date is 逾期完成.
    switch_user(page, sign_in, world.alice, world.password)
    page.goto(f"{base}/participations/{team.pk}/")
    expect(page.locator(f"#task-{plan_task.pk}")).to_contain_text("已完成")
    late = Task.objects.get(
        participation=team, definition__title="召开党组会专题研究部署教育实践活动"
    )
    late_row = page.locator(f"#task-{late.pk}")
    expect(late_row).to_contain_text("已逾期")
    late_row.get_by_text("标记完成").click()
    late_row.get_by_label("完成情况说明").fill("已召开党组会")
    late_row.get_by_role("button", name="确认完成").click()
    expect(page.locator(f"#task-{late.pk}")).to_contain_text("逾期完成（晚 3 天）")
    late_row = page.locator(f"#task-{late.pk}")
    late_row.get_by_text("依据").click()
    expect(late_row.locator(".task-source")).to_contain_text("绵阳市总工会教育实践活动实施方案")
    screenshot("fit-3-workspace")
