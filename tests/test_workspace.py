"""A unit's workspace: tasks and quotas computed from activity records, and recording them.

campaign_world: unit A is enrolled from 2026-01-10; its chair (主要负责人) has hosted one
symposium (座谈会); its deputy (副主席) is the other team member. Due dates: 制订学习计划 01-15,
the symposium tasks 01-30, 集中学习 02-09, 蹲点调研 03-11.
"""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaign import services as cs
from campaign.models import Activity, Task
from core.models import Attachment
from core.services import attachment_add
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Shanghai")
PDF = b"%PDF-1.4\n%test\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"


def pdf(name="纪要.pdf", content=PDF):
    return SimpleUploadedFile(name, content, "application/pdf")


def at(day: datetime.date):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(9), TZ), tick=False)


@pytest.fixture
def workspace_world(campaign_world):
    """The campaign world on 2026-01-20: 制订学习计划 is overdue, the rest still open."""
    with at(datetime.date(2026, 1, 20)):
        yield campaign_world


def ws_url(workspace_world):
    return reverse("campaign:workspace", args=[workspace_world.participation.pk])


def create_url(workspace_world):
    return reverse("campaign:activity_create", args=[workspace_world.participation.pk])


def task(workspace_world, title) -> Task:
    return workspace_world.participation.tasks.get(definition__title=title)


def rows(response) -> dict:
    return {r.task.definition.title: r for s in response.context["ws"].stages for r in s.rows}


def activity_data(workspace_world, **overrides):
    data = {
        "kind": "symposium",
        "title": "第二次征求意见座谈会",
        "date": "2026-01-18",
        "end_date": "",
        "days": "0",
        "hours": "2",
        "host": workspace_world.chair.pk,
        "attendee_count": "10",
        "place": "三楼会议室",
        "minutes": "一、通报情况\n二、听取意见",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def record(client, workspace_world, **overrides):
    return client.post(create_url(workspace_world), activity_data(workspace_world, **overrides))


# --- The page ------------------------------------------------------------------------------


def test_workspace_shows_stages_tasks_statuses_and_quota_labels(as_user, workspace_world):
    response = as_user(workspace_world.alice).get(ws_url(workspace_world))
    assert response.status_code == 200
    page = response.content.decode()
    for text in ("学习教育·听取意见", "查摆问题·开展批评", "制订学习计划", "群教办", "记录活动"):
        assert text in page
    by_title = rows(response)
    assert by_title["制订学习计划"].status_label == "已逾期"
    assert by_title["主要负责同志主持座谈会"].status_label == "进行中"
    assert by_title["主要负责同志主持座谈会"].progress.label == "1/2 次"
    assert by_title["其他班子成员各主持座谈会"].progress.label == "0/1 名班子成员已完成"
    assert by_title["集中学习"].status_label == "未开始"
    assert by_title["集中学习"].progress.label == "0/3 天"
    assert by_title["蹲点调研"].progress.label == "0/2 名班子成员已完成"
    for label in ("1/2 次", "0/1 名班子成员已完成", "0/3 天", "已逾期", "征求意见座谈会"):
        assert label in page
    assert response.context["ws"].current.stage == workspace_world.stage1


def test_current_stage_is_expanded_and_later_stages_fold(as_user, workspace_world):
    page = as_user(workspace_world.alice).get(ws_url(workspace_world)).content.decode()
    assert f'<details class="card mb-3" id="stage-{workspace_world.stage2.pk}"' in page
    assert f'<details class="card mb-3" id="stage-{workspace_world.stage1.pk}"' not in page
    assert 'aria-current="step"' in page


def test_supervisor_and_leader_read_the_workspace_without_recording(as_user, workspace_world):
    for user in (workspace_world.sam, workspace_world.leo):
        response = as_user(user).get(ws_url(workspace_world))
        assert response.status_code == 200
        assert create_url(workspace_world) not in response.content.decode()
        assert reverse("campaign:task_complete", args=[workspace_world.task_plan.pk]) not in (
            response.content.decode()
        )


def test_activity_log_is_paginated_newest_first(as_user, workspace_world):
    Activity.objects.bulk_create(
        Activity(
            participation=workspace_world.participation,
            kind="heart_talk",
            title=f"谈心谈话{i:02d}",
            date=datetime.date(2026, 1, 10) + datetime.timedelta(days=i % 9),
        )
        for i in range(30)
    )
    client = as_user(workspace_world.alice)
    first = client.get(ws_url(workspace_world)).context["ws"].activities
    assert first.paginator.count == 31
    dates = [a.date for a in first]
    assert dates == sorted(dates, reverse=True) and len(dates) == 20
    assert len(client.get(ws_url(workspace_world), {"page": 2}).context["ws"].activities) == 11


# --- Quotas are computed from activity records -------------------------------------------


def test_second_symposium_hosted_by_the_chair_meets_the_main_leader_quota(as_user, workspace_world):
    client = as_user(workspace_world.alice)
    response = record(client, workspace_world)
    assert response.status_code == 302
    assert response["Location"] == ws_url(workspace_world) + "#activities"
    symposium = task(workspace_world, "主要负责同志主持座谈会")
    assert symposium.completed_at is not None
    page = client.get(ws_url(workspace_world)).content.decode()
    assert "2/2 次" in page
    assert "已记录活动“第二次征求意见座谈会”。" in page
    assert (
        rows(client.get(ws_url(workspace_world)))["主要负责同志主持座谈会"].status_label == "已完成"
    )


def test_a_symposium_hosted_by_someone_else_does_not_count_for_the_chair(as_user, workspace_world):
    record(as_user(workspace_world.alice), workspace_world, host="")
    assert task(workspace_world, "主要负责同志主持座谈会").completed_at is None


def test_other_team_members_quota_counts_the_deputy(as_user, workspace_world):
    client = as_user(workspace_world.alice)
    record(client, workspace_world, host=workspace_world.deputy.pk)
    response = client.get(ws_url(workspace_world))
    progress = rows(response)["其他班子成员各主持座谈会"].progress
    assert progress.label == "1/1 名班子成员已完成"
    assert [tuple(p) for p in progress.people] == [("甲副主席", Decimal(1), True)]
    assert task(workspace_world, "其他班子成员各主持座谈会").completed_at is not None


def test_days_quota_adds_up_half_days_across_kinds(as_user, workspace_world):
    client = as_user(workspace_world.alice)
    record(
        client,
        workspace_world,
        kind="central_group_study",
        title="中心组集中学习",
        date="2026-01-12",
        end_date="2026-01-14",
        days="2.5",
        host="",
    )
    assert rows(client.get(ws_url(workspace_world)))["集中学习"].progress.label == "2.5/3 天"
    assert (
        task(workspace_world, "集中学习").status(datetime.date(2026, 1, 20))
        == Task.Status.IN_PROGRESS
    )
    record(client, workspace_world, kind="thematic_study", title="专题学习会", days="0.5", host="")
    assert rows(client.get(ws_url(workspace_world)))["集中学习"].progress.label == "3/3 天"
    assert task(workspace_world, "集中学习").completed_at is not None


def test_each_team_member_days_quota_lists_who_has_reached_it(as_user, workspace_world):
    client = as_user(workspace_world.alice)
    record(
        client,
        workspace_world,
        kind="field_research",
        title="蹲点调研",
        date="2026-01-15",
        end_date="2026-01-17",
        days="3",
    )
    response = client.get(ws_url(workspace_world))
    progress = rows(response)["蹲点调研"].progress
    assert progress.label == "1/2 名班子成员已完成"
    assert [tuple(p) for p in progress.people] == [
        ("甲副主席", Decimal(0), False),
        ("甲主席", Decimal(3), True),
    ]
    assert not progress.met
    page = response.content.decode()
    assert "甲主席 3/3 天" in page and "甲副主席 0/3 天" in page


def test_count_and_hours_quotas_with_any_host(as_user, workspace_world):
    for title, kinds, measure, minimum in (
        ("开展专题讨论", ["thematic_discussion"], "count", 2),
        ("辅导讲座", ["lecture"], "hours", 4),
    ):
        cs.task_definition_create(
            stage=workspace_world.stage1,
            by=workspace_world.olivia,
            title=title,
            due_offset_days=25,
            quota_kinds=kinds,
            quota_host="any",
            quota_measure=measure,
            quota_minimum=Decimal(minimum),
        )
    client = as_user(workspace_world.alice)
    for n in range(2):
        record(client, workspace_world, kind="thematic_discussion", title=f"专题讨论{n}", host="")
    record(client, workspace_world, kind="lecture", title="辅导讲座", hours="1.5", host="")
    by_title = rows(client.get(ws_url(workspace_world)))
    assert by_title["开展专题讨论"].progress.label == "2/2 次"
    assert by_title["开展专题讨论"].status_label == "已完成"
    assert by_title["辅导讲座"].progress.label == "1.5/4 小时"
    assert by_title["辅导讲座"].status_label == "进行中"


def test_deleting_an_activity_takes_its_part_of_the_quota_back(as_user, workspace_world):
    client = as_user(workspace_world.alice)
    record(client, workspace_world)
    second = Activity.objects.get(title="第二次征求意见座谈会")
    response = client.post(reverse("campaign:activity_delete", args=[second.pk]))
    assert response.status_code == 302
    assert not Activity.objects.filter(pk=second.pk).exists()
    assert task(workspace_world, "主要负责同志主持座谈会").completed_at is None
    assert (
        rows(client.get(ws_url(workspace_world)))["主要负责同志主持座谈会"].progress.label
        == "1/2 次"
    )


def test_editing_an_activity_recomputes_the_quota(as_user, workspace_world):
    client = as_user(workspace_world.alice)
    url = reverse("campaign:activity_edit", args=[workspace_world.activity.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, activity_data(workspace_world, title="改期后的座谈会", host=workspace_world.deputy.pk)
    )
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "campaign:activity_detail", args=[workspace_world.activity.pk]
    )
    workspace_world.activity.refresh_from_db()
    assert (workspace_world.activity.title, workspace_world.activity.host) == (
        "改期后的座谈会",
        workspace_world.deputy,
    )
    by_title = rows(client.get(ws_url(workspace_world)))
    assert by_title["主要负责同志主持座谈会"].progress.label == "0/2 次"
    assert by_title["其他班子成员各主持座谈会"].progress.label == "1/1 名班子成员已完成"


# --- Status is derived from the date ------------------------------------------------------


def test_overdue_is_derived_from_the_due_date(client, campaign_world):
    workspace_world = campaign_world
    client.force_login(workspace_world.alice)
    with at(datetime.date(2026, 1, 15)):  # the due day itself
        row = rows(client.get(ws_url(workspace_world)))["制订学习计划"]
        assert row.status_label == "未开始"
    with at(datetime.date(2026, 1, 16)):
        response = client.get(ws_url(workspace_world))
        row = rows(response)["制订学习计划"]
        assert row.status_label == "已逾期"
        assert response.context["ws"].tasks_overdue == 1
        assert '<span class="badge text-bg-danger"><i class="bi bi-exclamation-triangle-fill">' in (
            response.content.decode()
        )
        client.post(
            reverse("campaign:task_complete", args=[workspace_world.task_plan.pk]),
            {"note": "已制订，晚了一天"},
        )
        done_row = rows(client.get(ws_url(workspace_world)))["制订学习计划"]
        # Finished after its due date: 逾期完成, with the days late, not a plain 已完成.
        assert (done_row.status_label, done_row.days_late_done) == ("逾期完成", 1)
    with at(datetime.date(2026, 1, 31)):
        by_title = rows(client.get(ws_url(workspace_world)))
        assert by_title["主要负责同志主持座谈会"].status_label == "已逾期"
        assert by_title["集中学习"].status_label == "未开始"


# --- Bad input gets a Chinese error and changes nothing ------------------------------------


def counts():
    return Activity.objects.count(), Attachment.objects.count()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"hours": "-1"}, "hours", "时长不能为负数。"),
        ({"days": "-0.5"}, "days", "天数不能为负数。"),
        ({"attendee_count": "-3"}, "attendee_count", "参加人数不能为负数。"),
        ({"end_date": "2026-01-17"}, "end_date", "结束日期不能早于开始日期。"),
        ({"end_date": "2026-01-19", "days": "3"}, "days", "天数不能超过活动起止日期的跨度。"),
        ({"title": ""}, "title", "这个字段是必填项。"),
        ({"kind": "party"}, "kind", "选择一个有效的选项"),
        ({"date": "2026-13-01"}, "date", "输入一个有效的日期。"),
    ],
)
def test_bad_activity_input_gets_an_error_and_creates_nothing(
    as_user, workspace_world, overrides, field, message
):
    before = counts()
    response = as_user(workspace_world.alice).post(
        create_url(workspace_world),
        {**activity_data(workspace_world, **overrides), "uploads": [pdf()]},
    )
    assert response.status_code == 200
    assert any(message in e for e in response.context["form"].errors[field])
    assert message in response.content.decode()
    assert counts() == before


def test_a_host_or_attendee_from_another_unit_is_refused(as_user, workspace_world):
    outsider = PersonFactory(unit=workspace_world.unit_b, name="乙单位干部")
    before = counts()
    client = as_user(workspace_world.alice)
    response = client.post(
        create_url(workspace_world), activity_data(workspace_world, host=outsider.pk)
    )
    assert response.context["form"].errors["host"] == ["主持人必须是本单位人员。"]
    response = client.post(
        create_url(workspace_world), {**activity_data(workspace_world), "attendees": [outsider.pk]}
    )
    assert response.context["form"].errors["attendees"] == ["参加人员必须是本单位人员。"]
    assert "乙单位干部" not in response.content.decode()
    assert counts() == before


def test_named_attendees_cannot_outnumber_the_attendee_count(as_user, workspace_world):
    before = counts()
    response = as_user(workspace_world.alice).post(
        create_url(workspace_world),
        {
            **activity_data(workspace_world, attendee_count="1"),
            "attendees": [workspace_world.chair.pk, workspace_world.deputy.pk],
        },
    )
    assert response.context["form"].errors["attendee_count"] == [
        "参加人数不能少于勾选的参加人员人数。"
    ]
    assert counts() == before


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("x.pdf", EXE, "application/pdf"), "不支持文件“x.pdf”的类型"),
        (SimpleUploadedFile("照片.pdf", PNG, "application/pdf"), "内容是 PNG，与扩展名不符"),
        (SimpleUploadedFile("空.pdf", b"", "application/pdf"), "空文件"),
    ],
    ids=["program-named-pdf", "png-named-pdf", "empty"],
)
def test_a_disguised_upload_is_refused_and_nothing_is_stored(
    as_user, workspace_world, upload, message
):
    before = counts()
    response = as_user(workspace_world.alice).post(
        create_url(workspace_world),
        {**activity_data(workspace_world), "uploads": [pdf("正常.pdf"), upload]},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["uploads"]
    assert any(message in e for e in errors), errors
    assert counts() == before


def test_an_oversized_upload_is_refused(as_user, workspace_world, settings):
    settings.UPLOAD_MAX_BYTES = 64
    before = counts()
    response = as_user(workspace_world.alice).post(
        create_url(workspace_world),
        {**activity_data(workspace_world), "uploads": [pdf("大.pdf", PDF + b"0" * 100)]},
    )
    assert any("太大" in e for e in response.context["form"].errors["uploads"])
    assert counts() == before


def test_a_bad_edit_changes_nothing(as_user, workspace_world):
    url = reverse("campaign:activity_edit", args=[workspace_world.activity.pk])
    response = as_user(workspace_world.alice).post(
        url,
        {
            **activity_data(workspace_world, title="新标题", end_date="2026-01-01"),
            "uploads": [pdf()],
        },
    )
    assert response.status_code == 200
    assert "结束日期不能早于开始日期。" in response.content.decode()
    workspace_world.activity.refresh_from_db()
    assert workspace_world.activity.title == "征求意见座谈会"
    assert Attachment.objects.count() == 1


def test_a_domain_error_from_the_service_lands_on_the_form(as_user, workspace_world, monkeypatch):
    from django.core.exceptions import ValidationError

    def refuse(**kwargs):
        raise ValidationError({"host": "主持人必须是本单位人员。"})

    monkeypatch.setattr(cs, "activity_record", refuse)
    response = record(as_user(workspace_world.alice), workspace_world)
    assert response.status_code == 200
    assert response.context["form"].errors["host"] == ["主持人必须是本单位人员。"]


def test_recording_stores_uploads_and_named_attendees(as_user, workspace_world):
    client = as_user(workspace_world.alice)
    response = client.post(
        create_url(workspace_world),
        {
            **activity_data(workspace_world),
            "attendees": [workspace_world.chair.pk, workspace_world.deputy.pk],
            "uploads": [pdf("签到表.pdf"), SimpleUploadedFile("照片.png", PNG, "image/png")],
        },
    )
    assert response.status_code == 302
    activity = Activity.objects.get(title="第二次征求意见座谈会")
    assert set(activity.attendees.all()) == {workspace_world.chair, workspace_world.deputy}
    assert activity.recorded_by == workspace_world.alice
    names = sorted(a.name for a in Attachment.objects.filter(object_id=str(activity.pk)))
    assert names == ["照片.png", "签到表.pdf"]


# --- Who may do what ------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["sam", "leo"])
def test_supervisors_and_leaders_may_not_record_or_tick(as_user, workspace_world, persona):
    client = as_user(getattr(workspace_world, persona))
    before = counts()
    assert client.get(create_url(workspace_world)).status_code == 403
    assert record(client, workspace_world).status_code == 403
    assert (
        client.post(
            reverse("campaign:activity_edit", args=[workspace_world.activity.pk])
        ).status_code
        == 403
    )
    assert (
        client.post(
            reverse("campaign:activity_delete", args=[workspace_world.activity.pk])
        ).status_code
        == 403
    )
    url = reverse("campaign:task_complete", args=[workspace_world.task_plan.pk])
    assert client.post(url, {"note": "完成"}).status_code == 403
    assert counts() == before
    assert task(workspace_world, "制订学习计划").completed_at is None


@pytest.mark.parametrize("persona", ["charlie", "bob"])
def test_other_units_staff_get_404(as_user, workspace_world, persona):
    client = as_user(getattr(workspace_world, persona))
    before = counts()
    assert client.get(ws_url(workspace_world)).status_code == 404
    assert record(client, workspace_world).status_code == 404
    assert (
        client.get(
            reverse("campaign:activity_detail", args=[workspace_world.activity.pk])
        ).status_code
        == 404
    )
    assert (
        client.post(
            reverse("campaign:activity_delete", args=[workspace_world.activity.pk])
        ).status_code
        == 404
    )
    for name in ("task_complete", "task_reopen"):
        url = reverse(f"campaign:{name}", args=[workspace_world.task_plan.pk])
        assert client.post(url, {"note": "完成"}).status_code == 404
    assert counts() == before


def test_state_changes_answerpost_only(as_user, workspace_world):
    client = as_user(workspace_world.alice)
    assert (
        client.get(
            reverse("campaign:task_complete", args=[workspace_world.task_plan.pk])
        ).status_code
        == 405
    )
    assert (
        client.get(
            reverse("campaign:activity_delete", args=[workspace_world.activity.pk])
        ).status_code
        == 405
    )
    assert Activity.objects.filter(pk=workspace_world.activity.pk).exists()


def test_the_campaign_office_may_record_for_a_unit(as_user, workspace_world):
    assert record(as_user(workspace_world.olivia), workspace_world).status_code == 302


# --- Tasks without a quota ------------------------------------------------------------------


def test_completing_a_task_with_a_note_and_evidence(as_user, workspace_world):
    client = as_user(workspace_world.alice)
    url = reverse("campaign:task_complete", args=[workspace_world.task_plan.pk])
    response = client.post(url, {"note": "学习计划已印发", "evidence": pdf("学习计划.pdf")})
    assert response.status_code == 302
    assert response["Location"] == ws_url(workspace_world) + f"#task-{workspace_world.task_plan.pk}"
    workspace_world.task_plan.refresh_from_db()
    assert (workspace_world.task_plan.completion_note, workspace_world.task_plan.completed_by) == (
        "学习计划已印发",
        workspace_world.alice,
    )
    evidence = Attachment.objects.get(name="学习计划.pdf")
    response = client.get(ws_url(workspace_world))
    row = rows(response)["制订学习计划"]
    assert row.is_done and row.evidence == [evidence]
    page = response.content.decode()
    assert "学习计划已印发" in page and reverse("attachment", args=[evidence.pk]) in page
    assert "撤销完成" in page


def test_completing_needs_a_note(as_user, workspace_world):
    response = as_user(workspace_world.alice).post(
        reverse("campaign:task_complete", args=[workspace_world.task_plan.pk]), {"note": "  "}
    )
    assert response.status_code == 200
    assert "请简要说明完成情况。" in response.content.decode()
    assert '<details class="mt-2" open>' in response.content.decode()
    assert task(workspace_world, "制订学习计划").completed_at is None


def test_completing_with_disguised_evidence_changes_nothing(as_user, workspace_world):
    before = counts()
    response = as_user(workspace_world.alice).post(
        reverse("campaign:task_complete", args=[workspace_world.task_plan.pk]),
        {"note": "已完成", "evidence": SimpleUploadedFile("方案.pdf", EXE)},
    )
    assert response.status_code == 200
    assert "不支持文件“方案.pdf”的类型" in response.content.decode()
    assert task(workspace_world, "制订学习计划").completed_at is None
    assert counts() == before


def test_a_quota_task_cannot_be_ticked_by_hand(as_user, workspace_world):
    client = as_user(workspace_world.alice)
    other = task(workspace_world, "其他班子成员各主持座谈会")
    response = client.post(
        reverse("campaign:task_complete", args=[other.pk]), {"note": "都开过了"}, follow=True
    )
    assert "该任务有数量要求" in response.content.decode()
    other.refresh_from_db()
    assert other.completed_at is None


def test_reopening_a_task(as_user, workspace_world):
    client = as_user(workspace_world.alice)
    client.post(
        reverse("campaign:task_complete", args=[workspace_world.task_plan.pk]), {"note": "已完成"}
    )
    response = client.post(
        reverse("campaign:task_reopen", args=[workspace_world.task_plan.pk]), follow=True
    )
    assert "已撤销任务“制订学习计划”的完成标记。" in response.content.decode()
    assert task(workspace_world, "制订学习计划").completed_at is None
    assert rows(response)["制订学习计划"].status_label == "已逾期"
    # Reopening an open task, or a quota task, is refused with a reason.
    response = client.post(
        reverse("campaign:task_reopen", args=[workspace_world.task_plan.pk]), follow=True
    )
    assert "只有手动标记完成的任务可以撤销完成。" in response.content.decode()


# --- Activity detail and attachments --------------------------------------------------------


def test_activity_detail_shows_everything_and_the_history(as_user, workspace_world):
    workspace_world.activity.attendees.set([workspace_world.chair, workspace_world.deputy])
    Activity.objects.filter(pk=workspace_world.activity.pk).update(
        minutes="第一行\n第二行", place="礼堂"
    )
    response = as_user(workspace_world.alice).get(
        reverse("campaign:activity_detail", args=[workspace_world.activity.pk])
    )
    page = response.content.decode()
    for text in ("征求意见座谈会", "座谈会", "甲主席", "甲副主席", "礼堂", "第一行<br>第二行"):
        assert text in page
    assert reverse("attachment", args=[workspace_world.attachment.pk]) in page
    assert reverse("campaign:activity_edit", args=[workspace_world.activity.pk]) in page
    assert reverse("campaign:activity_delete", args=[workspace_world.activity.pk]) in page
    assert [r.action for r in response.context["detail"].history] == [
        "attachment.added",
        "activity.recorded",
    ]


def test_readers_see_no_edit_or_delete_buttons(as_user, workspace_world):
    page = as_user(workspace_world.sam).get(
        reverse("campaign:activity_detail", args=[workspace_world.activity.pk])
    )
    assert page.status_code == 200
    assert (
        reverse("campaign:activity_edit", args=[workspace_world.activity.pk])
        not in page.content.decode()
    )


def test_attachments_download_only_within_scope(client, workspace_world):
    url = reverse("attachment", args=[workspace_world.attachment.pk])
    client.force_login(workspace_world.alice)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    client.force_login(workspace_world.charlie)
    assert client.get(url).status_code == 404


# --- Query counts do not grow with the data ------------------------------------------------


def page_queries(client, urls):
    out = {}
    for name, url in urls.items():
        client.get(url)  # warm caches such as ContentType's
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        out[name] = len(ctx)
    return out


def grow(workspace_world):
    """More people, tasks of every kind, manual completions with evidence, 200 activities."""
    people = [
        PersonFactory(unit=workspace_world.unit_a, name=f"班子成员{i}", rank=10 + i)
        for i in range(20)
    ]
    for i, (host, measure) in enumerate(
        [("any", "count"), ("main_leader", "days"), ("each_team_member", "hours")] * 2
    ):
        cs.task_definition_create(
            stage=workspace_world.stage1 if i % 2 else workspace_world.stage2,
            by=workspace_world.olivia,
            title=f"新增任务{i}",
            due_offset_days=10 + i,
            quota_kinds=["symposium", "lecture"],
            quota_host=host,
            quota_measure=measure,
            quota_minimum=Decimal(2),
        )
        cs.task_definition_create(
            stage=workspace_world.stage2,
            by=workspace_world.olivia,
            title=f"手动任务{i}",
            due_offset_days=40,
        )
    for t in workspace_world.participation.tasks.filter(definition__title__startswith="手动任务")[
        :4
    ]:
        cs.task_complete(task=t, note="已完成", by=workspace_world.alice, evidence=pdf())
    Activity.objects.bulk_create(
        Activity(
            participation=workspace_world.participation,
            kind=["symposium", "lecture", "heart_talk"][i % 3],
            title=f"活动{i}",
            date=datetime.date(2026, 1, 10) + datetime.timedelta(days=i % 60),
            days=Decimal("0.5"),
            hours=Decimal(2),
            host=people[i % len(people)],
            attendee_count=i,
        )
        for i in range(200)
    )
    cs.participation_refresh(workspace_world.participation)
    workspace_world.activity.attendees.set(people)
    for i in range(5):
        attachment_add(
            target=workspace_world.activity,
            unit=workspace_world.unit_a,
            upload=pdf(f"附件{i}.pdf"),
            by=workspace_world.alice,
        )
    cs.activity_update(
        activity=workspace_world.activity,
        by=workspace_world.alice,
        title="改过的座谈会",
        attendees=people,
    )


def test_pages_cost_the_same_queries_with_more_data(client, workspace_world):
    client.force_login(workspace_world.alice)
    urls = {
        "workspace": ws_url(workspace_world),
        "workspace page 2": ws_url(workspace_world) + "?page=2",
        "detail": reverse("campaign:activity_detail", args=[workspace_world.activity.pk]),
        "form": create_url(workspace_world),
        "edit": reverse("campaign:activity_edit", args=[workspace_world.activity.pk]),
    }
    Activity.objects.bulk_create(  # so that page 2 exists in the small world too
        Activity(
            participation=workspace_world.participation,
            kind="other",
            title=f"小{i}",
            date=workspace_world.activity.date,
        )
        for i in range(25)
    )
    small = page_queries(client, urls)
    grow(workspace_world)
    assert (
        workspace_world.participation.tasks.count() == 17
        and workspace_world.participation.activities.count() > 200
    )
    large = page_queries(client, urls)
    assert small == large, (small, large)
    assert max(large.values()) <= 15
