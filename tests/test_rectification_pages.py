"""The ledger's pages: the ledger with its filters, sort, pagination and bulk assignment; the
item page; problems and rules; who may do what; and constant query counts."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import AuditLog
from feedback.models import FourWinds
from rectification import services
from rectification.models import (
    Problem,
    ProgressReport,
    PublicRating,
    RectificationItem,
    Regulation,
    SpecialCampaign,
)
from tests.factories import PersonFactory, RectificationItemFactory
from tests.helpers.clock import at
from tests.helpers.rectification import INTERNAL_NOTE, START, open_item, pdf, set_status

pytestmark = pytest.mark.django_db

D = datetime.date
S = RectificationItem.Status


def ledger_url(w, **params):
    url = reverse("rectification:ledger", args=[w.unit_a.pk])
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"{url}?{query}" if query else url


def item_url(item, name="item_detail"):
    return reverse(f"rectification:{name}", args=[item.pk])


def titles(response) -> list[str]:
    return [item.title for item in response.context["page"]]


# --- The ledger page -------------------------------------------------------------------------


@pytest.fixture
def ledger(ledger_world):
    """Four more items of unit A in different states, one in the sub-unit A1, one in B."""
    w = ledger_world
    w.city_campaign = SpecialCampaign.objects.create(unit=w.city, name="整治文山会海问题")
    w.started = open_item(
        w, title="规范公务接待", lead_leader=w.deputy, responsible_office="组织部"
    )
    services.item_start(item=w.started, by=w.alice)
    w.done = open_item(w, title="清理办公用房", special_campaign=w.city_campaign)
    set_status(w.done, S.COMPLETED)
    w.long = open_item(w, title="建立联系群众制度", problem_title="联系群众不够")
    Problem.objects.filter(pk=w.long.problem_id).update(
        kind=Problem.Kind.LONG_TERM, four_winds=FourWinds.BUREAUCRATISM
    )
    w.sub = RectificationItemFactory(problem__unit=w.unit_a1, title="支部事项")
    w.other = RectificationItemFactory(problem__unit=w.unit_b, title="乙单位事项")
    return w


def test_ledger_lists_the_units_items_with_summary(as_user, ledger):
    w = ledger
    response = as_user(w.alice).get(ledger_url(w))
    assert response.status_code == 200
    assert titles(response) == [
        "精简会议和文件简报",
        "规范公务接待",
        "清理办公用房",
        "建立联系群众制度",
    ]
    summary = response.context["summary"]
    assert (summary.total, summary.by_status["in_progress"], summary.by_status["completed"]) == (
        4,
        1,
        1,
    )
    page = response.content.decode()
    assert "乙单位事项" not in page and "支部事项" not in page
    assert reverse("rectification:assign", args=[w.unit_a.pk]) in page


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "in_progress"}, ["规范公务接待"]),
        ({"status": "open"}, ["精简会议和文件简报", "规范公务接待", "建立联系群众制度"]),
        ({"kind": "long_term"}, ["建立联系群众制度"]),
        ({"four_winds": "bureaucratism"}, ["建立联系群众制度"]),
        ({"office": "组织"}, ["规范公务接待"]),
        ({"q": "办公用房"}, ["清理办公用房"]),
        (
            {"status": "bogus"},
            ["精简会议和文件简报", "规范公务接待", "清理办公用房", "建立联系群众制度"],
        ),
        ({"subtree": "on", "q": "事项"}, ["支部事项"]),
    ],
)
def test_ledger_filters(as_user, ledger, params, expected):
    assert titles(as_user(ledger.alice).get(ledger_url(ledger, **params))) == expected


def test_ledger_filters_by_leader_and_special_campaign(as_user, ledger):
    w = ledger
    client = as_user(w.alice)
    assert titles(client.get(ledger_url(w, lead_leader=w.deputy.pk))) == ["规范公务接待"]
    assert titles(client.get(ledger_url(w, special_campaign=w.city_campaign.pk))) == [
        "清理办公用房"
    ]


def test_ledger_filters_overdue_and_missing_reports(as_user, ledger):
    w = ledger
    with at(D(2026, 3, 26)):
        services.progress_report_file(item=w.started, by=w.alice, what_done="已部署", percent=10)
        missing = titles(as_user(w.alice).get(ledger_url(w, missing="on")))
    assert missing == ["精简会议和文件简报", "建立联系群众制度"]
    with at(D(2026, 7, 1)):
        response = as_user(w.alice).get(ledger_url(w, overdue="on"))
    assert titles(response) == ["精简会议和文件简报", "规范公务接待", "建立联系群众制度"]
    assert all(item.overdue for item in response.context["page"])
    assert re.search(
        r'text-danger fw-semibold">(<span[^>]*>[^<]*</span>)?2026-06-30', response.content.decode()
    )


def test_ledger_sorts_and_paginates(as_user, ledger):
    w = ledger
    client = as_user(w.alice)
    RectificationItem.objects.filter(pk=w.long.pk).update(deadline=D(2026, 12, 31))
    assert titles(client.get(ledger_url(w, sort="-deadline")))[0] == "建立联系群众制度"
    assert titles(client.get(ledger_url(w, sort="status"))) == [
        "精简会议和文件简报",
        "规范公务接待",
        "清理办公用房",
        "建立联系群众制度",
    ][:1] + ["建立联系群众制度", "规范公务接待", "清理办公用房"]
    for n in range(50):
        RectificationItemFactory(
            problem=w.problem, unit=w.unit_a, title=f"批量{n:02d}", lead_leader=w.chair
        )
    first = client.get(ledger_url(w))
    second = client.get(ledger_url(w, page=2))
    assert len(titles(first)) == 50 and len(titles(second)) == 4
    assert "第 1 页 / 共 2 页" in first.content.decode()


def test_city_office_sees_the_whole_subtree(as_user, ledger):
    w = ledger
    response = as_user(w.olivia).get(
        reverse("rectification:ledger", args=[w.city.pk]) + "?subtree=on"
    )
    assert set(titles(response)) >= {"精简会议和文件简报", "支部事项", "乙单位事项"}
    assert response.context["can_assign"] is False  # assigning is per unit


def test_bulk_assign_through_the_page(as_user, ledger):
    w = ledger
    client = as_user(w.alice)
    response = client.post(
        reverse("rectification:assign", args=[w.unit_a.pk]),
        {
            "items": [w.item.pk, w.long.pk],
            "lead_leader": w.deputy.pk,
            "responsible_office": "",
            "querystring": "status=open&sort=status",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith("?status=open&sort=status")
    assert set(
        RectificationItem.objects.filter(lead_leader=w.deputy).values_list("title", flat=True)
    ) == {
        "精简会议和文件简报",
        "规范公务接待",
        "建立联系群众制度",
    }
    page = client.get(response["Location"]).content.decode()
    assert "已重新分配 2 个整改事项。" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "请至少勾选一个整改事项。"),
        (
            {"items": "mine", "lead_leader": "", "responsible_office": ""},
            "请选择牵头领导或填写责任单位（部门）。",
        ),
        ({"items": "other", "responsible_office": "组织部"}, "勾选的整改事项不属于本单位。"),
        ({"items": "done", "responsible_office": "组织部"}, "已完成或已销号的事项不能重新分配"),
    ],
)
def test_bulk_assign_refusals_change_nothing(as_user, ledger, data, message):
    w = ledger
    ids = {"mine": w.item.pk, "other": w.other.pk, "done": w.done.pk}
    data = {k: ids.get(v, v) for k, v in data.items()}
    before = list(RectificationItem.objects.values_list("lead_leader", "responsible_office"))
    response = as_user(w.alice).post(
        reverse("rectification:assign", args=[w.unit_a.pk]), data, follow=True
    )
    assert message in response.content.decode()
    assert (
        list(RectificationItem.objects.values_list("lead_leader", "responsible_office")) == before
    )


# --- Who may do what -----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["sam", "leo"])
def test_supervisors_and_leaders_read_but_do_not_edit(as_user, ledger_world, persona):
    client = as_user(getattr(ledger_world, persona))
    response = client.get(ledger_url(ledger_world))
    assert response.status_code == 200
    page = response.content.decode()
    assert reverse("rectification:assign", args=[ledger_world.unit_a.pk]) not in page
    assert reverse("rectification:problem_create", args=[ledger_world.unit_a.pk]) not in page
    assert client.get(item_url(ledger_world.item)).status_code == 200
    for name in ("item_edit", "report_create"):
        assert client.get(item_url(ledger_world.item, name)).status_code == 403
    for name in ("item_start", "item_complete"):
        assert client.post(item_url(ledger_world.item, name)).status_code == 403
    assert (
        client.post(
            reverse("rectification:assign", args=[ledger_world.unit_a.pk]),
            {"items": [ledger_world.item.pk], "responsible_office": "组织部"},
        ).status_code
        == 403
    )
    assert (
        client.get(
            reverse("rectification:problem_create", args=[ledger_world.unit_a.pk])
        ).status_code
        == 403
    )
    ledger_world.item.refresh_from_db()
    assert (
        ledger_world.item.responsible_office == "办公室"
        and ledger_world.item.status == S.NOT_STARTED
    )


def test_staff_cannot_verify_and_the_supervisor_can(as_user, ledger_world):
    item = set_status(ledger_world.item, S.COMPLETED)
    assert as_user(ledger_world.alice).post(item_url(item, "item_verify")).status_code == 403
    assert (
        as_user(ledger_world.leo).post(item_url(item, "item_return"), {"reason": "x"}).status_code
        == 403
    )
    client = as_user(ledger_world.sam)
    page = client.get(item_url(item)).content.decode()
    assert "核实销号" in page and "退回继续整改" in page
    assert client.post(item_url(item, "item_verify")).status_code == 302
    item.refresh_from_db()
    assert item.status == S.VERIFIED


def test_outsiders_get_404_everywhere(as_user, ledger_world):
    rule = services.regulation_create(
        unit=ledger_world.unit_a,
        by=ledger_world.alice,
        title="办法",
        action=Regulation.Action.ESTABLISH,
    )
    client = as_user(ledger_world.charlie)
    for url in (
        item_url(ledger_world.item),
        reverse("rectification:problem_detail", args=[ledger_world.problem.pk]),
        reverse("rectification:regulation_detail", args=[rule.pk]),
        ledger_url(ledger_world),
    ):
        assert client.get(url).status_code == 404
    overview = client.get(reverse("rectification:overview")).content.decode()
    assert ledger_world.unit_a.name not in overview


def test_the_colleague_below_sees_only_the_sub_units_ledger(as_user, ledger):
    client = as_user(ledger.bob)
    assert client.get(ledger_url(ledger)).status_code == 404
    response = client.get(reverse("rectification:ledger", args=[ledger.unit_a1.pk]))
    assert titles(response) == ["支部事项"]


# --- The item page and the forms ---------------------------------------------------------------


def test_item_page_shows_details_reports_and_the_history_from_what_to_what(as_user, ledger_world):
    with at(D(2026, 3, 22)):
        services.progress_report_file(
            item=ledger_world.item,
            by=ledger_world.alice,
            what_done="已召开专题会议",
            percent=30,
            uploads=[pdf()],
        )
        services.item_update(
            item=ledger_world.item, by=ledger_world.alice, responsible_office="综合处"
        )
        response = as_user(ledger_world.alice).get(item_url(ledger_world.item))
    page = response.content.decode()
    for text in (
        "精简会议和文件简报",
        "甲主席",
        "综合处",
        "2026-06-30",
        INTERNAL_NOTE,
        "已召开专题会议",
    ):
        assert text in page
    assert "办公室 → 综合处" in page  # the history, from what to what
    history = [row.action for row in response.context["detail"].history]
    assert history[:2] == ["rectificationitem.updated", "rectificationitem.started"]
    assert "progressreport.filed" in history
    attachment = response.context["detail"].months[0].files[0]
    assert reverse("attachment", args=[attachment.pk]) in page


def test_completing_through_the_page_without_evidence_is_refused_in_chinese(as_user, ledger_world):
    item = set_status(ledger_world.item, S.IN_PROGRESS)
    response = as_user(ledger_world.alice).post(item_url(item, "item_complete"), {"note": ""})
    assert response.status_code == 200
    assert "请填写整改成效或上传至少一份佐证材料。" in response.content.decode()
    item.refresh_from_db()
    assert item.status == S.IN_PROGRESS


def test_returning_through_the_page_needs_a_reason(as_user, ledger_world):
    item = set_status(ledger_world.item, S.COMPLETED)
    client = as_user(ledger_world.sam)
    response = client.post(item_url(item, "item_return"), {"reason": ""})
    assert "请填写退回理由。" in response.content.decode()
    item.refresh_from_db()
    assert item.status == S.COMPLETED
    client.post(item_url(item, "item_return"), {"reason": "佐证材料不足"})
    page = as_user(ledger_world.alice).get(item_url(item)).content.decode()
    assert "佐证材料不足" in page and "督导组退回" in page


def test_refused_start_shows_the_reason(as_user, ledger_world):
    item = set_status(ledger_world.item, S.COMPLETED)
    response = as_user(ledger_world.alice).post(item_url(item, "item_start"), follow=True)
    assert "不能改为“整改中”" in response.content.decode()


def test_record_a_problem_then_open_an_item_through_the_forms(as_user, ledger_world):
    client = as_user(ledger_world.alice)
    with at(START):
        bad = client.post(
            reverse("rectification:problem_create", args=[ledger_world.unit_a.pk]),
            {"title": "", "four_winds": "", "kind": "now", "scope": "person"},
        )
        page = bad.content.decode()
        assert "问题主体为个人时，请选择班子成员。" in page or "这个字段是必填项。" in page
        response = client.post(
            reverse("rectification:problem_create", args=[ledger_world.unit_a.pk]),
            {
                "title": "公务接待不规范",
                "description": "超标准接待",
                "four_winds": "extravagance",
                "kind": "now",
                "scope": "team",
            },
        )
        problem = Problem.objects.get(title="公务接待不规范")
        assert response["Location"] == reverse("rectification:problem_detail", args=[problem.pk])
        form = client.get(reverse("rectification:item_create", args=[problem.pk]))
        assert form.context["form"].initial["title"] == "公务接待不规范"
        bad = client.post(reverse("rectification:item_create", args=[problem.pk]), {"title": "x"})
        page = bad.content.decode()
        for message in ("请填写整改措施。", "请选择牵头领导。", "请填写完成时限。"):
            assert message in page
        response = client.post(
            reverse("rectification:item_create", args=[problem.pk]),
            {
                "title": "规范公务接待",
                "measures": "严格执行接待标准",
                "lead_leader": ledger_world.chair.pk,
                "responsible_office": "办公室",
                "deadline": "2026-04-30",
            },
        )
    item = RectificationItem.objects.get(title="规范公务接待")
    assert response["Location"] == item_url(item)
    assert item.lead_leader == ledger_world.chair and item.problem == problem


def test_item_edit_form_and_closed_items(as_user, ledger_world):
    client = as_user(ledger_world.alice)
    with at(START):
        response = client.post(
            item_url(ledger_world.item, "item_edit"),
            {
                "title": "精简会议",
                "measures": "压缩会议",
                "lead_leader": ledger_world.deputy.pk,
                "responsible_office": "办公室",
                "deadline": "2026-06-30",
            },
        )
    assert response.status_code == 302
    ledger_world.item.refresh_from_db()
    assert (ledger_world.item.title, ledger_world.item.lead_leader) == (
        "精简会议",
        ledger_world.deputy,
    )
    set_status(ledger_world.item, S.VERIFIED)
    response = client.get(item_url(ledger_world.item, "item_edit"), follow=True)
    assert "不能修改" in response.content.decode()


def test_regulation_pages(as_user, ledger_world):
    client = as_user(ledger_world.alice)
    with at(START):
        response = client.post(
            reverse("rectification:regulation_create", args=[ledger_world.unit_a.pk]),
            {"title": "会议管理办法", "action": "establish", "items": [ledger_world.item.pk]},
        )
        rule = Regulation.objects.get()
        assert response["Location"] == reverse("rectification:regulation_detail", args=[rule.pk])
        bad = client.post(reverse("rectification:regulation_adopt", args=[rule.pk]), {"on": ""})
        assert "请填写出台或废止日期。" in bad.content.decode()
        client.post(
            reverse("rectification:regulation_adopt", args=[rule.pk]),
            {"on": "2026-03-10", "document": pdf("办法.pdf")},
        )
    rule.refresh_from_db()
    assert rule.status == Regulation.Status.ADOPTED
    listing = client.get(reverse("rectification:regulation_list", args=[ledger_world.unit_a.pk]))
    assert "会议管理办法" in listing.content.decode()
    assert "会议管理办法" in client.get(item_url(ledger_world.item)).content.decode()
    filtered = client.get(
        reverse("rectification:regulation_list", args=[ledger_world.unit_a.pk]) + "?action=abolish"
    )
    assert "会议管理办法" not in filtered.content.decode()


def test_overview_counts_per_scope_root(as_user, ledger):
    w = ledger
    rows = as_user(w.sam).get(reverse("rectification:overview")).context["rows"]
    assert [(r.unit, r.total, r.awaiting) for r in rows] == [(w.unit_a, 5, 1)]
    rows = as_user(w.leo).get(reverse("rectification:overview")).context["rows"]
    assert [r.unit for r in rows] == [w.unit_a, w.unit_b]  # home unit and liaison point
    rows = as_user(w.olivia).get(reverse("rectification:overview")).context["rows"]
    assert [(r.unit, r.total) for r in rows] == [(w.city, 6)]


# --- Constant query counts ---------------------------------------------------------------------


def grow(w, n):
    """n more items for unit A with reports, evidence, ratings and rules."""
    people = [PersonFactory(unit=w.unit_a) for _ in range(3)]
    campaign = SpecialCampaign.objects.create(unit=w.unit_a, name=f"专项{n}")
    for i in range(n):
        item = RectificationItemFactory(
            problem__unit=w.unit_a,
            unit=w.unit_a,
            lead_leader=people[i % 3],
            special_campaign=campaign,
            public_commitment="承诺",
            person=people[0] if i % 4 == 0 else None,
            status=[S.IN_PROGRESS, S.COMPLETED, S.VERIFIED][i % 3],
        )
        ProgressReport.objects.create(item=item, month=D(2026, 3, 1), what_done="x", percent=50)
        PublicRating.objects.create(item=item, rating="satisfied")
        rule = Regulation.objects.create(unit=w.unit_a, title=f"制度{i}", action="establish")
        rule.items.add(item)


def page_queries(client, w):
    urls = {
        "overview": reverse("rectification:overview"),
        "ledger": ledger_url(w),
        "ledger filtered": ledger_url(w, status="open", missing="on", sort="leader"),
        "ledger subtree": ledger_url(w, subtree="on", overdue="on"),
        "problems": reverse("rectification:problem_list", args=[w.unit_a.pk]),
        "rules": reverse("rectification:regulation_list", args=[w.unit_a.pk]),
        "public": reverse("rectification:public_commitments", args=[w.unit_a.code]),
    }
    counts = {}
    for name, url in urls.items():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts[name] = len(ctx)
    return counts


@pytest.mark.parametrize("persona", ["alice", "sam", "olivia"])
def test_pages_cost_the_same_at_two_sizes(client, ledger_world, persona):
    """On the 22nd, inside the report window, so the missing-report counts are computed."""
    client.force_login(getattr(ledger_world, persona))
    grow(ledger_world, 2)
    with at(D(2026, 3, 22)):
        small = page_queries(client, ledger_world)
    grow(ledger_world, 60)
    with at(D(2026, 3, 22)):
        large = page_queries(client, ledger_world)
    assert small == large
    assert max(large.values()) <= 14


def test_item_page_costs_the_same_with_more_reports(client, ledger_world):
    client.force_login(ledger_world.alice)

    def count():
        client.force_login(ledger_world.alice)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(item_url(ledger_world.item)).status_code == 200
        return len(ctx)

    with at(D(2026, 3, 22)):
        services.progress_report_file(
            item=ledger_world.item,
            by=ledger_world.alice,
            what_done="一",
            percent=10,
            uploads=[pdf()],
        )
        few = count()
    for month in (4, 5, 6):
        with at(D(2026, month, 22)):
            services.progress_report_file(
                item=ledger_world.item,
                by=ledger_world.alice,
                what_done="又一",
                percent=10 * month,
                uploads=[pdf()],
            )
    with at(D(2026, 6, 23)):
        assert count() == few


def test_every_page_is_free_of_english_leftovers(as_user, ledger_world):
    """The templates are translated: no stray English words in the pages' visible text."""
    client = as_user(ledger_world.alice)
    page = client.get(ledger_url(ledger_world)).content.decode()
    text = re.sub(r"<[^>]+>", " ", page.split("<main", 1)[1])
    assert not re.search(r"\b(Status|Deadline|Ledger|Submit)\b", text)
    assert AuditLog.objects.filter(action="rectificationitem.created").exists()


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"status": "open"},
        {"status": "completed"},
        {"overdue": "on"},
        {"status": "open", "overdue": "on"},
        {"missing": "on"},
        {"status": "open", "missing": "on"},
        {"missing": "on", "subtree": "on", "sort": "status"},
        {"kind": "long_term"},
    ],
)
def test_the_counts_the_summary_lends_the_pager_are_right(as_user, ledger, params):
    """known_count saves a COUNT query; it must agree with counting the rows."""
    from rectification.selectors import filter_items, ledger_items

    w = ledger
    with at(D(2026, 7, 22)):  # past the deadline and inside July's report window
        response = as_user(w.alice).get(ledger_url(w, **params))
        form = response.context["filter_form"]
        f = form.filters()
        rows = filter_items(ledger_items(w.unit_a, subtree=f.subtree), f, D(2026, 7, 22))
        assert response.context["page"].paginator.count == rows.count()


def test_admin_keeps_the_item_in_its_problems_unit_and_audits_it(client, ledger_world):
    client.force_login(ledger_world.root)
    other = RectificationItemFactory(problem__unit=ledger_world.unit_b).problem
    response = client.post(
        reverse("admin:rectification_rectificationitem_change", args=[ledger_world.item.pk]),
        {
            "problem": other.pk,
            "title": "改到乙单位的问题下",
            "measures": "措施",
            "lead_leader": ledger_world.chair.pk,
            "responsible_office": "办公室",
            "deadline": "2026-06-30",
            "progress_percent": 0,
        },
    )
    assert response.status_code == 302
    ledger_world.item.refresh_from_db()
    assert (
        ledger_world.item.unit == ledger_world.unit_b
    )  # follows the problem, so scoping stays right
    assert ledger_world.item.status == S.NOT_STARTED  # status moves only through the services
    row = AuditLog.objects.filter(action="rectificationitem.updated").latest("id")
    assert row.actor == ledger_world.root and "title" in row.changes
