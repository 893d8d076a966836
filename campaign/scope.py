"""Fetching campaign objects for a user, always through units.scope.visible_units."""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from units.models import User
from units.scope import can_see_unit, unit_filter, visible_units

from .models import (
    Activity,
    Campaign,
    InspectionFinding,
    InspectionRound,
    Material,
    Participation,
    Revision,
    Stage,
    Talk,
    Task,
    TaskDefinition,
)


def visible_campaigns(user) -> QuerySet[Campaign]:
    units = visible_units(user)
    enrolled = Participation.objects.filter(campaign=OuterRef("pk"), unit__in=units)
    return Campaign.objects.filter(Q(organiser__in=units) | Q(Exists(enrolled)))


def get_campaign_for_user(user, pk) -> Campaign:
    return get_object_or_404(visible_campaigns(user).select_related("organiser", "template"), pk=pk)


def visible_participations(user) -> QuerySet[Participation]:
    return Participation.objects.filter(unit_filter(user))


def get_participation_for_user(user, pk) -> Participation:
    return get_object_or_404(
        visible_participations(user).select_related("unit", "campaign", "current_stage"), pk=pk
    )


def get_activity_for_user(user, pk) -> Activity:
    return get_object_or_404(
        Activity.objects.filter(participation__in=visible_participations(user)).select_related(
            "participation__unit", "participation__campaign", "host", "recorded_by"
        ),
        pk=pk,
    )


def get_task_for_user(user, pk) -> Task:
    return get_object_or_404(
        Task.objects.filter(participation__in=visible_participations(user)).select_related(
            "definition__stage", "participation__unit", "participation__campaign"
        ),
        pk=pk,
    )


def is_campaign_office(user, campaign: Campaign) -> bool:
    """The office that organises the campaign (or an admin) may change its set-up."""
    return user.is_admin or (
        user.role == User.Role.OFFICE and can_see_unit(user, campaign.organiser)
    )


def require_campaign_office(user, campaign: Campaign) -> None:
    if not is_campaign_office(user, campaign):
        raise PermissionDenied


def get_definition_for_office(user, pk) -> TaskDefinition:
    definition = get_object_or_404(
        TaskDefinition.objects.filter(stage__campaign__in=visible_campaigns(user)).select_related(
            "stage__campaign__organiser"
        ),
        pk=pk,
    )
    require_campaign_office(user, definition.stage.campaign)
    return definition


def get_stage_for_office(user, pk) -> Stage:
    stage = get_object_or_404(
        Stage.objects.filter(campaign__in=visible_campaigns(user)).select_related(
            "campaign__organiser"
        ),
        pk=pk,
    )
    require_campaign_office(user, stage.campaign)
    return stage


def get_material_for_user(user, pk) -> Material:
    return get_object_or_404(
        Material.objects.filter(participation__in=visible_participations(user)).select_related(
            "participation__unit", "participation__campaign", "requirement__stage", "person"
        ),
        pk=pk,
    )


def get_revision_for_user(user, pk) -> Revision:
    return get_object_or_404(
        Revision.objects.filter(
            material__participation__in=visible_participations(user)
        ).select_related("material__participation__unit"),
        pk=pk,
    )


def visible_talks(user) -> QuerySet[Talk]:
    """Talk records are for the supervision group that held them, and admins; nobody else."""
    if user.is_admin:
        return Talk.objects.all()
    if user.role != User.Role.SUPERVISOR:
        return Talk.objects.none()
    return Talk.objects.filter(group__members=user, participation__in=visible_participations(user))


def is_inspector(user) -> bool:
    """Supervisors carry out random inspections (随机调研); the campaign office draws them."""
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


def get_inspection_round_for_user(user, pk) -> tuple[InspectionRound, list[InspectionFinding]]:
    """A round and the findings the user may see, for its campaign office or for a supervisor
    who may see one of its units; a 404 for anyone else."""
    round_ = get_object_or_404(
        InspectionRound.objects.select_related(
            "campaign__organiser", "district", "stage", "drawn_by"
        ),
        pk=pk,
    )
    get_campaign_for_user(user, round_.campaign_id)  # 404 outside the campaign
    if not (is_campaign_office(user, round_.campaign) or is_inspector(user)):
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
    if not (office or (is_inspector(user) and can_see_unit(user, finding.participation.unit))):
        raise Http404
    return finding
