"""Appraisal pages for signed-in users: a unit's rounds, a new round, codes and slips, paper
tallies, closing, results and their export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.http import post_only, report_errors, report_form_errors
from core.reports.http import report_response
from units.policy import may_run_rounds, require
from units.scope import get_unit_for_user

from .. import results as selectors
from .. import services
from ..exports import ballot_url
from ..forms import CodesForm, ReprintForm, RoundForm, TallyForm
from ..models import PaperTally
from ..scope import OWN, get_round_for_user, results_scope, visible_rounds


@login_required
@require_GET
def appraisal_list(request, unit_pk):
    unit = get_unit_for_user(request.user, unit_pk)
    rounds = visible_rounds(request.user).filter(unit=unit).select_related("unit")
    context = {
        "unit": unit,
        "rounds": rounds,
        "can_manage": may_run_rounds(request.user, unit),
        "now": timezone.now(),
    }
    return render(request, "appraisals/appraisal_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def appraisal_create(request, unit_pk):
    unit = get_unit_for_user(request.user, unit_pk)
    require(may_run_rounds(request.user, unit))
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
    manager = may_run_rounds(request.user, round.unit)
    context = {
        "round": round,
        "unit": round.unit,
        "targets": round.targets.all(),
        "progress": selectors.round_progress(round),
        "can_manage": manager,
        "closed": round.is_closed(),
        "codes_form": CodesForm() if manager and round.is_online else None,
        "reprint_form": ReprintForm() if manager and round.has_started() else None,
        "may_see_results": results_scope(request.user, round) is not None,
        "ballot_url": request.build_absolute_uri(reverse("appraisals:ballot")),
    }
    return render(request, "appraisals/appraisal_detail.html", context)


@login_required
def appraisal_codes(request, appraisal_pk):
    round = get_round_for_user(request.user, appraisal_pk)
    if refused := post_only(request):
        return refused
    require(may_run_rounds(request.user, round.unit))
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
        report_form_errors(request, form)
    return redirect("appraisals:appraisal_detail", round.pk)


@login_required
@require_http_methods(["GET", "POST"])
def appraisal_slips(request, appraisal_pk):
    """Every code as slips to cut apart (the appraisals.slips report): only those who run the
    round may print them; once it has opened, only as a reprint posted with a reason."""
    round = get_round_for_user(request.user, appraisal_pk)
    require(may_run_rounds(request.user, round.unit))
    params = {"unit": round.unit_id, "round": round.pk, "ballot_url": ballot_url(request)}
    if round.has_started():
        form = ReprintForm(request.POST if request.method == "POST" else None)
        if not form.is_valid():
            messages.error(request, _("评议开始后补印评议票，请填写补印原因。"))
            return redirect("appraisals:appraisal_detail", round.pk)
        try:
            params["reprint"] = services.slips_reprint(
                round=round, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as e:
            report_errors(request, e)
            return redirect("appraisals:appraisal_detail", round.pk)
    return report_response(request, kind="appraisals.slips", fmt="pdf", params=params)


@login_required
def appraisal_close(request, appraisal_pk):
    round = get_round_for_user(request.user, appraisal_pk)
    if refused := post_only(request):
        return refused
    require(may_run_rounds(request.user, round.unit))
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
    require(may_run_rounds(request.user, round.unit))
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
    """Rows, answers and turnout; while the round is open only turnout (rows None)."""
    scope = results_scope(request.user, round)
    if scope is None:
        progress = None if round.is_closed() else selectors.round_progress(round)
        return None, None, progress
    if not round.sealed:
        services.round_seal(round=round)
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
        "can_manage": may_run_rounds(request.user, round.unit),
    }
    return render(request, "appraisals/appraisal_results.html", context)


@login_required
@require_GET
def appraisal_export(request, appraisal_pk):
    """The results as Excel or PDF (the appraisals.results report), as the user may see them
    on the results page; a 403 while there is nothing to show yet."""
    round = get_round_for_user(request.user, appraisal_pk)
    fmt = "pdf" if request.GET.get("format") == "pdf" else "xlsx"
    params = {"unit": round.unit_id, "round": round.pk}
    return report_response(request, kind="appraisals.results", fmt=fmt, params=params)
