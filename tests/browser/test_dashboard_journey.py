"""Issue 10's journey: the campaign office reads its dashboard, follows a figure to the list
behind it, draws a random inspection round, records a finding and downloads the 随机抽查通报;
a supervisor and unit staff open their own dashboards. Screenshots at desktop and phone width.
"""

import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.factories import ProblemFactory, RectificationItemFactory
from tests.helpers.dashboards import add_district, add_opinions, appraisal, tally

pytestmark = pytest.mark.django_db(transaction=True)

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def both_widths(page, screenshot, name):
    page.set_viewport_size(DESKTOP)
    screenshot(f"{name}-desktop")
    page.set_viewport_size(PHONE)
    # Chart.js redraws on its ResizeObserver's next callback, not synchronously.
    page.wait_for_timeout(400)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(f"{name}-phone")
    page.set_viewport_size(DESKTOP)


def charts_drawn(page) -> int:
    """How many canvases Chart.js has drawn on."""
    return page.evaluate(
        "[...document.querySelectorAll('canvas[data-chart]')]"
        ".filter(c => window.Chart && Chart.getChart(c)).length"
    )


def sign_out(page):
    page.get_by_role("button", name="退出").click()


def test_dashboards_and_a_random_inspection_round(
    page, live_server, campaign_world, sign_in, screenshot, tmp_path
):
    w = campaign_world
    east, street = add_district(w, "东区", "E")
    west, _street = add_district(w, "西区", "W")
    for district, (good, fair, bad) in ((east, (30, 12, 4)), (west, (18, 10, 9))):
        round_, team = appraisal(district)
        tally(round_, team, satisfied=good, basically=fair, unsatisfied=bad)
    add_opinions(w.unit_a, [("symposium", "formalism"), ("interview", "bureaucratism")])
    add_opinions(street, [("box", "formalism"), ("box", "hedonism"), ("website", "")])
    RectificationItemFactory(problem=ProblemFactory(unit=w.unit_a))
    RectificationItemFactory(problem=ProblemFactory(unit=street), status="verified")
    page.set_viewport_size(DESKTOP)

    # The campaign office: its dashboard, then a figure's list.
    sign_in(w.olivia, w.password)
    page.get_by_role("link", name="工作看板").click()
    page.get_by_role("link", name=w.campaign.name).click()
    expect(page.get_by_role("heading", name="活动办工作看板")).to_be_visible()
    expect(page.get_by_role("heading", name="按县区：任务完成率和逾期任务")).to_be_visible()
    assert charts_drawn(page) == 8
    both_widths(page, screenshot, "dashboard-office")
    buckets = page.locator(
        "section", has=page.get_by_role("heading", name="按县区：任务完成率和逾期任务")
    )
    buckets.get_by_text("数据表").click()
    buckets.get_by_role("link", name="东区").click()
    expect(page.get_by_text("共 3 个")).to_be_visible()

    # A random inspection round: draw, verify, record a finding, download the bulletin.
    page.go_back()
    page.get_by_role("link", name="随机调研").click()
    page.get_by_label("名称").fill("第一轮随机调研")
    page.get_by_label("抽取单位数").fill("5")
    page.get_by_role("button", name="随机抽取").click()
    expect(page.get_by_text("随机种子").first).to_be_visible()
    page.get_by_role("link", name="复核抽取").click()
    expect(page.get_by_text("复核一致")).to_be_visible()
    page.get_by_role("link", name="录入调研情况").first.click()
    page.get_by_label("已检查规定动作").check()
    page.get_by_label("发现的问题").fill("个人对照检查材料由秘书代写")
    page.get_by_label("意见建议").fill("班子成员亲自动手撰写")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("个人对照检查材料由秘书代写")).to_be_visible()
    both_widths(page, screenshot, "inspection-round")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载随机抽查通报").click()
    target = tmp_path / "bulletin.pdf"
    download.value.save_as(target)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(target.read_bytes())).pages)
    assert "随机抽查通报" in text and "个人对照检查材料由秘书代写" in text
    sign_out(page)

    # A supervisor: the units of the group, the review queue, escalations.
    sign_in(w.sam, w.password)
    page.get_by_role("link", name="工作看板").click()
    page.get_by_role("link", name=w.campaign.name).click()
    expect(page.get_by_role("heading", name="督导组工作看板")).to_be_visible()
    expect(page.get_by_role("link", name="环节小结")).to_be_visible()  # waiting for review
    assert charts_drawn(page) == 7  # no appraisal in the group's units: a table-less note
    both_widths(page, screenshot, "dashboard-supervisor")
    sign_out(page)

    # Unit staff: the unit's own progress.
    sign_in(w.alice, w.password)
    page.get_by_role("link", name="工作看板").click()
    page.get_by_role("link", name=w.campaign.name).click()
    expect(page.get_by_role("heading", name="本单位工作看板")).to_be_visible()
    assert charts_drawn(page) == 3
    both_widths(page, screenshot, "dashboard-unit")
