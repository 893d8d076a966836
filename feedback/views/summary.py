"""The opinion summary (意见汇总): the page, its Excel table, submitting it for review.

A summary is of one campaign: the page asks which (by default the one running, never one not
started) and says so in its title; submitting first shows what will be sent and asks to confirm.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.http import report_errors
from core.reports.http import report_response
from units.models import Person
from units.policy import may_keep, require
from units.scope import get_unit_for_user

from .. import campaigns, summary_page
from .. import summary as summaries
from ..models import FourWinds, Opinion


def _chosen(request, unit):
    participations = campaigns.unit_participations(unit)
    value = request.POST.get("campaign") or request.GET.get("campaign", "")
    return participations, summaries.chosen_participation(unit, participations, value)


def _summary_url(unit, participation) -> str:
    url = reverse("feedback:opinion_summary", args=[unit.pk])
    return f"{url}?{urlencode({'campaign': participation.campaign_id})}" if participation else url


@login_required
@require_GET
def opinion_summary(request, unit_pk):
    unit = get_unit_for_user(request.user, unit_pk)
    participations, participation = _chosen(request, unit)
    campaign = participation.campaign if participation else None
    stage = participation.current_stage if participation else None
    if (key := summary_page.parse_group_key(request.GET.get("group", ""))) is not None:
        return _group_texts(request, unit, participation, key)
    summary = summary_page.summary_overview(unit, campaign, stage=stage)
    context = {
        "unit": unit,
        "summary": summary,
        "title": summaries.summary_title(summary),
        "participations": participations,
        "participation": participation,
        "material": summaries.summary_material(participation),
        "can_submit": may_keep(request.user, unit),
    }
    return render(request, "feedback/summary.html", context)


def _group_texts(request, unit, participation, key):
    """One group's texts, paged: the summary page lists only each group's first ones."""
    campaign = participation.campaign if participation else None
    page = summary_page.group_texts(unit, campaign, key, request.GET.get("page"))
    names = {k: str(v) for k, v in Opinion.Target.choices}
    target = names.get(key["target"], "")
    if key["target_person_id"]:
        target = (
            Person.objects.filter(pk=key["target_person_id"], unit=unit)
            .values_list("name", flat=True)
            .first()
            or target
        )
    winds = dict(FourWinds.choices).get(key["four_winds"], _("未分类"))
    context = {
        "unit": unit,
        "participation": participation,
        "page": page,
        "heading": f"{winds} · {target}",
        "group": request.GET.get("group", ""),
        "back": _summary_url(unit, participation),
    }
    return render(request, "feedback/summary_group.html", context)


@login_required
@require_GET
def opinion_summary_xlsx(request, unit_pk):
    """The page's table (the feedback.opinion_summary report): the chosen campaign's opinions,
    as the page shows them."""
    unit = get_unit_for_user(request.user, unit_pk)
    _participations, participation = _chosen(request, unit)
    params = {"unit": unit.pk, "campaign": participation.campaign_id if participation else None}
    return report_response(request, kind="feedback.opinion_summary", fmt="xlsx", params=params)


@login_required
@require_http_methods(["GET", "POST"])
def opinion_summary_submit(request, unit_pk):
    """GET shows what will be sent, and to whom; POST with `confirmed` sends it."""
    unit = get_unit_for_user(request.user, unit_pk)
    require(may_keep(request.user, unit))
    _participations, participation = _chosen(request, unit)
    if participation is None:
        messages.error(request, _("请先选择本单位已启动的活动，再报送意见汇总。"))
        return redirect("feedback:opinion_summary", unit.pk)
    if request.method == "POST" and request.POST.get("confirmed") == "1":
        try:
            revision = summaries.summary_submit(
                unit=unit, by=request.user, campaign=participation.campaign
            )
        except ValidationError as e:
            report_errors(request, e)
            return redirect(_summary_url(unit, participation))
        messages.success(
            request,
            _("意见汇总（%(rev)s）已报送督导组审核；之后新增或修改的意见不影响已报送的内容。")
            % {"rev": revision},
        )
        return redirect("campaign:material", revision.material_id)
    requirement, summary = summaries.summary_preview(participation)
    context = {
        "unit": unit,
        "participation": participation,
        "summary": summary,
        "title": summaries.summary_title(summary),
        "requirement": requirement,
        "stage": requirement.stage if requirement else participation.current_stage,
        "material": summaries.summary_material(participation),
        "back": _summary_url(unit, participation),
    }
    return render(request, "feedback/summary_confirm.html", context)
