"""Opinion pages: the staff list, entry, batch entry, detail; the public box and its poster."""

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.http import bound, post_only, report_errors
from units.models import Unit
from units.policy import may_keep
from units.scope import get_unit_for_user

from .. import selectors, services, throttle
from ..forms import (
    OpinionBatchForm,
    OpinionBulkForm,
    OpinionFilterForm,
    OpinionForm,
    OpinionNoteForm,
    OpinionStatusForm,
    PublicOpinionForm,
)
from ..models import Opinion
from ..scope import (
    can_take,
    get_opinion_for_user,
    require_taker,
    unit_opinions,
    visible_opinions,
)


@login_required
@require_GET
def opinion_list(request, unit_pk):
    unit = get_unit_for_user(request.user, unit_pk)
    filter_form = OpinionFilterForm(request.GET or None)
    filters = filter_form.filters() if request.GET else {}
    subtree = bool(filters.get("subtree"))
    rows = unit_opinions(request.user, unit, subtree=subtree)
    page = selectors.opinion_page(
        rows,
        filters=filters,
        after=request.GET.get("after", ""),
        before=request.GET.get("before", ""),
    )
    # Bulk actions work on one unit's opinions, so not while sub-units are shown.
    bulk = not subtree and can_take(request.user, unit)
    context = {
        "unit": unit,
        "filter_form": filter_form,
        "page": page,
        "subtree": subtree,
        "can_take": can_take(request.user, unit),
        "can_turn": not subtree and may_keep(request.user, unit),
        "bulk_form": OpinionBulkForm(unit=unit) if bulk else None,
    }
    return render(request, "feedback/opinion_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def opinion_create(request, unit_pk):
    unit = get_unit_for_user(request.user, unit_pk)
    require_taker(request.user, unit)
    form = OpinionForm(*bound(request), unit=unit)
    if request.method == "POST" and form.is_valid():
        try:
            opinion = services.opinion_take(unit=unit, by=request.user, **form.cleaned_data)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("已录入意见。"))
            return redirect("feedback:opinion_detail", opinion.pk)
    return render(request, "feedback/opinion_form.html", {"form": form, "unit": unit})


@login_required
@require_http_methods(["GET", "POST"])
def opinion_batch(request, unit_pk):
    unit = get_unit_for_user(request.user, unit_pk)
    require_taker(request.user, unit)
    form = OpinionBatchForm(*bound(request), unit=unit)
    if request.method == "POST" and form.is_valid():
        try:
            opinions = services.opinions_take_batch(unit=unit, by=request.user, **form.cleaned_data)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("已录入 %(n)d 条意见。") % {"n": len(opinions)})
            return redirect("feedback:opinion_list", unit.pk)
    return render(request, "feedback/opinion_batch.html", {"form": form, "unit": unit})


@login_required
@require_GET
def opinion_detail(request, opinion_pk):
    opinion = get_opinion_for_user(request.user, opinion_pk)
    editable = can_take(request.user, opinion.unit)
    moves = [s for s in Opinion.Status if opinion.can_move_to(s)] if editable else []
    context = {
        "opinion": opinion,
        "unit": opinion.unit,
        "notes": selectors.opinion_notes(opinion),
        "can_take": editable,
        "note_form": OpinionNoteForm() if editable else None,
        "moves": moves,
        "status_form": OpinionStatusForm() if moves else None,
        "duplicates": selectors.likely_duplicates(opinion, visible_opinions(request.user)),
        "membership": getattr(opinion, "group_membership", None),
    }
    return render(request, "feedback/opinion_detail.html", context)


@login_required
def opinion_annotate(request, opinion_pk):
    opinion = get_opinion_for_user(request.user, opinion_pk)
    if refused := post_only(request):
        return refused
    require_taker(request.user, opinion.unit)
    form = OpinionNoteForm(request.POST)
    if form.is_valid():
        try:
            services.opinion_annotate(
                opinion=opinion, by=request.user, text=form.cleaned_data["text"]
            )
        except ValidationError as e:
            report_errors(request, e)
        else:
            messages.success(request, _("已添加批注。"))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("feedback:opinion_detail", opinion.pk)


@login_required
@require_GET
def opinion_poster(request, unit_pk):
    """A printable notice with a QR code that opens the public box."""
    unit = get_unit_for_user(request.user, unit_pk)
    box_url = request.build_absolute_uri(reverse("feedback:public_box", args=[unit.code]))
    qr = segno.make(box_url, error="m")
    context = {"unit": unit, "box_url": box_url, "qr_svg": mark_safe(qr.svg_inline(scale=6))}
    return render(request, "feedback/poster.html", context)


# Public, no login. The pages show the unit's name and the form, never an opinion.


def _public_unit(unit_code) -> Unit:
    return get_object_or_404(Unit.objects.only("id", "name", "code", "path"), code=unit_code)


@require_http_methods(["GET", "POST"])
def public_box(request, unit_code):
    unit = _public_unit(unit_code)
    form = PublicOpinionForm(request.POST or None)
    thanks = redirect("feedback:public_thanks", unit.code)
    if request.method == "POST":
        if form.is_bot():
            return thanks  # looks like success, stores nothing
        if form.is_valid():
            if not throttle.claim_submission(throttle.client_address(request)):
                form.add_error(
                    None,
                    _(
                        "提交过于频繁：同一网络 %(minutes)d 分钟内最多提交 %(n)d 条意见，请稍后再试。"
                    )
                    % {"minutes": throttle.WINDOW // 60, "n": throttle.LIMIT},
                )
                context = {"unit": unit, "form": form}
                return render(request, "feedback/public_box.html", context, status=429)
            try:
                services.opinion_public_submit(unit=unit, **form.cleaned_data_without_bait())
            except ValidationError as e:
                form.add_error(None, e)
            else:
                return thanks
    return render(request, "feedback/public_box.html", {"unit": unit, "form": form})


@require_GET
def public_thanks(request, unit_code):
    unit = _public_unit(unit_code)
    return render(request, "feedback/public_thanks.html", {"unit": unit})
