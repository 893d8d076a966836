"""A unit's workspace: its tasks and quotas, and the record of the activities it has held."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.forms import upload_help
from core.http import bound as _bound
from core.http import post_only
from units.policy import may_keep, require

from .. import services
from ..forms.workspace import ActivityForm, TaskCompleteForm
from ..scope import get_activity_for_user, get_participation_for_user, get_task_for_user
from ..selectors import workspace as selectors


def _workspace_url(participation_pk, anchor=""):
    url = reverse("campaign:workspace", args=[participation_pk])
    return f"{url}#{anchor}" if anchor else url


def _render_workspace(request, participation, *, failed_form=None, failed_task_pk=None):
    data = selectors.workspace(
        participation, today=timezone.localdate(), page=request.GET.get("page")
    )
    may_record = may_keep(request.user, participation.unit)
    if may_record:
        # A bound form (with its errors) only where a completion failed; the other open
        # tasks get the same two fields as plain markup: ~50 crispy renders cost ~60 ms.
        for row in data.open_manual_rows():
            row.can_complete = True
            row.form = failed_form if row.task.pk == failed_task_pk else None
    context = {
        "participation": participation,
        "campaign": participation.campaign,
        "unit": participation.unit,
        "ws": data,
        "can_record": may_record,
        "failed_task_pk": failed_task_pk,
        "upload_help": upload_help(),
    }
    return render(request, "campaign/workspace.html", context)


@login_required
def workspace(request, participation_pk):
    participation = get_participation_for_user(request.user, participation_pk)
    return _render_workspace(request, participation)


@login_required
@require_http_methods(["GET", "POST"])
def activity_create(request, participation_pk):
    participation = get_participation_for_user(request.user, participation_pk)
    require(may_keep(request.user, participation.unit))
    form = ActivityForm(*_bound(request), participation=participation)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_record(
                participation=participation, by=request.user, **form.service_arguments()
            )
        except ValidationError as e:
            form.add_error(None, e)  # a domain rule the form could not check; nothing was saved
        else:
            messages.success(request, _("已记录活动“%(title)s”。") % {"title": activity.title})
            return redirect(_workspace_url(participation.pk, "activities"))
    context = {"participation": participation, "unit": participation.unit, "form": form}
    return render(request, "campaign/activity_form.html", context)


@login_required
def activity_detail(request, activity_pk):
    activity = get_activity_for_user(request.user, activity_pk)
    context = {
        "activity": activity,
        "participation": activity.participation,
        "unit": activity.participation.unit,
        "detail": selectors.activity_detail(activity),
        "can_record": may_keep(request.user, activity.participation.unit),
    }
    return render(request, "campaign/activity_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request, activity_pk):
    activity = get_activity_for_user(request.user, activity_pk)
    participation = activity.participation
    require(may_keep(request.user, participation.unit))
    title = activity.title  # the form changes the instance it is given while it validates
    form = ActivityForm(*_bound(request), instance=activity, participation=participation)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_update(activity=activity, by=request.user, **form.service_arguments())
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(
                request, _("已保存对活动“%(title)s”的修改。") % {"title": activity.title}
            )
            return redirect("campaign:activity_detail", activity.pk)
    context = {
        "participation": participation,
        "unit": participation.unit,
        "activity": activity,
        "title": title,
        "form": form,
    }
    return render(request, "campaign/activity_form.html", context)


@login_required
def activity_delete(request, activity_pk):
    activity = get_activity_for_user(request.user, activity_pk)
    if refused := post_only(request):
        return refused
    require(may_keep(request.user, activity.participation.unit))
    participation_pk, title = activity.participation_id, activity.title
    services.activity_delete(activity=activity, by=request.user)
    messages.success(request, _("已删除活动记录“%(title)s”。") % {"title": title})
    return redirect(_workspace_url(participation_pk, "activities"))


@login_required
def task_complete(request, task_pk):
    task = get_task_for_user(request.user, task_pk)
    if refused := post_only(request):
        return refused
    require(may_keep(request.user, task.participation.unit))
    form = TaskCompleteForm(request.POST, request.FILES, task=task)
    if form.is_valid():
        try:
            services.task_complete(
                task=task,
                note=form.cleaned_data["note"],
                evidence=form.cleaned_data["evidence"],
                by=request.user,
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(
                request, _("已将任务“%(title)s”标记为完成。") % {"title": task.definition.title}
            )
            return redirect(_workspace_url(task.participation_id, f"task-{task.pk}"))
    if task.definition.has_quota or task.completed_at:
        # No completion form is shown for this task, so say why on the page it returns to.
        for error in form.non_field_errors() or [e for errs in form.errors.values() for e in errs]:
            messages.error(request, error)
        return redirect(_workspace_url(task.participation_id, f"task-{task.pk}"))
    return _render_workspace(request, task.participation, failed_form=form, failed_task_pk=task.pk)


@login_required
def task_reopen(request, task_pk):
    task = get_task_for_user(request.user, task_pk)
    if refused := post_only(request):
        return refused
    require(may_keep(request.user, task.participation.unit))
    try:
        services.task_reopen(task=task, by=request.user)
    except ValidationError as e:
        for error in e.messages:
            messages.error(request, error)
    else:
        messages.success(
            request, _("已撤销任务“%(title)s”的完成标记。") % {"title": task.definition.title}
        )
    return redirect(_workspace_url(task.participation_id, f"task-{task.pk}"))
