"""Issue 4's journey: unit staff write and submit the study plan, the supervision group returns
it with a comment, staff read the comment and resubmit, the group approves it and then the
stage summary, and the unit's first stage closes (环节把关)."""

import re

import pytest
from playwright.sync_api import expect

from campaign.models import MaterialRequirement

pytestmark = pytest.mark.django_db(transaction=True)

FIRST = "学习计划\n一、每周五下午集中学习。\n二、班子成员每人撰写心得体会。"
SECOND = FIRST + "\n三、学习篇目：党章、《党的群众路线教育实践活动学习文件选编》。"


def switch_user(page, sign_in, user, password):
    page.context.clear_cookies()
    sign_in(user, password)


def test_study_plan_returned_resubmitted_approved_and_the_stage_closes(
    page, live_server, campaign_world, sign_in, screenshot
):
    w = campaign_world
    MaterialRequirement.objects.create(
        stage=w.stage1, kind="study_plan", title="学习计划", is_gate=True
    )
    base = live_server.url

    # Staff write the study plan from the workspace and submit it.
    sign_in(w.alice, w.password)
    page.goto(f"{base}/participations/{w.participation.pk}/")
    page.get_by_role("link", name="材料报送").click()
    expect(page.get_by_text("把关材料 0/2 已通过")).to_be_visible()
    page.locator("li", has_text="学习计划").get_by_role("button", name="开始撰写").click()
    page.get_by_label("正文").fill(FIRST)
    page.get_by_role("button", name="提交审核").click()
    expect(page.get_by_text("已提交第1稿，等待督导组审核。")).to_be_visible()
    screenshot("review-1-submitted")

    # The supervisor finds it in the queue and returns it with a comment.
    switch_user(page, sign_in, w.sam, w.password)
    page.goto(f"{base}/reviews/")
    expect(page.get_by_role("row", name=re.compile("学习计划"))).to_contain_text("第1稿")
    screenshot("review-2-queue")
    page.get_by_role("link", name="学习计划").click()
    page.get_by_label("退回修改").check()
    page.get_by_role("button", name="提交审核结论").click()
    expect(page.get_by_text("退回修改时必须填写审核意见。")).to_be_visible()
    page.get_by_label("审核意见").fill("请列明学习篇目。")
    page.get_by_role("button", name="提交审核结论").click()
    expect(page.get_by_text("已将学习计划（第1稿）退回修改，单位将收到通知。")).to_be_visible()

    # Staff open the notice, read the comment and resubmit.
    switch_user(page, sign_in, w.alice, w.password)
    page.goto(f"{base}/notifications/")
    page.get_by_role("link", name="学习计划（第1稿）被督导组退回修改").click()
    expect(page.get_by_role("status")).to_contain_text("请列明学习篇目。")
    screenshot("review-3-returned")
    page.get_by_label("正文").fill(SECOND)
    page.get_by_role("button", name="提交审核").click()
    expect(page.get_by_text("已提交第2稿，等待督导组审核。")).to_be_visible()

    # The supervisor compares the two revisions and approves, then approves the summary.
    switch_user(page, sign_in, w.sam, w.password)
    page.goto(f"{base}/reviews/")
    page.get_by_role("link", name="学习计划").click()
    page.get_by_role("link", name="与第1稿对比").click()
    expect(page.locator("table.diff .diff_add").first).to_contain_text("学习篇目")
    screenshot("review-4-diff")
    page.go_back()
    page.get_by_label("通过").check()
    page.get_by_role("button", name="提交审核结论").click()
    expect(page.get_by_text("已审核通过学习计划（第2稿）。")).to_be_visible()
    screenshot("review-5-approved")
    page.goto(f"{base}/reviews/")
    page.get_by_role("link", name="环节小结").click()
    page.get_by_label("通过").check()
    page.get_by_role("button", name="提交审核结论").click()
    expect(page.get_by_text("已审核通过环节小结（第1稿）。")).to_be_visible()

    # The unit's first stage is closed and the second is current.
    switch_user(page, sign_in, w.alice, w.password)
    page.goto(f"{base}/participations/{w.participation.pk}/materials/")
    first = page.locator(f"#stage-{w.stage1.pk}")
    second = page.locator(f"#stage-{w.stage2.pk}")
    expect(first).to_contain_text("已结束")
    expect(first).to_contain_text("把关材料 2/2 已通过")
    expect(second).to_contain_text("当前环节")
    screenshot("review-6-stage-closed")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("review-6-stage-closed-390")
