"""Which campaign an opinion belongs to: the unit's running one.

An opinion is filed under a campaign when it is taken in (the unit's running campaign), and
the summary (意见汇总) is of one campaign. "Running" never means a campaign the unit has not
started: the newest campaign of a unit is often one enrolled for later.
"""

from django.utils import timezone

from campaign.models import Campaign, MaterialKind, MaterialRequirement, Participation
from units.models import Unit


def unit_participations(unit: Unit) -> list[Participation]:
    """The campaigns the unit takes part in, newest first: the summary's choice."""
    return list(
        Participation.objects.filter(unit=unit)
        .select_related("campaign", "current_stage")
        .order_by("-campaign__start_date", "-campaign_id")
    )


def _collects_opinions(participations: list[Participation]) -> set[int]:
    """Ids of the stages among these participations' current ones that call for 意见汇总."""
    stages = {p.current_stage_id for p in participations if p.current_stage_id}
    return set(
        MaterialRequirement.objects.filter(
            stage_id__in=stages, kind=MaterialKind.OPINION_SUMMARY
        ).values_list("stage_id", flat=True)
    )


def running_participation(
    unit: Unit, participations: list[Participation] | None = None, *, today=None
) -> Participation | None:
    """The unit's campaign whose opinions are being collected now: started (never one that
    has not), not ended, and its current stage collecting opinions if any is; else the one
    that started last. None when no campaign of the unit has started."""
    today = today or timezone.localdate()
    if participations is None:
        participations = unit_participations(unit)
    started = [p for p in participations if p.has_started(today)]
    if not started:
        return None
    collecting = _collects_opinions(started)

    def rank(p: Participation):
        running = p.campaign.start_date <= today <= p.campaign.end_date
        return (running, p.current_stage_id in collecting, p.start_date, p.campaign_id)

    return max(started, key=rank)


def running_campaign(unit: Unit) -> Campaign | None:
    participation = running_participation(unit)
    return participation.campaign if participation else None
