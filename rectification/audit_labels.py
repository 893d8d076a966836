"""Readable names of the rectification app's audit actions, to merge into core.audit_labels."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "problem.created": _("登记问题"),
    "problem.updated": _("修改问题"),
    "problem.deleted": _("删除问题"),
    "rectificationitem.created": _("建立整改事项"),
    "rectificationitem.updated": _("修改整改事项"),
    "rectificationitem.assigned": _("重新分配整改事项"),
    "rectificationitem.started": _("开始整改"),
    "rectificationitem.completed": _("整改完成"),
    "rectificationitem.verified": _("核实销号"),
    "rectificationitem.returned": _("督导组退回"),
    "rectificationitem.deleted": _("删除整改事项"),
    "progressreport.filed": _("填报整改进展"),
    "regulation.created": _("登记制度"),
    "regulation.updated": _("修改制度"),
    "regulation.adopted": _("制度出台或废止"),
    "regulation.deleted": _("删除制度"),
    "specialcampaign.created": _("新建专项整治"),
    "specialcampaign.updated": _("修改专项整治"),
    "specialcampaign.deleted": _("删除专项整治"),
}
