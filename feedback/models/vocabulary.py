"""The campaign's shared vocabularies. Opinions use them first; problems and reports reuse them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FourWinds(models.TextChoices):
    """四风: the four bad work styles the campaign targets, plus 其他."""

    FORMALISM = "formalism", _("形式主义")
    BUREAUCRATISM = "bureaucratism", _("官僚主义")
    HEDONISM = "hedonism", _("享乐主义")
    EXTRAVAGANCE = "extravagance", _("奢靡之风")
    OTHER = "other", _("其他")
