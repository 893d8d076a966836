import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from units.models import Unit

from .base import MaterialFields, StageFields, TaskFields
from .playbook import CampaignTemplate


class Campaign(models.Model):
    name = models.CharField(_("活动名称"), max_length=100)
    template = models.ForeignKey(
        CampaignTemplate, verbose_name=_("模板"), null=True, blank=True, on_delete=models.SET_NULL
    )
    organiser = models.ForeignKey(
        Unit,
        verbose_name=_("组织单位"),
        on_delete=models.PROTECT,
        related_name="organised_campaigns",
        help_text=_("开展活动的党委（党组）所在单位，活动办在此"),
    )
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("活动")
        verbose_name_plural = _("活动")
        ordering = ["-start_date", "-id"]

    def __str__(self):
        return self.name

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("结束日期不能早于开始日期。")})


class Stage(StageFields):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="stages")

    class Meta(StageFields.Meta):
        verbose_name = _("环节")
        verbose_name_plural = _("环节")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "order"], name="unique_campaign_stage")
        ]


class TaskDefinition(TaskFields):
    """A campaign's task as the office defines it; enrolment copies it to each unit."""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="tasks")
    due_date = models.DateField(_("固定完成日期"), null=True, blank=True)
    # A task that asks for a material is done when the material is approved (or its stage
    # waived); staff never tick it a second time.
    material = models.ForeignKey(
        "MaterialRequirement",
        verbose_name=_("对应材料"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
    )

    class Meta(TaskFields.Meta):
        verbose_name = _("任务")
        verbose_name_plural = _("任务")

    def clean(self):
        self.clean_quota()
        if (self.due_offset_days is None) == (self.due_date is None):
            raise ValidationError(_("请填写完成时限：启动后天数或固定日期，二者选一。"))

    def due_for(self, start_date: datetime.date) -> datetime.date:
        # A unit that starts after a fixed date still owes nothing before it starts.
        if self.due_date:
            return max(self.due_date, start_date)
        return start_date + datetime.timedelta(days=self.due_offset_days)


class MaterialRequirement(MaterialFields):
    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="materials")

    class Meta(MaterialFields.Meta):
        verbose_name = _("应报材料")
        verbose_name_plural = _("应报材料")


class EnrolmentBatch(models.Model):
    """One enrolment action: a set of units starting on the same day (压茬进行)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="batches")
    label = models.CharField(_("批次"), max_length=100)
    start_date = models.DateField(_("启动日期"))
    unit_count = models.PositiveIntegerField(_("单位数"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("参学批次")
        verbose_name_plural = _("参学批次")
        ordering = ["start_date", "id"]

    def __str__(self):
        return f"{self.label}（{self.start_date:%Y-%m-%d}）"


class Participation(models.Model):
    """A unit enrolled in a campaign (参学单位). Counters are kept by campaign.services."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="participations")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="participations")
    batch = models.ForeignKey(
        EnrolmentBatch, null=True, on_delete=models.SET_NULL, related_name="participations"
    )
    start_date = models.DateField(_("启动日期"))
    current_stage = models.ForeignKey(
        Stage, verbose_name=_("当前环节"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    tasks_total = models.PositiveIntegerField(_("任务数"), default=0)
    tasks_done = models.PositiveIntegerField(_("已完成"), default=0)
    tasks_done_late = models.PositiveIntegerField(_("逾期完成"), default=0)
    # The due date of the oldest unfinished task: sorting by it puts the latest units first.
    oldest_open_due = models.DateField(_("最早未完成时限"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("参学单位")
        verbose_name_plural = _("参学单位")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "unit"], name="unique_participation")
        ]
        indexes = [models.Index(fields=["campaign", "oldest_open_due"])]

    def __str__(self):
        return f"{self.unit} · {self.campaign}"

    @property
    def percent_done(self) -> int:
        return round(100 * self.tasks_done / self.tasks_total) if self.tasks_total else 0

    def days_late(self, today: datetime.date) -> int:
        if self.oldest_open_due is None or self.oldest_open_due >= today:
            return 0
        return (today - self.oldest_open_due).days

    def has_started(self, today: datetime.date) -> bool:
        return self.start_date <= today


class Task(models.Model):
    class Status(models.TextChoices):
        NOT_ACTIVE = "not_active", _("未启动")
        NOT_STARTED = "not_started", _("未开始")
        IN_PROGRESS = "in_progress", _("进行中")
        IN_REVIEW = "in_review", _("待审核")
        RETURNED = "returned", _("已退回")
        DONE = "done", _("已完成")
        DONE_LATE = "done_late", _("逾期完成")
        OVERDUE = "overdue", _("已逾期")

    class Review(models.TextChoices):
        NONE = "", _("无")
        IN_REVIEW = "in_review", _("待审核")
        RETURNED = "returned", _("已退回")

    participation = models.ForeignKey(Participation, on_delete=models.CASCADE, related_name="tasks")
    definition = models.ForeignKey(TaskDefinition, on_delete=models.CASCADE, related_name="+")
    due_date = models.DateField(_("完成时限"))
    # Computed from activity records for a quota task; never ticked by hand.
    progress = models.DecimalField(_("进度"), max_digits=4, decimal_places=3, default=0)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    completion_note = models.CharField(_("完成情况说明"), max_length=500, blank=True)
    # Where the linked material stands with the supervision group; kept by the material services.
    review_state = models.CharField(
        _("材料审核"), max_length=10, choices=Review.choices, default=Review.NONE, blank=True
    )

    class Meta:
        verbose_name = _("单位任务")
        verbose_name_plural = _("单位任务")
        constraints = [
            models.UniqueConstraint(fields=["participation", "definition"], name="unique_unit_task")
        ]
        indexes = [models.Index(fields=["due_date", "completed_at"])]

    def __str__(self):
        return str(self.definition)

    def status(self, today: datetime.date | None = None, start_date=None) -> str:
        """The task's status; pass the unit's start date so a unit not started owes nothing."""
        today = today or timezone.localdate()
        if self.completed_at:
            return self.Status.DONE_LATE if self.days_late_done() else self.Status.DONE
        if start_date is not None and today < start_date:
            return self.Status.NOT_ACTIVE
        if self.review_state:
            return self.review_state
        if self.due_date < today:
            return self.Status.OVERDUE
        return self.Status.IN_PROGRESS if self.progress > 0 else self.Status.NOT_STARTED

    def days_late_done(self) -> int:
        """How many days after its due date the task was finished (0 if on time or open)."""
        if not self.completed_at:
            return 0
        finished = timezone.localdate(self.completed_at)
        return max(0, (finished - self.due_date).days)

    def status_label(self, today=None, start_date=None) -> str:
        return str(self.Status(self.status(today, start_date)).label)


class CalendarFeed(models.Model):
    """A user's private iCalendar address; the token is the only secret."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("日历订阅")
        verbose_name_plural = _("日历订阅")

    def __str__(self):
        return str(self.user)
