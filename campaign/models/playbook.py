"""Campaign templates (活动模板): reusable playbooks a campaign is created from."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import MaterialFields, StageFields, TaskFields


class CampaignTemplate(models.Model):
    code = models.SlugField(_("代码"), unique=True)
    name = models.CharField(_("模板名称"), max_length=100)
    description = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("活动模板")
        verbose_name_plural = _("活动模板")
        ordering = ["id"]

    def __str__(self):
        return self.name


class StageTemplate(StageFields):
    template = models.ForeignKey(CampaignTemplate, on_delete=models.CASCADE, related_name="stages")

    class Meta(StageFields.Meta):
        verbose_name = _("模板环节")
        verbose_name_plural = _("模板环节")
        constraints = [
            models.UniqueConstraint(fields=["template", "order"], name="unique_template_stage")
        ]


class TaskTemplate(TaskFields):
    stage = models.ForeignKey(StageTemplate, on_delete=models.CASCADE, related_name="tasks")
    material = models.ForeignKey(
        "MaterialTemplate",
        verbose_name=_("对应材料"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
    )
    due_month_day = models.CharField(
        _("固定完成日期（月-日）"), max_length=5, blank=True, help_text=_("如 04-30")
    )

    class Meta(TaskFields.Meta):
        verbose_name = _("模板任务")
        verbose_name_plural = _("模板任务")


class MaterialTemplate(MaterialFields):
    stage = models.ForeignKey(StageTemplate, on_delete=models.CASCADE, related_name="materials")

    class Meta(MaterialFields.Meta):
        verbose_name = _("模板材料")
        verbose_name_plural = _("模板材料")
