"""Sorting opinions in a browser (helper B): tick opinions and classify them, let the system
find near-duplicates, confirm a group with a one-line summary, and split one opinion off."""

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from feedback.models import Opinion, OpinionGroup

pytestmark = pytest.mark.django_db(transaction=True)

TEXTS = [
    "会议多、文件多，文山会海问题依然突出，基层疲于应付。",
    "公车私用时有发生，群众意见比较大。",
    "会议多、文件多，文山会海的问题还是很突出，基层疲于应付。",
    "公车私用时有发生，老百姓意见比较大。",
    "职工培训机会少。",
    "会议多、文件多，文山会海问题依然突出！基层疲于应付。",
]


def test_staff_classify_and_group_near_duplicates(page, live_server, sign_in, screenshot, world):
    for text in TEXTS:
        Opinion.objects.create(
            unit=world.unit_a,
            text=text,
            channel="symposium",
            received_on=datetime.date(2026, 1, 15),
        )
    sign_in(world.alice, world.password)
    page.goto(live_server.url + reverse("feedback:opinion_list", args=[world.unit_a.pk]))

    # Tick the two 公车 opinions and classify them as 奢靡之风.
    for text in (TEXTS[1], TEXTS[3]):
        page.get_by_role("listitem").filter(has_text=text).get_by_role("checkbox").check()
    page.locator("#bulk-form").get_by_label("四风类别").select_option(label="奢靡之风")
    screenshot("opinion-sorting-list")
    page.get_by_role("button", name="为勾选的意见设置分类").click()
    expect(page.get_by_text("已更新 2 条意见的分类。")).to_be_visible()
    assert set(
        Opinion.objects.filter(text__startswith="公车").values_list("four_winds", "status")
    ) == {("extravagance", "sorted")}

    # Let the system find the near-duplicates, then confirm the 文山会海 group.
    page.get_by_role("link", name="同类意见").first.click()
    page.get_by_role("button", name="查找疑似重复的意见").click()
    expect(page.get_by_text("找到 2 组疑似重复的意见，请逐组确认。")).to_be_visible()
    page.get_by_role("link", name=TEXTS[0][:20]).click()
    expect(page.get_by_text("3 人次提出")).to_be_visible()
    page.get_by_label("归纳").fill("文山会海，基层疲于应付")
    page.get_by_role("button", name="确认为同类意见").click()
    expect(page.get_by_text("已确认这组意见。")).to_be_visible()
    expect(page.get_by_role("heading", name="文山会海，基层疲于应付")).to_be_visible()

    # One of the three is not quite the same point: split it off.
    page.get_by_role("listitem").filter(has_text=TEXTS[2]).get_by_role("checkbox").check()
    page.get_by_role("button", name="把勾选的意见拆出本组").click()
    expect(page.get_by_text("2 人次提出")).to_be_visible()
    screenshot("opinion-group-detail")
    group = OpinionGroup.objects.get(title="文山会海，基层疲于应付")
    assert group.members.count() == 2 and group.status == OpinionGroup.Status.CONFIRMED

    # The list shows the group badge; on a phone the page still reads.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + reverse("feedback:opinion_list", args=[world.unit_a.pk]))
    expect(page.get_by_role("link", name="同类意见 2 条").first).to_be_visible()
    screenshot("opinion-sorting-list-phone")
