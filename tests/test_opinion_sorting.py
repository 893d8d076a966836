"""Sorting opinions (梳理): the status table, bulk classification, Chinese search, keyset pages
and the sub-unit view of the list, with a constant number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import AuditLog
from feedback import selectors, services
from feedback.models import Opinion, OpinionGroup
from rectification.services import problem_create

pytestmark = pytest.mark.django_db

D = datetime.date
S = Opinion.Status


def make(w, text="会议太多，基层疲于应付。", unit=None, **fields):
    fields = {"channel": "symposium", "received_on": D(2026, 1, 15), **fields}
    return Opinion.objects.create(unit=unit or w.unit_a, text=text, **fields)


def list_url(unit):
    return reverse("feedback:opinion_list", args=[unit.pk])


def bulk_url(unit):
    return reverse("feedback:opinion_bulk", args=[unit.pk])


# The status table.


def test_a_status_move_is_saved_and_audited_without_the_text(world):
    opinion = make(world)
    services.opinion_set_status(opinion=opinion, status=S.SORTED, by=world.alice)
    opinion.refresh_from_db()
    assert opinion.status == S.SORTED
    log = AuditLog.objects.get(action="opinion.status_changed")
    assert log.changes == {"status": ["已收集", "已梳理"]} and log.actor == world.alice
    assert opinion.text not in f"{log.object_repr}{log.changes}"


@pytest.mark.parametrize(
    ("start", "to"),
    [(S.ANSWERED, S.COLLECTED), (S.PROBLEM, S.COLLECTED), (S.COLLECTED, S.ANSWERED)],
)
def test_a_move_the_table_forbids_is_refused_and_changes_nothing(world, start, to):
    opinion = make(world, status=start)
    with pytest.raises(Exception, match="不能改为"):
        services.opinion_set_status(opinion=opinion, status=to, by=world.alice)
    opinion.refresh_from_db()
    assert opinion.status == start
    assert not AuditLog.objects.filter(action="opinion.status_changed").exists()


def test_every_status_has_a_row_in_the_table():
    assert set(Opinion.TRANSITIONS) == set(S)


def test_staff_move_the_status_from_the_opinion_page(client, world):
    opinion = make(world)
    client.force_login(world.alice)
    url = reverse("feedback:opinion_status", args=[opinion.pk])
    assert client.get(url).status_code == 405
    response = client.post(url, {"status": S.SORTED}, follow=True)
    assert "已更新意见状态" in response.content.decode()
    opinion.refresh_from_db()
    assert opinion.status == S.SORTED
    response = client.post(url, {"status": S.COLLECTED})
    opinion.refresh_from_db()
    assert opinion.status == S.COLLECTED


def test_a_supervisor_may_read_but_not_move_the_status(client, world):
    opinion = make(world)
    client.force_login(world.sam)
    assert client.get(reverse("feedback:opinion_detail", args=[opinion.pk])).status_code == 200
    url = reverse("feedback:opinion_status", args=[opinion.pk])
    assert client.post(url, {"status": S.SORTED}).status_code == 403
    opinion.refresh_from_db()
    assert opinion.status == S.COLLECTED


def test_turning_opinions_into_a_problem_moves_them_to_problem(world):
    first, second = make(world), make(world, text="调研走过场。", status=S.SORTED)
    problem_create(
        unit=world.unit_a,
        by=world.alice,
        opinions=[first, second],
        title="文山会海",
        four_winds="formalism",
        kind="now",
    )
    assert set(Opinion.objects.values_list("status", flat=True)) == {S.PROBLEM}


def test_the_problem_service_moves_through_the_table_with_audit_rows(world):
    fresh, answered = make(world), make(world, text="已答复的意见", status=S.ANSWERED)
    problem = world.unit_a.problems.create(title="文山会海", four_winds="formalism", kind="now")
    moved = services.opinions_turn_into_problem(
        opinions=[fresh, answered], problem=problem, by=world.alice
    )
    assert moved == 1
    fresh.refresh_from_db(), answered.refresh_from_db()
    assert (fresh.status, answered.status) == (S.PROBLEM, S.ANSWERED)
    log = AuditLog.objects.get(action="opinion.status_changed")
    assert log.object_id == str(fresh.pk) and log.changes["problem"] == problem.pk


# Bulk classification.


def test_bulk_classification_sets_the_fields_sorts_and_audits_each(world):
    rows = [make(world, text=f"意见{i}") for i in range(3)]
    untouched = make(world, text="没勾选的意见")
    changed = services.opinions_classify(
        unit=world.unit_a,
        ids=[o.pk for o in rows],
        by=world.alice,
        four_winds="formalism",
        question_type="grievance",
        source_group="",
    )
    assert changed == 3
    for o in rows:
        o.refresh_from_db()
        assert (o.four_winds, o.question_type, o.status, o.source_group) == (
            "formalism",
            "grievance",
            S.SORTED,
            "",
        )
    untouched.refresh_from_db()
    assert (untouched.four_winds, untouched.status) == ("", S.COLLECTED)
    logs = AuditLog.objects.filter(action="opinion.classified")
    assert logs.count() == 3
    assert logs.first().changes["four_winds"] == [None, "形式主义"] or logs.first().changes[
        "four_winds"
    ] == ["", "形式主义"]


def test_bulk_classification_with_another_units_opinion_changes_nothing(world):
    mine, theirs = make(world), make(world, unit=world.unit_b)
    with pytest.raises(Exception, match="不属于本单位"):
        services.opinions_classify(
            unit=world.unit_a, ids=[mine.pk, theirs.pk], by=world.alice, four_winds="hedonism"
        )
    mine.refresh_from_db(), theirs.refresh_from_db()
    assert mine.four_winds == theirs.four_winds == ""
    assert not AuditLog.objects.filter(action="opinion.classified").exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({}, "请至少选择一项"),
        ({"target": "leader"}, "请选择是哪位领导"),
        ({"four_winds": "no-such"}, "不是有效的选项"),
    ],
)
def test_bad_bulk_classification_is_refused_in_chinese(world, fields, message):
    opinion = make(world)
    with pytest.raises(Exception, match=message):
        services.opinions_classify(unit=world.unit_a, ids=[opinion.pk], by=world.alice, **fields)


def test_bulk_classification_cannot_move_a_status_the_table_forbids(world):
    ok, answered = make(world), make(world, text="已反馈", status=S.ANSWERED)
    with pytest.raises(Exception, match="不能改为"):
        services.opinions_classify(
            unit=world.unit_a, ids=[ok.pk, answered.pk], by=world.alice, status=S.COLLECTED
        )
    ok.refresh_from_db()
    assert ok.status == S.COLLECTED
    assert not AuditLog.objects.filter(action="opinion.classified").exists()


def test_bulk_classification_names_a_leader_of_the_unit(world):
    opinion = make(world)
    services.opinions_classify(
        unit=world.unit_a, ids=[opinion.pk], by=world.alice, target_person=world.chair
    )
    opinion.refresh_from_db()
    assert (opinion.target, opinion.target_person) == ("leader", world.chair)


def test_bulk_classification_through_the_list_returns_to_the_filtered_list(client, world):
    rows = [make(world, text=f"意见{i}") for i in range(2)]
    client.force_login(world.alice)
    back = list_url(world.unit_a) + "?status=collected"
    response = client.post(
        bulk_url(world.unit_a),
        {
            "opinions": [o.pk for o in rows],
            "action": "classify",
            "four_winds": "extravagance",
            "next": back,
        },
    )
    assert response.status_code == 302 and response["Location"] == back
    assert set(Opinion.objects.values_list("four_winds", flat=True)) == {"extravagance"}


def test_bulk_form_refuses_an_outside_next_address(client, world):
    opinion = make(world)
    client.force_login(world.alice)
    response = client.post(
        bulk_url(world.unit_a),
        {
            "opinions": [opinion.pk],
            "action": "classify",
            "four_winds": "other",
            "next": "https://evil.example/",
        },
    )
    assert response["Location"] == list_url(world.unit_a)


def test_the_problem_action_hands_the_ticked_ids_to_the_problem_form(client, world):
    rows = [make(world, text=f"意见{i}") for i in range(2)]
    client.force_login(world.alice)
    response = client.post(
        bulk_url(world.unit_a), {"opinions": [o.pk for o in rows], "action": "problem"}
    )
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("rectification:problem_create", args=[world.unit_a.pk])
        + f"?opinions={rows[0].pk}&opinions={rows[1].pk}"
    )
    assert set(Opinion.objects.values_list("status", flat=True)) == {S.COLLECTED}


def test_a_supervisor_cannot_classify(client, world):
    opinion = make(world)
    client.force_login(world.sam)
    response = client.post(
        bulk_url(world.unit_a),
        {"opinions": [opinion.pk], "action": "classify", "four_winds": "other"},
    )
    assert response.status_code == 403
    opinion.refresh_from_db()
    assert opinion.four_winds == ""


# Search that works for Chinese, on SQLite and on PostgreSQL.


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("会议", {"会议太多，基层疲于应付。", "开会以会议贯彻会议。"}),  # a two-character word
        ("疲于应付", {"会议太多，基层疲于应付。"}),
        ("门难进", {"门难进、脸难看、事难办。"}),
        ("难", {"门难进、脸难看、事难办。"}),  # one character
        ("会多", set()),  # bigrams present apart, but not as a substring
        ("Wi-Fi", {"窗口没有WI-FI。"}),  # case-insensitive
    ],
)
def test_free_text_search_finds_chinese_words(world, q, expected):
    for text in (
        "会议太多，基层疲于应付。",
        "开会以会议贯彻会议。",
        "门难进、脸难看、事难办。",
        "窗口没有WI-FI。",
        "多开会不好",
    ):
        make(world, text=text)
    found = selectors.search(Opinion.objects.all(), q)
    assert {o.text for o in found} == expected


def test_search_in_the_list_page(client, world):
    make(world, text="会议太多，基层疲于应付。")
    make(world, text="公车私用。")
    client.force_login(world.alice)
    page = client.get(list_url(world.unit_a), {"q": "会议"}).context["page"]
    assert [o.text for o in page] == ["会议太多，基层疲于应付。"] and page.count == 1


def test_the_target_filter(client, world):
    make(world, text="对班子的意见", target="team")
    make(world, text="对单位的意见", target="unit")
    client.force_login(world.alice)
    page = client.get(list_url(world.unit_a), {"target": "team"}).context["page"]
    assert [o.text for o in page] == ["对班子的意见"]


# Keyset pages.


def _fill(w, n, unit=None, day=None):
    Opinion.objects.bulk_create(
        Opinion(
            unit=unit or w.unit_a,
            text=f"意见{i}",
            channel="symposium",
            received_on=day or D(2026, 1, 1) + datetime.timedelta(days=i % 3),
        )
        for i in range(n)
    )


def test_keyset_pages_walk_every_opinion_once_forwards_and_back(client, world):
    _fill(world, 120)  # three days, so many ties on the date
    client.force_login(world.alice)
    seen, pages, params = [], [], {}
    while True:
        page = client.get(list_url(world.unit_a), params).context["page"]
        pages.append(page)
        seen += [o.pk for o in page]
        if not page.next_cursor:
            break
        params = {"after": page.next_cursor}
    expected = list(Opinion.objects.order_by("-received_on", "-id").values_list("pk", flat=True))
    assert seen == expected and [len(p) for p in pages] == [50, 50, 20]
    assert pages[0].previous_cursor == "" and pages[2].previous_cursor
    back = client.get(list_url(world.unit_a), {"before": pages[2].previous_cursor}).context["page"]
    assert [o.pk for o in back] == [o.pk for o in pages[1]]
    assert back.next_cursor and back.previous_cursor


def test_a_bad_cursor_shows_the_first_page(client, world):
    _fill(world, 3)
    client.force_login(world.alice)
    page = client.get(list_url(world.unit_a), {"after": "nonsense", "before": "x_y"}).context[
        "page"
    ]
    assert len(page) == 3


def test_the_count_stops_at_the_cap(world, monkeypatch):
    monkeypatch.setattr(selectors, "COUNT_CAP", 10)
    _fill(world, 12)
    page = selectors.opinion_page(Opinion.objects.all(), filters={})
    assert (page.count, page.count_capped) == (10, True)


# The list with sub-units.


def test_the_office_sees_sub_units_opinions_with_subtree(client, world):
    make(world, text="甲单位的意见")
    make(world, text="支部的意见", unit=world.unit_a1)
    make(world, text="乙单位的意见", unit=world.unit_b)
    client.force_login(world.olivia)
    page = client.get(list_url(world.unit_a), {"subtree": "on"})
    texts = {o.text for o in page.context["page"]}
    assert texts == {"甲单位的意见", "支部的意见"}
    assert page.context["bulk_form"] is None  # bulk actions stay within one unit
    assert "甲单位下属支部" in page.content.decode()
    assert {o.text for o in client.get(list_url(world.unit_a)).context["page"]} == {"甲单位的意见"}


def test_bob_of_the_sub_unit_cannot_list_the_parent_unit(client, world):
    client.force_login(world.bob)
    assert client.get(list_url(world.unit_a), {"subtree": "on"}).status_code == 404


# Query counts: the same at two data sizes, with groups on the page and with sub-units.


def _grouped_fill(w, n):
    _fill(w, n)
    _fill(w, n // 2, unit=w.unit_a1)
    rows = list(Opinion.objects.filter(unit=w.unit_a).order_by("-received_on", "-id")[:n])
    for start in range(0, len(rows) - 1, 4):
        chunk = rows[start : start + 2]
        if len(chunk) == 2 and not any(hasattr(o, "group_membership") for o in chunk):
            group = OpinionGroup.objects.create(unit=w.unit_a, representative=chunk[0])
            for o in chunk:
                group.members.create(opinion=o)


@pytest.mark.parametrize(
    "params",
    [{}, {"q": "意见", "status": "collected"}, {"subtree": "on"}, {"after": "2026-01-02_999999"}],
)
def test_the_list_costs_the_same_queries_at_two_sizes(
    client, world, params, django_assert_num_queries
):
    client.force_login(world.olivia)
    _grouped_fill(world, 8)
    with CaptureQueriesContext(connection) as small:
        assert client.get(list_url(world.unit_a), params).status_code == 200
    _grouped_fill(world, 160)
    with django_assert_num_queries(len(small.captured_queries)):
        page = client.get(list_url(world.unit_a), params).context["page"]
    assert len(page) == 50
    assert any(o.group_size == 2 for o in page)


@pytest.mark.parametrize("window", [10_000, 5])  # 5: too few in the window, all rows are searched
def test_a_common_word_is_paged_from_the_newest_rows(world, monkeypatch, window):
    monkeypatch.setattr(selectors, "SEARCH_COUNT_CAP", 3)
    monkeypatch.setattr(selectors, "PAGE_SIZE", 4)
    monkeypatch.setattr(selectors, "WINDOW", window)
    for i in range(12):
        make(world, text=f"会议太多{i}" if i % 2 else f"公车私用{i}", received_on=D(2026, 1, 1 + i))
    rows = Opinion.objects.filter(unit=world.unit_a)
    first = selectors.opinion_page(rows, filters={"q": "会议"})
    assert (first.count, first.count_capped) == (3, True)
    assert [o.text for o in first] == ["会议太多11", "会议太多9", "会议太多7", "会议太多5"]
    second = selectors.opinion_page(rows, filters={"q": "会议"}, after=first.next_cursor)
    assert [o.text for o in second] == ["会议太多3", "会议太多1"] and not second.next_cursor
    back = selectors.opinion_page(rows, filters={"q": "会议"}, before=second.previous_cursor)
    assert [o.text for o in back] == [o.text for o in first]
