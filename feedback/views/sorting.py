"""Sorting opinions (梳理): bulk actions from the list, status moves, near-duplicate groups."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.http import post_only, report_errors, report_form_errors, safe_back
from units.policy import may_keep, require
from units.scope import get_unit_for_user, unit_filter

from .. import selectors, services
from ..forms import GroupIdsForm, GroupTitleForm, OpinionBulkForm, OpinionStatusForm
from ..models import OpinionGroup
from ..scope import get_opinion_for_user, visible_opinions
from ..services.groups import GroupsInTheWay


def _back(request, fallback: str):
    """Back to the page the form was on (the list with its filters), if it is ours."""
    return safe_back(request, request.POST.get("next", ""), fallback)


@login_required
def opinion_bulk(request, unit_pk):
    """The ticked opinions of the list: classify them, group them, or turn them into a problem."""
    unit = get_unit_for_user(request.user, unit_pk)
    if refused := post_only(request):
        return refused
    form = OpinionBulkForm(request.POST, unit=unit)
    fallback = reverse("feedback:opinion_list", args=[unit.pk])
    if not form.is_valid():
        report_form_errors(request, form)
        return _back(request, fallback)
    ids = form.cleaned_data["opinions"]
    action = form.cleaned_data["action"]
    if action == "problem":
        # Only a hand-over to the problem form (a GET), which checks who may record problems.
        query = urlencode([("opinions", pk) for pk in ids])
        return redirect(f"{reverse('rectification:problem_create', args=[unit.pk])}?{query}")
    require(may_keep(request.user, unit))
    try:
        if action == "group":
            group = services.group_create(
                unit=unit,
                opinion_ids=ids,
                by=request.user,
                title=form.cleaned_data["title"],
                move=form.cleaned_data["move"],
            )
            messages.success(
                request, _("已将 %(n)d 条意见归为一组。") % {"n": group.members.count()}
            )
            return redirect("feedback:group_detail", group.pk)
        changed = services.opinions_classify(
            unit=unit, ids=ids, by=request.user, **form.classification()
        )
    except GroupsInTheWay as e:
        context = {
            "unit": unit,
            "groups": e.groups,
            "ids": ids,
            "title": form.cleaned_data["title"],
            "next": request.POST.get("next", ""),
        }
        return render(request, "feedback/group_move_confirm.html", context)
    except ValidationError as e:
        report_errors(request, e)
    else:
        messages.success(request, _("已更新 %(n)d 条意见的分类。") % {"n": changed})
    return _back(request, fallback)


@login_required
def opinion_status(request, opinion_pk):
    opinion = get_opinion_for_user(request.user, opinion_pk)
    if refused := post_only(request):
        return refused
    require(may_keep(request.user, opinion.unit))
    form = OpinionStatusForm(request.POST)
    if form.is_valid():
        try:
            services.opinion_set_status(
                opinion=opinion, status=form.cleaned_data["status"], by=request.user
            )
        except ValidationError as e:
            report_errors(request, e)
        else:
            messages.success(request, _("已更新意见状态。"))
    else:
        report_form_errors(request, form)
    return redirect("feedback:opinion_detail", opinion.pk)


# Near-duplicate groups.


def _get_group_for_user(user, pk) -> OpinionGroup:
    return get_object_or_404(
        OpinionGroup.objects.filter(unit_filter(user)).select_related("unit", "representative"),
        pk=pk,
    )


def _group_gone(request, pk):
    """A group that no longer exists: what became of it and where its opinions are now.
    Only for a group of a unit the user may see; anything else stays a bare 404."""
    gone = selectors.group_gone(request.user, pk)
    if gone is None:
        raise Http404
    return render(request, "feedback/group_gone.html", gone, status=410)


@login_required
@require_GET
def group_list(request, unit_pk):
    unit = get_unit_for_user(request.user, unit_pk)
    status = request.GET.get("status", "")
    status = status if status in OpinionGroup.Status.values else ""
    context = {
        "unit": unit,
        "page": selectors.group_page(
            unit,
            visible_opinions(request.user),
            status=status,
            page_number=request.GET.get("page"),
        ),
        "status": status,
        "statuses": OpinionGroup.Status.choices,
        "can_take": may_keep(request.user, unit),
        "suggest_batch": services.groups.SUGGEST_BATCH,
    }
    return render(request, "feedback/group_list.html", context)


@login_required
def groups_suggest(request, unit_pk):
    unit = get_unit_for_user(request.user, unit_pk)
    if refused := post_only(request):
        return refused
    require(may_keep(request.user, unit))
    made = services.groups_suggest(unit=unit, by=request.user)
    if made:
        messages.success(request, _("找到 %(n)d 组疑似重复的意见，请逐组确认。") % {"n": made})
    else:
        messages.info(request, _("没有找到新的疑似重复意见。"))
    return redirect("feedback:group_list", unit.pk)


@login_required
@require_GET
def group_detail(request, opinion_group_pk):
    try:
        group = _get_group_for_user(request.user, opinion_group_pk)
    except Http404:
        return _group_gone(request, opinion_group_pk)
    editable = may_keep(request.user, group.unit)
    rows = visible_opinions(request.user)
    context = {
        "group": group,
        "unit": group.unit,
        "members": selectors.group_members(group, rows),
        "others": selectors.merge_candidates(group) if editable else [],
        "title_form": GroupTitleForm(initial={"title": group.title}),
        "can_take": editable,
    }
    return render(request, "feedback/group_detail.html", context)


def _group_action(request, opinion_group_pk):
    group = _get_group_for_user(request.user, opinion_group_pk)
    if refused := post_only(request):
        return group, refused
    require(may_keep(request.user, group.unit))
    return group, None


@login_required
def group_confirm(request, opinion_group_pk):
    group, refused = _group_action(request, opinion_group_pk)
    if refused:
        return refused
    form = GroupTitleForm(request.POST)
    if form.is_valid():
        services.group_confirm(group=group, by=request.user, title=form.cleaned_data["title"])
        messages.success(request, _("已确认这组意见。"))
    else:
        report_form_errors(request, form)
    return redirect("feedback:group_detail", group.pk)


@login_required
def group_merge(request, opinion_group_pk):
    group, refused = _group_action(request, opinion_group_pk)
    if refused:
        return refused
    form = GroupIdsForm(request.POST)
    if not form.is_valid():
        report_form_errors(request, form)
        return redirect("feedback:group_detail", group.pk)
    others = OpinionGroup.objects.filter(pk__in=form.cleaned_data["ids"])
    try:
        services.group_merge(group=group, others=list(others), by=request.user)
    except ValidationError as e:
        report_errors(request, e)
    else:
        messages.success(request, _("已合并意见组。"))
    return redirect("feedback:group_detail", group.pk)


@login_required
def group_split(request, opinion_group_pk):
    group, refused = _group_action(request, opinion_group_pk)
    if refused:
        return refused
    form = GroupIdsForm(request.POST)
    if not form.is_valid():
        report_form_errors(request, form)
        return redirect("feedback:group_detail", group.pk)
    try:
        new = services.group_split(
            group=group, opinion_ids=form.cleaned_data["ids"], by=request.user
        )
    except ValidationError as e:
        report_errors(request, e)
        return redirect("feedback:group_detail", group.pk)
    messages.success(request, _("已拆分意见组。"))
    if OpinionGroup.objects.filter(pk=group.pk).exists():
        return redirect("feedback:group_detail", group.pk)
    if new is not None:
        return redirect("feedback:group_detail", new.pk)
    return redirect("feedback:group_list", group.unit_id)


@login_required
def group_dissolve(request, opinion_group_pk):
    group, refused = _group_action(request, opinion_group_pk)
    if refused:
        return refused
    confirmed = request.POST.get("confirmed") == "1"
    if group.status == OpinionGroup.Status.CONFIRMED and not confirmed:
        context = {"group": group, "unit": group.unit, "size": group.members.count()}
        return render(request, "feedback/group_dissolve_confirm.html", context)
    try:
        services.group_dissolve(group=group, by=request.user, confirmed=confirmed)
    except ValidationError as e:
        report_errors(request, e)
        return redirect("feedback:group_detail", group.pk)
    messages.success(request, _("已解散这组意见，其中的意见恢复为未归组。"))
    return redirect("feedback:group_list", group.unit_id)
