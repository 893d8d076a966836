"""Appraisal pages for signed-in users: a unit's rounds, a new round, codes and slips, paper
tallies, closing, results and their export."""

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.http import post_only, report_errors
from units.scope import get_unit_for_user

from .. import results as selectors
from .. import services
from ..codes import display_code
from ..forms import CodesForm, RoundForm, TallyForm
from ..models import PaperTally
from ..scope import (
    OWN,
    can_manage,
    get_round_for_user,
    require_manager,
    results_scope,
    visible_rounds,
)

SLIPS_PER_PAGE = 10


@login_required
@require_GET
def appraisal_list(request, unit_pk):
    unit = get_unit_for_user(request.user, unit_pk)
    rounds = visible_rounds(request.user).filter(unit=unit).select_related("unit")
    context = {
        "unit": unit,
        "rounds": rounds,
        "can_manage": can_manage(request.user, unit),
        "now": timezone.now(),
    }
    return render(request, "appraisals/appraisal_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def appraisal_create(request, unit_pk):
    unit = get_unit_for_user(request.user, unit_pk)
    require_manager(request.user, unit)
    form = RoundForm(request.POST or None, unit=unit)
    if request.method == "POST" and form.is_valid():
        try:
            round = services.round_create(unit=unit, by=request.user, **form.cleaned_data)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("已发起评议“%(title)s”。") % {"title": round.title})
            return redirect("appraisals:appraisal_detail", round.pk)
    return render(request, "appraisals/appraisal_form.html", {"form": form, "unit": unit})


@login_required
@require_GET
def appraisal_detail(request, appraisal_pk):
    round = get_round_for_user(request.user, appraisal_pk)
    manager = can_manage(request.user, round.unit)
    context = {
        "round": round,
        "unit": round.unit,
        "targets": round.targets.all(),
        "progress": selectors.round_progress(round),
        "can_manage": manager,
        "closed": round.is_closed(),
        "codes_form": CodesForm() if manager and round.is_online else None,
        "may_see_results": results_scope(request.user, round) is not None,
        "ballot_url": request.build_absolute_uri(reverse("appraisals:ballot")),
    }
    return render(request, "appraisals/appraisal_detail.html", context)


@login_required
def appraisal_codes(request, appraisal_pk):
    round = get_round_for_user(request.user, appraisal_pk)
    if refused := post_only(request):
        return refused
    require_manager(request.user, round.unit)
    form = CodesForm(request.POST)
    if form.is_valid():
        try:
            codes = services.codes_generate(
                round=round, count=form.cleaned_data["count"], by=request.user
            )
        except ValidationError as e:
            report_errors(request, e)
        else:
            messages.success(request, _("已生成 %(n)d 个评议码。") % {"n": len(codes)})
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("appraisals:appraisal_detail", round.pk)


@login_required
@require_GET
def appraisal_slips(request, appraisal_pk):
    """The unspent codes as slips to cut apart, ten to an A4 page."""
    from core.reports.pdf import render_pdf

    round = get_round_for_user(request.user, appraisal_pk)
    require_manager(request.user, round.unit)
    ballot_url = request.build_absolute_uri(reverse("appraisals:ballot"))
    codes = round.codes.filter(spent=False).order_by("code").values_list("code", flat=True)
    slips = []
    for code in codes:
        link = f"{ballot_url}?c={display_code(code)}"
        qr = segno.make(link, error="m")
        slips.append({"code": display_code(code), "qr": mark_safe(qr.svg_data_uri(scale=4))})
    if len(slips) % 2:
        slips.append(None)  # an empty cell keeps the last row's slip half a page wide
    rows = [slips[i : i + 2] for i in range(0, len(slips), 2)]
    per_page = SLIPS_PER_PAGE // 2
    pages = [rows[i : i + per_page] for i in range(0, len(rows), per_page)]
    context = {"round": round, "unit": round.unit, "pages": pages, "ballot_url": ballot_url}
    pdf = render_pdf("appraisals/slips.html", context)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="slips-{round.pk}.pdf"'
    return response


@login_required
def appraisal_close(request, appraisal_pk):
    round = get_round_for_user(request.user, appraisal_pk)
    if refused := post_only(request):
        return refused
    require_manager(request.user, round.unit)
    try:
        services.round_close(round=round, by=request.user)
    except ValidationError as e:
        report_errors(request, e)
    else:
        messages.success(request, _("评议已结束，结果已向本单位公布。"))
    return redirect("appraisals:appraisal_detail", round.pk)


@login_required
@require_http_methods(["GET", "POST"])
def appraisal_tally(request, appraisal_pk):
    round = get_round_for_user(request.user, appraisal_pk)
    require_manager(request.user, round.unit)
    targets = list(round.targets.all())
    initial = {
        (t, r): n
        for t, r, n in PaperTally.objects.filter(round=round).values_list(
            "target_id", "rating", "count"
        )
    }
    answers: dict[int, list[str]] = {}
    for q, text in round.answers.filter(ballot=None).values_list("question", "text"):
        answers.setdefault(q, []).append(text)
    form = TallyForm(
        request.POST if request.method == "POST" else None,
        round=round,
        targets=targets,
        initial_counts=initial,
        answers=answers,
    )
    if request.method == "POST" and not round.is_online and form.is_valid():
        try:
            services.paper_tally_save(
                round=round, counts=form.counts(), answers=form.answers(), by=request.user
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("已保存纸质票统计。"))
            return redirect("appraisals:appraisal_results", round.pk)
    context = {"round": round, "unit": round.unit, "form": form}
    return render(request, "appraisals/appraisal_tally.html", context)


def _results_or_none(request, round):
    scope = results_scope(request.user, round)
    if scope is None:
        return None, None, None
    progress = selectors.round_progress(round)
    person_id = request.user.person_id if scope == OWN else None
    rows = selectors.round_results(round, person_id=person_id)
    answers = [] if scope == OWN else selectors.round_answers(round, progress)
    return rows, answers, progress


@login_required
@require_GET
def appraisal_results(request, appraisal_pk):
    round = get_round_for_user(request.user, appraisal_pk)
    rows, answers, progress = _results_or_none(request, round)
    context = {
        "round": round,
        "unit": round.unit,
        "rows": rows,
        "answers": answers,
        "progress": progress,
        "own_only": results_scope(request.user, round) == OWN,
        "can_manage": can_manage(request.user, round.unit),
    }
    return render(request, "appraisals/appraisal_results.html", context)


@login_required
@require_GET
def appraisal_export(request, appraisal_pk):
    from ..exports import results_pdf, results_xlsx

    round = get_round_for_user(request.user, appraisal_pk)
    rows, answers, _progress = _results_or_none(request, round)
    if rows is None:
        raise PermissionDenied
    if request.GET.get("format") == "pdf":
        content = results_pdf(round, rows, answers, user=request.user)
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="appraisal-{round.pk}.pdf"'
        return response
    content = results_xlsx(round, rows, answers, user=request.user)
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="appraisal-{round.pk}.xlsx"'
    return response
