"""Fields a template and a campaign share: a campaign starts as a copy of its template."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from units.models import CadreRank, Unit

from .kinds import PER_PERSON_HOSTS, ActivityKind, MaterialKind, QuotaHost, QuotaMeasure


def _positive(value) -> bool:
    try:
        return Decimal(str(value)) > 0
    except (InvalidOperation, ValueError):
        return False


class StageFields(models.Model):
    order = models.PositiveSmallIntegerField(_("顺序"))
    name = models.CharField(_("环节名称"), max_length=50)
    description = models.TextField(_("主要任务"), blank=True)
    # The stage's date window in days after the unit starts (seed 002's dated plan).
    window_from_day = models.PositiveSmallIntegerField(
        _("时间段起（启动后天数）"), null=True, blank=True
    )
    window_to_day = models.PositiveSmallIntegerField(
        _("时间段止（启动后天数）"), null=True, blank=True
    )

    class Meta:
        abstract = True
        ordering = ["order"]

    def __str__(self):
        return self.name


def all_unit_kinds() -> list[str]:
    return list(Unit.Kind.values)


def applies_to_kinds(applies_to) -> list[str]:
    """A template's `applies_to` ("team", "grassroots", a list of kinds, or absent) as kinds."""
    if applies_to is None or applies_to == "all":
        return all_unit_kinds()
    if applies_to == "team":
        return sorted(Unit.TEAM_KINDS)
    if applies_to == "grassroots":
        return sorted(Unit.GRASSROOTS_KINDS)
    if isinstance(applies_to, list):
        return list(applies_to)
    raise ValidationError(
        {"applies_kinds": _("适用范围只能是单位类别的列表、team 或 grassroots。")}
    )


class TaskFields(models.Model):
    """A task and its optional quota (数量要求), computed from activity records."""

    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    title = models.CharField(_("任务"), max_length=200)
    office = models.CharField(_("责任部门"), max_length=100, blank=True)
    description = models.TextField(_("说明"), blank=True)
    # Provenance (依据): the seed document and the verbatim quote, shown on demand.
    source_name = models.CharField(_("依据文件"), max_length=100, blank=True)
    source_quote = models.TextField(_("依据原文"), blank=True)
    applies_kinds = models.JSONField(_("适用单位类别"), default=all_unit_kinds)
    due_offset_days = models.PositiveSmallIntegerField(
        _("完成时限（单位启动后天数）"), null=True, blank=True
    )
    quota_kinds = models.JSONField(_("计入的活动类型"), default=list, blank=True)
    quota_host = models.CharField(
        _("主持要求"), max_length=30, choices=QuotaHost.choices, default=QuotaHost.ANY
    )
    quota_measure = models.CharField(
        _("计量"), max_length=10, choices=QuotaMeasure.choices, default=QuotaMeasure.COUNT
    )
    quota_minimum = models.DecimalField(
        _("最低数量"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    # Per-person targets by cadre rank (职级), e.g. {"county": 7, "section": 5}; a person of
    # another rank is held to quota_minimum.
    quota_by_rank = models.JSONField(_("按职级的最低数量"), default=dict, blank=True)
    # One activity counts toward one quota; a quota that deliberately counts the same kinds
    # as another (the team's 集中学习 and each member's) says so here.
    quota_shared = models.BooleanField(_("与其他数量要求共用活动记录"), default=False)

    class Meta:
        abstract = True
        ordering = ["order", "id"]

    def __str__(self):
        return self.title

    @property
    def has_quota(self) -> bool:
        return bool(self.quota_kinds) and self.quota_minimum is not None

    def quota_label(self) -> str:
        if not self.has_quota:
            return ""
        what = "、".join(str(ActivityKind(k).label) for k in self.quota_kinds)
        if self.quota_host != QuotaHost.ANY:
            what = gettext("%(kinds)s（%(host)s）") % {
                "kinds": what,
                "host": QuotaHost(self.quota_host).label,
            }
        minimum = f"{self.quota_minimum.normalize():f}"
        return f"{what} ≥ {minimum} {QuotaMeasure(self.quota_measure).label}"

    def applies_to_kind(self, kind: str) -> bool:
        return kind in self.applies_kinds

    def applies_label(self) -> str:
        kinds = set(self.applies_kinds)
        if kinds >= set(Unit.Kind.values):
            return gettext("所有单位")
        if kinds == set(Unit.TEAM_KINDS):
            return gettext("领导班子")
        if kinds == set(Unit.GRASSROOTS_KINDS):
            return gettext("基层党组织")
        return "、".join(str(Unit.Kind(k).label) for k in Unit.Kind.values if k in kinds)

    def clean_applies(self):
        kinds = self.applies_kinds
        if not isinstance(kinds, list) or not kinds:
            raise ValidationError({"applies_kinds": _("任务至少要适用于一类单位。")})
        unknown = set(kinds) - set(Unit.Kind.values)
        if unknown:
            raise ValidationError(
                {
                    "applies_kinds": _("未知的单位类别：%(kinds)s。")
                    % {"kinds": "、".join(sorted(map(str, unknown)))}
                }
            )

    def clean_quota(self):
        self.clean_applies()
        ranks = self.quota_by_rank
        if not isinstance(ranks, dict):
            raise ValidationError({"quota_by_rank": _("按职级的最低数量格式不正确。")})
        for rank, target in ranks.items():
            if rank not in CadreRank.values:
                raise ValidationError(
                    {"quota_by_rank": _("职级“%(rank)s”不在职级列表中。") % {"rank": rank}}
                )
            if (
                isinstance(target, bool)
                or not isinstance(target, (int, float, str))
                or not _positive(target)
            ):
                raise ValidationError({"quota_by_rank": _("最低数量必须大于 0。")})
        if ranks and self.quota_host not in PER_PERSON_HOSTS:
            raise ValidationError({"quota_by_rank": _("只有按人计算的数量要求才能按职级设定。")})
        if self.quota_kinds or self.quota_minimum is not None:
            unknown = set(self.quota_kinds) - set(ActivityKind.values)
            if unknown or not self.quota_kinds:
                raise ValidationError({"quota_kinds": _("请选择计入数量要求的活动类型。")})
            if self.quota_minimum is None or self.quota_minimum <= 0:
                raise ValidationError({"quota_minimum": _("最低数量必须大于 0。")})


class MaterialFields(models.Model):
    kind = models.CharField(_("材料类型"), max_length=30, choices=MaterialKind.choices)
    title = models.CharField(_("材料名称"), max_length=100)
    is_gate = models.BooleanField(
        _("环节把关"), default=False, help_text=_("经督导组审核通过后本环节才能结束")
    )

    class Meta:
        abstract = True
        ordering = ["id"]

    def __str__(self):
        return self.title
