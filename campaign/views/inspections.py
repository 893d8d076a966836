"""Random inspections (随机调研): the office draws units by lot, inspectors record findings,
the round prints a 随机抽查通报."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.reports.pdf import render_pdf
from units.models import User
from units.scope import can_see_unit

from ..forms.inspections import FindingForm, InspectionDrawForm
from ..models import InspectionFinding, InspectionRound
from ..scope import get_campaign_for_user, is_campaign_office, visible_participations
from ..selectors.office import campaign_districts, campaign_stages
from ..services import inspections as services


def _is_inspector(user) -> bool:
    return user.role == User.Role.SUPERVISOR


def _findings_for(user, round_: InspectionRound) -> list[InspectionFinding]:
    """The round's drawn units the user may see: all of them for the campaign office."""
    findings = list(
        round_.findings.select_related(
            "participation__unit", "participation__current_stage", "inspector"
        )
    )
    if is_campaign_office(user, round_.campaign):
        return findings
    return [f for f in findings if can_see_unit(user, f.participation.unit)]


def get_round_for_user(user, pk) -> tuple[InspectionRound, list[InspectionFinding]]:
    """A round for its campaign office, or for a supervisor who may see one of its units."""
    round_ = get_object_or_404(
        InspectionRound.objects.select_related(
            "campaign__organiser", "district", "stage", "drawn_by"
        ),
        pk=pk,
    )
    get_campaign_for_user(user, round_.campaign_id)  # 404 outside the campaign
    if not (is_campaign_office(user, round_.campaign) or _is_inspector(user)):
        raise Http404
    findings = _findings_for(user, round_)
    if not findings and not is_campaign_office(user, round_.campaign):
        raise Http404
    return round_, findings


def get_finding_for_user(user, pk) -> InspectionFinding:
    finding = get_object_or_404(
        InspectionFinding.objects.select_related(
            "round__campaign__organiser", "participation__unit", "inspector"
        ),
        pk=pk,
    )
    campaign = finding.round.campaign
    get_campaign_for_user(user, campaign.pk)
    office = is_campaign_office(user, campaign)
    if not (office or (_is_inspector(user) and can_see_unit(user, finding.participation.unit))):
        raise Http404
    return finding


@login_required
@require_http_methods(["GET", "POST"])
def inspection_list(request, campaign_pk):
    user = request.user
    campaign = get_campaign_for_user(user, campaign_pk)
    office = is_campaign_office(user, campaign)
    if not (office or _is_inspector(user)):
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
    round_, findings = get_round_for_user(request.user, inspection_pk)
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
    round_, findings = get_round_for_user(request.user, inspection_pk)
    context = {
        "title": _("随机抽查通报"),
        "round": round_,
        "campaign": round_.campaign,
        "findings": findings,
        "recorded": sum(1 for f in findings if f.is_recorded),
        "with_problems": sum(1 for f in findings if f.problems.strip()),
        "issued_on": timezone.localdate(),
    }
    pdf = render_pdf("campaign/inspection_bulletin.html", context, request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"inspection-{round_.pk}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


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
