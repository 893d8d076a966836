import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .transitions import TransitionsMixin


class AuditLog(models.Model):
    """One append-only log for the whole project: who, when, what action, on what, what changed."""

    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept apart from the foreign key so the record survives the user's deletion.
    actor_name = models.CharField(_("操作人姓名"), max_length=150, blank=True)
    action = models.CharField(_("操作"), max_length=100, db_index=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    target = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(_("对象"), max_length=200)
    # The unit the object belongs to, so history can be scoped like everything else.
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("单位"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changes = models.JSONField(_("变更内容"), default=dict, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = _("操作记录")
        verbose_name_plural = _("操作记录")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-created_at"])]

    def __str__(self):
        return (
            f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"
        )

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("AuditLog rows are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("AuditLog rows are append-only")

    @property
    def action_label(self) -> str:
        from .audit_labels import ACTION_LABELS

        return str(ACTION_LABELS.get(self.action, self.action))

    def change_rows(self) -> list[tuple[str, object, object]]:
        """(field label, old, new) for display; labels come from the model's verbose names."""
        from .audit_labels import EXTRA_FIELD_LABELS

        model = self.content_type.model_class()
        rows = []
        for name, change in self.changes.items():
            try:
                label = str(model._meta.get_field(name).verbose_name)
            except Exception:  # not a field, or one since removed
                label = str(EXTRA_FIELD_LABELS.get(name, name))
            if isinstance(change, list) and len(change) == 2:
                rows.append((label, change[0], change[1]))
            else:
                rows.append((label, None, change))
        return rows


def _attachment_path(instance, filename):
    # The stored name is random; the user's file name is kept in `name` for downloads.
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"attachments/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{ext}"


class Attachment(models.Model):
    """A file attached to any object; stored outside any served URL, downloaded only through
    dashboards.views.files.attachment_download, which checks the unit scope."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    target = GenericForeignKey("content_type", "object_id")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to=_attachment_path)
    name = models.CharField(_("文件名"), max_length=150)
    mime = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("大小"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["uploaded_at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return self.name


class Notification(models.Model):
    """An in-app notice; its e-mail is sent once, after the transaction that made it commits."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    subject = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # The e-mail's lease and receipt: a sender claims the row (claimed_at) before it sends and
    # sets emailed_at only once the mail server accepted the message. A claim older than
    # MAIL_LEASE_SECONDS is a dead sender's, and the sweeper (core.sweep) takes the row again.
    claimed_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self):
        return self.subject


class ReportFile(TransitionsMixin, models.Model):
    """A report rendered in the background: the page polls it, then offers the file.

    The file lives under VAR_DIR/reports (never MEDIA or static) and is served only by
    dashboards.views.files.report_download, which checks who asks. Old files expire (core.tasks).
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("生成中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    TRANSITIONS = {
        Status.QUEUED: {Status.RUNNING, Status.FAILED},
        Status.RUNNING: {Status.DONE, Status.FAILED},
        Status.DONE: set(),
        Status.FAILED: set(),
    }

    kind = models.CharField(_("报表"), max_length=60)
    fmt = models.CharField(_("格式"), max_length=8)
    params = models.JSONField(_("参数"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    title = models.CharField(_("标题"), max_length=200)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        on_delete=models.CASCADE,
        related_name="report_files",
    )
    # The unit whose data the report covers: who else may download it.
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("单位"), null=True, on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("进度"), default=0)
    error = models.TextField(_("错误信息"), blank=True)
    path = models.CharField(max_length=200, blank=True)
    filename = models.CharField(_("文件名"), max_length=200, blank=True)
    size = models.PositiveBigIntegerField(_("大小"), default=0)
    rows = models.PositiveIntegerField(_("行数"), null=True, blank=True)
    created_at = models.DateTimeField(_("申请时间"), default=timezone.now, db_index=True)
    # When its render task was last sent to the broker: a row still queued long after is
    # queued again by the sweeper (core.sweep), never failed for waiting.
    queued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(_("过期时间"), db_index=True)

    class Meta:
        verbose_name = _("报表文件")
        verbose_name_plural = _("报表文件")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.title}（{self.get_status_display()}）"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def waiting_minutes(self) -> int:
        """Whole minutes a queued report has waited for a worker (the status page says so)."""
        if self.status != self.Status.QUEUED:
            return 0
        return int((timezone.now() - self.created_at).total_seconds() // 60)

    @property
    def content_type(self) -> str:
        return {
            "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "pdf": "application/pdf",
        }.get(self.fmt, "application/octet-stream")
