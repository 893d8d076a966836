"""Readable names for the feedback app's audit actions (added to core's in ready())."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "opinion.taken": _("录入意见"),
    "opinion.annotated": _("批注意见"),
    "opinion.imported": _("从 Excel 导入意见"),
    "opinion.classified": _("批量分类意见"),
    "opinion.status_changed": _("修改意见状态"),
    "opiniongroup.created": _("归并同类意见"),
    "opiniongroup.confirmed": _("确认同类意见"),
    "opiniongroup.merged": _("合并同类意见组"),
    "opiniongroup.split": _("拆分同类意见组"),
    "opiniongroup.dissolved": _("解散同类意见组"),
    "opiniongroup.suggested": _("查找疑似重复的意见"),
    "material_requirement.added": _("增加应报材料"),
}
