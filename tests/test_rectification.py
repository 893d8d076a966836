"""The ledger's rules: every status move and refusal, permissions, audit rows, bulk assignment,
overdue derived from the deadline, problems and the rules inventory (建章立制)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.models import Attachment, AuditLog
from feedback.models import FourWinds
from rectification import services
from rectification.models import (
    Problem,
    RectificationItem,
    Regulation,
    SpecialCampaign,
)
from rectification.selectors import LedgerFilters, filter_items, ledger_items, ledger_summary
from tests.factories import (
    PersonFactory,
    RectificationItemFactory,
    SupervisionGroupFactory,
    UserFactory,
)
from tests.helpers.clock import at
from tests.helpers.rectification import (
    COMMITMENT,
    DEADLINE,
    INTERNAL_NOTE,
    START,
    open_item,
    pdf,
    set_status,
)
from units.models import User

pytestmark = pytest.mark.django_db

D = datetime.date
S = RectificationItem.Status


def actions(obj) -> list[str]:
    """The audit action codes of an object, oldest first."""
    return list(
        AuditLog.objects.filter(object_id=str(obj.pk), content_type__model=obj._meta.model_name)
        .order_by("created_at", "id")
        .values_list("action", flat=True)
    )


# --- Every status move and every refusal -----------------------------------------------------

MOVES = {
    "start": lambda w, item: services.item_start(item=item, by=w.alice),
    "complete": lambda w, item: services.item_complete(item=item, by=w.alice, note="已整改到位"),
    "verify": lambda w, item: services.item_verify(item=item, by=w.sam),
    "return": lambda w, item: services.item_return(item=item, by=w.sam, reason="佐证不足"),
}
ALLOWED = {
    (S.NOT_STARTED, "start"): S.IN_PROGRESS,
    (S.IN_PROGRESS, "complete"): S.COMPLETED,
    (S.COMPLETED, "verify"): S.VERIFIED,
    (S.COMPLETED, "return"): S.IN_PROGRESS,
}
CASES = [(status, move) for status in S.values for move in MOVES]


@pytest.mark.parametrize(("status", "move"), CASES, ids=[f"{s}-{m}" for s, m in CASES])
def test_every_move_from_every_status_is_allowed_or_refused_in_chinese(ledger_world, status, move):
    item = set_status(ledger_world.item, status)
    audit_before = AuditLog.objects.count()
    expected = ALLOWED.get((status, move))
    if expected is None:
        with pytest.raises(ValidationError) as refused:
            MOVES[move](ledger_world, item)
        assert "不能改为" in refused.value.messages[0]
        item.refresh_from_db()
        assert item.status == status
        assert AuditLog.objects.count() == audit_before
    else:
        MOVES[move](ledger_world, item)
        item.refresh_from_db()
        assert item.status == expected
        row = AuditLog.objects.latest("id")
        assert row.changes["status"] == [S(status).label, S(expected).label]
        assert row.actor == (
            ledger_world.sam if move in ("verify", "return") else ledger_world.alice
        )


def test_transitions_table_is_the_only_guard(ledger_world):
    item = ledger_world.item
    for current, allowed in RectificationItem.TRANSITIONS.items():
        item.status = current
        for new in S.values:
            if new in allowed:
                item.check_transition(new)
            else:
                with pytest.raises(ValidationError):
                    item.check_transition(new)


def test_whole_life_of_an_item_is_audited_with_who_and_what(ledger_world):
    item = ledger_world.item
    services.item_start(item=item, by=ledger_world.alice)
    services.item_complete(item=item, by=ledger_world.alice, note="第一次完成", evidence=[pdf()])
    services.item_return(item=item, by=ledger_world.sam, reason="会议数量统计不全")
    item.refresh_from_db()
    assert item.status == S.IN_PROGRESS and item.completed_at is None
    assert item.return_reason == "会议数量统计不全"
    services.item_complete(item=item, by=ledger_world.alice, note="补充了全年统计")
    services.item_verify(item=item, by=ledger_world.sam)
    item.refresh_from_db()
    assert item.status == S.VERIFIED and item.verified_by == ledger_world.sam and item.verified_at
    assert item.return_reason == ""
    assert actions(item) == [
        "rectificationitem.created",
        "rectificationitem.started",
        "attachment.added",
        "rectificationitem.completed",
        "rectificationitem.returned",
        "rectificationitem.completed",
        "rectificationitem.verified",
    ]
    returned = AuditLog.objects.get(action="rectificationitem.returned")
    assert returned.actor == ledger_world.sam
    assert returned.changes == {"status": ["已完成", "整改中"], "return_reason": "会议数量统计不全"}


def test_completing_needs_a_written_result_or_a_file(ledger_world):
    item = set_status(ledger_world.item, S.IN_PROGRESS)
    with pytest.raises(ValidationError) as refused:
        services.item_complete(item=item, by=ledger_world.alice, note="   ")
    assert refused.value.messages == ["请填写整改成效或上传至少一份佐证材料。"]
    item.refresh_from_db()
    assert item.status == S.IN_PROGRESS

    services.item_complete(item=item, by=ledger_world.alice, evidence=[pdf("会议统计表.pdf")])
    item.refresh_from_db()
    assert item.status == S.COMPLETED
    assert Attachment.objects.get(object_id=str(item.pk)).name == "会议统计表.pdf"


def test_a_file_that_is_not_allowed_refuses_completion_and_changes_nothing(ledger_world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    item = set_status(ledger_world.item, S.IN_PROGRESS)
    exe = SimpleUploadedFile("成效.pdf", b"MZ\x90\x00" + b"\x00" * 40)
    with pytest.raises(ValidationError):
        services.item_complete(item=item, by=ledger_world.alice, note="已完成", evidence=[exe])
    item.refresh_from_db()
    assert item.status == S.IN_PROGRESS
    assert not Attachment.objects.exists()


def test_returning_needs_a_reason(ledger_world):
    item = set_status(ledger_world.item, S.COMPLETED)
    with pytest.raises(ValidationError) as refused:
        services.item_return(item=item, by=ledger_world.sam, reason=" ")
    assert refused.value.message_dict == {"reason": ["请填写退回理由。"]}
    item.refresh_from_db()
    assert item.status == S.COMPLETED


@pytest.mark.parametrize("persona", ["alice", "bob", "leo", "olivia", "charlie"])
def test_only_a_supervisor_of_the_unit_or_an_admin_verifies_or_returns(ledger_world, persona):
    item = set_status(ledger_world.item, S.COMPLETED)
    user = getattr(ledger_world, persona)
    with pytest.raises(PermissionDenied):
        services.item_verify(item=item, by=user)
    with pytest.raises(PermissionDenied):
        services.item_return(item=item, by=user, reason="不行")
    item.refresh_from_db()
    assert item.status == S.COMPLETED


def test_a_supervisor_of_another_group_cannot_verify(ledger_world):
    other = UserFactory(role=User.Role.SUPERVISOR, home_unit=ledger_world.city)
    SupervisionGroupFactory(units=[ledger_world.unit_b], members=[other])
    item = set_status(ledger_world.item, S.COMPLETED)
    with pytest.raises(PermissionDenied):
        services.item_verify(item=item, by=other)


def test_an_admin_may_verify(ledger_world):
    item = set_status(ledger_world.item, S.COMPLETED)
    services.item_verify(item=item, by=ledger_world.root)
    item.refresh_from_db()
    assert item.status == S.VERIFIED


def test_completion_mails_the_supervisors_and_a_return_mails_the_unit(
    ledger_world, mailoutbox, django_capture_on_commit_callbacks
):
    User.objects.filter(pk=ledger_world.sam.pk).update(email="sam@example.com")
    User.objects.filter(pk=ledger_world.alice.pk).update(email="alice@example.com")
    item = set_status(ledger_world.item, S.IN_PROGRESS)
    with django_capture_on_commit_callbacks(execute=True):
        services.item_complete(item=item, by=ledger_world.alice, note="已精简会议")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].bcc == ["sam@example.com"]
    assert "待销号" in mailoutbox[0].subject and "精简会议和文件简报" in mailoutbox[0].subject
    assert mailoutbox[0].alternatives  # an HTML body beside the text
    with django_capture_on_commit_callbacks(execute=True):
        services.item_return(item=item, by=ledger_world.sam, reason="请补充统计表")
    assert mailoutbox[1].bcc == ["alice@example.com"]
    assert "请补充统计表" in mailoutbox[1].body


def test_no_mail_is_queued_when_the_move_is_refused(
    ledger_world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(ValidationError):
        services.item_complete(item=ledger_world.item, by=ledger_world.alice, note="未开始就完成")
    assert callbacks == []


# --- Opening and editing items -----------------------------------------------------------------


def test_item_create_audits_every_field_by_name(ledger_world):
    row = AuditLog.objects.get(action="rectificationitem.created")
    assert row.actor == ledger_world.alice and row.unit == ledger_world.unit_a
    assert row.changes["lead_leader"] == str(ledger_world.chair)
    assert row.changes["deadline"] == str(DEADLINE)
    assert row.changes["public_commitment"] == COMMITMENT
    assert (
        ledger_world.item.unit == ledger_world.unit_a and ledger_world.item.status == S.NOT_STARTED
    )


def test_a_personal_problem_makes_a_personal_measure(ledger_world):
    problem = services.problem_create(
        unit=ledger_world.unit_a,
        by=ledger_world.alice,
        title="到基层调研偏少",
        four_winds=FourWinds.BUREAUCRATISM,
        kind=Problem.Kind.WITH_EFFORT,
        scope=Problem.Scope.PERSON,
        person=ledger_world.deputy,
    )
    item = services.item_create(
        problem=problem,
        by=ledger_world.alice,
        title="每月到基层调研两次",
        measures="每月到基层工会调研不少于两次",
        lead_leader=ledger_world.deputy,
        responsible_office="宣教部",
        deadline=DEADLINE,
    )
    assert item.person == ledger_world.deputy
    assert list(RectificationItem.objects.filter(person=ledger_world.deputy)) == [item]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"lead_leader": "outsider"}, "lead_leader", "牵头领导必须是本单位人员。"),
        ({"person": "outsider"}, "person", "个人整改措施的责任人必须是本单位人员。"),
        ({"deadline": D(2026, 3, 9)}, "deadline", "完成时限不能早于今天。"),
        ({"special_campaign": "other"}, "special_campaign", "该专项整治不适用于本单位。"),
    ],
)
def test_bad_item_input_gets_a_chinese_error_and_saves_nothing(
    ledger_world, overrides, field, message
):
    outsider = PersonFactory(unit=ledger_world.unit_b)
    other = SpecialCampaign.objects.create(unit=ledger_world.unit_b, name="乙单位专项整治")
    values = {"outsider": outsider, "other": other}
    overrides = {k: values.get(v, v) if isinstance(v, str) else v for k, v in overrides.items()}
    count = RectificationItem.objects.count()
    with pytest.raises(ValidationError) as refused:
        open_item(ledger_world, **overrides)
    assert refused.value.message_dict[field] == [message]
    assert RectificationItem.objects.count() == count


def test_special_campaigns_of_the_unit_and_its_ancestors_are_offered(ledger_world):
    city_wide = SpecialCampaign.objects.create(
        unit=ledger_world.city, name="整治文山会海、检查评比泛滥问题"
    )
    item = open_item(ledger_world, special_campaign=city_wide)
    assert item.special_campaign == city_wide


def test_update_audits_from_what_to_what(ledger_world):
    services.item_update(
        item=ledger_world.item,
        by=ledger_world.alice,
        lead_leader=ledger_world.deputy,
        responsible_office="组织部",
    )
    row = AuditLog.objects.get(action="rectificationitem.updated")
    assert row.changes == {
        "lead_leader": [str(ledger_world.chair), str(ledger_world.deputy)],
        "responsible_office": ["办公室", "组织部"],
    }
    assert row.actor == ledger_world.alice


def test_update_with_no_change_writes_no_audit_row(ledger_world):
    services.item_update(item=ledger_world.item, by=ledger_world.alice, responsible_office="办公室")
    assert not AuditLog.objects.filter(action="rectificationitem.updated").exists()


def test_an_overdue_item_can_still_be_edited_but_not_given_a_past_deadline(ledger_world):
    with at(D(2026, 7, 10)):
        services.item_update(item=ledger_world.item, by=ledger_world.alice, measures="加大力度")
        with pytest.raises(ValidationError) as refused:
            services.item_update(
                item=ledger_world.item, by=ledger_world.alice, deadline=D(2026, 7, 1)
            )
    assert refused.value.message_dict == {"deadline": ["完成时限不能早于今天。"]}
    ledger_world.item.refresh_from_db()
    assert ledger_world.item.deadline == DEADLINE and ledger_world.item.measures == "加大力度"


@pytest.mark.parametrize("status", [S.COMPLETED, S.VERIFIED])
def test_a_completed_or_verified_item_cannot_be_edited(ledger_world, status):
    item = set_status(ledger_world.item, status)
    with pytest.raises(ValidationError) as refused:
        services.item_update(item=item, by=ledger_world.alice, measures="改一改")
    assert "不能修改" in refused.value.messages[0]
    item.refresh_from_db()
    assert item.measures == "严格控制会议数量，压缩文件简报"


# --- Bulk assignment ---------------------------------------------------------------------------


def test_bulk_assign_changes_and_audits_each_item(ledger_world):
    second = open_item(ledger_world, title="规范公务接待")
    changed = services.item_bulk_assign(
        items=[ledger_world.item, second],
        by=ledger_world.alice,
        lead_leader=ledger_world.deputy,
        responsible_office="组织部",
    )
    assert changed == 2
    for item in (ledger_world.item, second):
        item.refresh_from_db()
        assert (item.lead_leader, item.responsible_office) == (ledger_world.deputy, "组织部")
    rows = AuditLog.objects.filter(action="rectificationitem.assigned")
    assert rows.count() == 2
    assert rows.first().changes["lead_leader"] == [
        str(ledger_world.chair),
        str(ledger_world.deputy),
    ]


def test_bulk_assign_is_all_or_nothing(ledger_world):
    done = set_status(open_item(ledger_world, title="已完成的事项"), S.COMPLETED)
    with pytest.raises(ValidationError) as refused:
        services.item_bulk_assign(
            items=[ledger_world.item, done], by=ledger_world.alice, responsible_office="组织部"
        )
    assert "已完成的事项" in refused.value.messages[0]
    ledger_world.item.refresh_from_db()
    assert ledger_world.item.responsible_office == "办公室"
    assert not AuditLog.objects.filter(action="rectificationitem.assigned").exists()


def test_bulk_assign_refuses_a_leader_of_another_unit_and_empty_input(ledger_world):
    with pytest.raises(ValidationError) as refused:
        services.item_bulk_assign(
            items=[ledger_world.item],
            by=ledger_world.alice,
            lead_leader=PersonFactory(unit=ledger_world.unit_b),
        )
    assert "牵头领导必须是事项所在单位的人员" in refused.value.messages[0]
    with pytest.raises(ValidationError) as refused:
        services.item_bulk_assign(items=[ledger_world.item], by=ledger_world.alice)
    assert refused.value.messages == ["请选择牵头领导或填写责任单位（部门）。"]
    ledger_world.item.refresh_from_db()
    assert ledger_world.item.lead_leader == ledger_world.chair


# --- Overdue, derived from the deadline ------------------------------------------------------


def overdue_ids(unit, day):
    items = ledger_items(unit, subtree=False)
    return set(filter_items(items, LedgerFilters(overdue=True), day).values_list("pk", flat=True))


def test_overdue_starts_the_day_after_the_deadline(ledger_world):
    with at(DEADLINE):
        assert not ledger_world.item.is_overdue()
        assert overdue_ids(ledger_world.unit_a, DEADLINE) == set()
    with at(DEADLINE + datetime.timedelta(days=1)):
        assert ledger_world.item.is_overdue()
        assert ledger_world.item.days_left() == -1
        assert overdue_ids(ledger_world.unit_a, DEADLINE + datetime.timedelta(days=1)) == {
            ledger_world.item.pk
        }
        summary = ledger_summary(ledger_items(ledger_world.unit_a, subtree=False), D(2026, 7, 1))
        assert summary.overdue == 1


@pytest.mark.parametrize("status", [S.COMPLETED, S.VERIFIED])
def test_a_finished_item_is_never_overdue(ledger_world, status):
    set_status(ledger_world.item, status)
    with at(D(2026, 9, 1)):
        assert not ledger_world.item.is_overdue()
        assert overdue_ids(ledger_world.unit_a, D(2026, 9, 1)) == set()


def test_a_returned_item_past_its_deadline_is_overdue_again(ledger_world):
    set_status(ledger_world.item, S.COMPLETED)
    with at(D(2026, 7, 5)):
        services.item_return(item=ledger_world.item, by=ledger_world.sam, reason="不到位")
        ledger_world.item.refresh_from_db()
        assert ledger_world.item.is_overdue()


# --- Problems ----------------------------------------------------------------------------------


def test_a_problem_is_audited_and_a_personal_one_needs_a_leader_of_the_unit(ledger_world):
    assert actions(ledger_world.problem) == ["problem.created"]
    with pytest.raises(ValidationError) as refused:
        services.problem_create(
            unit=ledger_world.unit_a,
            by=ledger_world.alice,
            title="个人问题",
            four_winds=FourWinds.HEDONISM,
            kind=Problem.Kind.NOW,
            scope=Problem.Scope.PERSON,
        )
    assert refused.value.message_dict == {"person": ["问题主体为个人时，请选择班子成员。"]}
    with pytest.raises(ValidationError) as refused:
        services.problem_create(
            unit=ledger_world.unit_a,
            by=ledger_world.alice,
            title="个人问题",
            four_winds=FourWinds.HEDONISM,
            kind=Problem.Kind.NOW,
            scope=Problem.Scope.PERSON,
            person=PersonFactory(unit=ledger_world.unit_b),
        )
    assert refused.value.message_dict == {"person": ["班子成员必须是本单位人员。"]}
    assert Problem.objects.count() == 1


def test_problem_update_audits_the_change(ledger_world):
    services.problem_update(
        problem=ledger_world.problem, by=ledger_world.alice, kind=Problem.Kind.LONG_TERM
    )
    row = AuditLog.objects.get(action="problem.updated")
    assert row.changes == {"kind": ["限期整改", "长期坚持"]}


def test_a_problem_may_name_only_a_campaign_the_unit_takes_part_in(campaign_world):
    w = campaign_world
    problem = services.problem_create(
        unit=w.unit_a,
        by=w.alice,
        title="文山会海",
        four_winds=FourWinds.FORMALISM,
        kind=Problem.Kind.NOW,
        campaign=w.campaign,
    )
    assert problem.campaign == w.campaign
    with pytest.raises(ValidationError) as refused:
        services.problem_create(
            unit=w.unit_b,
            by=w.charlie,
            title="文山会海",
            four_winds=FourWinds.FORMALISM,
            kind=Problem.Kind.NOW,
            campaign=w.campaign,
        )
    assert refused.value.message_dict == {"campaign": ["本单位没有参加该活动。"]}


# --- The rules inventory (建章立制) ------------------------------------------------------------


def test_a_new_rule_is_adopted_and_an_old_one_abolished(ledger_world):
    new = services.regulation_create(
        unit=ledger_world.unit_a,
        by=ledger_world.alice,
        title="会议管理办法",
        action=Regulation.Action.ESTABLISH,
        items=[ledger_world.item],
    )
    old = services.regulation_create(
        unit=ledger_world.unit_a,
        by=ledger_world.alice,
        title="内部评比表彰规定",
        action=Regulation.Action.ABOLISH,
    )
    services.regulation_adopt(
        regulation=new, by=ledger_world.alice, on=START, document=pdf("办法.pdf")
    )
    services.regulation_adopt(regulation=old, by=ledger_world.alice, on=START)
    new.refresh_from_db()
    old.refresh_from_db()
    assert (new.status, new.adopted_on) == (Regulation.Status.ADOPTED, START)
    assert old.status == Regulation.Status.ABOLISHED
    assert list(ledger_world.item.regulations.all()) == [new]
    assert actions(new) == ["regulation.created", "attachment.added", "regulation.adopted"]
    adopted = AuditLog.objects.get(action="regulation.adopted", object_id=str(new.pk))
    assert adopted.changes["status"] == ["拟订中", "已出台"]


def test_a_rule_is_adopted_once_not_in_the_future_and_only_with_its_units_items(ledger_world):
    rule = services.regulation_create(
        unit=ledger_world.unit_a,
        by=ledger_world.alice,
        title="公务接待办法",
        action=Regulation.Action.AMEND,
    )
    with pytest.raises(ValidationError) as refused:
        services.regulation_adopt(regulation=rule, by=ledger_world.alice, on=D(2026, 3, 11))
    assert refused.value.message_dict == {"on": ["出台或废止日期不能晚于今天。"]}
    services.regulation_adopt(regulation=rule, by=ledger_world.alice, on=START)
    with pytest.raises(ValidationError) as refused:
        services.regulation_adopt(regulation=rule, by=ledger_world.alice, on=START)
    assert "不能改为" in refused.value.messages[0]
    with pytest.raises(ValidationError):
        services.regulation_update(
            regulation=rule, by=ledger_world.alice, action=Regulation.Action.ABOLISH
        )
    other_item = RectificationItemFactory(problem__unit=ledger_world.unit_b)
    with pytest.raises(ValidationError) as refused:
        services.regulation_update(regulation=rule, by=ledger_world.alice, items=[other_item])
    assert refused.value.message_dict == {"items": ["只能关联本单位的整改事项。"]}
    assert list(rule.items.all()) == []


def test_rule_edits_are_audited_including_linked_items(ledger_world):
    rule = services.regulation_create(
        unit=ledger_world.unit_a,
        by=ledger_world.alice,
        title="会议管理办法",
        action=Regulation.Action.ESTABLISH,
    )
    services.regulation_update(
        regulation=rule,
        by=ledger_world.alice,
        title="会议和文件管理办法",
        items=[ledger_world.item],
    )
    row = AuditLog.objects.get(action="regulation.updated")
    assert row.changes == {
        "title": ["会议管理办法", "会议和文件管理办法"],
        "items": [None, ledger_world.item.title],
    }


def test_the_internal_note_is_kept_for_the_unit(ledger_world):
    assert ledger_world.item.internal_note == INTERNAL_NOTE


# 转为问题: problems turned from opinions keep the link, and the link respects who may see.


@pytest.fixture
def two_opinions(world):
    from feedback.services import opinion_take

    take = lambda text, **kw: opinion_take(  # noqa: E731
        unit=world.unit_a, by=world.alice, text=text, channel="symposium",
        received_on=datetime.date(2026, 11, 2), **kw,
    )  # fmt: skip
    return [take("会议太多，陪会占用大量时间"), take("文件层层转发，基层疲于应付",
            target="leader", target_person=world.chair)]  # fmt: skip


def test_turning_opinions_into_a_problem_links_them_and_marks_them(client, world, two_opinions):
    from feedback.models import Opinion

    client.force_login(world.alice)
    ids = [o.pk for o in two_opinions]
    form = client.get(f"/units/{world.unit_a.pk}/problems/new/", {"opinions": ids})
    assert "会议太多" in form.content.decode()
    response = client.post(f"/units/{world.unit_a.pk}/problems/new/", {
        "title": "文山会海", "four_winds": "formalism", "kind": "with_effort", "scope": "team",
        "opinions": ids,
    })  # fmt: skip
    assert response.status_code == 302
    problem = world.unit_a.problems.get(title="文山会海")
    assert set(problem.opinions.values_list("pk", flat=True)) == set(ids)
    assert set(Opinion.objects.filter(pk__in=ids).values_list("status", flat=True)) == {"problem"}
    page = client.get(f"/problems/{problem.pk}/").content.decode()
    assert "会议太多" in page and "文件层层转发" in page
    row = AuditLog.objects.get(action="problem.created", object_id=str(problem.pk))
    assert "会议太多" not in str(row.changes)  # the audit names opinion ids, never their text


def test_a_leader_does_not_see_a_linked_opinion_that_names_him(client, world, two_opinions):
    from rectification.services import problem_create

    problem = problem_create(unit=world.unit_a, by=world.alice, opinions=two_opinions,
                             title="文山会海", four_winds="formalism", kind="with_effort",
                             scope="team")  # fmt: skip
    client.force_login(world.leo)
    page = client.get(f"/problems/{problem.pk}/").content.decode()
    assert "会议太多" in page and "文件层层转发" not in page
    item = services.item_create(problem=problem, by=world.alice, title="精简会议", measures="精简会议",
                                lead_leader=world.chair, responsible_office="办公室",
                                deadline=datetime.date(2027, 3, 31))  # fmt: skip
    page = client.get(f"/ledger/items/{item.pk}/").content.decode()
    assert "会议太多" in page and "文件层层转发" not in page


def test_another_units_opinions_cannot_be_linked(client, world, two_opinions):
    from rectification.services import problem_create

    with pytest.raises(ValidationError, match="本单位的意见"):
        problem_create(unit=world.unit_b, by=world.root, opinions=two_opinions,
                       title="x", four_winds="formalism", kind="with_effort", scope="team")  # fmt: skip
    client.force_login(world.charlie)
    client.post(f"/units/{world.unit_b.pk}/problems/new/", {
        "title": "乙的问题", "four_winds": "formalism", "kind": "with_effort", "scope": "team",
        "opinions": [o.pk for o in two_opinions],
    })  # fmt: skip
    assert not world.unit_b.problems.get(title="乙的问题").opinions.exists()
