"""The public's verdict on completed items (群众评判).

A rating stores the item, the answer and the day — no user, no address, no time finer than
the day — so it cannot be traced back to whoever gave it (DESIGN.md §4.2).
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .ledger import RectificationItem


def today():
    return timezone.localdate()


class PublicRating(models.Model):
    class Rating(models.TextChoices):
        SATISFIED = "satisfied", _("满意")
        BASICALLY = "basically", _("基本满意")
        UNSATISFIED = "unsatisfied", _("不满意")

    item = models.ForeignKey(
        RectificationItem,
        verbose_name=_("整改事项"),
        on_delete=models.PROTECT,
        related_name="ratings",
    )
    rating = models.CharField(_("评价"), max_length=20, choices=Rating.choices)
    day = models.DateField(_("日期"), default=today)

    class Meta:
        verbose_name = _("群众评判")
        verbose_name_plural = _("群众评判")
        indexes = [models.Index(fields=["item", "rating"])]

    def __str__(self):
        return f"{self.item} · {self.get_rating_display()}"
