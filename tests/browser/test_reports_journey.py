"""Reports in the browser: a ledger export downloads at once; a background report's status
page polls (htmx, every two seconds) and shows the download link when the worker is done."""

import datetime
import io
from pathlib import Path

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from core.models import ReportFile
from tests.factories import ProblemFactory, RectificationItemFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_download_the_ledger_as_excel(page, live_server, sign_in, world):
    RectificationItemFactory(
        problem=ProblemFactory(unit=world.unit_a, title="会议多文件多"), lead_leader=world.chair
    )
    sign_in(world.alice, world.password)
    page.goto(f"{live_server.url}/units/{world.unit_a.pk}/ledger/")
    with page.expect_download() as download:
        page.get_by_role("button", name="导出 Excel").click()
    data = Path(download.value.path()).read_bytes()
    rows = list(openpyxl.load_workbook(io.BytesIO(data), read_only=True).worksheets[0].values)
    assert rows[2][:3] == ("序号", "问题", "整改措施") and rows[3][1] == "会议多文件多"
    assert download.value.suggested_filename.endswith(".xlsx")


def test_the_status_page_polls_until_the_file_is_ready(
    page, live_server, sign_in, world, screenshot, settings, tmp_path
):
    settings.REPORTS_DIR = tmp_path
    report = ReportFile.objects.create(
        kind="campaign.bulletin", fmt="pdf", title="2026年11月教育实践活动工作通报",
        requested_by=world.olivia, unit=world.city, status="running", progress=40,
        started_at=timezone.now(), expires_at=timezone.now() + datetime.timedelta(days=3),
        filename="yuetongbao.pdf",
    )  # fmt: skip
    sign_in(world.olivia, world.password)
    page.goto(f"{live_server.url}/reports/{report.pk}/")
    expect(page.get_by_text("正在生成")).to_be_visible()
    screenshot("reports-status-running")
    # The worker finishes; the page notices by itself, with no reload.
    (tmp_path / "done.pdf").write_bytes(b"%PDF-1.4\n%test\n")
    ReportFile.objects.filter(pk=report.pk).update(
        status="done", progress=100, path="done.pdf", finished_at=timezone.now()
    )
    expect(page.get_by_role("link", name="下载 yuetongbao.pdf")).to_be_visible(timeout=8000)
    screenshot("reports-status-done")


def test_the_office_starts_the_monthly_bulletin(
    page, live_server, sign_in, world, settings, tmp_path
):
    settings.REPORTS_DIR = tmp_path
    sign_in(world.olivia, world.password)
    page.goto(f"{live_server.url}/units/{world.city.pk}/")
    page.get_by_role("button", name="本月通报").click()
    expect(page.get_by_text("报表已生成")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="下载").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
