"""The review loop and stage gates at the service level (the pages have their own tests)."""

import datetime
import smtplib

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from campaign import services as cs
from campaign.models import Material, Review, Revision, StageClosure
from campaign.scope import visible_talks
from core.models import AuditLog, Notification

pytestmark = pytest.mark.django_db


def test_the_loop_return_resubmit_approve_closes_the_gate(review_world):
    cs.review_decide(
        revision=review_world.revision,
        decision="return",
        comment="请补充学习内容",
        by=review_world.sam,
    )
    review_world.material.refresh_from_db()
    assert review_world.material.status == Material.Status.RETURNED
    cs.material_save_draft(
        material=review_world.material, text="学习教育环节小结（修改稿）", by=review_world.alice
    )
    second = cs.material_submit(material=review_world.material, by=review_world.alice)
    assert second.number == 2 and review_world.revision.text == "学习教育环节小结（第一稿）"
    cs.review_decide(revision=second, decision="approve", comment="", by=review_world.sam)
    review_world.participation.refresh_from_db()
    assert review_world.participation.current_stage == review_world.stage2
    assert (
        StageClosure.objects.get(
            participation=review_world.participation, stage=review_world.stage1
        ).waived
        is False
    )
    assert AuditLog.objects.filter(
        action="stage.closed", object_id=str(review_world.participation.pk)
    ).exists()


def test_a_return_needs_a_comment_and_changes_nothing(review_world):
    with pytest.raises(ValidationError, match="必须填写审核意见"):
        cs.review_decide(
            revision=review_world.revision, decision="return", comment=" ", by=review_world.sam
        )
    assert not Review.objects.exists()
    review_world.material.refresh_from_db()
    assert review_world.material.status == Material.Status.SUBMITTED


def test_stale_and_second_decisions_are_refused(review_world):
    cs.review_decide(
        revision=review_world.revision, decision="return", comment="改", by=review_world.sam
    )
    with pytest.raises(ValidationError, match="已经审核过"):
        cs.review_decide(
            revision=review_world.revision, decision="approve", comment="", by=review_world.sam
        )
    cs.material_save_draft(material=review_world.material, text="第二稿", by=review_world.alice)
    cs.material_submit(material=review_world.material, by=review_world.alice)
    with pytest.raises(ValidationError, match="不是最新版本"):
        cs.review_decide(
            revision=review_world.revision, decision="approve", comment="", by=review_world.sam
        )
    assert Review.objects.count() == 1


@pytest.mark.parametrize("persona", ["alice", "bob", "charlie", "leo", "olivia"])
def test_only_the_units_supervisors_decide(review_world, persona):
    with pytest.raises(PermissionDenied):
        cs.review_decide(
            revision=review_world.revision,
            decision="approve",
            comment="",
            by=getattr(review_world, persona),
        )
    assert not Review.objects.exists()


def test_revisions_and_reviews_cannot_be_changed_or_deleted(review_world):
    review_world.revision.text = "篡改"
    with pytest.raises(ValidationError):
        review_world.revision.save()
    with pytest.raises(ValidationError):
        review_world.revision.delete()
    review = cs.review_decide(
        revision=review_world.revision, decision="approve", comment="", by=review_world.sam
    )
    review.comment = "篡改"
    with pytest.raises(ValidationError):
        review.save()
    assert Revision.objects.get(pk=review_world.revision.pk).text == "学习教育环节小结（第一稿）"


def test_a_submitted_material_cannot_be_edited_until_decided(review_world):
    with pytest.raises(ValidationError, match="审核结束前不能修改"):
        cs.material_save_draft(material=review_world.material, text="偷改", by=review_world.alice)
    with pytest.raises(ValidationError):
        cs.material_submit(material=review_world.material, by=review_world.alice)


def test_an_empty_material_cannot_be_submitted(review_world):
    from campaign.models import MaterialRequirement

    req = MaterialRequirement.objects.create(
        stage=review_world.stage1, kind="study_plan", title="学习计划"
    )
    material = cs.material_start(
        participation=review_world.participation, requirement=req, by=review_world.alice
    )
    with pytest.raises(ValidationError, match="正文或上传文件"):
        cs.material_submit(material=material, by=review_world.alice)
    assert not material.revisions.exists()


def test_the_gate_waits_for_every_team_members_personal_material(review_world):
    from campaign.models import MaterialRequirement

    req = MaterialRequirement.objects.create(
        stage=review_world.stage1, kind="personal_self_exam", title="个人对照检查材料", is_gate=True
    )
    cs.review_decide(
        revision=review_world.revision, decision="approve", comment="", by=review_world.sam
    )
    review_world.participation.refresh_from_db()
    assert (
        review_world.participation.current_stage == review_world.stage1
    )  # two team members still owe theirs
    for person in (review_world.chair, review_world.deputy):
        material = cs.material_start(
            participation=review_world.participation,
            requirement=req,
            person=person,
            by=review_world.alice,
        )
        cs.material_save_draft(
            material=material, text=f"{person.name}的对照检查", by=review_world.alice
        )
        revision = cs.material_submit(material=material, by=review_world.alice)
        review_world.participation.refresh_from_db()
        assert review_world.participation.current_stage == review_world.stage1
        cs.review_decide(revision=revision, decision="approve", comment="", by=review_world.sam)
    review_world.participation.refresh_from_db()
    assert review_world.participation.current_stage == review_world.stage2


def test_the_office_may_waive_a_gate_with_a_reason(review_world):
    with pytest.raises(PermissionDenied):
        cs.stage_waive(
            participation=review_world.participation,
            stage=review_world.stage1,
            reason="理由",
            by=review_world.alice,
        )
    with pytest.raises(ValidationError, match="理由"):
        cs.stage_waive(
            participation=review_world.participation,
            stage=review_world.stage1,
            reason="",
            by=review_world.olivia,
        )
    assert cs.stage_waive(participation=review_world.participation, stage=review_world.stage1,
                          reason="该单位已并入上级单位统一开展", by=review_world.olivia)  # fmt: skip
    review_world.participation.refresh_from_db()
    assert review_world.participation.current_stage == review_world.stage2
    row = AuditLog.objects.get(action="stage.waived")
    assert (
        row.changes["reason"] == "该单位已并入上级单位统一开展" and row.actor == review_world.olivia
    )


def test_talk_records_are_for_the_group_and_admins_only(review_world):
    assert list(visible_talks(review_world.sam)) == [review_world.talk]
    assert list(visible_talks(review_world.root)) == [review_world.talk]
    for persona in ("alice", "bob", "charlie", "leo", "olivia"):
        assert not visible_talks(getattr(review_world, persona)).exists()
    with pytest.raises(PermissionDenied):
        cs.talk_record(participation=review_world.participation, group=review_world.group_a,
                       by=review_world.alice, category="team", interviewee="某人",
                       date=datetime.date(2026, 1, 2), notes="x")  # fmt: skip
    # The audit trail says a talk happened, never with whom or what was said.
    row = AuditLog.objects.get(action="talk.recorded")
    assert row.unit is None and "甲副主席" not in str(row.changes) and "机密" not in row.object_repr


def test_the_admin_hides_talks_from_staff_who_are_not_superusers(client, review_world):
    review_world.olivia.is_staff = True
    review_world.olivia.save()
    client.force_login(review_world.olivia)
    assert client.get("/admin/campaign/talk/").status_code in (302, 403)
    client.force_login(review_world.root)
    assert client.get("/admin/campaign/talk/").status_code == 200


def test_submitting_and_deciding_notify_by_app_and_mail_once(
    review_world, django_capture_on_commit_callbacks
):
    Notification.objects.all().delete()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        cs.review_decide(
            revision=review_world.revision, decision="return", comment="请修改", by=review_world.sam
        )
    notice = Notification.objects.get(user=review_world.alice)
    assert "退回修改" in notice.subject and notice.body == "请修改"
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]
    assert mail.outbox[0].alternatives[0][1] == "text/html"
    from core.notifications import send_notification_emails_now

    assert send_notification_emails_now([notice.pk]) == 0  # already sent: never twice


def test_a_mail_server_that_is_down_loses_nothing(review_world, settings, monkeypatch):
    from core.notifications import notify, send_notification_emails_now

    [notice] = notify(users=[review_world.alice], subject="测试通知")
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    with pytest.raises((smtplib.SMTPException, OSError)):
        send_notification_emails_now([notice.pk])
    notice.refresh_from_db()
    assert notice.emailed_at is None  # released for the task's retry
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_notification_emails_now([notice.pk]) == 1
