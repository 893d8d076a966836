from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from units.models import Person

from .campaign import Participation
from .kinds import ActivityKind


class Activity(models.Model):
    """A held meeting or action (活动记录); quotas are computed from these rows."""

    participation = models.ForeignKey(
        Participation, on_delete=models.CASCADE, related_name="activities"
    )
    kind = models.CharField(_("活动类型"), max_length=30, choices=ActivityKind.choices)
    title = models.CharField(_("主题"), max_length=200)
    date = models.DateField(_("日期"))
    end_date = models.DateField(_("结束日期"), null=True, blank=True, help_text=_("多日活动填写"))
    days = models.DecimalField(
        _("天数"),
        max_digits=4,
        decimal_places=1,
        default=0,
        validators=[MinValueValidator(0)],
        help_text=_("集中学习、蹲点调研等按天计算的活动填写，可填 0.5"),
    )
    hours = models.DecimalField(
        _("时长（小时）"),
        max_digits=5,
        decimal_places=1,
        default=0,
        validators=[MinValueValidator(0)],
    )
    households = models.PositiveIntegerField(
        _("走访户数"), default=0, help_text=_("走亲连心活动填写联系的户数")
    )
    host = models.ForeignKey(
        Person,
        verbose_name=_("主持人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hosted_activities",
    )
    attendee_count = models.PositiveIntegerField(_("参加人数"), default=0)
    attendees = models.ManyToManyField(
        Person, verbose_name=_("参加人员"), blank=True, related_name="attended_activities"
    )
    place = models.CharField(_("地点"), max_length=200, blank=True)
    minutes = models.TextField(_("会议记录"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("活动记录")
        verbose_name_plural = _("活动记录")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["participation", "kind"])]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.title}"

    def clean(self):
        if self.end_date and self.date and self.end_date < self.date:
            raise ValidationError({"end_date": _("结束日期不能早于开始日期。")})
        if self.end_date and self.date and self.days:
            span = (self.end_date - self.date).days + 1
            if self.days > span:
                raise ValidationError({"days": _("天数不能超过活动起止日期的跨度。")})
