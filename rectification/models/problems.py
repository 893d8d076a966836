"""Problems a unit admits (查摆问题) and the special campaigns (专项整治) items belong to."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from feedback.models import FourWinds
from units.models import Person, Unit


class SpecialCampaign(models.Model):
    """A named special campaign, such as the city's 八个专项整治 or a unit's 四类整治.

    Defined at a unit, it is offered to that unit and every unit below it.
    """

    unit = models.ForeignKey(
        Unit,
        verbose_name=_("部署单位"),
        on_delete=models.PROTECT,
        related_name="special_campaigns",
        help_text=_("本单位及其下级单位的整改事项可以归入此专项整治"),
    )
    name = models.CharField(_("名称"), max_length=100)
    description = models.TextField(_("整治内容"), blank=True)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("专项整治")
        verbose_name_plural = _("专项整治")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="unique_special_campaign")
        ]

    def __str__(self):
        return self.name


class Problem(models.Model):
    """An admitted problem; seed 004 sorts them by how soon they can be fixed."""

    class Scope(models.TextChoices):
        TEAM = "team", _("领导班子")
        PERSON = "person", _("个人")

    class Kind(models.TextChoices):
        NOW = "now", _("立行立改")
        WITH_EFFORT = "with_effort", _("限期整改")
        LONG_TERM = "long_term", _("长期坚持")

    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="problems"
    )
    campaign = models.ForeignKey(
        "campaign.Campaign",
        verbose_name=_("所属活动"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="problems",
    )
    # The opinions a problem answers (转为问题), so the ledger can show where it came from.
    opinions = models.ManyToManyField(
        "feedback.Opinion", verbose_name=_("来源意见"), blank=True, related_name="problems"
    )
    title = models.CharField(_("问题"), max_length=200)
    description = models.TextField(_("具体表现"), blank=True)
    four_winds = models.CharField(_("四风类别"), max_length=20, choices=FourWinds.choices)
    scope = models.CharField(
        _("问题主体"), max_length=10, choices=Scope.choices, default=Scope.TEAM
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("班子成员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problems",
        help_text=_("问题主体为个人时填写"),
    )
    kind = models.CharField(_("整改类型"), max_length=20, choices=Kind.choices)
    found_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("问题")
        verbose_name_plural = _("问题")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["unit", "-created_at"])]

    def __str__(self):
        return self.title

    def clean(self):
        if self.scope == self.Scope.PERSON and self.person_id is None:
            raise ValidationError({"person": _("问题主体为个人时，请选择班子成员。")})
        if self.scope == self.Scope.TEAM:
            self.person = None
        if self.person_id and self.unit_id and self.person.unit_id != self.unit_id:
            raise ValidationError({"person": _("班子成员必须是本单位人员。")})
