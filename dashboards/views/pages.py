"""The home page, and the dashboards: the campaign office's, a supervisor's, a unit's; and the
page that finds yours."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from campaign.models import Participation
from campaign.scope import (
    get_campaign_for_user,
    get_participation_for_user,
    is_campaign_office,
    visible_campaigns,
    visible_participations,
)
from units.models import LiaisonPoint, User
from units.scope import visible_groups, visible_units

from .. import selectors as dashboards

CHOICE_LIMIT = 20


@login_required
def home(request):
    """One home page, with the part that fits the user's role."""
    user = request.user
    context = {"role": user.role if not user.is_superuser else User.Role.ADMIN}
    context["today"] = timezone.localdate()  # a unit before its start date is 未启动
    units = visible_units(user)
    if user.is_admin or user.role == User.Role.OFFICE:
        context["kind_counts"] = list(units.values("kind").annotate(n=Count("id")).order_by("kind"))
        context["unit_total"] = sum(row["n"] for row in context["kind_counts"])
        context["group_count"] = visible_groups(user).count()
    elif user.role == User.Role.SUPERVISOR:
        context["groups"] = user.supervision_groups.prefetch_related("units").order_by("id")
    else:
        context["home_unit"] = user.home_unit
        if user.home_unit_id:
            context["sub_unit_count"] = (
                units.filter(path__startswith=user.home_unit.path)
                .exclude(pk=user.home_unit_id)
                .count()
            )
        if user.person_id:
            context["liaison_points"] = LiaisonPoint.objects.filter(
                leader_id=user.person_id
            ).select_related("unit")
    context["participations"] = (
        Participation.objects.filter(unit_id=user.home_unit_id)
        .select_related("campaign", "current_stage")
        .order_by("-campaign__start_date")
        if user.home_unit_id and user.role in (User.Role.UNIT_STAFF, User.Role.LEADER)
        else []
    )
    context["campaigns"] = visible_campaigns(user).order_by("-start_date")[:10]
    kind_labels = dict(units.model.Kind.choices)
    for row in context.get("kind_counts", []):
        row["label"] = kind_labels.get(row["kind"], row["kind"])
    return render(request, "dashboards/home.html", context)


@login_required
@require_GET
def dashboard_home(request):
    """Every dashboard the user may open, newest campaign first."""
    choices = _dashboard_choices(request.user)
    return render(request, "dashboards/dashboard_home.html", {"choices": choices})


def _dashboard_choices(user) -> list[tuple[str, str, str]]:
    """(title, url, kind label) for the user's dashboards, newest campaign first."""
    choices = []
    if user.is_admin or user.role in (User.Role.OFFICE, User.Role.SUPERVISOR):
        campaigns = visible_campaigns(user).select_related("organiser")[:CHOICE_LIMIT]
        for c in campaigns:
            if is_campaign_office(user, c):
                choices.append((c.name, reverse("dashboards:dashboard", args=[c.pk]), "office"))
            if user.role == User.Role.SUPERVISOR:
                url = reverse("dashboards:supervision_dashboard", args=[c.pk])
                choices.append((c.name, url, "supervisor"))
        return choices
    participations = (
        visible_participations(user)
        .filter(unit_id=user.home_unit_id)
        .select_related("campaign")
        .order_by("-campaign__start_date", "-id")[:CHOICE_LIMIT]
    )
    for p in participations:
        url = reverse("dashboards:unit_dashboard", args=[p.pk])
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
    return render(request, "dashboards/dashboard_campaign.html", context)


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
    return render(request, "dashboards/dashboard_campaign.html", context)


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
    return render(request, "dashboards/dashboard_unit.html", context)
