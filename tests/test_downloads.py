"""One path for every download (issue 14): each Excel and PDF the site offers is a registered
report kind, so size decides inline or background, a big one is queued (and survives a broker
that is down), and every file is named 单位+标题+日期 in Chinese with an ASCII fallback."""

import datetime
import re
from unittest import mock
from urllib.parse import quote

import pytest
from django.urls import resolve, reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from appraisals import services
from campaign.services.inspections import inspection_round_draw
from core.models import ReportFile
from core.reports import registry
from core.reports.names import content_disposition, download_name
from core.reports.services import report_requeue
from tests.factories import ProblemFactory, RectificationItemFactory
from tests.helpers.appraisals import make_round

pytestmark = pytest.mark.django_db

EVERY_DOWNLOAD = {
    "feedback.opinion_summary",  # 意见汇总表
    "appraisals.results",  # 评议结果
    "appraisals.slips",  # 评议票
    "campaign.inspection_bulletin",  # 随机抽查通报
    "campaign.stage_summary",  # 环节小结（草稿）
    "rectification.ledger",  # 整改台账
    "campaign.tasks",  # 任务完成情况表
    "campaign.bulletin",  # 月通报
}
ASCII_NAME = re.compile(r'filename="([A-Za-z0-9._-]+)"')


@pytest.fixture
def w(campaign_world, settings, tmp_path):
    settings.REPORTS_DIR = tmp_path / "reports"
    w = campaign_world
    # Results show once a round is over; slips print freely before one opens.
    w.round = make_round(w, count=6)
    services.round_close(round=w.round, by=w.sam)
    w.upcoming = make_round(w, count=6, opens_at=timezone.now() + datetime.timedelta(days=1))
    w.inspection = inspection_round_draw(
        campaign=w.campaign, name="第一轮随机调研", size=2, by=w.olivia
    )
    RectificationItemFactory(problem=ProblemFactory(unit=w.unit_a, title="会议多文件多"))
    w.today = timezone.localdate()
    return w


# Each download as the page offers it: who asks, how, and the name the file must carry.
DOWNLOADS = {
    "feedback.opinion_summary": (
        "alice",
        lambda w: reverse("feedback:opinion_summary_xlsx", args=[w.unit_a.pk]),
        "{a}意见汇总表-{d}.xlsx",
    ),
    "appraisals.results": (
        "sam",
        lambda w: reverse("appraisals:appraisal_export", args=[w.round.pk]),
        "{a}甲单位领导班子民主评议结果-{d}.xlsx",
    ),
    "appraisals.results.pdf": (
        "sam",
        lambda w: reverse("appraisals:appraisal_export", args=[w.round.pk]) + "?format=pdf",
        "{a}甲单位领导班子民主评议结果-{d}.pdf",
    ),
    "appraisals.slips": (
        "sam",
        lambda w: reverse("appraisals:appraisal_slips", args=[w.upcoming.pk]),
        "{a}甲单位领导班子民主评议评议票-{d}.pdf",
    ),
    "campaign.inspection_bulletin": (
        "olivia",
        lambda w: reverse("campaign:inspection_bulletin", args=[w.inspection.pk]),
        "示范市随机抽查通报（第一轮随机调研）-{d}.pdf",
    ),
    "rectification.ledger": (
        "alice",
        lambda w: reverse("report_start", args=[w.unit_a.pk, "rectification.ledger", "xlsx"]),
        "{a}整改台账-{d}.xlsx",
    ),
    "campaign.tasks": (
        "olivia",
        lambda w: (
            reverse("report_start", args=[w.city.pk, "campaign.tasks", "xlsx"])
            + f"?campaign={w.campaign.pk}"
        ),
        "示范市测试教育实践活动任务完成情况表-{d}.xlsx",
    ),
    "campaign.stage_summary": (
        "alice",
        lambda w: (
            reverse("report_start", args=[w.unit_a.pk, "campaign.stage_summary", "pdf"])
            + f"?participation={w.participation.pk}"
        ),
        "{a}学习教育·听取意见环节小结（草稿）-{d}.pdf",
    ),
    "campaign.bulletin": (
        "olivia",
        lambda w: reverse("report_start", args=[w.city.pk, "campaign.bulletin", "pdf"]),
        "示范市{y}年{m}月教育实践活动工作通报-{d}.pdf",
    ),
}


def download(client, url, capture):
    """GET the page's link (or POST a report button); a queued report is rendered by the
    eager worker and fetched from its status page's download link."""
    start = resolve(url.split("?")[0]).url_name == "report_start"
    with capture(execute=True):
        response = client.post(url) if start else client.get(url)
    if response.status_code == 302:
        report = ReportFile.objects.latest("pk")
        assert response.url == reverse("report_status", args=[report.pk])
        response = client.get(reverse("report_download", args=[report.pk]))
    assert response.status_code == 200
    return response


def test_every_download_is_a_registered_report_kind():
    assert set(registry.all_kinds()) >= EVERY_DOWNLOAD
    assert {code.removesuffix(".pdf") for code in DOWNLOADS} == EVERY_DOWNLOAD


@pytest.mark.parametrize("code", sorted(DOWNLOADS))
def test_each_download_goes_through_the_framework_and_is_named_in_chinese(
    w, as_user, django_capture_on_commit_callbacks, code
):
    persona, url, name = DOWNLOADS[code]
    response = download(as_user(getattr(w, persona)), url(w), django_capture_on_commit_callbacks)
    report = ReportFile.objects.latest("pk")
    assert report.kind == code.removesuffix(".pdf") and report.status == "done"
    expected = name.format(a=w.unit_a.name, d=w.today.isoformat(), y=w.today.year, m=w.today.month)
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    assert f"filename*=UTF-8''{quote(expected, safe='')}" in disposition
    fallback = ASCII_NAME.search(disposition).group(1)
    assert fallback.endswith(f"-{w.today.isoformat()}.{report.fmt}") and len(fallback) > 16
    assert report.filename == expected


@pytest.mark.parametrize(
    ("code", "persona", "url"),
    [
        ("feedback.opinion_summary", "alice", DOWNLOADS["feedback.opinion_summary"][1]),
        ("appraisals.results", "sam", DOWNLOADS["appraisals.results"][1]),
        ("campaign.inspection_bulletin", "olivia", DOWNLOADS["campaign.inspection_bulletin"][1]),
    ],
)
def test_a_big_download_is_queued_not_rendered_in_the_request(
    w, as_user, django_capture_on_commit_callbacks, code, persona, url
):
    kind = registry.get_kind(code)
    registry._KINDS[code] = type(kind)(**{**vars(kind), "inline_rows": -1, "inline_pdf_rows": -1})
    try:
        with django_capture_on_commit_callbacks() as queued:
            response = as_user(getattr(w, persona)).get(url(w))
    finally:
        registry._KINDS[code] = kind
    report = ReportFile.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("report_status", args=[report.pk])
    assert report.status == "queued" and not report.path
    assert len(queued) == 1  # the render task, once the request's transaction commits


def test_slips_for_many_codes_go_to_the_worker(w, as_user, django_capture_on_commit_callbacks):
    limit = registry.get_kind("appraisals.slips").inline_pdf_rows
    big = make_round(w, count=limit + 1, opens_at=timezone.now() + datetime.timedelta(days=1))
    url = reverse("appraisals:appraisal_slips", args=[big.pk])
    with django_capture_on_commit_callbacks() as queued:
        response = as_user(w.sam).get(url)
    report = ReportFile.objects.get()
    assert response.status_code == 302 and report.status == "queued" and report.rows == limit + 1
    assert len(queued) == 1


def test_a_private_report_is_the_requesters_alone(w, as_user, django_capture_on_commit_callbacks):
    """The slips hold unused codes: unit A's staff may see the unit but not download them."""
    download(
        as_user(w.sam), DOWNLOADS["appraisals.slips"][1](w), django_capture_on_commit_callbacks
    )
    report = ReportFile.objects.get()
    assert report.unit == w.unit_a  # for the audit: the unit gives no one else the file
    assert as_user(w.alice).get(reverse("report_download", args=[report.pk])).status_code == 404
    assert as_user(w.sam).get(reverse("report_download", args=[report.pk])).status_code == 200


def test_scope_is_checked_when_the_report_is_requested(w, as_user):
    slips = DOWNLOADS["appraisals.slips"][1](w)
    assert as_user(w.alice).get(slips).status_code == 403  # sees the unit, does not run rounds
    assert as_user(w.charlie).get(slips).status_code == 404
    bulletin = DOWNLOADS["campaign.inspection_bulletin"][1](w)
    assert as_user(w.alice).get(bulletin).status_code == 404
    assert not ReportFile.objects.exists()


def test_with_the_broker_down_a_big_report_waits_and_the_sweeper_queues_it(
    w, as_user, django_capture_on_commit_callbacks
):
    url = DOWNLOADS["campaign.bulletin"][1](w)
    down = OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
    with (
        mock.patch("core.tasks.render_report.apply_async", side_effect=down),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = as_user(w.olivia).post(url)
    report = ReportFile.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"/reports/{report.pk}/")
    assert report.status == "queued"
    assert report_requeue() == 0  # its own task may still come
    assert report_requeue(now=timezone.now() + datetime.timedelta(minutes=6)) == 1
    report.refresh_from_db()
    assert report.status == "done"


def test_the_name_helper_and_the_header():
    day = datetime.date(2026, 12, 4)
    name = download_name(unit_name="南通市总工会", title="整改台账", day=day, fmt="xlsx")
    assert name == "南通市总工会整改台账-2026-12-04.xlsx"
    # A title that already names the unit names it once; no path separators get through.
    assert download_name(unit_name="甲单位", title="甲单位/环节小结", day=day, fmt="pdf") == (
        "甲单位_环节小结-2026-12-04.pdf"
    )
    assert content_disposition(name, fallback="zhenggai-taizhang-2026-12-04.xlsx") == (
        'attachment; filename="zhenggai-taizhang-2026-12-04.xlsx"; '
        "filename*=UTF-8''%E5%8D%97%E9%80%9A%E5%B8%82%E6%80%BB%E5%B7%A5%E4%BC%9A"
        "%E6%95%B4%E6%94%B9%E5%8F%B0%E8%B4%A6-2026-12-04.xlsx"
    )
    assert 'filename="download.pdf"' in content_disposition("方案.pdf")


def test_an_attachment_downloads_under_its_chinese_name_with_a_fallback(w, as_user):
    response = as_user(w.alice).get(reverse("attachment", args=[w.attachment.pk]))
    disposition = response["Content-Disposition"]
    assert f"filename*=UTF-8''{quote('记录.pdf')}" in disposition
    assert 'filename="download.pdf"' in disposition
