"""The report framework (core.reports) and the 整改台账 export: Excel and PDF files that load
back with the right rows, scoping, flat query counts, the background path and its failures."""

import datetime
import io
from pathlib import Path

import openpyxl
import pypdf
import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from core.models import ReportFile
from core.reports import Column, TableReport
from core.reports.pdf import render_pdf
from core.reports.registry import register
from core.reports.services import report_expire, report_fail_stale, report_render, report_request
from rectification.exports import LedgerReport
from rectification.models import RectificationItem
from tests.factories import ProblemFactory, RectificationItemFactory

HEADER = ["序号", "问题", "整改措施", "牵头领导", "责任单位", "完成时限", "进展", "状态"]


def xlsx_rows(data: bytes) -> list[tuple]:
    ws = openpyxl.load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    return list(ws.iter_rows(values_only=True))


def keep(name: str, data: bytes) -> None:
    """Keep a rendered file in test-artifacts/ to look at (pdftoppm -png -r 60 …)."""
    out = Path(__file__).resolve().parent.parent / "test-artifacts"
    out.mkdir(exist_ok=True)
    (out / name).write_bytes(data)


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def embedded_fonts(data: bytes) -> set[str]:
    """BaseFont names of fonts whose program is embedded (FontFile, FontFile2 or FontFile3)."""
    names = set()
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for part in [font, *[d.get_object() for d in font.get("/DescendantFonts", [])]]:
                descriptor = part.get("/FontDescriptor")
                if descriptor is None:
                    continue
                descriptor = descriptor.get_object()
                if any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                    names.add(str(part["/BaseFont"]))
    return names


@pytest.fixture
def ledger(world):
    """Unit A has two items (one overdue), sub-unit A1 one, outsider unit B one."""
    w = world
    today = timezone.localdate()
    w.a_item = RectificationItemFactory(
        problem=ProblemFactory(unit=w.unit_a, title="会议多文件多"),
        title="精简会议",
        measures="严格控制会议数量",
        lead_leader=w.chair,
        responsible_office="办公室",
        deadline=today + datetime.timedelta(days=30),
    )
    w.a_late = RectificationItemFactory(
        problem=ProblemFactory(unit=w.unit_a, title="调研走过场"),
        title="改进调研",
        deadline=today - datetime.timedelta(days=3),
        status=RectificationItem.Status.IN_PROGRESS,
        progress_percent=40,
    )
    w.a1_item = RectificationItemFactory(
        problem=ProblemFactory(unit=w.unit_a1, title="支部学习不经常")
    )
    w.b_item = RectificationItemFactory(
        problem=ProblemFactory(unit=w.unit_b, title="乙单位的绝密问题")
    )
    return w


def ledger_xlsx(user, **params) -> list[tuple]:
    out = io.BytesIO()
    from core.reports.xlsx import write_xlsx

    write_xlsx(LedgerReport(user=user, **params), out)
    return xlsx_rows(out.getvalue())


def test_ledger_excel_has_title_header_in_conventional_order_and_the_units_rows(ledger):
    rows = ledger_xlsx(ledger.alice, unit=ledger.unit_a.pk)
    assert rows[0][0] == "整改台账"
    assert ledger.unit_a.name in rows[1][0]
    assert list(rows[2]) == HEADER
    body = rows[3:]
    assert [r[0] for r in body] == [1, 2]
    # Ordered by deadline: the overdue item first, marked as such.
    assert (
        body[0][1] == "调研走过场"
        and body[0][7] == "整改中（逾期）"
        and body[0][6].startswith("40%")
    )
    assert body[1][1] == "会议多文件多"
    assert body[1][2] == "精简会议：严格控制会议数量"
    assert body[1][3] == "甲主席" and body[1][4] == "办公室"
    assert body[1][5] == ledger.a_item.deadline.strftime("%Y-%m-%d")


def test_ledger_for_unit_staff_never_contains_another_units_rows(ledger):
    everything = ledger_xlsx(ledger.olivia, unit=ledger.city.pk, filters={"subtree": "1"})
    assert {r[1] for r in everything[3:]} == {
        "会议多文件多", "调研走过场", "支部学习不经常", "乙单位的绝密问题"
    }  # fmt: skip
    mine = ledger_xlsx(ledger.alice, unit=ledger.unit_a.pk, filters={"subtree": "1"})
    assert {r[1] for r in mine[3:]} == {"会议多文件多", "调研走过场", "支部学习不经常"}
    assert not any("乙单位" in str(cell) for row in mine for cell in row)
    bob = ledger_xlsx(ledger.bob, unit=ledger.unit_a1.pk, filters={"subtree": "1"})
    assert {r[1] for r in bob[3:]} == {"支部学习不经常"}


def test_ledger_for_a_unit_the_user_cannot_see_is_404(ledger):
    from django.http import Http404

    with pytest.raises(Http404):
        LedgerReport(user=ledger.charlie, unit=ledger.unit_a.pk)


def test_ledger_progress_column_shows_the_latest_monthly_report(ledger):
    from rectification.models import ProgressReport

    item = ledger.a_late
    for month, text in [
        (datetime.date(2026, 1, 1), "一月：制定方案"),
        (datetime.date(2026, 2, 1), "二月：完成调研"),
    ]:
        ProgressReport.objects.create(item=item, month=month, what_done=text, percent=40)
    RectificationItem.objects.filter(pk=item.pk).update(last_report_month=datetime.date(2026, 2, 1))
    rows = ledger_xlsx(ledger.alice, unit=ledger.unit_a.pk)
    assert rows[3][1] == "调研走过场" and rows[3][6] == "40% 二月：完成调研"
    assert rows[4][6] == "0%"  # no report yet


def test_ledger_filters_are_those_of_the_page(ledger):
    rows = ledger_xlsx(ledger.alice, unit=ledger.unit_a.pk, filters={"overdue": "on"})
    assert [r[1] for r in rows[3:]] == ["调研走过场"]
    subtree = ledger_xlsx(ledger.alice, unit=ledger.unit_a.pk, filters={"subtree": "1"})
    assert {r[1] for r in subtree[3:]} == {"会议多文件多", "调研走过场", "支部学习不经常"}
    # With several units the 责任单位 column names the unit too.
    assert any("甲单位下属支部" in r[4] for r in subtree[3:])


def test_ledger_pdf_reads_back_in_chinese_with_the_shipped_font_embedded(ledger):
    from core.reports.pdf import render_table_pdf

    data = render_table_pdf(LedgerReport(user=ledger.alice, unit=ledger.unit_a.pk))
    keep("report-ledger.pdf", data)
    text = "".join(pdf_text(data).split())
    for word in [
        "整改台账",
        "整改措施",
        "牵头领导",
        "会议多文件多",
        "严格控制会议数量",
        "第1页共1页",
    ]:
        assert word in text, word
    assert "乙单位的绝密问题" not in text
    assert any(name.endswith("Campaign-Serif-SC") for name in embedded_fonts(data))


PLANNER_QUERIES = 2 if connection.vendor == "postgresql" else 0


@pytest.mark.parametrize("n", [3, 30])
def test_ledger_export_query_count_does_not_grow_with_rows(world, n, django_assert_num_queries):
    for _ in range(n):
        RectificationItemFactory(problem=ProblemFactory(unit=world.unit_a))
    report = LedgerReport(user=world.alice, unit=world.unit_a.pk, filters={"subtree": "1"})
    from core.reports.xlsx import write_xlsx

    out = io.BytesIO()
    # One streamed query for every row, whatever the size (on PostgreSQL also the planner
    # setting and its reset: core.reports.xlsx.planned_for_every_row).
    with django_assert_num_queries(1 + PLANNER_QUERIES):
        assert write_xlsx(report, out) == n


# The background path -----------------------------------------------------------------


class Boom(TableReport):
    title = "会出错的报表"
    filename = "boom"
    columns = (Column("甲"),)

    def rows(self):
        yield [1]
        raise RuntimeError("psycopg: connection to 10.0.0.5 lost")


register("tests.boom", Boom, formats=("xlsx",), inline_rows=-1)


def test_a_small_report_downloads_at_once(ledger, as_user):
    client = as_user(ledger.alice)
    url = reverse("report_start", args=[ledger.unit_a.pk, "rectification.ledger", "xlsx"])
    response = client.post(f"{url}?status=open")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    rows = xlsx_rows(b"".join(response.streaming_content))
    assert {r[1] for r in rows[3:]} == {"会议多文件多", "调研走过场"}
    report = ReportFile.objects.get()
    assert report.status == "done" and report.requested_by == ledger.alice


def test_a_big_report_is_queued_then_the_status_page_offers_the_file(
    ledger, as_user, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.REPORTS_DIR = tmp_path / "reports"
    client = as_user(ledger.alice)
    url = reverse("report_start", args=[ledger.unit_a.pk, "rectification.ledger", "pdf"])
    from core.reports import registry

    kind = registry.get_kind("rectification.ledger")
    registry._KINDS["rectification.ledger"] = type(kind)(**{**vars(kind), "inline_pdf_rows": 0})
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url)
    finally:
        registry._KINDS["rectification.ledger"] = kind
    report = ReportFile.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "report_status", args=[report.pk]
    )
    page = client.get(response.url).content.decode()
    assert "报表已生成" in page and reverse("report_download", args=[report.pk]) in page
    assert "hx-trigger" not in page  # finished: the page stops polling
    download = client.get(reverse("report_download", args=[report.pk]))
    assert "整改台账" in pdf_text(b"".join(download.streaming_content))
    assert list(settings.REPORTS_DIR.iterdir()) == [settings.REPORTS_DIR / report.path]


def test_a_queued_report_page_polls(ledger, as_user):
    report = ReportFile.objects.create(
        kind="rectification.ledger", fmt="xlsx", title="整改台账", requested_by=ledger.alice,
        expires_at=timezone.now() + datetime.timedelta(days=1),
    )  # fmt: skip
    page = as_user(ledger.alice).get(reverse("report_status", args=[report.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in page and "已排队" in page


def test_a_failure_while_rendering_leaves_a_clear_error_on_the_status_page(
    ledger, as_user, django_capture_on_commit_callbacks
):
    client = as_user(ledger.alice)
    with django_capture_on_commit_callbacks(execute=True):
        url = reverse("report_start", args=[ledger.unit_a.pk, "tests.boom", "xlsx"])
        response = client.post(url)
    report = ReportFile.objects.get()
    assert report.status == "failed" and f"报表编号 {report.pk}" in report.error
    page = client.get(response.url).content.decode()
    assert "生成报表时出错，未能完成" in page and "请重试" in page
    assert "10.0.0.5" not in page  # internals stay in the log
    assert "hx-trigger" not in page
    assert client.get(reverse("report_download", args=[report.pk])).status_code == 404


def test_a_report_the_worker_never_finished_fails_with_a_message(ledger, as_user, settings):
    long_ago = timezone.now() - datetime.timedelta(hours=3)
    report = ReportFile.objects.create(
        kind="rectification.ledger", fmt="pdf", title="整改台账", requested_by=ledger.alice,
        status="running", started_at=long_ago, created_at=long_ago,
        expires_at=timezone.now() + datetime.timedelta(days=1),
    )  # fmt: skip
    page = as_user(ledger.alice).get(reverse("report_status", args=[report.pk])).content.decode()
    assert "超时或后台进程中断" in page
    report.refresh_from_db()
    assert report.status == "failed"
    assert report_fail_stale() == 0


def test_only_the_requester_may_download(ledger, as_user, settings, tmp_path):
    settings.REPORTS_DIR = tmp_path
    report, _inline = report_request(
        kind="rectification.ledger", fmt="xlsx", params={"unit": ledger.unit_a.pk}, by=ledger.alice
    )
    report_render(report_file=report)
    url = reverse("report_download", args=[report.pk])
    assert as_user(ledger.alice).get(url).status_code == 200
    # A report holds its requester's view: even those who see unit A ask for their own copy.
    assert as_user(ledger.leo).get(url).status_code == 404  # leader of unit A
    assert as_user(ledger.bob).get(url).status_code == 404  # sub-unit staff: not unit A
    assert as_user(ledger.charlie).get(url).status_code == 404
    assert (
        as_user(ledger.charlie).get(reverse("report_status", args=[report.pk])).status_code == 404
    )


def test_a_report_on_a_unit_the_user_cannot_see_is_refused(ledger, as_user):
    url = reverse("report_start", args=[ledger.unit_a.pk, "rectification.ledger", "xlsx"])
    assert as_user(ledger.charlie).post(url).status_code == 404
    assert not ReportFile.objects.exists()
    assert as_user(ledger.alice).get(url).status_code == 405  # starting one is a POST
    nope = reverse("report_start", args=[ledger.unit_a.pk, "nope", "xlsx"])
    assert as_user(ledger.alice).post(nope).status_code == 404
    # A unit in the query string cannot widen the URL's unit.
    mine = reverse("report_start", args=[ledger.unit_b.pk, "rectification.ledger", "xlsx"])
    response = as_user(ledger.charlie).post(f"{mine}?unit={ledger.unit_a.pk}&subtree=1")
    assert not any(
        "会议多文件多" in str(c) for r in xlsx_rows(b"".join(response.streaming_content)) for c in r
    )


def test_expired_reports_and_their_files_are_removed(ledger, settings, tmp_path):
    settings.REPORTS_DIR = tmp_path
    report, _inline = report_request(
        kind="rectification.ledger", fmt="xlsx", params={"unit": ledger.unit_a.pk}, by=ledger.alice
    )
    report_render(report_file=report)
    path = tmp_path / report.path
    assert path.exists()
    assert report_expire(now=timezone.now()) == 0
    assert report_expire(now=report.expires_at + datetime.timedelta(seconds=1)) == 1
    assert not path.exists() and not ReportFile.objects.exists()


def test_the_cleanup_is_in_the_beat_schedule_and_reports_have_their_own_queue(settings):
    from config.celery import app
    from core import tasks  # noqa: F401 - registers the schedule

    assert app.conf.beat_schedule["reports-expire"]["task"] == "core.expire_reports"
    assert settings.CELERY_TASK_ROUTES["core.render_report"] == {"queue": "reports"}
    limits = settings.CELERY_TASK_ANNOTATIONS["core.render_report"]
    assert limits["soft_time_limit"] < limits["time_limit"]
    assert settings.CELERY_WORKER_MAX_MEMORY_PER_CHILD > 0


def test_the_print_template_numbers_pages_and_repeats_the_header():
    rows = [[i, "群众反映办事难" * 4] for i in range(120)]
    data = render_pdf(
        "reports/table.html",
        {"title": "测试表", "header": ["序号", "内容"], "widths": [10, 90], "rows": rows},
    )
    reader = pypdf.PdfReader(io.BytesIO(data))
    pages = len(reader.pages)
    assert pages > 1
    last = reader.pages[-1].extract_text()
    assert f"第 {pages} 页 共 {pages} 页" in last
    assert "内容" in last  # the header row again on the last page


# The campaign documents ----------------------------------------------------------------


def test_task_completion_table_lists_units_by_tasks_from_the_campaign_page(campaign_world, as_user):
    w = campaign_world
    client = as_user(w.olivia)
    page = client.get(reverse("campaign:detail", args=[w.campaign.pk])).content.decode()
    url = reverse("report_start", args=[w.city.pk, "campaign.tasks", "xlsx"])
    assert url in page
    response = client.post(f"{url}?campaign={w.campaign.pk}")
    rows = xlsx_rows(b"".join(response.streaming_content))
    assert rows[0][0] == "测试教育实践活动任务完成情况表"
    assert rows[2][:3] == ("序号", "单位", "当前环节") and "制订学习计划" in rows[2]
    units = [r[1] for r in rows[3:]]
    assert w.unit_a.name in units and "乙单位" not in units
    assert all(r[-2].endswith(str(r[-2].split("/")[1])) for r in rows[3:])


def test_stage_summary_draft_is_a_pdf_of_the_units_records(campaign_world, as_user):
    w = campaign_world
    client = as_user(w.alice)
    page = client.get(reverse("campaign:workspace", args=[w.participation.pk])).content.decode()
    url = reverse("report_start", args=[w.unit_a.pk, "campaign.stage_summary", "pdf"])
    assert url in page
    response = client.post(f"{url}?participation={w.participation.pk}")
    data = b"".join(response.streaming_content)
    keep("report-stage-summary.pdf", data)
    text = "".join(pdf_text(data).split())
    assert "环节小结（草稿）" in text and "开展的主要活动" in text and "征求意见情况" in text
    # Another unit's participation cannot be borrowed through the query string.
    other = as_user(w.charlie).post(f"{url}?participation={w.participation.pk}")
    assert other.status_code == 404


def test_monthly_bulletin_is_a_red_header_pdf_for_the_office(
    ledger, as_user, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.REPORTS_DIR = tmp_path
    client = as_user(ledger.olivia)
    url = reverse("report_start", args=[ledger.city.pk, "campaign.bulletin", "pdf"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    report = ReportFile.objects.get()
    assert response.url == reverse("report_status", args=[report.pk]) and report.status == "done"
    data = (tmp_path / report.path).read_bytes()
    keep("report-bulletin.pdf", data)
    text = "".join(pdf_text(data).split())
    assert "教育实践活动简报" in text and "逾期未完成的整改事项" in text
    assert "调研走过场" in text  # unit A's overdue item
    # A supervisor gets the bulletin of the unit he supervises, not the city's.
    assert as_user(ledger.sam).post(url).status_code == 404


@pytest.mark.parametrize("extra", [0, 12])
def test_task_table_query_count_does_not_grow_with_units(
    campaign_world, extra, django_assert_num_queries
):
    import datetime as dt

    from campaign import services as cs
    from campaign.exports import TaskCompletionReport
    from core.reports.xlsx import write_xlsx
    from tests.factories import UnitFactory
    from units.models import Unit

    w = campaign_world
    for n in range(extra):
        UnitFactory(name=f"新增单位{n}", code=f"N{n}", parent=w.unit_b)
    cs.enrol_units(
        campaign=w.campaign,
        units=Unit.objects.filter(path__startswith=w.unit_b.path),
        start_date=dt.date(2026, 1, 10),
        label="第二批",
        by=w.olivia,
    )
    report = TaskCompletionReport(user=w.olivia, unit=w.city.pk, campaign=w.campaign.pk)
    out = io.BytesIO()
    # The units (one streamed query) and their tasks (one query per chunk of units).
    with django_assert_num_queries(2 + PLANNER_QUERIES):
        assert write_xlsx(report, out) == 3 + extra
    rows = xlsx_rows(out.getvalue())
    a_row = next(r for r in rows[3:] if r[1] == w.unit_a.name)
    assert a_row[rows[2].index("制订学习计划")] in ("0%", "逾期 0%")
