"""Recording held activities; every change recomputes the unit's quota progress."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.services import attachment_add, audit_log, diff, snapshot
from units.models import LiaisonPoint

from ..models import Activity, Participation
from .progress import participation_refresh, refresh_participations

FIELDS = (
    "kind",
    "title",
    "date",
    "end_date",
    "days",
    "hours",
    "households",
    "host",
    "attendee_count",
    "place",
    "minutes",
)


def _lock(participation: Participation) -> Participation:
    # One unit's progress is recomputed by one request at a time.
    return Participation.objects.select_for_update().get(pk=participation.pk)


def _check_held(activity: Activity) -> None:
    if activity.date and activity.date > timezone.localdate():
        raise ValidationError({"date": _("活动日期不能晚于今天：请在活动举行后再记录。")})


def _check_people(participation, host, attendees):
    unit_id = participation.unit_id
    if host is not None and host.unit_id != unit_id:
        raise ValidationError({"host": _("主持人必须是本单位人员。")})
    visitors = {p.pk for p in attendees if p.unit_id != unit_id}
    # A leader may attend at his or her contact point (联系点), another unit (seed 000).
    if visitors and visitors != set(
        LiaisonPoint.objects.filter(leader_id__in=visitors, unit_id=unit_id).values_list(
            "leader_id", flat=True
        )
    ):
        raise ValidationError(
            {"attendees": _("参加人员必须是本单位人员，或以本单位为联系点的领导。")}
        )


def _refresh_visitors_units(participation, people) -> None:
    """A visiting leader's attendance counts toward a quota on his or her own unit."""
    units = {p.unit_id for p in people if p.unit_id != participation.unit_id}
    if units:
        refresh_participations(
            list(
                Participation.objects.select_for_update().filter(
                    campaign_id=participation.campaign_id, unit_id__in=units
                )
            )
        )


@transaction.atomic
def activity_record(
    *, participation: Participation, by, attendees=(), uploads=(), **fields
) -> Activity:
    participation = _lock(participation)
    activity = Activity(participation=participation, recorded_by=by, **fields)
    _check_held(activity)
    _check_people(participation, activity.host, attendees)
    activity.full_clean()
    activity.save()
    activity.attendees.set(attendees)
    for upload in uploads:
        attachment_add(target=activity, unit=participation.unit, upload=upload, by=by)
    _refresh_visitors_units(participation, attendees)
    audit_log(
        actor=by,
        action="activity.recorded",
        obj=activity,
        unit=participation.unit,
        changes=snapshot(activity, FIELDS),
    )
    participation_refresh(participation)
    return activity


@transaction.atomic
def activity_update(*, activity: Activity, by, attendees=None, uploads=(), **fields) -> Activity:
    participation = _lock(activity.participation)
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    before = snapshot(activity, FIELDS)
    for name, value in fields.items():
        if name not in FIELDS:
            raise ValueError(f"activity_update cannot set {name}")
        setattr(activity, name, value)
    _check_held(activity)
    _check_people(participation, activity.host, attendees or [])
    activity.full_clean()
    changes = diff(before, snapshot(activity, FIELDS))
    activity.save()
    if attendees is not None:
        visitors = list(activity.attendees.all()) + list(attendees)
        activity.attendees.set(attendees)
        _refresh_visitors_units(participation, visitors)
    for upload in uploads:
        attachment_add(target=activity, unit=participation.unit, upload=upload, by=by)
    if changes:
        audit_log(
            actor=by,
            action="activity.updated",
            obj=activity,
            unit=participation.unit,
            changes=changes,
        )
    participation_refresh(participation)
    return activity


@transaction.atomic
def activity_delete(*, activity: Activity, by) -> None:
    participation = _lock(activity.participation)
    audit_log(
        actor=by,
        action="activity.deleted",
        obj=activity,
        unit=participation.unit,
        changes=snapshot(activity, FIELDS),
    )
    visitors = list(activity.attendees.all())
    activity.delete()
    participation_refresh(participation)
    _refresh_visitors_units(participation, visitors)
