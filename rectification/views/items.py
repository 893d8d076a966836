"""One ledger item: opening it from a problem, its page, edits, status moves, monthly reports."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.http import bound, post_only, report_errors
from feedback.scope import visible_opinions
from units.policy import may_keep, may_supervise, require

from .. import reporting, selectors, services
from ..forms import CompleteForm, ItemForm, ReportForm, ReturnForm
from ..models import RectificationItem
from ..scope import get_item_for_user, get_problem_for_user

Status = RectificationItem.Status


def _item_url(item, anchor=""):
    url = reverse("rectification:item_detail", args=[item.pk])
    return f"{url}#{anchor}" if anchor else url


@login_required
@require_http_methods(["GET", "POST"])
def item_create(request, problem_pk):
    problem = get_problem_for_user(request.user, problem_pk)
    require(may_keep(request.user, problem.unit))
    form = ItemForm(*bound(request), unit=problem.unit, problem=problem)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.item_create(problem=problem, by=request.user, **form.cleaned_data)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("已建立整改事项“%(title)s”。") % {"title": item.title})
            return redirect(_item_url(item))
    context = {"form": form, "problem": problem, "unit": problem.unit}
    return render(request, "rectification/item_form.html", context)


def _render_item(request, item, *, complete_form=None, return_form=None):
    user, unit = request.user, item.unit
    may_edit, may_verify = may_keep(user, unit), may_supervise(user, unit)
    if complete_form is None and may_edit and item.status == Status.IN_PROGRESS:
        complete_form = CompleteForm()
    if return_form is None and may_verify and item.status == Status.COMPLETED:
        return_form = ReturnForm()
    today = timezone.localdate()
    context = {
        "item": item,
        "unit": unit,
        "problem": item.problem,
        # Which opinions this item answers, as far as the user may see them.
        "opinions": visible_opinions(user).filter(problems=item.problem_id).order_by("id"),
        "detail": selectors.item_detail(item, today=today),
        "can_edit": may_edit,
        "can_verify": may_verify,
        "complete_form": complete_form,
        "return_form": return_form,
        "report_day": reporting.report_day(reporting.month_of(today)),
        "today": today,
    }
    return render(request, "rectification/item_detail.html", context)


@login_required
@require_GET
def item_detail(request, item_pk):
    return _render_item(request, get_item_for_user(request.user, item_pk))


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request, item_pk):
    item = get_item_for_user(request.user, item_pk)
    require(may_keep(request.user, item.unit))
    if not item.is_open:
        messages.error(request, _("已完成或已销号的整改事项不能修改；如需修改，请先由督导组退回。"))
        return redirect(_item_url(item))
    title = item.title  # the form changes the instance it is given while it validates
    form = ItemForm(*bound(request), instance=item, unit=item.unit, problem=item.problem)
    if request.method == "POST" and form.is_valid():
        try:
            services.item_update(item=item, by=request.user, **form.cleaned_data)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("已保存对整改事项的修改。"))
            return redirect(_item_url(item))
    context = {"form": form, "item": item, "title": title, "problem": item.problem}
    context["unit"] = item.unit
    return render(request, "rectification/item_form.html", context)


@login_required
def item_start(request, item_pk):
    item = get_item_for_user(request.user, item_pk)
    if refused := post_only(request):
        return refused
    require(may_keep(request.user, item.unit))
    try:
        services.item_start(item=item, by=request.user)
    except ValidationError as e:
        report_errors(request, e)
    else:
        messages.success(request, _("整改事项已开始整改。"))
    return redirect(_item_url(item))


@login_required
def item_complete(request, item_pk):
    item = get_item_for_user(request.user, item_pk)
    if refused := post_only(request):
        return refused
    require(may_keep(request.user, item.unit))
    form = CompleteForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.item_complete(
                item=item,
                note=form.cleaned_data["note"],
                evidence=form.cleaned_data["evidence"],
                by=request.user,
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("已标记整改完成，等待督导组核实销号。"))
            return redirect(_item_url(item))
    return _render_item(request, item, complete_form=form)


@login_required
def item_verify(request, item_pk):
    item = get_item_for_user(request.user, item_pk)
    if refused := post_only(request):
        return refused
    require(may_supervise(request.user, item.unit))
    try:
        services.item_verify(item=item, by=request.user)
    except ValidationError as e:
        report_errors(request, e)
    else:
        messages.success(request, _("已核实销号。"))
    return redirect(_item_url(item))


@login_required
def item_return(request, item_pk):
    item = get_item_for_user(request.user, item_pk)
    if refused := post_only(request):
        return refused
    require(may_supervise(request.user, item.unit))
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.item_return(item=item, reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("已退回，事项回到“整改中”。"))
            return redirect(_item_url(item))
    return _render_item(request, item, return_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def report_create(request, item_pk):
    item = get_item_for_user(request.user, item_pk)
    require(may_keep(request.user, item.unit))
    form = ReportForm(*bound(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.progress_report_file(item=item, by=request.user, **form.cleaned_data)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("已填报本月整改进展。"))
            return redirect(_item_url(item, "reports"))
    today = timezone.localdate()
    month = reporting.month_of(today)
    context = {
        "form": form,
        "item": item,
        "unit": item.unit,
        "month": month,
        "report_day": reporting.report_day(month),
        "already": item.reports.filter(month=month).first(),
    }
    return render(request, "rectification/report_form.html", context)
