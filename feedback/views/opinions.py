"""Opinion pages: the staff list, entry, batch entry, detail; the public box and its poster."""

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.http import bound, post_only, report_errors, report_form_errors
from units.models import Unit
from units.policy import may_keep, may_see_contacts, require
from units.scope import get_unit_for_user

from .. import receipts, selectors, services, throttle
from ..forms import (
    OpinionBatchForm,
    OpinionBulkForm,
    OpinionCampaignForm,
    OpinionFilterForm,
    OpinionForm,
    OpinionNoteForm,
    OpinionStatusForm,
    PublicOpinionForm,
    PublicReplyForm,
)
from ..models import Opinion
from ..scope import (
    get_opinion_for_user,
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
        allow_window=not subtree or unit.parent_id is None,
    )
    # Bulk actions work on one unit's opinions, so not while sub-units are shown.
    bulk = not subtree and may_keep(request.user, unit)
    context = {
        "unit": unit,
        "filter_form": filter_form,
        "page": page,
        "subtree": subtree,
        "can_take": may_keep(request.user, unit),
        "can_turn": not subtree and may_keep(request.user, unit),
        "bulk_form": OpinionBulkForm(unit=unit) if bulk else None,
    }
    return render(request, "feedback/opinion_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def opinion_create(request, unit_pk):
    unit = get_unit_for_user(request.user, unit_pk)
    require(may_keep(request.user, unit))
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
    require(may_keep(request.user, unit))
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
    editable = may_keep(request.user, opinion.unit)
    moves = [s for s in Opinion.Status if opinion.can_transition(s)] if editable else []
    context = {
        "opinion": opinion,
        "unit": opinion.unit,
        "notes": selectors.opinion_notes(opinion),
        "can_take": editable,
        "show_contact": may_see_contacts(request.user, opinion.unit),
        "note_form": OpinionNoteForm() if editable else None,
        "reply_form": (
            PublicReplyForm(initial={"text": opinion.public_reply or ""})
            if editable and opinion.channel == Opinion.Channel.BOX
            else None
        ),
        "campaign_form": (
            OpinionCampaignForm(initial={"campaign": opinion.campaign_id}, unit=opinion.unit)
            if editable
            else None
        ),
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
    require(may_keep(request.user, opinion.unit))
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
        report_form_errors(request, form)
    return redirect("feedback:opinion_detail", opinion.pk)


@login_required
def opinion_campaign(request, opinion_pk):
    """Staff file an opinion under another of the unit's campaigns."""
    opinion = get_opinion_for_user(request.user, opinion_pk)
    if refused := post_only(request):
        return refused
    require(may_keep(request.user, opinion.unit))
    form = OpinionCampaignForm(request.POST, unit=opinion.unit)
    if form.is_valid():
        try:
            services.opinion_set_campaign(
                opinion=opinion, campaign=form.cleaned_data["campaign"], by=request.user
            )
        except ValidationError as e:
            report_errors(request, e)
        else:
            messages.success(request, _("已更改意见的所属活动。"))
    else:
        report_form_errors(request, form)
    return redirect("feedback:opinion_detail", opinion.pk)


@login_required
def opinion_reply(request, opinion_pk):
    """Staff write the reply a citizen with the opinion's 查询码 will read."""
    opinion = get_opinion_for_user(request.user, opinion_pk)
    if refused := post_only(request):
        return refused
    require(may_keep(request.user, opinion.unit))
    form = PublicReplyForm(request.POST)
    if form.is_valid():
        try:
            services.opinion_public_reply(
                opinion=opinion, text=form.cleaned_data["text"], by=request.user
            )
        except ValidationError as e:
            report_errors(request, e)
        else:
            messages.success(request, _("已保存公开答复。"))
    else:
        report_form_errors(request, form)
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
    if request.method == "POST":
        if form.is_bot():
            return _receipt_page(request, unit, receipts.new_code())  # stores nothing
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
                opinion = services.opinion_public_submit(
                    unit=unit, **form.cleaned_data_without_bait()
                )
            except ValidationError as e:
                form.add_error(None, e)
            else:
                return _receipt_page(request, unit, opinion.receipt_code)
    return render(request, "feedback/public_box.html", {"unit": unit, "form": form})


def _receipt_page(request, unit, code: str):
    """The thanks page with the 查询码, in the answer to the POST itself: shown once, never
    in a URL, a redirect or the session, and not kept by any cache."""
    context = {"unit": unit, "receipt_code": receipts.shown(receipts.cleaned(code)) or code}
    response = render(request, "feedback/public_thanks.html", context)
    patch_cache_control(response, no_store=True, private=True)
    return response


@require_GET
def public_thanks(request, unit_code):
    unit = _public_unit(unit_code)
    return render(request, "feedback/public_thanks.html", {"unit": unit})
