"""The rectification journey as a new user walks it: record a problem, open a ledger item with
a lead leader and a deadline, file two monthly reports with evidence a month apart, complete
it, have the supervisor verify it (销号), then read it on the public page and rate it.

The clock is moved with time_machine (the live server runs in this process); Playwright's own
timers use the monotonic clock, which time_machine leaves alone.
"""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import expect

from feedback.services import opinion_take
from rectification.models import PublicRating, RectificationItem

pytestmark = pytest.mark.django_db(transaction=True)

TZ = ZoneInfo("Asia/Shanghai")
DECEMBER = datetime.datetime(2026, 12, 21, 9, tzinfo=TZ)
JANUARY = datetime.datetime(2027, 1, 22, 9, tzinfo=TZ)
PDF = {"name": "会议统计表.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%test\n"}
NOTE = "内部备注：涉及个别干部，暂不公开"


def field(page, label):
    """The form field labelled `label`, with or without crispy's required-field asterisk."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def file_report(page, what_done, percent, file_name):
    page.get_by_role("link", name="填报本月进展").click()
    field(page, "本月整改情况").fill(what_done)
    field(page, "完成进度（%）").fill(str(percent))
    field(page, "佐证材料").set_input_files({**PDF, "name": file_name})
    page.get_by_role("button", name="提交进展").click()
    expect(page.get_by_text("已填报本月整改进展。")).to_be_visible()


def test_problem_to_public_rating(page, live_server, world, sign_in, screenshot):
    unit = world.unit_a
    ledger = f"{live_server.url}/units/{unit.pk}/ledger/"

    with time_machine.travel(DECEMBER, tick=True):
        for text in ("会议太多，陪会占用大量时间", "文件层层转发，基层疲于应付"):
            opinion_take(unit=unit, by=world.alice, text=text, channel="symposium",
                         received_on=DECEMBER.date())  # fmt: skip
        sign_in(world.alice, world.password)
        # Turn two opinions into a problem (转为问题).
        page.goto(f"{live_server.url}/units/{unit.pk}/opinions/")
        for checkbox in page.get_by_label("选择这条意见").all():
            checkbox.check()
        page.get_by_role("button", name="勾选的意见转为问题").click()
        expect(page.get_by_text("由 2 条意见转为问题")).to_be_visible()
        field(page, "问题").fill("文山会海，会议多、文件多")
        field(page, "具体表现").fill("机关部门陪会多，以文件落实文件，简报内容重复。")
        field(page, "四风类别").select_option(label="形式主义")
        page.get_by_label("限期整改").check()
        page.get_by_label("领导班子").check()
        page.get_by_role("button", name="保存").click()
        expect(page.get_by_text("已登记问题")).to_be_visible()
        expect(page.get_by_text("来源意见", exact=True)).to_be_visible()
        expect(page.get_by_text("文件层层转发，基层疲于应付")).to_be_visible()

        page.get_by_role("link", name="建立整改事项").click()
        expect(field(page, "整改事项")).to_have_value("文山会海，会议多、文件多")
        field(page, "整改事项").fill("精简会议和文件简报")
        field(page, "整改措施").fill("严格控制会议数量和规模，压缩文件简报。")
        field(page, "牵头领导").select_option(label=str(world.chair))
        field(page, "责任单位（部门）").fill("办公室")
        field(page, "完成时限").fill("2027-03-31")
        field(page, "公开承诺").fill("全年会议和文件简报比上年减少三分之一以上。")
        field(page, "内部备注").fill(NOTE)
        page.get_by_role("button", name="保存").click()
        expect(page.get_by_text("已建立整改事项“精简会议和文件简报”。")).to_be_visible()
        expect(page.get_by_text("未开始", exact=True).first).to_be_visible()
        screenshot("rectification-1-item-opened")

        file_report(page, "召开专题会议研究部署，清理了一批例行会议。", 40, "十二月统计.pdf")
        expect(page.locator("#reports").get_by_text("2026年12月")).to_be_visible()
        expect(page.get_by_text("整改中", exact=True).first).to_be_visible()

    with time_machine.travel(JANUARY, tick=True):
        sign_in(world.alice, world.password)  # a month on, the session has expired
        page.goto(ledger)
        row = page.locator(".ledger-rows .list-group-item", has_text="精简会议和文件简报")
        expect(row.get_by_text("本月待报").filter(visible=True)).to_be_visible()
        screenshot("rectification-2-ledger")
        row.get_by_role("link", name="精简会议和文件简报").click()
        file_report(page, "会议数量同比减少 40%，简报合并为一份。", 90, "一月统计.pdf")
        expect(page.locator("#reports").get_by_text("2027年1月")).to_be_visible()
        expect(page.get_by_role("link", name="十二月统计.pdf")).to_be_visible()
        expect(page.get_by_role("link", name="一月统计.pdf")).to_be_visible()

        details = page.locator("details", has_text="标记整改完成")
        details.locator("summary").click()
        expect(details).to_have_attribute("open", "")
        field(page, "整改成效").fill("全年会议减少 42%，文件简报减少 38%。")
        field(page, "佐证材料").set_input_files({**PDF, "name": "整改成效.pdf"})
        page.get_by_role("button", name="整改完成").click()
        expect(page.get_by_text("已标记整改完成，等待督导组核实销号。")).to_be_visible()
        screenshot("rectification-3-completed")

        page.context.clear_cookies()
        sign_in(world.sam, world.password)
        page.goto(ledger + "?status=completed")
        page.get_by_role("link", name="精简会议和文件简报").click()
        expect(page.get_by_role("link", name="整改成效.pdf")).to_be_visible()
        page.get_by_role("button", name="核实销号").click()
        expect(page.get_by_role("alert").get_by_text("已核实销号。")).to_be_visible()
        expect(page.get_by_text("督导组已核实销号。")).to_be_visible()
        screenshot("rectification-4-verified")

        page.context.clear_cookies()
        page.goto(f"{live_server.url}/public/units/{unit.code}/commitments/")
        card = page.locator("article", has_text="精简会议和文件简报")
        expect(card.get_by_text("全年会议和文件简报比上年减少三分之一以上。")).to_be_visible()
        expect(card.get_by_text("已销号")).to_be_visible()
        expect(card.get_by_text("样本不足")).to_be_visible()
        assert NOTE not in page.content()
        assert world.chair.name not in page.content()
        card.get_by_label("满意", exact=True).check()
        card.get_by_role("button", name="提交评价").click()
        expect(page.get_by_text("感谢您的评价！")).to_be_visible()
        screenshot("rectification-5-public")

    item = RectificationItem.objects.get(title="精简会议和文件简报")
    assert item.status == RectificationItem.Status.VERIFIED and item.verified_by == world.sam
    assert list(item.reports.values_list("percent", flat=True)) == [90, 40]
    assert list(PublicRating.objects.values_list("rating", flat=True)) == ["satisfied"]
