"""Materials (材料): drafts, frozen revisions and the supervision group's review; stage gates
and waivers; the review queue; the group's confidential individual talks (个别谈话)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.http import post_only, report_errors
from units.models import User
from units.policy import may_keep, may_open_review_queue, may_supervise, require
from units.selectors import groups_over

from .. import services
from ..forms.materials import (
    MaterialDraftForm,
    MaterialStartForm,
    ReviewForm,
    ReviewQueueFilterForm,
    StageWaiveForm,
    TalkForm,
)
from ..models import Material, Review, Stage
from ..scope import (
    get_material_for_user,
    get_participation_for_user,
    get_revision_for_user,
    is_campaign_office,
    visible_talks,
)
from ..selectors import materials as selectors

QUEUE_PAGE_SIZE = 50


def _get_only(request):
    """@require_GET, applied after the scope check so that an outsider's POST is a 404 too."""
    return None if request.method in ("GET", "HEAD") else HttpResponseNotAllowed(["GET"])


def _list_url(participation_pk, stage_pk=None):
    url = reverse("campaign:materials", args=[participation_pk])
    return f"{url}#stage-{stage_pk}" if stage_pk else url


# --- A unit's materials, stage by stage ------------------------------------------------------


def _render_list(request, participation, *, failed_stage_pk=None, failed_form=None):
    user = request.user
    stages = selectors.material_overview(participation)
    is_office = is_campaign_office(user, participation.campaign)
    if is_office:
        for block in stages:
            if not block.is_closed:
                failed = block.stage.pk == failed_stage_pk
                block.waive_form = failed_form if failed else StageWaiveForm(stage=block.stage)
    context = {
        "participation": participation,
        "campaign": participation.campaign,
        "unit": participation.unit,
        "stages": stages,
        "can_record": may_keep(user, participation.unit),
        "is_supervisor": may_supervise(user, participation.unit),
        "is_office": is_office,
        "failed_stage_pk": failed_stage_pk,
    }
    return render(request, "campaign/material_list.html", context)


@login_required
def material_list(request, participation_pk):
    participation = get_participation_for_user(request.user, participation_pk)
    if refused := _get_only(request):
        return refused
    return _render_list(request, participation)


@login_required
def material_start(request, participation_pk):
    participation = get_participation_for_user(request.user, participation_pk)
    if refused := post_only(request):
        return refused
    require(may_keep(request.user, participation.unit))
    form = MaterialStartForm(request.POST, participation=participation)
    if not form.is_valid():
        messages.error(request, _("请从本单位的应报材料中选择要撰写的材料。"))
        return redirect(_list_url(participation.pk))
    try:
        material = services.material_start(
            participation=participation, by=request.user, **form.cleaned_data
        )
    except ValidationError as e:
        report_errors(request, e)
        return redirect(_list_url(participation.pk))
    return redirect("campaign:material", material.pk)


@login_required
def stage_waive(request, participation_pk, stage_pk):
    participation = get_participation_for_user(request.user, participation_pk)
    stage = get_object_or_404(Stage, pk=stage_pk, campaign_id=participation.campaign_id)
    if refused := post_only(request):
        return refused
    if not is_campaign_office(request.user, participation.campaign):
        raise PermissionDenied
    form = StageWaiveForm(request.POST, stage=stage)
    if form.is_valid():
        try:
            closed = services.stage_waive(
                participation=participation,
                stage=stage,
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            if closed:
                messages.success(
                    request, _("“%(stage)s”已免于把关，本环节结束。") % {"stage": stage.name}
                )
            else:
                messages.info(request, _("“%(stage)s”已经结束。") % {"stage": stage.name})
            return redirect(_list_url(participation.pk, stage.pk))
    return _render_list(request, participation, failed_stage_pk=stage.pk, failed_form=form)


# --- One material: the draft, the thread of revisions and reviews -----------------------------


def _render_detail(request, material, *, draft_form=None, review_form=None):
    user = request.user
    participation = material.participation
    detail = selectors.material_detail(material)
    may_edit = material.is_editable and may_keep(user, participation.unit)
    may_review = may_supervise(user, participation.unit)
    latest = detail.latest
    decide_on = (
        latest.revision
        if may_review and latest and material.status == Material.Status.SUBMITTED
        else None
    )
    if may_edit and draft_form is None:
        draft_form = MaterialDraftForm(initial={"text": material.draft_text})
    if decide_on and review_form is None:
        review_form = ReviewForm()
    oldest_first = request.GET.get("order") == "oldest"
    context = {
        "material": material,
        "participation": participation,
        "unit": participation.unit,
        "requirement": material.requirement,
        "detail": detail,
        "entries": detail.entries if oldest_first else detail.entries[::-1],
        "oldest_first": oldest_first,
        "state_label": selectors.state_label(material),
        "state_badge": selectors.STATE_BADGES[material.status],
        "may_edit": may_edit,
        "is_supervisor": may_review,
        "draft_form": draft_form if may_edit else None,
        "decide_on": decide_on,
        "review_form": review_form if decide_on else None,
    }
    return render(request, "campaign/material_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def material_detail(request, material_pk):
    """GET shows the material; POST saves the draft (the unit's staff only)."""
    material = get_material_for_user(request.user, material_pk)
    if request.method == "GET":
        return _render_detail(request, material)
    require(may_keep(request.user, material.participation.unit))
    form = MaterialDraftForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_detail(request, material, draft_form=form)
    try:
        services.material_save_draft(
            material=material,
            text=form.cleaned_data["text"],
            uploads=form.cleaned_data["uploads"],
            by=request.user,
        )
    except ValidationError as e:
        report_errors(request, e)  # submitted meanwhile: the page now shows it frozen
    else:
        messages.success(request, _("草稿已保存。"))
    return redirect("campaign:material", material.pk)


@login_required
def material_submit(request, material_pk):
    """Freeze the editor's text as the next revision: the draft is saved with it, or neither."""
    material = get_material_for_user(request.user, material_pk)
    if refused := post_only(request):
        return refused
    require(may_keep(request.user, material.participation.unit))
    form = MaterialDraftForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            with transaction.atomic():
                if "text" in request.POST:
                    services.material_save_draft(
                        material=material,
                        text=form.cleaned_data["text"],
                        uploads=form.cleaned_data["uploads"],
                        by=request.user,
                    )
                revision = services.material_submit(material=material, by=request.user)
        except ValidationError as e:
            if not material.is_editable:
                report_errors(request, e)
                return redirect("campaign:material", material.pk)
            form.add_error(None, e)
        else:
            messages.success(request, _("已提交%(rev)s，等待督导组审核。") % {"rev": revision})
            return redirect("campaign:material", material.pk)
    return _render_detail(request, material, draft_form=form)


@login_required
def review_decide(request, revision_pk):
    revision = get_revision_for_user(request.user, revision_pk)
    if refused := post_only(request):
        return refused
    material = revision.material
    require(may_supervise(request.user, material.participation.unit))
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            review = services.review_decide(
                revision=revision,
                decision=form.cleaned_data["decision"],
                comment=form.cleaned_data["comment"],
                by=request.user,
            )
        except ValidationError as e:
            if not hasattr(e, "error_dict"):
                # A stale or second decision: nothing in the form to correct.
                report_errors(request, e)
                return redirect("campaign:material", material.pk)
            form.add_error(None, e)
        else:
            done = (
                _("已审核通过%(material)s（%(rev)s）。")
                if review.decision == Review.Decision.APPROVE
                else _("已将%(material)s（%(rev)s）退回修改，单位将收到通知。")
            )
            messages.success(request, done % {"material": material, "rev": revision})
            return redirect("campaign:material", material.pk)
    material = get_material_for_user(request.user, material.pk)
    return _render_detail(request, material, review_form=form)


def _revision_number(value, default):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


@login_required
def material_diff(request, material_pk):
    """Two revisions' texts side by side: ?a=1&b=2 (by default the last two)."""
    material = get_material_for_user(request.user, material_pk)
    if refused := _get_only(request):
        return refused
    revisions = {r.number: r for r in material.revisions.select_related("submitted_by")}
    numbers = sorted(revisions)
    b = _revision_number(request.GET.get("b"), numbers[-1] if numbers else None)
    a = _revision_number(request.GET.get("a"), b - 1 if b else None)
    table = None
    if a in revisions and b in revisions and a != b:
        # selectors.diff escapes both texts; the markup around them is its own.
        table = mark_safe(selectors.revision_diff(revisions[a], revisions[b]))
    context = {
        "material": material,
        "participation": material.participation,
        "unit": material.participation.unit,
        "revisions": [revisions[n] for n in numbers],
        "a": a,
        "b": b,
        "old": revisions.get(a),
        "new": revisions.get(b),
        "table": table,
    }
    return render(request, "campaign/material_diff.html", context)


# --- The supervisor's review queue -------------------------------------------------------------


@login_required
@require_GET
def review_queue(request):
    user = request.user
    require(may_open_review_queue(user))
    form = ReviewQueueFilterForm(request.GET, groups=selectors.review_groups(user))
    materials = selectors.review_queue(user, **form.filters())
    page = Paginator(materials, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    rows = [(m, selectors.waited_label(m.submitted_at, now)) for m in page]
    context = {"form": form, "page": page, "rows": rows, "now": now}
    return render(request, "campaign/review_queue.html", context)


# --- Individual talks: the supervision group's own record --------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def talks(request, participation_pk):
    """Only the unit's supervisors (and admins, who read) learn that these records exist."""
    user = request.user
    participation = get_participation_for_user(user, participation_pk)
    unit = participation.unit
    if not may_supervise(user, unit):
        raise Http404
    form = None
    if user.role == User.Role.SUPERVISOR:  # an admin reads the records but adds none
        form = TalkForm(request.POST or None, groups=groups_over(unit).filter(members=user))
    elif request.method == "POST":
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        try:
            services.talk_record(participation=participation, by=user, **form.cleaned_data)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("已记录个别谈话。"))
            return redirect("campaign:talks", participation.pk)
    context = {
        "participation": participation,
        "campaign": participation.campaign,
        "unit": unit,
        "talks": visible_talks(user)
        .filter(participation=participation)
        .select_related("group", "recorded_by"),
        "form": form,
    }
    return render(request, "campaign/talks.html", context)
