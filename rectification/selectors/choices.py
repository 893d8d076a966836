"""The choices a unit's forms offer: its leaders, its campaigns, the special campaigns."""

from django.db.models import Q, QuerySet

from units.models import Person, Unit

from ..models import SpecialCampaign


def special_campaigns_for(unit: Unit) -> QuerySet[SpecialCampaign]:
    """The special campaigns deployed at the unit or above it."""
    return SpecialCampaign.objects.filter(
        is_active=True, unit__path__in=unit.lineage_paths()
    ).order_by("order", "id")


def unit_people(unit: Unit) -> QuerySet[Person]:
    return Person.objects.filter(unit=unit).order_by("rank", "id")


def unit_leaders(unit: Unit) -> QuerySet[Person]:
    """Who may lead an item or own a personal measure: the leadership team."""
    return unit_people(unit).filter(Q(is_team_member=True) | Q(is_main_leader=True))


def unit_campaigns(unit: Unit):
    from campaign.models import Campaign

    return Campaign.objects.filter(participations__unit=unit).order_by("-start_date", "-id")
