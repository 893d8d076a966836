from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.transitions import TransitionsMixin


class DigestOutbox(TransitionsMixin, models.Model):
    """One reminder e-mail per recipient, day and kind, rendered when the digest is built.

    The unique row makes a second build of the same day insert nothing; the sender claims a
    row (pending → sending) before it sends, so no row is sent twice; the sweeper puts back
    rows whose sender died (sending for too long) so none is lost.
    """

    class Kind(models.TextChoices):
        DAILY = "daily", _("每日提醒")
        WEEKLY = "weekly", _("每周逾期汇总")

    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENDING = "sending", _("发送中")
        SENT = "sent", _("已发送")
        SKIPPED = "skipped", _("无邮箱，未发送")
        FAILED = "failed", _("地址被拒，未发送")

    # The sender claims pending rows in bulk and a failed batch or the sweeper puts them back
    # (conditional UPDATEs in reminders.services); one claimed row ends sent, skipped or failed.
    TRANSITIONS = {
        Status.PENDING: {Status.SENDING},
        Status.SENDING: {Status.SENT, Status.SKIPPED, Status.FAILED, Status.PENDING},
        Status.SENT: set(),
        Status.SKIPPED: set(),
        Status.FAILED: set(),
    }

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests"
    )
    day = models.DateField(_("日期"), help_text=_("每周汇总记为该周的星期一"))
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices, default=Kind.DAILY)
    subject = models.CharField(_("标题"), max_length=200)
    text = models.TextField()
    html = models.TextField()
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    # Which build inserted the row and which sender claimed it: a conditional UPDATE tells
    # how many rows it changed, these tell which.
    build_id = models.UUIDField(editable=False)
    claim_id = models.UUIDField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    last_error = models.TextField(_("最近错误"), blank=True)

    class Meta:
        verbose_name = _("提醒邮件")
        verbose_name_plural = _("提醒邮件")
        ordering = ["-day", "id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "day", "kind"], name="one_digest_per_day")
        ]
        indexes = [
            models.Index(fields=["status", "claimed_at"]),
            models.Index(fields=["build_id"]),
            models.Index(fields=["claim_id"]),
        ]

    def __str__(self):
        return f"{self.day:%Y-%m-%d} {self.user} {self.subject}"
