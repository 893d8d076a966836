"""Fetching campaign objects for a user, always through units.scope.visible_units."""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from units.models import User
from units.scope import can_see_unit, unit_filter, visible_units

from .models import (
    Activity,
    Campaign,
    Material,
    Participation,
    Revision,
    Stage,
    Talk,
    Task,
    TaskDefinition,
)

RECORDING_ROLES = {User.Role.UNIT_STAFF, User.Role.OFFICE, User.Role.ADMIN}


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


def is_unit_supervisor(user, unit) -> bool:
    """A member of a supervision group over the unit (or an admin): may review and talk."""
    return user.is_admin or (user.role == User.Role.SUPERVISOR and can_see_unit(user, unit))


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


def can_record(user, participation: Participation) -> bool:
    """Unit staff (and the office, admins) record activities; supervisors and leaders read."""
    return user.is_admin or (
        user.role in RECORDING_ROLES and can_see_unit(user, participation.unit)
    )


def require_recorder(user, participation: Participation) -> None:
    if not can_record(user, participation):
        raise PermissionDenied
