from .activities import activity_delete, activity_record, activity_update
from .enrolment import batch_task_add, batch_task_drop, enrol_units
from .materials import (
    gate_status,
    material_save_draft,
    material_start,
    material_submit,
    review_decide,
    stage_gate_check,
    stage_waive,
    talk_record,
)
from .progress import participation_refresh
from .tasks import (
    campaign_refresh,
    task_complete,
    task_definition_create,
    task_definition_update,
    task_reopen,
)
from .templates import campaign_create, template_import, templates_load_shipped

__all__ = [
    "activity_delete",
    "activity_record",
    "activity_update",
    "batch_task_add",
    "batch_task_drop",
    "gate_status",
    "material_save_draft",
    "material_start",
    "material_submit",
    "review_decide",
    "stage_gate_check",
    "stage_waive",
    "talk_record",
    "campaign_create",
    "campaign_refresh",
    "enrol_units",
    "participation_refresh",
    "task_complete",
    "task_definition_create",
    "task_definition_update",
    "task_reopen",
    "template_import",
    "templates_load_shipped",
]
