"""Random inspections (随机调研): a round draws units by lot, inspectors record findings.

The draw is `random.Random(seed).sample(sorted candidate ids, size)`; the round keeps the seed
and the candidate ids, so anyone can run the same two lines again and get the same units.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from units.models import Unit

from .campaign import Campaign, Participation, Stage

DEFAULT_SIZE = 5  # seed 001: 每轮随机抽取不少于 5 个单位


class InspectionRound(models.Model):
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("活动"), on_delete=models.CASCADE, related_name="inspections"
    )
    name = models.CharField(_("名称"), max_length=100, help_text=_("如：第一轮随机调研"))
    # The set the units were drawn from; blank means no restriction.
    district = models.ForeignKey(
        Unit,
        verbose_name=_("县区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("单位类别"), max_length=20, choices=Unit.Kind.choices, blank=True)
    stage = models.ForeignKey(
        Stage,
        verbose_name=_("当前环节"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    size = models.PositiveSmallIntegerField(_("抽取单位数"), default=DEFAULT_SIZE)
    seed = models.BigIntegerField(_("随机种子"))
    # Participation ids, sorted: the list the seed drew from, kept so the draw can be re-run.
    candidate_ids = models.JSONField(_("候选参学单位"), default=list)
    drawn_at = models.DateTimeField(_("抽取时间"), default=timezone.now)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("抽取人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("随机调研")
        verbose_name_plural = _("随机调研")
        ordering = ["-drawn_at", "-id"]

    def __str__(self):
        return self.name

    @property
    def candidate_count(self) -> int:
        return len(self.candidate_ids)


class InspectionFinding(models.Model):
    """One drawn unit of a round and what the inspectors found there."""

    round = models.ForeignKey(
        InspectionRound,
        verbose_name=_("随机调研"),
        on_delete=models.CASCADE,
        related_name="findings",
    )
    participation = models.ForeignKey(
        Participation, verbose_name=_("参学单位"), on_delete=models.CASCADE, related_name="+"
    )
    position = models.PositiveSmallIntegerField(_("抽取顺序"))
    required_checked = models.BooleanField(_("已检查规定动作"), default=False)
    required_note = models.TextField(
        _("规定动作落实情况"), blank=True, help_text=_("学习、座谈、谈心谈话、材料等规定动作")
    )
    optional_checked = models.BooleanField(_("已检查自选动作"), default=False)
    optional_note = models.TextField(_("自选动作开展情况"), blank=True)
    problems = models.TextField(_("发现的问题"), blank=True)
    suggestions = models.TextField(_("意见建议"), blank=True)
    visited_on = models.DateField(_("调研日期"), null=True, blank=True)
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("调研人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("录入时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("调研情况")
        verbose_name_plural = _("调研情况")
        ordering = ["round", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "participation"], name="unique_inspection_unit"
            ),
            models.UniqueConstraint(
                fields=["round", "position"], name="unique_inspection_position"
            ),
        ]

    def __str__(self):
        return f"{self.round} · {self.participation.unit}"

    @property
    def is_recorded(self) -> bool:
        return self.recorded_at is not None
