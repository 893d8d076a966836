"""The opinion summary (意见汇总): the page, its Excel table, submitting it for review."""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.http import post_only, report_errors
from units.scope import get_unit_for_user

from .. import summary as summaries
from ..exports.opinions import summary_xlsx
from ..scope import can_take, require_taker
from .importing import XLSX


@login_required
@require_GET
def opinion_summary(request, unit_pk):
    unit = get_unit_for_user(request.user, unit_pk)
    participation = summaries.current_participation(unit)
    campaign = participation.campaign if participation else None
    context = {
        "unit": unit,
        "summary": summaries.summary_build(unit, campaign),
        "participation": participation,
        "material": summaries.summary_material(participation),
        "can_submit": can_take(request.user, unit),
    }
    return render(request, "feedback/summary.html", context)


@login_required
@require_GET
def opinion_summary_xlsx(request, unit_pk):
    unit = get_unit_for_user(request.user, unit_pk)
    participation = summaries.current_participation(unit)
    campaign = participation.campaign if participation else None
    content = summary_xlsx(user=request.user, unit=unit, campaign=campaign)
    response = HttpResponse(content, content_type=XLSX)
    filename = quote(_("%(unit)s意见汇总表.xlsx") % {"unit": unit.name})
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


@login_required
def opinion_summary_submit(request, unit_pk):
    unit = get_unit_for_user(request.user, unit_pk)
    if refused := post_only(request):
        return refused
    require_taker(request.user, unit)
    try:
        revision = summaries.summary_submit(unit=unit, by=request.user)
    except ValidationError as e:
        report_errors(request, e)
        return redirect("feedback:opinion_summary", unit.pk)
    messages.success(
        request,
        _("意见汇总（%(rev)s）已报送督导组审核；之后新增或修改的意见不影响已报送的内容。")
        % {"rev": revision},
    )
    return redirect("campaign:material", revision.material_id)
