"""The campaign office's pages: campaigns, enrolment in batches, the task list."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.http import is_id, post_only, report_errors
from units.models import User

from .. import services
from ..forms.office import CampaignForm, EnrolForm, ParticipationFilterForm, TaskDefinitionForm
from ..scope import (
    get_campaign_for_user,
    get_definition_for_office,
    get_stage_for_office,
    is_campaign_office,
    require_campaign_office,
)
from ..selectors import office as selectors


def _may_create_campaigns(user) -> bool:
    return user.is_admin or user.role == User.Role.OFFICE


@login_required
@require_GET
def campaign_list(request):
    page = Paginator(selectors.campaign_rows(request.user), 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "can_create": _may_create_campaigns(request.user),
        "today": timezone.localdate(),
    }
    return render(request, "campaign/campaign_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def campaign_create(request):
    user = request.user
    if not _may_create_campaigns(user):
        raise PermissionDenied
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if user.home_unit_id is None:
            form.add_error(None, _("您的账号没有设置所在单位，活动需要由所在单位组织。"))
        else:
            try:
                campaign = services.campaign_create(
                    organiser=user.home_unit, by=user, **form.cleaned_data
                )
            except ValidationError as e:
                form.add_error(None, e)
            else:
                messages.success(request, _("活动“%(name)s”已创建。") % {"name": campaign.name})
                return redirect("campaign:detail", campaign.pk)
    return render(request, "campaign/campaign_form.html", {"form": form})


@login_required
@require_GET
def campaign_detail(request, campaign_pk):
    user = request.user
    campaign = get_campaign_for_user(user, campaign_pk)
    stages = selectors.campaign_stages(campaign)
    districts = selectors.campaign_districts(user, campaign)
    batches = list(campaign.batches.all())
    participations = selectors.campaign_participations(user, campaign)
    filter_form = ParticipationFilterForm(request.GET, districts=districts, stages=stages)
    summary = selectors.campaign_summary(participations, stages)
    context = {
        "campaign": campaign,
        "is_office": is_campaign_office(user, campaign),
        "batches": batches,
        "summary": summary,
        "filter_form": filter_form,
        "page": selectors.participation_page(
            participations,
            filter_form.filters(),
            districts=districts,
            stages=stages,
            batches=batches,
            unfiltered_count=summary.units,
            today=timezone.localdate(),
            page_number=request.GET.get("page"),
        ),
    }
    return render(request, "campaign/campaign_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def campaign_enrol(request, campaign_pk):
    """GET shows the form (and, for htmx, the unit search); POST previews or enrols a batch."""
    user = request.user
    campaign = get_campaign_for_user(user, campaign_pk)
    require_campaign_office(user, campaign)
    if request.method == "POST":
        form = EnrolForm(request.POST, user=user)
    else:
        # A new search keeps the unit already ticked (htmx sends it along).
        form = EnrolForm(user=user, initial={"root": request.GET.get("root")})
    query = request.GET.get("q", "").strip()[:50]
    preview = None
    if form.is_bound and (units := _batch_units(form, user)) is not None:
        if "confirm" in request.POST and form.is_valid():
            batch = _enrol(campaign, form, units, by=user)
            if batch is not None:
                messages.success(
                    request,
                    _("“%(label)s”已报名 %(n)s 个单位，各单位任务已按启动日期 %(date)s 生成。")
                    % {"label": batch.label, "n": batch.unit_count, "date": batch.start_date},
                )
                return redirect("campaign:detail", campaign.pk)
        preview = selectors.enrolment_preview(campaign, units)
    choices, more = selectors.unit_picker_choices(user, query, _selected_root(form))
    context = {
        "campaign": campaign,
        "form": form,
        "preview": preview,
        "query": query,
        "unit_choices": choices,
        "more_units": more,
        "batches": campaign.batches.all(),
    }
    return render(request, "campaign/enrol_form.html", context)


def _batch_units(form, user):
    """The units the form picks; needs only the units part, so the count shows before a
    start date or label is typed."""
    form.is_valid()
    data = form.cleaned_data
    if "root" not in data or "kinds" not in data:
        return None
    return selectors.enrolment_units(
        user=user, root=data["root"], subtree=data["subtree"], kinds=data["kinds"]
    )


def _enrol(campaign, form, units, *, by):
    data = form.cleaned_data
    try:
        return services.enrol_units(
            campaign=campaign,
            units=units,
            start_date=data["start_date"],
            label=data["label"],
            by=by,
        )
    except ValidationError as e:
        form.add_error(None, e)
        return None


def _selected_root(form):
    """The unit currently ticked in the picker, so a new search keeps it in the list."""
    if form.is_bound:
        return form.cleaned_data.get("root")
    pk = form.initial.get("root")
    if not pk:
        return None
    try:
        return form.fields["root"].queryset.filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        return None


@login_required
@require_GET
def campaign_tasks(request, campaign_pk):
    campaign = get_campaign_for_user(request.user, campaign_pk)
    require_campaign_office(request.user, campaign)
    context = {
        "campaign": campaign,
        "stages": selectors.campaign_task_list(campaign),
        "batches": list(campaign.batches.all()),
    }
    return render(request, "campaign/campaign_tasks.html", context)


@login_required
def definition_batch(request, definition_pk):
    """Add a task to, or drop it from, one batch's units (压茬进行 batches may differ)."""
    definition = get_definition_for_office(request.user, definition_pk)
    if refused := post_only(request):
        return refused
    stage = definition.stage
    raw = request.POST.get("batch", "")
    batch = stage.campaign.batches.filter(pk=int(raw)).first() if is_id(raw) else None
    action = request.POST.get("action")
    if batch is None or action not in ("add", "drop"):
        messages.error(request, _("请选择批次和操作。"))
        return _back_to_tasks(stage)
    try:
        if action == "add":
            n = services.batch_task_add(batch=batch, definition=definition, by=request.user)
            text = _("“%(batch)s”中 %(n)s 个适用单位新增了任务“%(title)s”。")
        else:
            n = services.batch_task_drop(batch=batch, definition=definition, by=request.user)
            text = _("已从“%(batch)s”的 %(n)s 个单位撤下任务“%(title)s”（已完成的保留）。")
    except ValidationError as e:
        report_errors(request, e)
    else:
        messages.success(request, text % {"batch": batch.label, "n": n, "title": definition.title})
    return _back_to_tasks(stage)


@login_required
@require_http_methods(["GET", "POST"])
def definition_create(request, stage_pk):
    stage = get_stage_for_office(request.user, stage_pk)
    form = TaskDefinitionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            definition = services.task_definition_create(
                stage=stage, by=request.user, **form.definition_fields()
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(
                request,
                _("已新增任务“%(title)s”，各参学单位都已加上这项任务。")
                % {"title": definition.title},
            )
            return _back_to_tasks(stage)
    context = {"form": form, "stage": stage, "campaign": stage.campaign}
    return render(request, "campaign/definition_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def definition_edit(request, definition_pk):
    definition = get_definition_for_office(request.user, definition_pk)
    stage = definition.stage
    form = TaskDefinitionForm(request.POST or None, instance=definition)
    if request.method == "POST" and form.is_valid():
        try:
            definition = services.task_definition_update(
                definition=definition, by=request.user, **form.definition_fields()
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(
                request,
                _("任务“%(title)s”已保存，各参学单位的这项任务随之更新。")
                % {"title": definition.title},
            )
            return _back_to_tasks(stage)
    context = {"form": form, "stage": stage, "campaign": stage.campaign, "definition": definition}
    return render(request, "campaign/definition_form.html", context)


def _back_to_tasks(stage):
    return redirect(reverse("campaign:tasks", args=[stage.campaign_id]) + f"#stage-{stage.pk}")
