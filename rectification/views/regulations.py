"""The rules inventory (建章立制): list, record, edit, and adopt or abolish a rule."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.http import bound, post_only
from units.policy import may_keep, require
from units.scope import get_unit_for_user

from .. import selectors, services
from ..forms import AdoptForm, RegulationForm
from ..models import Regulation
from ..scope import get_regulation_for_user

PAGE_SIZE = 50


@login_required
@require_GET
def regulation_list(request, unit_pk):
    unit = get_unit_for_user(request.user, unit_pk)
    action = request.GET.get("action", "")
    action = action if action in Regulation.Action.values else ""
    status = request.GET.get("status", "")
    status = status if status in Regulation.Status.values else ""
    rows = selectors.regulation_rows(unit, action=action, status=status)
    context = {
        "unit": unit,
        "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
        "action": action,
        "status": status,
        "actions": Regulation.Action.choices,
        "statuses": Regulation.Status.choices,
        "can_edit": may_keep(request.user, unit),
    }
    return render(request, "rectification/regulation_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def regulation_create(request, unit_pk):
    unit = get_unit_for_user(request.user, unit_pk)
    require(may_keep(request.user, unit))
    form = RegulationForm(*bound(request), unit=unit)
    if request.method == "POST" and form.is_valid():
        try:
            regulation = services.regulation_create(
                unit=unit, by=request.user, **form.service_arguments()
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("已登记制度“%(title)s”。") % {"title": regulation.title})
            return redirect("rectification:regulation_detail", regulation.pk)
    return render(request, "rectification/regulation_form.html", {"form": form, "unit": unit})


def _render_regulation(request, regulation, adopt_form=None):
    may_edit = may_keep(request.user, regulation.unit)
    if adopt_form is None and may_edit and regulation.status == Regulation.Status.DRAFTING:
        adopt_form = AdoptForm()
    context = {
        "regulation": regulation,
        "unit": regulation.unit,
        "detail": selectors.regulation_detail(regulation),
        "can_edit": may_edit,
        "adopt_form": adopt_form,
    }
    return render(request, "rectification/regulation_detail.html", context)


@login_required
@require_GET
def regulation_detail(request, regulation_pk):
    return _render_regulation(request, get_regulation_for_user(request.user, regulation_pk))


@login_required
@require_http_methods(["GET", "POST"])
def regulation_edit(request, regulation_pk):
    regulation = get_regulation_for_user(request.user, regulation_pk)
    require(may_keep(request.user, regulation.unit))
    title = regulation.title
    form = RegulationForm(*bound(request), instance=regulation, unit=regulation.unit)
    if request.method == "POST" and form.is_valid():
        try:
            services.regulation_update(
                regulation=regulation, by=request.user, **form.service_arguments()
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("已保存对制度的修改。"))
            return redirect("rectification:regulation_detail", regulation.pk)
    context = {"form": form, "unit": regulation.unit, "regulation": regulation, "title": title}
    return render(request, "rectification/regulation_form.html", context)


@login_required
def regulation_adopt(request, regulation_pk):
    regulation = get_regulation_for_user(request.user, regulation_pk)
    if refused := post_only(request):
        return refused
    require(may_keep(request.user, regulation.unit))
    form = AdoptForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            regulation = services.regulation_adopt(
                regulation=regulation,
                on=form.cleaned_data["on"],
                document=form.cleaned_data["document"],
                by=request.user,
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(
                request,
                _("制度“%(title)s”已%(status)s。")
                % {"title": regulation.title, "status": regulation.get_status_display()},
            )
            return redirect("rectification:regulation_detail", regulation.pk)
    return _render_regulation(request, regulation, adopt_form=form)
