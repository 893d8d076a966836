"""Dashboards: the campaign office's, a supervisor's, a unit's; and the page that finds yours."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from units.models import User

from .. import dashboards
from ..scope import (
    get_campaign_for_user,
    get_participation_for_user,
    is_campaign_office,
    visible_campaigns,
    visible_participations,
)

CHOICE_LIMIT = 20


@login_required
@require_GET
def dashboard_home(request):
    """Every dashboard the user may open, newest campaign first."""
    choices = _dashboard_choices(request.user)
    return render(request, "campaign/dashboard_home.html", {"choices": choices})


def _dashboard_choices(user) -> list[tuple[str, str, str]]:
    """(title, url, kind label) for the user's dashboards, newest campaign first."""
    choices = []
    if user.is_admin or user.role in (User.Role.OFFICE, User.Role.SUPERVISOR):
        campaigns = visible_campaigns(user).select_related("organiser")[:CHOICE_LIMIT]
        for c in campaigns:
            if is_campaign_office(user, c):
                choices.append((c.name, reverse("campaign:dashboard", args=[c.pk]), "office"))
            if user.role == User.Role.SUPERVISOR:
                url = reverse("campaign:supervision_dashboard", args=[c.pk])
                choices.append((c.name, url, "supervisor"))
        return choices
    participations = (
        visible_participations(user)
        .filter(unit_id=user.home_unit_id)
        .select_related("campaign")
        .order_by("-campaign__start_date", "-id")[:CHOICE_LIMIT]
    )
    for p in participations:
        url = reverse("campaign:unit_dashboard", args=[p.pk])
        choices.append((p.campaign.name, url, "unit"))
    return choices


@login_required
@require_GET
def office_dashboard(request, campaign_pk):
    user = request.user
    campaign = get_campaign_for_user(user, campaign_pk)
    if not is_campaign_office(user, campaign):
        raise PermissionDenied
    today = timezone.localdate()
    dashboard = dashboards.office_dashboard(user, campaign, today=today)
    context = {"dashboard": dashboard, "campaign": campaign, "kind": "office", "today": today}
    return render(request, "campaign/dashboard_campaign.html", context)


@login_required
@require_GET
def supervision_dashboard(request, campaign_pk):
    user = request.user
    campaign = get_campaign_for_user(user, campaign_pk)
    if user.role != User.Role.SUPERVISOR:
        raise PermissionDenied
    today = timezone.localdate()
    dashboard = dashboards.supervisor_dashboard(user, campaign, today=today)
    context = {"dashboard": dashboard, "campaign": campaign, "kind": "supervisor", "today": today}
    return render(request, "campaign/dashboard_campaign.html", context)


@login_required
@require_GET
def unit_dashboard(request, participation_pk):
    participation = get_participation_for_user(request.user, participation_pk)
    dashboard = dashboards.unit_dashboard(participation, today=timezone.localdate())
    context = {
        "dashboard": dashboard,
        "participation": participation,
        "campaign": participation.campaign,
        "unit": participation.unit,
    }
    return render(request, "campaign/dashboard_unit.html", context)
