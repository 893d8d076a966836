"""Issue 5's journey: a member of the public drops an opinion into the unit's box on a phone;
staff import a 500-row file with 3 bad rows, see the report, fix it, import it, and submit
the summary to the supervision group. (Classifying and grouping: the sorting journey.)"""

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from campaign.models import Material
from feedback.models import Opinion

pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_import_fix_and_submit_the_summary(page, live_server, sign_in, screenshot,
                                                 campaign_world, tmp_path):  # fmt: skip
    w = campaign_world
    wb = Workbook()
    ws = wb.active
    ws.title = "意见"
    ws.append(["意见原文", "征求渠道", "收集日期", "四风类别", "意见对象"])
    for n in range(1, 501):
        ws.append(
            [f"第{n}条：会议太多，文件太长。", "座谈会", "2026-01-15", "形式主义", "领导班子"]
        )
    ws["B10"], ws["C401"], ws["A300"] = "电话会", "2026年2月30日", None
    path = tmp_path / "意见.xlsx"
    wb.save(path)

    # On a phone, no login: the unit's opinion box at the address printed on its poster.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/public/units/{w.unit_a.code}/opinions/")
    page.get_by_label("您的意见和建议").fill("窗口办事要跑好几趟，希望一次办好。")
    screenshot("opinion-public-box-phone")
    page.get_by_role("button", name="提交意见").click()
    expect(page.get_by_text("意见已收到，谢谢您！")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing overflows
    public = Opinion.objects.get()
    assert public.entered_by is None and public.is_anonymous
    page.set_viewport_size({"width": 1280, "height": 800})

    sign_in(w.alice, w.password)
    page.goto(f"{live_server.url}/units/{w.unit_a.pk}/opinions/")
    page.get_by_role("link", name="Excel 导入").click()
    page.set_input_files("input[type=file]", str(path))
    page.get_by_role("button", name="导入").click()
    errors = page.locator("#import-errors")
    assert "发现 3 处问题，本次未导入任何意见。" in errors.inner_text()
    for cells in ("10\t征求渠道", "300\t意见原文", "401\t收集日期"):
        assert cells in errors.inner_text()
    screenshot("opinion-import-errors")
    assert Opinion.objects.count() == 1  # only the public one: nothing imported

    ws["B10"], ws["C401"], ws["A300"] = "座谈会", "2026-01-16", "第299条：补上的原话。"
    wb.save(path)
    page.set_input_files("input[type=file]", str(path))
    page.get_by_role("button", name="导入").click()
    page.wait_for_url(f"**/units/{w.unit_a.pk}/opinions/")
    assert Opinion.objects.count() == 501

    page.get_by_role("link", name="意见汇总").click()
    screenshot("opinion-summary")
    page.get_by_role("link", name="报送督导组").click()
    page.get_by_role("button", name="确认报送").click()  # the page shows what will be sent
    page.wait_for_url("**/materials/*/")
    assert Material.objects.get(requirement__kind="opinion_summary").status == "submitted"
