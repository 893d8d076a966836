"""Random inspections (随机调研): the office draws units by lot, inspectors record findings,
the round prints a 随机抽查通报."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.reports.http import report_response

from ..forms.inspections import FindingForm, InspectionDrawForm
from ..scope import (
    get_campaign_for_user,
    get_finding_for_user,
    get_inspection_round_for_user,
    is_campaign_office,
    is_inspector,
    visible_participations,
)
from ..selectors.office import campaign_districts, campaign_stages
from ..services import inspections as services


@login_required
@require_http_methods(["GET", "POST"])
def inspection_list(request, campaign_pk):
    user = request.user
    campaign = get_campaign_for_user(user, campaign_pk)
    office = is_campaign_office(user, campaign)
    if not (office or is_inspector(user)):
        raise PermissionDenied
    form = None
    if office:
        form = InspectionDrawForm(
            request.POST if request.method == "POST" else None,
            districts=campaign_districts(user, campaign),
            stages=campaign_stages(campaign),
        )
    elif request.method == "POST":
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        try:
            round_ = services.inspection_round_draw(
                campaign=campaign, by=user, **form.draw_arguments()
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(
                request,
                _("已从 %(n)s 个候选单位中随机抽取 %(size)s 个，随机种子 %(seed)s。")
                % {"n": round_.candidate_count, "size": round_.size, "seed": round_.seed},
            )
            return redirect("campaign:inspection", round_.pk)
    rounds = campaign.inspections.select_related("district", "stage", "drawn_by")
    if not office:  # an inspector sees the rounds that drew a unit he or she may see
        mine = visible_participations(user).filter(campaign=campaign)
        rounds = rounds.filter(findings__participation__in=mine).distinct()
    context = {"campaign": campaign, "rounds": rounds, "form": form, "is_office": office}
    return render(request, "campaign/inspection_list.html", context)


@login_required
@require_GET
def inspection_detail(request, inspection_pk):
    round_, findings = get_inspection_round_for_user(request.user, inspection_pk)
    context = {
        "round": round_,
        "campaign": round_.campaign,
        "findings": findings,
        "is_office": is_campaign_office(request.user, round_.campaign),
        "check": services.inspection_round_verify(round_) if "verify" in request.GET else None,
    }
    return render(request, "campaign/inspection_detail.html", context)


@login_required
@require_GET
def inspection_bulletin(request, inspection_pk):
    """The round's 随机抽查通报 (the campaign.inspection_bulletin report)."""
    params = {"round": inspection_pk}
    return report_response(request, kind="campaign.inspection_bulletin", fmt="pdf", params=params)


@login_required
@require_http_methods(["GET", "POST"])
def inspection_finding(request, finding_pk):
    finding = get_finding_for_user(request.user, finding_pk)
    data = request.POST if request.method == "POST" else None  # an empty POST is still bound
    form = FindingForm(data, instance=finding)
    if request.method == "POST" and form.is_valid():
        try:
            services.inspection_finding_record(
                finding=finding, by=request.user, **form.cleaned_data
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(
                request,
                _("已保存“%(unit)s”的调研情况。") % {"unit": finding.participation.unit.name},
            )
            return redirect("campaign:inspection", finding.round_id)
    context = {
        "finding": finding,
        "round": finding.round,
        "campaign": finding.round.campaign,
        "unit": finding.participation.unit,
        "form": form,
    }
    return render(request, "campaign/inspection_finding.html", context)
