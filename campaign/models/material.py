"""Materials (材料), their immutable revisions (版本) and the supervision group's reviews (审核),
stage gates (环节把关) and the group's confidential individual talks (个别谈话)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.transitions import TransitionsMixin
from units.models import Person, SupervisionGroup

from .campaign import MaterialRequirement, Participation, Stage
from .kinds import MaterialKind

# The longest text a draft or revision may hold. A 对照检查材料 runs to some thousands of
# characters; the 意见汇总 filed from the opinions holds each opinion verbatim (about 2,000 of
# 100 characters fit). The side-by-side diff stays fast at this length (selectors/diff.py).
MATERIAL_TEXT_MAX = 200_000

# Kinds written by each team member rather than by the unit (个人对照检查材料 …).
PER_PERSON_KINDS = {MaterialKind.PERSONAL_SELF_EXAM, MaterialKind.PERSONAL_MEASURES}


class Immutable(models.Model):
    """Rows that are written once: a revision, a review. Corrections are new rows."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.pop("_allow_update", False):
            raise ValidationError(_("已提交的版本和审核意见不能修改。"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("已提交的版本和审核意见不能删除。"))


class Material(TransitionsMixin, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("已提交")
        APPROVED = "approved", _("已通过")
        RETURNED = "returned", _("已退回")

    TRANSITIONS = {
        Status.DRAFT: {Status.SUBMITTED},
        Status.SUBMITTED: {Status.APPROVED, Status.RETURNED},
        Status.RETURNED: {Status.SUBMITTED},
        Status.APPROVED: set(),
    }
    EDITABLE = {Status.DRAFT, Status.RETURNED}

    participation = models.ForeignKey(
        Participation, on_delete=models.CASCADE, related_name="materials"
    )
    requirement = models.ForeignKey(
        MaterialRequirement, on_delete=models.PROTECT, related_name="materials"
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("班子成员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="materials",
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    draft_text = models.TextField(_("正文"), blank=True)
    # Kept by the services so the review queue needs no subquery per row.
    revision_count = models.PositiveSmallIntegerField(_("稿数"), default=0)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("材料")
        verbose_name_plural = _("材料")
        constraints = [
            models.UniqueConstraint(
                fields=["participation", "requirement", "person"], name="unique_material"
            ),
            models.UniqueConstraint(
                fields=["participation", "requirement"],
                condition=models.Q(person__isnull=True),
                name="unique_unit_material",
            ),
        ]

    def __str__(self):
        return (
            f"{self.requirement.title}（{self.person.name}）"
            if self.person_id
            else str(self.requirement.title)
        )

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE


class Revision(Immutable):
    """One submission, frozen: 第1稿, 第2稿 …"""

    material = models.ForeignKey(Material, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveSmallIntegerField(_("稿次"))
    text = models.TextField(_("正文"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)

    class Meta:
        verbose_name = _("版本")
        verbose_name_plural = _("版本")
        ordering = ["material", "number"]
        constraints = [
            models.UniqueConstraint(fields=["material", "number"], name="unique_revision_number")
        ]

    def __str__(self):
        return _("第%(n)s稿") % {"n": self.number}


class Review(Immutable):
    class Decision(models.TextChoices):
        APPROVE = "approve", _("通过")
        RETURN = "return", _("退回修改")

    # One decision per revision: the database refuses a second one even under a race.
    revision = models.OneToOneField(Revision, on_delete=models.PROTECT, related_name="review")
    decision = models.CharField(_("审核结论"), max_length=10, choices=Decision.choices)
    comment = models.TextField(_("审核意见"), blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("审核时间"), default=timezone.now)

    class Meta:
        verbose_name = _("审核")
        verbose_name_plural = _("审核")

    def __str__(self):
        return f"{self.revision} {self.get_decision_display()}"


class StageClosure(models.Model):
    """A stage closed for a unit: by its gate materials' approval, or waived by the office."""

    participation = models.ForeignKey(
        Participation, on_delete=models.CASCADE, related_name="closures"
    )
    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="+")
    closed_at = models.DateTimeField(default=timezone.now)
    waived = models.BooleanField(_("免于把关"), default=False)
    reason = models.TextField(_("免于把关的理由"), blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("环节结束")
        verbose_name_plural = _("环节结束")
        constraints = [
            models.UniqueConstraint(fields=["participation", "stage"], name="unique_stage_closure")
        ]

    def __str__(self):
        return f"{self.participation} · {self.stage}"


class Talk(models.Model):
    """个别谈话: confidential to the supervision group and admins."""

    class Category(models.TextChoices):
        TEAM = "team", _("领导班子成员")
        OTHER_CADRE = "other_cadre", _("其他市管干部")
        RETIRED = "retired", _("近5年退出班子的老同志")
        MID_LEVEL = "mid_level", _("中层正职和直属单位主要负责人")

    participation = models.ForeignKey(Participation, on_delete=models.CASCADE, related_name="talks")
    group = models.ForeignKey(
        SupervisionGroup, verbose_name=_("督导组"), on_delete=models.PROTECT, related_name="talks"
    )
    category = models.CharField(_("谈话对象类别"), max_length=20, choices=Category.choices)
    interviewee = models.CharField(_("谈话对象"), max_length=100)
    date = models.DateField(_("谈话日期"))
    notes = models.TextField(_("谈话记录"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("个别谈话")
        verbose_name_plural = _("个别谈话")
        ordering = ["-date", "-id"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.interviewee}"
