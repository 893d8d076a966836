"""The institution-building inventory (建章立制): each rule marked 废, 改 or 立."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.transitions import TransitionsMixin, check_transition, transition_error
from units.models import Unit

from .ledger import RectificationItem


class Regulation(TransitionsMixin, models.Model):
    class Action(models.TextChoices):
        ABOLISH = "abolish", _("废止")
        AMEND = "amend", _("修订")
        ESTABLISH = "establish", _("新立")

    class Status(models.TextChoices):
        DRAFTING = "drafting", _("拟订中")
        ADOPTED = "adopted", _("已出台")
        ABOLISHED = "abolished", _("已废止")

    TRANSITIONS = {
        Status.DRAFTING: {Status.ADOPTED, Status.ABOLISHED},
        Status.ADOPTED: set(),
        Status.ABOLISHED: set(),
    }

    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="regulations"
    )
    title = models.CharField(_("制度名称"), max_length=200)
    action = models.CharField(_("废改立"), max_length=20, choices=Action.choices)
    description = models.TextField(_("主要内容或理由"), blank=True)
    document_number = models.CharField(_("文号"), max_length=100, blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.DRAFTING
    )
    adopted_on = models.DateField(_("出台或废止日期"), null=True, blank=True)
    items = models.ManyToManyField(
        RectificationItem,
        verbose_name=_("相关整改事项"),
        blank=True,
        related_name="regulations",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("制度")
        verbose_name_plural = _("制度")
        ordering = ["unit", "action", "id"]

    def __str__(self):
        return self.title

    @property
    def final_status(self) -> str:
        """废 ends in 已废止; 改 and 立 end in 已出台."""
        if self.action == self.Action.ABOLISH:
            return self.Status.ABOLISHED
        return self.Status.ADOPTED

    def transition_subject(self) -> str:
        return gettext("制度“%(title)s”") % {"title": self.title}

    def check_transition(self, new: str, *, source=None) -> None:
        """The table's guard, and a rule's action decides its end: 废 → 已废止, 改/立 → 已出台."""
        if new != self.final_status:
            raise transition_error(self, new)
        check_transition(self, new, source=source)
