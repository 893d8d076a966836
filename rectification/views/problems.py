"""Problems a unit admits (查摆问题): the list, recording one, its page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.http import bound, parse_ids
from feedback.models import FourWinds
from feedback.scope import visible_opinions
from units.policy import may_keep, require
from units.scope import get_unit_for_user

from .. import selectors, services
from ..forms import ProblemForm
from ..models import Problem
from ..scope import get_problem_for_user


@login_required
@require_GET
def problem_list(request, unit_pk):
    unit = get_unit_for_user(request.user, unit_pk)
    kind = request.GET.get("kind", "")
    kind = kind if kind in Problem.Kind.values else ""
    four_winds = request.GET.get("four_winds", "")
    four_winds = four_winds if four_winds in FourWinds.values else ""
    context = {
        "unit": unit,
        "page": selectors.problem_page(
            unit, kind=kind, four_winds=four_winds, page_number=request.GET.get("page")
        ),
        "kind": kind,
        "four_winds": four_winds,
        "kinds": Problem.Kind.choices,
        "winds": FourWinds.choices,
        "can_edit": may_keep(request.user, unit),
    }
    return render(request, "rectification/problem_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def problem_create(request, unit_pk):
    unit = get_unit_for_user(request.user, unit_pk)
    require(may_keep(request.user, unit))
    form = ProblemForm(*bound(request), unit=unit)
    # 转为问题: the opinion list sends the chosen opinions' ids; only the user's own unit's.
    ids = parse_ids((request.POST or request.GET).getlist("opinions"))
    opinions = list(visible_opinions(request.user).filter(unit=unit, pk__in=ids)) if ids else []
    if request.method == "POST" and form.is_valid():
        try:
            problem = services.problem_create(
                unit=unit, by=request.user, opinions=opinions, **form.cleaned_data
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(
                request,
                _("已登记问题“%(title)s”，请为它建立整改事项。") % {"title": problem.title},
            )
            return redirect("rectification:problem_detail", problem.pk)
    context = {"form": form, "unit": unit, "opinions": opinions}
    return render(request, "rectification/problem_form.html", context)


@login_required
@require_GET
def problem_detail(request, problem_pk):
    problem = get_problem_for_user(request.user, problem_pk)
    context = {
        "problem": problem,
        "unit": problem.unit,
        "items": selectors.problem_items(problem),
        "opinions": visible_opinions(request.user).filter(problems=problem).order_by("id"),
        "history": selectors.problem_history(problem),
        "can_edit": may_keep(request.user, problem.unit),
    }
    return render(request, "rectification/problem_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def problem_edit(request, problem_pk):
    problem = get_problem_for_user(request.user, problem_pk)
    require(may_keep(request.user, problem.unit))
    title = problem.title
    form = ProblemForm(*bound(request), instance=problem, unit=problem.unit)
    if request.method == "POST" and form.is_valid():
        try:
            services.problem_update(problem=problem, by=request.user, **form.cleaned_data)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("已保存对问题的修改。"))
            return redirect("rectification:problem_detail", problem.pk)
    context = {"form": form, "unit": problem.unit, "problem": problem, "title": title}
    return render(request, "rectification/problem_form.html", context)
