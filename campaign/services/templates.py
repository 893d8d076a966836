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
    ActivityKind,
    Campaign,
    CampaignTemplate,
    MaterialRequirement,
    MaterialTemplate,
    QuotaHost,
    Stage,
    StageTemplate,
    TaskDefinition,
    TaskTemplate,
)
from ..models.base import applies_to_kinds

TEMPLATE_DIR = Path(settings.BASE_DIR) / "fixtures" / "templates"
QUOTA_FIELDS = (
    "quota_kinds", "quota_host", "quota_measure", "quota_minimum", "quota_by_rank", "quota_shared",
)  # fmt: skip
COPIED_FIELDS = ("title", "office", "description", "source_name", "source_quote", "applies_kinds")


@transaction.atomic
def template_import(data: dict) -> CampaignTemplate:
    """Create or replace a template from its JSON form (see fixtures/templates/)."""
    template, _created = CampaignTemplate.objects.update_or_create(
        code=data["code"], defaults={"name": data["name"], "description": data["description"]}
    )
    template.stages.all().delete()  # campaigns hold their own copies, so this is safe
    stages = []
    for order, stage_data in enumerate(data["stages"], start=1):
        window = stage_data.get("window") or [None, None]
        stage = StageTemplate.objects.create(
            template=template,
            order=order,
            name=stage_data["name"],
            description=stage_data.get("description", ""),
            window_from_day=window[0],
            window_to_day=window[1],
        )
        materials = {
            m["kind"]: MaterialTemplate.objects.create(
                stage=stage, kind=m["kind"], title=m["title"], is_gate=m["gate"]
            )
            for m in stage_data.get("materials", [])
        }
        stages.append((stage, stage_data, materials))
    by_kind = {}
    for _stage, _data, materials in reversed(stages):
        by_kind.update(materials)  # an earlier stage's material wins for a task elsewhere
    built = []
    for stage, stage_data, materials in stages:
        for task_order, t in enumerate(stage_data["tasks"], start=1):
            built.append(_task_template(stage, task_order, t, materials, by_kind))
    quotas_check_once(built)
    for task in built:
        task.save()
    return template


def quotas_check_once(tasks) -> None:
    """Refuse two quotas that could count the same activity, unless one says it is shared.

    Two quotas overlap when they count a common activity kind and their hosts can be the same
    person: the main leader's and the other members' symposiums never overlap.
    """
    disjoint = {frozenset({QuotaHost.MAIN_LEADER, QuotaHost.EACH_OTHER_TEAM_MEMBER})}
    quotas = [t for t in tasks if t.has_quota and not t.quota_shared]
    for i, a in enumerate(quotas):
        for b in quotas[i + 1 :]:
            common = set(a.quota_kinds) & set(b.quota_kinds)
            if common and frozenset({a.quota_host, b.quota_host}) not in disjoint:
                raise ValidationError(
                    _("“%(a)s”和“%(b)s”的数量要求都计入%(kinds)s：一次活动只能计入一项数量要求，"
                      "确需共用请在模板中注明。")
                    % {"a": a.title, "b": b.title,
                       "kinds": "、".join(str(ActivityKind(k).label) for k in sorted(common))}
                )  # fmt: skip


def _task_template(stage, order, t: dict, materials: dict, by_kind: dict) -> TaskTemplate:
    quota = t.get("quota") or {}
    material = None
    if t.get("material"):
        material = materials.get(t["material"]) or by_kind.get(t["material"])
        if material is None:
            raise ValidationError(
                _("任务“%(task)s”对应的材料 %(kind)s 不在模板中。")
                % {"task": t["title"], "kind": t["material"]}
            )
    task = TaskTemplate(
        stage=stage,
        order=order,
        title=t["title"],
        office=t.get("office", ""),
        description=t.get("description", ""),
        source_name=t.get("source", ""),
        source_quote=t.get("quote", ""),
        applies_kinds=applies_to_kinds(t.get("applies_to")),
        material=material,
        due_offset_days=t.get("due_offset_days"),
        due_month_day=t.get("due_month_day", ""),
        quota_kinds=quota.get("kinds", []),
        quota_host=quota.get("host", "any"),
        quota_measure=quota.get("measure", "count"),
        quota_minimum=quota.get("minimum"),
        quota_by_rank=quota.get("by_rank", {}),
        quota_shared=bool(quota.get("shared", False)),
    )
    task.clean_quota()
    return task


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
    stages = list(template.stages.prefetch_related("tasks", "materials").order_by("order"))
    requirements = {}  # template material id → the campaign's requirement
    copies = []
    for st in stages:
        stage = Stage.objects.create(
            campaign=campaign, order=st.order, name=st.name, description=st.description,
            window_from_day=st.window_from_day, window_to_day=st.window_to_day,
        )  # fmt: skip
        copies.append((st, stage))
        for m in st.materials.all():
            requirements[m.pk] = MaterialRequirement.objects.create(
                stage=stage, kind=m.kind, title=m.title, is_gate=m.is_gate
            )
    for st, stage in copies:
        TaskDefinition.objects.bulk_create(
            TaskDefinition(
                stage=stage,
                order=t.order,
                material=requirements.get(t.material_id),
                **{f: getattr(t, f) for f in COPIED_FIELDS},
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
