"""Readable names for the audit log's dotted action codes.

Apps with many actions keep their own dict and add it in AppConfig.ready()."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "inspectionround.drawn": _("随机抽取调研单位"),
    "inspectionfinding.recorded": _("录入调研情况"),
    "report.requested": _("生成报表"),
    "unit.created": _("新建单位"),
    "unit.updated": _("修改单位"),
    "unit.moved": _("调整上级单位"),
    "unit.deleted": _("删除单位"),
    "person.created": _("新增人员"),
    "person.updated": _("修改人员"),
    "person.deleted": _("删除人员"),
    "supervisiongroup.created": _("新建督导组"),
    "supervisiongroup.updated": _("修改督导组"),
    "supervisiongroup.deleted": _("删除督导组"),
    "liaisonpoint.created": _("新建联系点"),
    "liaisonpoint.updated": _("修改联系点"),
    "liaisonpoint.deleted": _("删除联系点"),
    "attachment.added": _("上传附件"),
    "campaign.created": _("新建活动"),
    "campaign.units_enrolled": _("参学单位报名"),
    "taskdefinition.created": _("新增任务"),
    "taskdefinition.updated": _("修改任务"),
    "activity.recorded": _("记录活动"),
    "activity.updated": _("修改活动记录"),
    "activity.deleted": _("删除活动记录"),
    "task.completed": _("标记任务完成"),
    "task.reopened": _("撤销任务完成"),
    "material.started": _("开始撰写材料"),
    "material.draft_saved": _("保存草稿"),
    "material.submitted": _("提交审核"),
    "material.approved": _("审核通过"),
    "material.returned": _("退回修改"),
    "stage.closed": _("环节结束"),
    "stage.waived": _("免于把关"),
    "talk.recorded": _("记录个别谈话"),
}


# Keys of AuditLog.changes that are not fields of the object's model.
EXTRA_FIELD_LABELS = {
    "file": _("附件"),
    "note": _("说明"),
    "batch": _("批次"),
    "units": _("单位数"),
    "template": _("模板"),
    "revision": _("稿次"),
    "comment": _("审核意见"),
    "stage": _("环节"),
    "reason": _("理由"),
}
