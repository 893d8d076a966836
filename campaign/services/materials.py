"""Materials: drafts, frozen revisions, the supervision group's decisions, stage gates."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import Attachment
from core.notifications import notify
from core.services import attachment_add, attachments_for, audit_log
from core.transitions import transition
from units.models import SupervisionGroup, User
from units.policy import may_supervise
from units.selectors import supervisors_of

from ..models import (
    PER_PERSON_KINDS,
    Material,
    MaterialRequirement,
    Participation,
    Review,
    Revision,
    Stage,
    StageClosure,
    Talk,
)
from ..models.material import MATERIAL_TEXT_MAX
from ..scope import is_campaign_office
from .material_tasks import tasks_follow_material, tasks_follow_waiver


def _staff_of(unit):
    return User.objects.filter(home_unit=unit, role=User.Role.UNIT_STAFF, is_active=True)


def _material_url(material) -> str:
    return reverse("campaign:material", args=[material.pk])


@transaction.atomic
def material_start(*, participation: Participation, requirement: MaterialRequirement,
                   person=None, by) -> Material:  # fmt: skip
    """The unit's material for one requirement (one per team member for personal kinds)."""
    if requirement.stage.campaign_id != participation.campaign_id:
        raise ValidationError(_("这项材料不属于本单位参加的活动。"))
    if requirement.kind in PER_PERSON_KINDS:
        if person is None or person.unit_id != participation.unit_id:
            raise ValidationError(_("请选择本单位的一位班子成员。"))
    else:
        person = None
    material, created = Material.objects.get_or_create(
        participation=participation, requirement=requirement, person=person
    )
    if created:
        audit_log(actor=by, action="material.started", obj=material, unit=participation.unit)
    return material


def _check_text_length(text: str) -> None:
    if len(text) > MATERIAL_TEXT_MAX:
        raise ValidationError(
            _("正文不能超过 %(limit)d 字（现有 %(n)d 字）；更长的内容请作为附件上传。")
            % {"limit": MATERIAL_TEXT_MAX, "n": len(text)}
        )


@transaction.atomic
def material_save_draft(*, material: Material, text: str, uploads=(), by) -> Material:
    material = (
        Material.objects.select_for_update()
        .select_related("participation__unit")
        .get(pk=material.pk)
    )
    if not material.is_editable:
        raise ValidationError(_("材料已提交审核，审核结束前不能修改。"))
    _check_text_length(text)
    material.draft_text = text
    material.save(update_fields=["draft_text"])
    for upload in uploads:
        attachment_add(target=material, unit=material.participation.unit, upload=upload, by=by)
    audit_log(actor=by, action="material.draft_saved", obj=material,
              unit=material.participation.unit, changes={"draft_text": f"{len(text)} 字"})  # fmt: skip
    return material


@transaction.atomic
def material_submit(*, material: Material, by) -> Revision:
    """Freeze the draft as the next revision and send it to the supervision group."""
    material = (
        Material.objects.select_for_update()
        .select_related("participation__unit", "requirement")
        .get(pk=material.pk)
    )
    draft_files = attachments_for(material)
    if not material.draft_text.strip() and not draft_files.exists():
        raise ValidationError(_("请先填写正文或上传文件，再提交审核。"))
    _check_text_length(material.draft_text)
    moved = transition(material, Material.Status.SUBMITTED)
    revision = Revision.objects.create(
        material=material, number=material.revision_count + 1, text=material.draft_text,
        submitted_by=by,
    )  # fmt: skip
    # The draft's files now belong to the frozen revision.
    draft_files.update(
        content_type=ContentType.objects.get_for_model(Revision), object_id=str(revision.pk)
    )
    material.revision_count = revision.number
    material.submitted_at = revision.submitted_at
    material.save(update_fields=["status", "revision_count", "submitted_at"])
    tasks_follow_material(material)
    unit = material.participation.unit
    audit_log(actor=by, action="material.submitted", obj=material, unit=unit,
              changes={**moved, "revision": str(revision)})  # fmt: skip
    notify(
        users=supervisors_of(unit),
        subject=_("%(unit)s 报送了%(material)s（%(rev)s），请审核")
        % {"unit": unit.name, "material": material, "rev": revision},
        url=_material_url(material),
    )
    return revision


@transaction.atomic
def review_decide(*, revision: Revision, decision: str, comment: str, by) -> Review:
    """Approve or return the latest revision; a stale or second decision is refused."""
    material = (
        Material.objects.select_for_update()
        .select_related("participation__unit", "participation__campaign", "requirement__stage")
        .get(pk=revision.material_id)
    )
    unit = material.participation.unit
    if not may_supervise(by, unit):
        raise PermissionDenied
    if revision.number != material.revision_count:
        raise ValidationError(_("这一稿已经不是最新版本，请对最新一稿作出审核。"))
    if material.status != Material.Status.SUBMITTED:
        raise ValidationError(
            _("这一稿已经审核过了（可能是其他督导组成员刚刚作出的决定），请刷新页面。")
        )
    comment = (comment or "").strip()
    if decision == Review.Decision.RETURN and not comment:
        raise ValidationError({"comment": _("退回修改时必须填写审核意见。")})
    if decision not in Review.Decision.values:
        raise ValidationError(_("请选择审核结论。"))
    try:
        with transaction.atomic():
            review = Review.objects.create(
                revision=revision, decision=decision, comment=comment, reviewer=by
            )
    except IntegrityError as exc:
        raise ValidationError(_("这一稿已经审核过了，请刷新页面。")) from exc
    approved = decision == Review.Decision.APPROVE
    moved = transition(material, Material.Status.APPROVED if approved else Material.Status.RETURNED)
    material.save(update_fields=["status"])
    tasks_follow_material(material)
    audit_log(actor=by, action=f"material.{'approved' if approved else 'returned'}",
              obj=material, unit=unit,
              changes={**moved, "revision": str(revision), "comment": comment})  # fmt: skip
    notify(
        users=_staff_of(unit),
        subject=(_("%(material)s（%(rev)s）已通过督导组审核") if approved
                 else _("%(material)s（%(rev)s）被督导组退回修改"))
        % {"material": material, "rev": revision},
        body=comment,
        url=_material_url(material),
    )  # fmt: skip
    if approved:
        stage_gate_check(participation=material.participation, stage=material.requirement.stage,
                         by=by)  # fmt: skip
    return review


def gate_status(participation: Participation, stage: Stage) -> list[tuple[str, bool]]:
    """Each gate material of the stage (per team member for personal kinds), approved or not."""
    from ..services.progress import team_of

    team = team_of([participation.unit_id]).get(participation.unit_id, [])
    approved = set(
        Material.objects.filter(
            participation=participation, requirement__stage=stage, status=Material.Status.APPROVED
        ).values_list("requirement_id", "person_id")
    )
    out = []
    for req in stage.materials.filter(is_gate=True).order_by("id"):
        if req.kind in PER_PERSON_KINDS:
            out += [(f"{req.title}（{m.name}）", (req.pk, m.id) in approved) for m in team]
        else:
            out.append((req.title, (req.pk, None) in approved))
    return out


def stage_gate_check(*, participation: Participation, stage: Stage, by) -> bool:
    """Close the stage for the unit once every gate material is approved."""
    gates = gate_status(participation, stage)
    if not gates or not all(ok for _title, ok in gates):
        return False
    return _close(participation, stage, by=by, waived=False, reason="")


@transaction.atomic
def stage_waive(*, participation: Participation, stage: Stage, reason: str, by) -> bool:
    """The campaign office closes a unit's stage without its gate materials, with a reason."""
    if not is_campaign_office(by, participation.campaign):
        raise PermissionDenied
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请写明免于把关的理由。")})
    if stage.campaign_id != participation.campaign_id:
        raise ValidationError(_("这个环节不属于本单位参加的活动。"))
    return _close(participation, stage, by=by, waived=True, reason=reason.strip())


def _close(participation, stage, *, by, waived, reason) -> bool:
    from .progress import participation_refresh

    closure, created = StageClosure.objects.get_or_create(
        participation=participation, stage=stage,
        defaults={"waived": waived, "reason": reason, "closed_by": by},
    )  # fmt: skip
    if not created:
        return False
    if waived:
        tasks_follow_waiver(participation, stage)
    audit_log(actor=by, action="stage.waived" if waived else "stage.closed", obj=participation,
              unit=participation.unit, changes={"stage": stage.name, "reason": reason})  # fmt: skip
    participation_refresh(participation)
    return True


@transaction.atomic
def talk_record(*, participation: Participation, group: SupervisionGroup, by, **fields) -> Talk:
    """个别谈话, recorded by a member of a group that supervises the unit."""
    if not (by.is_admin or group.members.filter(pk=by.pk).exists()):
        raise PermissionDenied
    if not may_supervise(by, participation.unit):
        raise PermissionDenied
    talk = Talk(participation=participation, group=group, recorded_by=by, **fields)
    talk.full_clean()
    talk.save()
    # The audit row names no interviewee: the log is less confidential than the record.
    audit_log(actor=by, action="talk.recorded", obj=talk, unit=None, changes={})
    return talk


def revision_files(revision: Revision):
    return Attachment.objects.filter(
        content_type=ContentType.objects.get_for_model(Revision), object_id=str(revision.pk)
    )


def revision_time_label(revision: Revision) -> str:
    return timezone.localtime(revision.submitted_at).strftime("%Y-%m-%d %H:%M")
