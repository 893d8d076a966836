from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from . import selectors
from .scope import get_group_for_user, get_unit_for_user, visible_groups

PAGE_SIZE = 50


def _page(request, queryset, size=PAGE_SIZE):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


@login_required
def tree(request):
    query = request.GET.get("q", "").strip()[:50]
    context = {"query": query}
    if query:
        context["results"] = _page(request, selectors.search_units(request.user, query))
    else:
        context["roots"] = selectors.tree_roots(request.user)
    return render(request, "units/tree.html", context)


@login_required
def children(request, unit_pk):
    unit = get_unit_for_user(request.user, unit_pk)
    page = _page(request, selectors.unit_children(request.user, unit), size=200)
    return render(request, "units/_children.html", {"unit": unit, "page": page})


@login_required
def unit_detail(request, unit_pk):
    unit = get_unit_for_user(request.user, unit_pk)
    context = {
        "unit": unit,
        "breadcrumb": selectors.unit_breadcrumb(request.user, unit),
        "people": selectors.unit_people(unit),
        "children": _page(request, selectors.unit_children(request.user, unit)),
        "groups": selectors.groups_over(unit),
        "liaison_points": selectors.unit_liaison_points(unit),
        "history": selectors.unit_history(unit),
    }
    return render(request, "units/unit_detail.html", context)


@login_required
def group_list(request):
    groups = visible_groups(request.user).order_by("id")
    return render(request, "units/group_list.html", {"page": _page(request, groups)})


@login_required
def group_detail(request, group_pk):
    group = get_group_for_user(request.user, group_pk)
    context = {
        "group": group,
        "members": group.members.select_related("home_unit").order_by("id"),
        "units": _page(request, selectors.group_units(request.user, group)),
    }
    return render(request, "units/group_detail.html", context)
