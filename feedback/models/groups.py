"""Near-duplicate groups (同类意见): opinions that say the same thing in other words.

Grouping is stored beside the opinions, never by editing them (DESIGN.md §4.3): a group and
one membership row per opinion. An opinion is in at most one group; the group's size is how
many people raised the point. A suggested group waits for staff to confirm it.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.transitions import TransitionsMixin
from units.models import Unit

from .opinions import Opinion


class OpinionGroup(TransitionsMixin, models.Model):
    class Status(models.TextChoices):
        SUGGESTED = "suggested", _("待确认")
        CONFIRMED = "confirmed", _("已确认")

    # Staff confirm a suggested group; a confirmed group is merged, split or dissolved, never
    # sent back to 待确认.
    TRANSITIONS = {
        Status.SUGGESTED: {Status.CONFIRMED},
        Status.CONFIRMED: set(),
    }

    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="opinion_groups"
    )
    title = models.CharField(
        _("归纳"),
        max_length=200,
        blank=True,
        help_text=_("用一句话归纳这组意见；原文不变。"),
    )
    representative = models.ForeignKey(
        Opinion,
        verbose_name=_("代表意见"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.SUGGESTED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("同类意见组")
        verbose_name_plural = _("同类意见组")
        ordering = ["-id"]
        indexes = [models.Index(fields=["unit", "status"], name="opinion_group_unit_status")]

    def __str__(self):
        # Never an opinion's text: this lands in audit rows.
        return _("同类意见组 #%(pk)s") % {"pk": self.pk}


class OpinionGroupMember(models.Model):
    group = models.ForeignKey(
        OpinionGroup, verbose_name=_("意见组"), on_delete=models.CASCADE, related_name="members"
    )
    opinion = models.OneToOneField(
        Opinion,
        verbose_name=_("意见"),
        on_delete=models.CASCADE,
        related_name="group_membership",
    )
    similarity = models.FloatField(_("与代表意见的相似度"), null=True, blank=True)

    class Meta:
        verbose_name = _("意见组成员")
        verbose_name_plural = _("意见组成员")
        ordering = ["group", "opinion"]

    def __str__(self):
        return _("意见 #%(opinion)s 属于 %(group)s") % {
            "opinion": self.opinion_id,
            "group": self.group,
        }
