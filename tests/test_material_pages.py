"""Materials through the pages: drafts, revisions, the supervision group's review, stage gates
and waivers, the review queue, the group's confidential talks and the notices they send.

campaign_world: unit A's 环节小结 of stage 1 (its only gate) is submitted as 第1稿 by alice;
sam (第十四督导组) supervises unit A and has recorded one talk.
"""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver, reverse

from campaign import services as cs
from campaign.models import Material, MaterialRequirement, Review, Revision, StageClosure, Talk
from core.models import Attachment, AuditLog, Notification
from tests.factories import PersonFactory, UnitFactory, UserFactory
from units.models import User

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%test\n"
TALK_NOTES = "谈话记录：机密内容"


def materials_url(review_world):
    return reverse("campaign:materials", args=[review_world.participation.pk])


def material_url(material):
    return reverse("campaign:material", args=[material.pk])


def submit_url(material):
    return reverse("campaign:material_submit", args=[material.pk])


def review_url(revision):
    return reverse("campaign:review", args=[revision.pk])


def waive_url(review_world, stage):
    return reverse("campaign:stage_waive", args=[review_world.participation.pk, stage.pk])


def talks_url(review_world):
    return reverse("campaign:talks", args=[review_world.participation.pk])


def page(response) -> str:
    return response.content.decode()


def requirement(review_world, kind="study_plan", title="学习计划", gate=True, stage=None):
    return MaterialRequirement.objects.create(
        stage=stage or review_world.stage1, kind=kind, title=title, is_gate=gate
    )


def submitted(review_world, req, text, person=None, by=None):
    """A material of unit A submitted through the services, for tests about what follows."""
    material = cs.material_start(
        participation=review_world.participation,
        requirement=req,
        person=person,
        by=review_world.alice,
    )
    cs.material_save_draft(material=material, text=text, by=review_world.alice)
    cs.material_submit(material=material, by=by or review_world.alice)
    material.refresh_from_db()
    return material


def latest(material) -> Revision:
    return material.revisions.order_by("-number").first()


# --- The whole loop ----------------------------------------------------------------------------


def test_draft_submit_return_resubmit_approve_closes_the_stage(client, review_world):
    plan = requirement(review_world)

    # alice starts the study plan from the unit's materials page, drafts it with a file, submits.
    client.force_login(review_world.alice)
    response = client.post(
        reverse("campaign:material_start", args=[review_world.participation.pk]),
        {"requirement": plan.pk},
    )
    material = Material.objects.get(participation=review_world.participation, requirement=plan)
    assert response.status_code == 302 and response["Location"] == material_url(material)
    response = client.post(
        material_url(material),
        {
            "text": "学习计划（第一稿）\n每周五下午集中学习。",
            "uploads": SimpleUploadedFile("学习安排.pdf", PDF, "application/pdf"),
        },
    )
    assert response.status_code == 302
    material.refresh_from_db()
    assert material.status == Material.Status.DRAFT
    assert "学习安排.pdf" in page(client.get(material_url(material)))
    response = client.post(
        submit_url(material), {"text": "学习计划（第一稿）\n每周五下午集中学习。"}
    )
    assert response.status_code == 302
    material.refresh_from_db()
    first = latest(material)
    assert (material.status, first.number, first.submitted_by) == (
        "submitted",
        1,
        review_world.alice,
    )
    assert Attachment.objects.get(name="学习安排.pdf").object_id == str(first.pk)
    assert "已提交 第1稿" in page(client.get(materials_url(review_world)))

    # sam returns it with a comment.
    client.force_login(review_world.sam)
    assert "学习计划" in page(client.get(reverse("campaign:review_queue")))
    response = client.post(review_url(first), {"decision": "return", "comment": "请补充学习篇目。"})
    assert response.status_code == 302
    material.refresh_from_db()
    assert material.status == Material.Status.RETURNED

    # alice sees the comment, edits and resubmits 第2稿.
    client.force_login(review_world.alice)
    detail = page(client.get(material_url(material)))
    assert "请补充学习篇目。" in detail and "撰写第2稿" in detail
    assert "已退回" in page(client.get(materials_url(review_world)))
    response = client.post(
        submit_url(material), {"text": "学习计划（第二稿）\n每周五下午集中学习。\n篇目：党章。"}
    )
    assert response.status_code == 302
    second = latest(material)
    assert second.number == 2 and "篇目：党章。" in second.text
    assert Revision.objects.get(pk=first.pk).text == "学习计划（第一稿）\n每周五下午集中学习。"

    # sam approves 第2稿: one gate of two, so the stage stays open.
    client.force_login(review_world.sam)
    client.post(review_url(second), {"decision": "approve", "comment": ""})
    material.refresh_from_db()
    assert material.status == Material.Status.APPROVED
    review_world.participation.refresh_from_db()
    assert review_world.participation.current_stage == review_world.stage1
    assert "把关材料 1/2 已通过" in page(client.get(materials_url(review_world)))

    # Approving the 环节小结 too closes stage 1 and opens stage 2, with an audit row.
    client.post(review_url(review_world.revision), {"decision": "approve", "comment": "同意。"})
    review_world.participation.refresh_from_db()
    assert review_world.participation.current_stage == review_world.stage2
    closure = StageClosure.objects.get(
        participation=review_world.participation, stage=review_world.stage1
    )
    assert not closure.waived and closure.closed_by == review_world.sam
    assert AuditLog.objects.filter(
        action="stage.closed", changes__stage=review_world.stage1.name
    ).exists()
    assert AuditLog.objects.filter(action="material.approved").count() == 2

    # The full thread is kept and shown, with both comments and who decided.
    client.force_login(review_world.alice)
    detail = page(client.get(material_url(material)))
    for text in ("第1稿", "第2稿", "请补充学习篇目。", "退回修改", "通过", str(review_world.sam)):
        assert text in detail
    response = client.get(materials_url(review_world))
    blocks = response.context["stages"]
    assert [b.state for b in blocks] == ["closed", "current"]
    assert "把关材料已全部审核通过" in page(response)


def test_submit_saves_the_editor_text_and_an_empty_material_is_refused(client, review_world):
    material = cs.material_start(
        participation=review_world.participation,
        requirement=requirement(review_world),
        by=review_world.alice,
    )
    client.force_login(review_world.alice)
    response = client.post(submit_url(material), {"text": "   "})
    assert response.status_code == 200
    assert "请先填写正文或上传文件，再提交审核。" in page(response)
    material.refresh_from_db()
    assert (material.status, material.revision_count) == ("draft", 0)


def test_a_bad_upload_is_refused_and_nothing_is_saved(client, review_world):
    material = cs.material_start(
        participation=review_world.participation,
        requirement=requirement(review_world),
        by=review_world.alice,
    )
    client.force_login(review_world.alice)
    exe = SimpleUploadedFile("方案.pdf", b"MZ\x90\x00\x03\x00\x00\x00", "application/pdf")
    response = client.post(material_url(material), {"text": "正文", "uploads": exe})
    assert response.status_code == 200
    assert "不支持文件“方案.pdf”的类型" in page(response)
    material.refresh_from_db()
    assert material.draft_text == "" and not Attachment.objects.filter(name="方案.pdf").exists()


# --- Decisions -----------------------------------------------------------------------------


def test_return_without_a_comment_is_refused(client, review_world):
    client.force_login(review_world.sam)
    response = client.post(
        review_url(review_world.revision), {"decision": "return", "comment": "  "}
    )
    assert response.status_code == 200
    assert "退回修改时必须填写审核意见。" in page(response)
    assert not Review.objects.exists()
    review_world.material.refresh_from_db()
    assert review_world.material.status == Material.Status.SUBMITTED


def test_a_decision_on_an_older_revision_is_refused(client, review_world):
    cs.review_decide(
        revision=review_world.revision, decision="return", comment="请修改。", by=review_world.sam
    )
    cs.material_save_draft(material=review_world.material, text="第二稿正文", by=review_world.alice)
    second = cs.material_submit(material=review_world.material, by=review_world.alice)
    client.force_login(review_world.sam)
    response = client.post(review_url(review_world.revision), {"decision": "approve"}, follow=True)
    assert "这一稿已经不是最新版本，请对最新一稿作出审核。" in page(response)
    assert not Review.objects.filter(revision=second).exists()
    assert Review.objects.get(revision=review_world.revision).decision == "return"
    review_world.material.refresh_from_db()
    assert review_world.material.status == Material.Status.SUBMITTED


def test_a_second_decision_on_the_same_revision_is_refused(client, review_world):
    colleague = UserFactory(username="sam2", role=User.Role.SUPERVISOR, home_unit=review_world.city)
    review_world.group_a.members.add(colleague)
    client.force_login(review_world.sam)
    client.post(review_url(review_world.revision), {"decision": "approve"})
    client.force_login(colleague)
    response = client.post(
        review_url(review_world.revision), {"decision": "return", "comment": "退回。"}, follow=True
    )
    assert "这一稿已经审核过了" in page(response)
    assert [r.decision for r in Review.objects.filter(revision=review_world.revision)] == [
        "approve"
    ]


@pytest.mark.parametrize("persona", ["alice", "leo", "olivia"])
def test_only_the_units_supervisors_decide(client, review_world, persona):
    client.force_login(getattr(review_world, persona))
    response = client.post(review_url(review_world.revision), {"decision": "approve"})
    assert response.status_code == 403
    assert not Review.objects.exists()
    assert "审核第1稿" not in page(client.get(material_url(review_world.material)))


@pytest.mark.parametrize("persona", ["sam", "leo"])
def test_supervisors_and_leaders_cannot_write_materials(client, review_world, persona):
    cs.review_decide(
        revision=review_world.revision, decision="return", comment="请修改。", by=review_world.sam
    )
    client.force_login(getattr(review_world, persona))
    assert client.post(material_url(review_world.material), {"text": "改写"}).status_code == 403
    assert client.post(submit_url(review_world.material), {"text": "改写"}).status_code == 403
    start = reverse("campaign:material_start", args=[review_world.participation.pk])
    assert client.post(start, {"requirement": requirement(review_world).pk}).status_code == 403
    review_world.material.refresh_from_db()
    assert review_world.material.draft_text == "学习教育环节小结（第一稿）"
    assert review_world.material.revision_count == 1
    assert 'name="text"' not in page(client.get(material_url(review_world.material)))


# --- Nothing lost ------------------------------------------------------------------------------


def test_a_submitted_material_cannot_be_edited_through_the_page(client, review_world):
    client.force_login(review_world.alice)
    response = client.post(material_url(review_world.material), {"text": "偷偷改写"}, follow=True)
    assert "材料已提交审核，审核结束前不能修改。" in page(response)
    response = client.post(submit_url(review_world.material), {"text": "偷偷改写"}, follow=True)
    assert "材料已提交审核，审核结束前不能修改。" in page(response)
    assert Revision.objects.get(pk=review_world.revision.pk).text == "学习教育环节小结（第一稿）"
    assert review_world.material.revisions.count() == 1


def test_revisions_and_reviews_cannot_be_changed_or_deleted(review_world):
    review = cs.review_decide(
        revision=review_world.revision, decision="return", comment="请修改。", by=review_world.sam
    )
    review_world.revision.text = "改写"
    for obj in (review_world.revision, review):
        with pytest.raises(ValidationError):
            obj.save()
        with pytest.raises(ValidationError):
            obj.delete()
    assert Revision.objects.get(pk=review_world.revision.pk).text == "学习教育环节小结（第一稿）"


def test_no_url_edits_a_revision_only_the_decision_takes_one():
    def walk(patterns, ns=""):
        for p in patterns:
            if hasattr(p, "url_patterns"):
                yield from walk(p.url_patterns, f"{ns}{p.namespace}:" if p.namespace else ns)
            else:
                yield f"{ns}{p.name}", p.pattern.regex.groupindex

    taking_revision = [
        name for name, args in walk(get_resolver().url_patterns) if "revision_pk" in args
    ]
    assert taking_revision == ["campaign:review"]


def test_the_admin_shows_revisions_and_reviews_but_cannot_change_them(client, review_world):
    review = cs.review_decide(
        revision=review_world.revision, decision="return", comment="请修改。", by=review_world.sam
    )
    client.force_login(review_world.root)
    for obj in (review_world.revision, review):
        meta = obj._meta
        change = reverse(f"admin:campaign_{meta.model_name}_change", args=[obj.pk])
        assert client.get(change).status_code == 200
        assert client.post(change, {"text": "改写", "comment": "改写"}).status_code == 403
        delete = reverse(f"admin:campaign_{meta.model_name}_delete", args=[obj.pk])
        assert client.post(delete, {"post": "yes"}).status_code == 403
        assert client.get(reverse(f"admin:campaign_{meta.model_name}_add")).status_code == 403
    assert Revision.objects.get(pk=review_world.revision.pk).text == "学习教育环节小结（第一稿）"
    assert Review.objects.get(pk=review.pk).comment == "请修改。"


# --- Stage gates and waivers -------------------------------------------------------------------


def test_the_gate_waits_for_every_gate_material_including_each_team_members(client, review_world):
    personal = requirement(review_world, kind="personal_self_exam", title="个人对照检查材料")
    client.force_login(review_world.alice)
    rows = {
        (r.requirement.title, r.person and r.person.name): r
        for r in client.get(materials_url(review_world)).context["stages"][0].rows
    }
    assert set(rows) == {
        ("环节小结", None),
        ("个人对照检查材料", "甲副主席"),
        ("个人对照检查材料", "甲主席"),
    }
    cs.review_decide(
        revision=review_world.revision, decision="approve", comment="", by=review_world.sam
    )
    review_world.participation.refresh_from_db()
    assert review_world.participation.current_stage == review_world.stage1
    assert "把关材料 1/3 已通过" in page(client.get(materials_url(review_world)))

    for person in (review_world.chair, review_world.deputy):
        review_world.participation.refresh_from_db()
        assert review_world.participation.current_stage == review_world.stage1
        material = submitted(review_world, personal, f"{person.name}的对照检查", person=person)
        cs.review_decide(
            revision=latest(material), decision="approve", comment="", by=review_world.sam
        )
    review_world.participation.refresh_from_db()
    assert review_world.participation.current_stage == review_world.stage2
    assert "把关材料 3/3 已通过" in page(client.get(materials_url(review_world)))


def test_a_returned_gate_material_does_not_close_the_stage(review_world):
    cs.review_decide(
        revision=review_world.revision, decision="return", comment="请修改。", by=review_world.sam
    )
    review_world.participation.refresh_from_db()
    assert review_world.participation.current_stage == review_world.stage1
    assert not StageClosure.objects.exists()


def test_office_waives_a_gate_with_a_reason(client, review_world):
    client.force_login(review_world.olivia)
    assert 'name="reason"' in page(client.get(materials_url(review_world)))
    response = client.post(
        waive_url(review_world, review_world.stage1),
        {"reason": "该单位已合并，经领导小组研究同意。"},
    )
    assert response.status_code == 302
    closure = StageClosure.objects.get(
        participation=review_world.participation, stage=review_world.stage1
    )
    assert closure.waived and closure.closed_by == review_world.olivia
    assert AuditLog.objects.filter(action="stage.waived", actor=review_world.olivia).exists()
    review_world.participation.refresh_from_db()
    assert review_world.participation.current_stage == review_world.stage2
    client.force_login(review_world.alice)
    listing = page(client.get(materials_url(review_world)))
    assert "免于把关" in listing and "该单位已合并，经领导小组研究同意。" in listing


def test_a_waiver_without_a_reason_is_refused(client, review_world):
    client.force_login(review_world.olivia)
    response = client.post(waive_url(review_world, review_world.stage1), {"reason": "  "})
    assert response.status_code == 200
    assert "请写明免于把关的理由。" in page(response)
    assert not StageClosure.objects.exists()


@pytest.mark.parametrize("persona", ["alice", "sam", "leo"])
def test_only_the_office_waives(client, review_world, persona):
    client.force_login(getattr(review_world, persona))
    assert (
        client.post(waive_url(review_world, review_world.stage1), {"reason": "理由"}).status_code
        == 403
    )
    assert not StageClosure.objects.exists()
    assert 'name="reason"' not in page(client.get(materials_url(review_world)))


# --- The unit's materials page -----------------------------------------------------------------


def test_materials_page_shows_each_state_and_start_buttons(client, review_world):
    plan = requirement(review_world, gate=False)
    report = requirement(review_world, kind="research_report", title="调研报告", gate=False)
    speech = requirement(review_world, kind="mobilization_speech", title="动员讲话稿", gate=False)
    personal = requirement(review_world, kind="personal_measures", title="个人整改措施", gate=False)
    cs.material_start(
        participation=review_world.participation, requirement=plan, by=review_world.alice
    )
    approved = submitted(review_world, report, "调研报告正文")
    cs.review_decide(revision=latest(approved), decision="approve", comment="", by=review_world.sam)
    returned = submitted(review_world, speech, "讲话稿正文")
    cs.review_decide(
        revision=latest(returned), decision="return", comment="请修改。", by=review_world.sam
    )
    client.force_login(review_world.alice)
    response = client.get(materials_url(review_world))
    labels = {
        (r.requirement.title, r.person and r.person.name): r.state_label
        for r in response.context["stages"][0].rows
    }
    assert labels[("环节小结", None)] == "已提交 第1稿"
    assert labels[("学习计划", None)] == "草稿"
    assert labels[("调研报告", None)] == "已通过"
    assert labels[("动员讲话稿", None)] == "已退回"
    assert labels[("个人整改措施", "甲主席")] == "未开始"
    assert labels[("个人整改措施", "甲副主席")] == "未开始"
    html = page(response)
    assert "把关材料 0/1 已通过" in html and "开始撰写" in html
    assert f'name="person" value="{review_world.chair.pk}"' in html

    start = reverse("campaign:material_start", args=[review_world.participation.pk])
    response = client.post(start, {"requirement": personal.pk, "person": review_world.chair.pk})
    material = Material.objects.get(requirement=personal, person=review_world.chair)
    assert response["Location"] == material_url(material)
    response = client.post(start, {"requirement": personal.pk}, follow=True)
    assert "请选择本单位的一位班子成员。" in page(response)


def test_leaders_read_the_materials_page_without_writing(client, review_world):
    client.force_login(review_world.leo)
    html = page(client.get(materials_url(review_world)))
    assert "环节小结" in html and "开始撰写" not in html and 'name="reason"' not in html


def test_starting_another_campaigns_requirement_is_refused(client, review_world):
    other = UnitFactory(name="他处", code="X", parent=review_world.city)
    other_campaign = cs.campaign_create(
        template=review_world.template, name="另一活动", organiser=other,
        start_date=datetime.date(2026, 1, 1), end_date=datetime.date(2026, 12, 31),
        by=review_world.root,
    )  # fmt: skip
    foreign = other_campaign.stages.first().materials.first()
    client.force_login(review_world.alice)
    start = reverse("campaign:material_start", args=[review_world.participation.pk])
    response = client.post(start, {"requirement": foreign.pk}, follow=True)
    assert "请从本单位的应报材料中选择要撰写的材料。" in page(response)
    assert not Material.objects.filter(requirement=foreign).exists()


# --- The side-by-side difference --------------------------------------------------------------


def test_diff_shows_two_revisions_side_by_side_and_escapes_text(client, review_world):
    cs.review_decide(
        revision=review_world.revision, decision="return", comment="请修改。", by=review_world.sam
    )
    cs.material_save_draft(
        material=review_world.material,
        text="学习教育环节小结（第二稿）<script>x</script>",
        by=review_world.alice,
    )
    cs.material_submit(material=review_world.material, by=review_world.alice)
    client.force_login(review_world.alice)
    url = reverse("campaign:material_diff", args=[review_world.material.pk])
    html = page(client.get(url, {"a": 1, "b": 2}))
    assert 'class="diff table' in html and "diff_add" in html and "diff_sub" in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html and "<script>x</script>" not in html
    assert "第1稿" in html and "第2稿" in html
    assert "至少提交两稿后才能对比正文。" not in html
    assert "请选择两个不同的稿次进行对比。" in page(client.get(url, {"a": 2, "b": 2}))
    assert client.get(url, {"a": "x", "b": "9"}).status_code == 200


def test_diff_with_one_revision_says_so(client, review_world):
    client.force_login(review_world.alice)
    response = client.get(reverse("campaign:material_diff", args=[review_world.material.pk]))
    assert "至少提交两稿后才能对比正文。" in page(response)


# --- The review queue --------------------------------------------------------------------------


def test_review_queue_lists_submissions_oldest_first_with_filters(client, review_world):
    report = requirement(review_world, kind="research_report", title="调研报告", gate=False)
    newer = submitted(review_world, report, "调研报告正文")
    Material.objects.filter(pk=review_world.material.pk).update(
        submitted_at=newer.submitted_at - datetime.timedelta(days=3, hours=5)
    )
    client.force_login(review_world.sam)
    queue = reverse("campaign:review_queue")
    response = client.get(queue)
    assert [m.pk for m, _waited in response.context["rows"]] == [review_world.material.pk, newer.pk]
    html = page(response)
    assert "3天5小时" in html and "第1稿" in html and review_world.unit_a.name in html
    assert "测试教育实践活动" in html
    kinds = client.get(queue, {"kind": "research_report"}).context["rows"]
    assert [m.pk for m, _w in kinds] == [newer.pk]
    assert client.get(queue, {"unit": "乙"}).context["rows"] == []
    assert len(client.get(queue, {"unit": "甲单位"}).context["rows"]) == 2
    assert len(client.get(queue, {"group": review_world.group_a.pk}).context["rows"]) == 2
    # Another group's id is not one of sam's choices: the filter is ignored, not obeyed.
    assert len(client.get(queue, {"group": review_world.group_b.pk}).context["rows"]) == 2


def test_decided_materials_leave_the_queue(client, review_world):
    cs.review_decide(
        revision=review_world.revision, decision="return", comment="请修改。", by=review_world.sam
    )
    client.force_login(review_world.sam)
    response = client.get(reverse("campaign:review_queue"))
    assert response.context["rows"] == []
    assert "没有等待审核的材料。" in page(response)


def test_another_groups_supervisor_sees_nothing_of_unit_a(client, review_world):
    stranger = UserFactory(username="sb", role=User.Role.SUPERVISOR, home_unit=review_world.city)
    review_world.group_b.members.add(stranger)
    client.force_login(stranger)
    response = client.get(reverse("campaign:review_queue"))
    assert response.context["rows"] == [] and review_world.unit_a.name not in page(response)
    assert client.get(material_url(review_world.material)).status_code == 404
    assert (
        client.post(review_url(review_world.revision), {"decision": "approve"}).status_code == 404
    )


def test_admin_sees_every_submission(client, review_world):
    client.force_login(review_world.root)
    assert [m.pk for m, _w in client.get(reverse("campaign:review_queue")).context["rows"]] == [
        review_world.material.pk
    ]


@pytest.mark.parametrize("persona", ["alice", "leo", "olivia", "charlie"])
def test_review_queue_is_for_supervisors(client, review_world, persona):
    client.force_login(getattr(review_world, persona))
    assert client.get(reverse("campaign:review_queue")).status_code == 403


# --- Scope -------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["charlie", "bob"])
def test_other_units_staff_get_404_everywhere(client, review_world, persona):
    client.force_login(getattr(review_world, persona))
    urls = [
        materials_url(review_world),
        reverse("campaign:material_start", args=[review_world.participation.pk]),
        material_url(review_world.material),
        submit_url(review_world.material),
        reverse("campaign:material_diff", args=[review_world.material.pk]),
        review_url(review_world.revision),
        waive_url(review_world, review_world.stage1),
        talks_url(review_world),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert (
            client.post(url, {"text": "x", "decision": "approve", "reason": "x"}).status_code == 404
        )
    assert review_world.material.revisions.count() == 1 and not Review.objects.exists()


# --- Individual talks --------------------------------------------------------------------------


def test_supervisor_records_and_reads_talks(client, review_world):
    client.force_login(review_world.sam)
    response = client.get(talks_url(review_world))
    assert response.status_code == 200 and TALK_NOTES in page(response)
    response = client.post(
        talks_url(review_world),
        {
            "group": review_world.group_a.pk,
            "category": "retired",
            "interviewee": "老同志甲",
            "date": "2026-01-20",
            "notes": "谈话记录：第二次谈话",
        },
    )
    assert response.status_code == 302
    talk = Talk.objects.get(interviewee="老同志甲")
    assert (talk.group, talk.recorded_by, talk.category) == (
        review_world.group_a,
        review_world.sam,
        "retired",
    )
    assert "谈话记录：第二次谈话" in page(client.get(talks_url(review_world)))
    assert talks_url(review_world) in page(
        client.get(reverse("campaign:workspace", args=[review_world.participation.pk]))
    )


def test_a_talk_must_name_a_group_of_the_supervisor(client, review_world):
    client.force_login(review_world.sam)
    response = client.post(
        talks_url(review_world),
        {"group": review_world.group_b.pk, "category": "team", "interviewee": "某人",
         "date": "2026-01-20", "notes": "记录"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "请选择督导本单位的督导组。" in page(response)
    assert not Talk.objects.filter(interviewee="某人").exists()


def test_admin_reads_talks_without_a_form(client, review_world):
    client.force_login(review_world.root)
    response = client.get(talks_url(review_world))
    assert TALK_NOTES in page(response) and response.context["form"] is None


@pytest.mark.parametrize("persona", ["alice", "leo", "bob", "charlie", "olivia"])
def test_talks_are_invisible_to_everyone_but_the_group(client, review_world, persona):
    user = getattr(review_world, persona)
    client.force_login(user)
    assert client.get(talks_url(review_world)).status_code == 404
    assert client.post(talks_url(review_world), {"notes": "x"}).status_code == 404
    for url in (
        reverse("home"),
        reverse("campaign:workspace", args=[review_world.participation.pk]),
        materials_url(review_world),
        material_url(review_world.material),
        reverse("notifications"),
    ):
        response = client.get(url)
        assert TALK_NOTES not in page(response), url
        assert talks_url(review_world) not in page(response), url


# --- Notifications -----------------------------------------------------------------------------


def test_submitting_notifies_the_supervisors_and_deciding_notifies_the_unit(
    client, review_world, django_capture_on_commit_callbacks
):
    cs.review_decide(
        revision=review_world.revision, decision="return", comment="请修改。", by=review_world.sam
    )
    mail.outbox.clear()
    Notification.objects.all().delete()

    client.force_login(review_world.alice)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(submit_url(review_world.material), {"text": "学习教育环节小结（第二稿）"})
    notice = Notification.objects.get(user=review_world.sam)
    assert "报送了环节小结（第2稿），请审核" in notice.subject
    assert notice.url == material_url(review_world.material)
    assert [m.to for m in mail.outbox] == [["sam@example.com"]]
    assert not Notification.objects.filter(user=review_world.alice).exists()

    client.force_login(review_world.sam)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            review_url(latest(review_world.material)), {"decision": "return", "comment": "再补充。"}
        )
    notice = Notification.objects.get(user=review_world.alice)
    assert "被督导组退回修改" in notice.subject and notice.body == "再补充。"
    assert mail.outbox[-1].to == ["alice@example.com"]
    assert "再补充。" in mail.outbox[-1].body

    client.force_login(review_world.alice)
    html = page(client.get(reverse("notifications")))
    assert "被督导组退回修改" in html and "再补充。" in html


# --- Query counts at two sizes -----------------------------------------------------------------


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def grow_unit_a(review_world, n=4):
    """More requirements, team members, submitted and decided materials, revisions and files."""
    for i in range(n):
        PersonFactory(unit=review_world.unit_a, name=f"班子成员{i}")
    for stage in (review_world.stage1, review_world.stage2):
        for i in range(n):
            req = requirement(
                review_world, kind="research_report", title=f"调研报告{i}", stage=stage
            )
            material = submitted(review_world, req, f"调研报告{i}")
            if i % 2:
                cs.review_decide(
                    revision=latest(material), decision="approve", comment="", by=review_world.sam
                )
        requirement(review_world, kind="personal_self_exam", title="个人对照检查", stage=stage)


def test_materials_page_costs_the_same_at_two_sizes(client, review_world):
    def counts():
        out = []
        for user in (review_world.alice, review_world.olivia, review_world.sam):
            client.force_login(user)
            out.append(queries(client, materials_url(review_world)))
        return out

    small = counts()
    grow_unit_a(review_world)
    assert counts() == small


def test_material_page_costs_the_same_with_more_revisions(client, review_world):
    def counts():
        client.force_login(review_world.alice)
        staff = queries(client, material_url(review_world.material))
        client.force_login(review_world.sam)
        return staff, queries(client, material_url(review_world.material))

    small = counts()
    for n in range(5):
        revision = latest(review_world.material)
        cs.review_decide(
            revision=revision, decision="return", comment=f"意见{n}", by=review_world.sam
        )
        cs.material_save_draft(
            material=review_world.material,
            text=f"第{n + 2}稿正文",
            uploads=[SimpleUploadedFile(f"附件{n}.pdf", PDF, "application/pdf")],
            by=review_world.alice,
        )
        cs.material_submit(material=review_world.material, by=review_world.alice)
    assert review_world.material.revisions.count() == 6
    assert counts() == small


def test_review_queue_costs_the_same_with_more_submissions(client, review_world):
    def counts():
        client.force_login(review_world.sam)
        sam = queries(client, reverse("campaign:review_queue"))
        filtered = queries(
            client, reverse("campaign:review_queue") + f"?group={review_world.group_a.pk}"
        )
        client.force_login(review_world.root)
        return sam, filtered, queries(client, reverse("campaign:review_queue"))

    small = counts()
    grow_unit_a(review_world, n=6)
    sub = review_world.campaign.participations.get(unit=review_world.unit_a1)
    for i in range(4):
        material = cs.material_start(
            participation=sub,
            requirement=requirement(review_world, title=f"支部材料{i}"),
            by=review_world.bob,
        )
        cs.material_save_draft(material=material, text="支部", by=review_world.bob)
        cs.material_submit(material=material, by=review_world.bob)
    assert Material.objects.filter(status="submitted").count() > 10
    assert counts() == small
