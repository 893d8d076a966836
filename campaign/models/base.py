"""Fields a template and a campaign share: a campaign starts as a copy of its template."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .kinds import ActivityKind, MaterialKind, QuotaHost, QuotaMeasure


class StageFields(models.Model):
    order = models.PositiveSmallIntegerField(_("顺序"))
    name = models.CharField(_("环节名称"), max_length=50)
    description = models.TextField(_("主要任务"), blank=True)

    class Meta:
        abstract = True
        ordering = ["order"]

    def __str__(self):
        return self.name


class TaskFields(models.Model):
    """A task and its optional quota (数量要求), computed from activity records."""

    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    title = models.CharField(_("任务"), max_length=200)
    office = models.CharField(_("责任部门"), max_length=100, blank=True)
    description = models.TextField(_("说明与依据"), blank=True)
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

    def clean_quota(self):
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
