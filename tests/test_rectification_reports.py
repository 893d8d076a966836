"""Monthly progress (月调度): one report per item and month, and which items are missing this
month's report, across month and year ends (rules in rectification/reporting.py).

ledger_world's item is created on 2026-03-10; the report day is the 25th, so each month's
window opens on the 20th.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.models import Attachment, AuditLog
from rectification import reporting, services
from rectification.models import ProgressReport, RectificationItem
from rectification.selectors import LedgerFilters, filter_items, ledger_items
from tests.helpers.clock import at
from tests.helpers.rectification import open_item, pdf, set_status

pytestmark = pytest.mark.django_db

D = datetime.date
S = RectificationItem.Status


def state_on(item, day) -> str:
    """The item's state for `day`, from the model and from the ledger's query, which agree."""
    with at(day):
        item.refresh_from_db()
        state = item.report_state()
        items = ledger_items(item.unit, subtree=False)
        missing = filter_items(items, LedgerFilters(missing=True), day).filter(pk=item.pk)
    assert missing.exists() == (state in ("due", "missing")), day
    return state


def file(item, by, day, percent=40, **kwargs):
    with at(day):
        return services.progress_report_file(
            item=item, by=by, what_done="召开专题会议，制定办法", percent=percent, **kwargs
        )


# --- The rule ----------------------------------------------------------------------------------


def test_report_day_and_window(settings):
    assert reporting.report_day(D(2026, 3, 1)) == D(2026, 3, 25)
    assert reporting.window_opens(D(2026, 3, 1)) == D(2026, 3, 20)
    settings.PROGRESS_REPORT_DAY = 31
    assert reporting.report_day(D(2026, 2, 1)) == D(2026, 2, 28)
    assert reporting.report_day(D(2028, 2, 1)) == D(2028, 2, 29)
    assert reporting.report_day(D(2026, 4, 1)) == D(2026, 4, 30)
    settings.PROGRESS_REPORT_DAY = 3
    assert reporting.window_opens(D(2026, 5, 1)) == D(2026, 5, 1)


def test_missing_report_across_month_ends(ledger_world):
    item = ledger_world.item
    assert state_on(item, D(2026, 3, 19)) == ""  # the window is not open yet
    assert state_on(item, D(2026, 3, 20)) == "due"
    assert state_on(item, D(2026, 3, 24)) == "due"
    assert state_on(item, D(2026, 3, 25)) == "missing"
    assert state_on(item, D(2026, 3, 31)) == "missing"
    assert state_on(item, D(2026, 4, 1)) == ""  # a new month: nothing owed before the 20th
    assert state_on(item, D(2026, 4, 19)) == ""
    assert state_on(item, D(2026, 4, 20)) == "due"
    file(item, ledger_world.alice, D(2026, 4, 22))
    assert state_on(item, D(2026, 4, 22)) == "filed"
    assert state_on(item, D(2026, 4, 30)) == "filed"
    assert state_on(item, D(2026, 5, 1)) == ""  # April's report does not count for May
    assert state_on(item, D(2026, 5, 26)) == "missing"


def test_a_report_filed_early_in_the_month_counts_for_the_month(ledger_world):
    file(ledger_world.item, ledger_world.alice, D(2026, 4, 2))
    assert state_on(ledger_world.item, D(2026, 4, 28)) == "filed"


def test_across_the_year_end(ledger_world):
    RectificationItem.objects.filter(pk=ledger_world.item.pk).update(deadline=D(2027, 6, 30))
    file(ledger_world.item, ledger_world.alice, D(2026, 12, 21))
    assert state_on(ledger_world.item, D(2026, 12, 31)) == "filed"
    assert state_on(ledger_world.item, D(2027, 1, 1)) == ""
    assert state_on(ledger_world.item, D(2027, 1, 25)) == "missing"


def test_an_item_opened_inside_the_window_reports_next_month(ledger_world):
    with at(D(2026, 3, 21)):
        late = open_item(ledger_world, title="新开的事项")
    assert state_on(late, D(2026, 3, 28)) == ""
    assert state_on(late, D(2026, 4, 25)) == "missing"


def test_an_item_opened_the_day_before_the_window_owes_this_month(ledger_world):
    with at(D(2026, 3, 19), hour=23):
        item = open_item(ledger_world, title="前一天建立的事项")
    assert state_on(item, D(2026, 3, 25)) == "missing"


@pytest.mark.parametrize("status", [S.COMPLETED, S.VERIFIED])
def test_a_finished_item_owes_nothing(ledger_world, status):
    set_status(ledger_world.item, status)
    assert state_on(ledger_world.item, D(2026, 3, 28)) == ""


def test_report_day_comes_from_settings(ledger_world, settings):
    settings.PROGRESS_REPORT_DAY = 10
    assert state_on(ledger_world.item, D(2026, 4, 4)) == ""
    assert state_on(ledger_world.item, D(2026, 4, 5)) == "due"
    assert state_on(ledger_world.item, D(2026, 4, 10)) == "missing"


# --- Filing --------------------------------------------------------------------------------------


def test_the_first_report_starts_the_item_and_is_audited(ledger_world):
    report = file(
        ledger_world.item,
        ledger_world.alice,
        D(2026, 3, 22),
        percent=30,
        uploads=[pdf("会议统计.pdf")],
    )
    ledger_world.item.refresh_from_db()
    assert ledger_world.item.status == S.IN_PROGRESS
    assert (ledger_world.item.progress_percent, ledger_world.item.last_report_month) == (
        30,
        D(2026, 3, 1),
    )
    assert report.month == D(2026, 3, 1) and report.reported_by == ledger_world.alice
    filed = AuditLog.objects.get(action="progressreport.filed")
    assert filed.changes == {
        "month": "2026年3月",
        "percent": 30,
        "what_done": "召开专题会议，制定办法",
    }
    assert AuditLog.objects.filter(action="rectificationitem.started").count() == 1
    assert Attachment.objects.get(object_id=str(report.pk)).name == "会议统计.pdf"


def test_one_report_per_item_and_month(ledger_world):
    file(ledger_world.item, ledger_world.alice, D(2026, 3, 22))
    with pytest.raises(ValidationError) as refused:
        file(ledger_world.item, ledger_world.alice, D(2026, 3, 31), percent=50)
    assert refused.value.messages == ["本事项2026年3月的进展已经填报，每月填报一次。"]
    file(ledger_world.item, ledger_world.alice, D(2026, 4, 1), percent=60)
    assert list(ProgressReport.objects.order_by("month").values_list("month", "percent")) == [
        (D(2026, 3, 1), 40),
        (D(2026, 4, 1), 60),
    ]


@pytest.mark.parametrize(
    ("percent", "what_done", "field"),
    [(101, "做了", "percent"), (-1, "做了", "percent"), (50, "  ", "what_done")],
)
def test_bad_report_gets_a_chinese_error_and_saves_nothing(ledger_world, percent, what_done, field):
    with at(D(2026, 3, 22)), pytest.raises(ValidationError) as refused:
        services.progress_report_file(
            item=ledger_world.item, by=ledger_world.alice, what_done=what_done, percent=percent
        )
    assert field in refused.value.message_dict
    assert not ProgressReport.objects.exists()
    ledger_world.item.refresh_from_db()
    assert ledger_world.item.status == S.NOT_STARTED


@pytest.mark.parametrize("status", [S.COMPLETED, S.VERIFIED])
def test_no_report_on_a_finished_item(ledger_world, status):
    set_status(ledger_world.item, status)
    with pytest.raises(ValidationError):
        file(ledger_world.item, ledger_world.alice, D(2026, 3, 22))


def test_item_page_shows_each_month_and_the_gap(as_user, ledger_world):
    file(ledger_world.item, ledger_world.alice, D(2026, 3, 22), percent=20)
    file(ledger_world.item, ledger_world.alice, D(2026, 5, 3), percent=60)
    with at(D(2026, 5, 26)):
        response = as_user(ledger_world.alice).get(
            reverse("rectification:item_detail", args=[ledger_world.item.pk])
        )
    months = [(row.month, row.state) for row in response.context["detail"].months]
    assert months == [
        (D(2026, 5, 1), "filed"),
        (D(2026, 4, 1), "missing"),
        (D(2026, 3, 1), "filed"),
    ]
    assert "未填报" in response.content.decode()


def test_report_form_files_this_months_report_with_evidence(as_user, ledger_world):
    client = as_user(ledger_world.alice)
    url = reverse("rectification:report_create", args=[ledger_world.item.pk])
    with at(D(2026, 3, 22)):
        bad = client.post(url, {"what_done": "", "percent": "150"})
        assert bad.status_code == 200
        page = bad.content.decode()
        assert "请填写本月整改情况。" in page and "完成进度应为 0 到 100 之间的整数。" in page
        assert not ProgressReport.objects.exists()
        response = client.post(
            url, {"what_done": "精简会议 3 个", "percent": "30", "uploads": [pdf(), pdf("表.pdf")]}
        )
        assert response.status_code == 302
        again = client.get(url)
    report = ProgressReport.objects.get()
    assert Attachment.objects.filter(object_id=str(report.pk)).count() == 2
    assert "本月进展已经填报" in again.content.decode()


def test_evidence_is_downloaded_only_within_scope(client, ledger_world):
    report = file(ledger_world.item, ledger_world.alice, D(2026, 3, 22), uploads=[pdf()])
    attachment = Attachment.objects.get(object_id=str(report.pk))
    url = reverse("attachment", args=[attachment.pk])
    client.force_login(ledger_world.alice)
    assert client.get(url).status_code == 200
    client.force_login(ledger_world.charlie)
    assert client.get(url).status_code == 404
