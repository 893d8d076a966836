"""Templates as data: import a playbook from JSON, and create a campaign from it."""

import datetime
import json
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.services import audit_log

from ..models import (
    Campaign,
    CampaignTemplate,
    MaterialRequirement,
    MaterialTemplate,
    Stage,
    StageTemplate,
    TaskDefinition,
    TaskTemplate,
)

TEMPLATE_DIR = Path(settings.BASE_DIR) / "fixtures" / "templates"
QUOTA_FIELDS = ("quota_kinds", "quota_host", "quota_measure", "quota_minimum")


@transaction.atomic
def template_import(data: dict) -> CampaignTemplate:
    """Create or replace a template from its JSON form (see fixtures/templates/)."""
    template, _created = CampaignTemplate.objects.update_or_create(
        code=data["code"], defaults={"name": data["name"], "description": data["description"]}
    )
    template.stages.all().delete()  # campaigns hold their own copies, so this is safe
    for order, stage_data in enumerate(data["stages"], start=1):
        stage = StageTemplate.objects.create(
            template=template,
            order=order,
            name=stage_data["name"],
            description=stage_data.get("description", ""),
        )
        for m in stage_data.get("materials", []):
            MaterialTemplate.objects.create(
                stage=stage, kind=m["kind"], title=m["title"], is_gate=m["gate"]
            )
        for task_order, t in enumerate(stage_data["tasks"], start=1):
            quota = t.get("quota") or {}
            task = TaskTemplate(
                stage=stage,
                order=task_order,
                title=t["title"],
                office=t.get("office", ""),
                description=f"{t['quote']}（依据：{t['source']}）",
                due_offset_days=t.get("due_offset_days"),
                due_month_day=t.get("due_month_day", ""),
                quota_kinds=quota.get("kinds", []),
                quota_host=quota.get("host", "any"),
                quota_measure=quota.get("measure", "count"),
                quota_minimum=quota.get("minimum"),
            )
            task.clean_quota()
            task.save()
    return template


def templates_load_shipped() -> list[CampaignTemplate]:
    return [
        template_import(json.loads(path.read_text(encoding="utf-8")))
        for path in sorted(TEMPLATE_DIR.glob("*.json"))
    ]


def _resolve_month_day(month_day: str, start: datetime.date, end: datetime.date) -> datetime.date:
    month, day = (int(x) for x in month_day.split("-"))
    for year in range(start.year, end.year + 1):
        try:
            candidate = datetime.date(year, month, day)
        except ValueError:
            continue
        if start <= candidate <= end:
            return candidate
    raise ValidationError(
        _("模板任务的固定日期 %(md)s 不在活动期间（%(start)s 至 %(end)s）内。")
        % {"md": month_day, "start": start, "end": end}
    )


@transaction.atomic
def campaign_create(*, template, name, organiser, start_date, end_date, by) -> Campaign:
    """A new campaign with its own editable copy of the template's stages, tasks and materials."""
    campaign = Campaign(
        name=name,
        template=template,
        organiser=organiser,
        start_date=start_date,
        end_date=end_date,
        created_by=by,
    )
    campaign.full_clean()
    campaign.save()
    for st in template.stages.prefetch_related("tasks", "materials").order_by("order"):
        stage = Stage.objects.create(
            campaign=campaign, order=st.order, name=st.name, description=st.description
        )
        MaterialRequirement.objects.bulk_create(
            MaterialRequirement(stage=stage, kind=m.kind, title=m.title, is_gate=m.is_gate)
            for m in st.materials.all()
        )
        TaskDefinition.objects.bulk_create(
            TaskDefinition(
                stage=stage,
                order=t.order,
                title=t.title,
                office=t.office,
                description=t.description,
                due_offset_days=t.due_offset_days if not t.due_month_day else None,
                due_date=(
                    _resolve_month_day(t.due_month_day, start_date, end_date)
                    if t.due_month_day
                    else None
                ),
                **{f: getattr(t, f) for f in QUOTA_FIELDS},
            )
            for t in st.tasks.all()
        )
    audit_log(
        actor=by,
        action="campaign.created",
        obj=campaign,
        unit=organiser,
        changes={
            "template": str(template),
            "start_date": str(start_date),
            "end_date": str(end_date),
        },
    )
    return campaign
