"""The rectification ledger (整改台账): one row per item, and its monthly progress (月调度)."""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.transitions import TransitionsMixin
from units.models import Person, Unit

from .. import reporting
from .problems import Problem, SpecialCampaign


class RectificationItem(TransitionsMixin, models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("未开始")
        IN_PROGRESS = "in_progress", _("整改中")
        COMPLETED = "completed", _("已完成")
        VERIFIED = "verified", _("已销号")

    # The only moves there are; rectification.services makes every one of them.
    TRANSITIONS = {
        Status.NOT_STARTED: {Status.IN_PROGRESS},
        Status.IN_PROGRESS: {Status.COMPLETED},
        Status.COMPLETED: {Status.VERIFIED, Status.IN_PROGRESS},  # verified, or returned
        Status.VERIFIED: set(),
    }
    OPEN = (Status.NOT_STARTED, Status.IN_PROGRESS)
    DONE = (Status.COMPLETED, Status.VERIFIED)

    problem = models.ForeignKey(
        Problem, verbose_name=_("问题"), on_delete=models.PROTECT, related_name="items"
    )
    # The problem's unit, kept here so the ledger is scoped and filtered without a join.
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="rectification_items"
    )
    title = models.CharField(_("整改事项"), max_length=200)
    measures = models.TextField(_("整改措施"))
    lead_leader = models.ForeignKey(
        Person, verbose_name=_("牵头领导"), on_delete=models.PROTECT, related_name="led_items"
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("个人整改措施"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="personal_items",
        help_text=_("班子成员的个人整改措施，填写该班子成员；领导班子的整改事项留空"),
    )
    responsible_office = models.CharField(_("责任单位（部门）"), max_length=100)
    deadline = models.DateField(_("完成时限"))
    expected_result = models.TextField(_("整改目标"), blank=True)
    public_commitment = models.TextField(
        _("公开承诺"),
        blank=True,
        help_text=_("填写后，本事项的承诺、措施、时限和进展将在本单位的公示页面向社会公开"),
    )
    special_campaign = models.ForeignKey(
        SpecialCampaign,
        verbose_name=_("专项整治"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="items",
    )
    internal_note = models.TextField(
        _("内部备注"), blank=True, help_text=_("仅本单位和督导组可见，不公开")
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED
    )
    # Kept by progress_report_file so the ledger needs no subquery per row.
    progress_percent = models.PositiveSmallIntegerField(_("最近进度"), default=0)
    last_report_month = models.DateField(_("最近填报月份"), null=True, blank=True)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    completion_note = models.TextField(_("整改成效"), blank=True)
    verified_at = models.DateTimeField(_("销号时间"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("销号人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    return_reason = models.TextField(_("退回理由"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("建立人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("建立时间"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("整改事项")
        verbose_name_plural = _("整改事项")
        ordering = ["deadline", "id"]
        indexes = [
            models.Index(fields=["unit", "deadline", "id"]),
            models.Index(fields=["unit", "status"]),
            models.Index(fields=["deadline", "id"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress_percent__lte=100), name="item_percent_at_most_100"
            )
        ]

    def __str__(self):
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def is_public(self) -> bool:
        return bool(self.public_commitment.strip())

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return self.is_open and self.deadline < (today or timezone.localdate())

    def days_left(self, today: datetime.date | None = None) -> int:
        return (self.deadline - (today or timezone.localdate())).days

    def report_state(self, today: datetime.date | None = None) -> str:
        """This month's report: "" (none owed), "filed", "due" (window open) or "missing"."""
        if not self.is_open:
            return ""
        today = today or timezone.localdate()
        if self.last_report_month == reporting.month_of(today):
            return "filed"
        if not reporting.owes_report(self.created_at, today):
            return ""
        return "missing" if today >= reporting.report_day(reporting.month_of(today)) else "due"


class ProgressReport(models.Model):
    """One month's progress on an item (月调度); at most one per item and month."""

    item = models.ForeignKey(
        RectificationItem, verbose_name=_("整改事项"), on_delete=models.PROTECT,
        related_name="reports",
    )  # fmt: skip
    month = models.DateField(_("月份"), help_text=_("所报月份的第一天"))
    what_done = models.TextField(_("本月整改情况"))
    percent = models.PositiveSmallIntegerField(
        _("完成进度（%）"),
        validators=[MaxValueValidator(100, _("完成进度不能超过 100%。"))],
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("填报时间"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("整改进展")
        verbose_name_plural = _("整改进展")
        ordering = ["-month", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "month"], name="one_report_per_item_month"),
            models.CheckConstraint(condition=Q(percent__lte=100), name="report_percent_le_100"),
        ]

    def __str__(self):
        return f"{self.item} · {self.month:%Y年%m月}"
