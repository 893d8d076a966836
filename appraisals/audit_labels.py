"""Readable names for the appraisals app's audit actions (added to core's in ready())."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "appraisalround.created": _("发起评议"),
    "appraisalround.issued": _("生成评议码"),
    "appraisalround.reprinted": _("补印评议票"),
    "appraisalround.tallied": _("录入纸质票统计"),
    "appraisalround.closed": _("结束评议"),
}
