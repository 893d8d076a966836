"""A user's deadlines as an iCalendar feed, so staff can subscribe from their calendar program."""

import datetime
import secrets

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from icalendar import Calendar, Event

from units.models import User
from units.scope import visible_units

from .models import CalendarFeed, Task

MAX_EVENTS = 2000


def feed_for_user(user) -> CalendarFeed:
    feed, _created = CalendarFeed.objects.get_or_create(
        user=user, defaults={"token": secrets.token_urlsafe(32)}
    )
    return feed


@transaction.atomic
def rotate_token(*, user) -> CalendarFeed:
    feed = feed_for_user(user)
    feed.token = secrets.token_urlsafe(32)
    feed.save(update_fields=["token"])
    return feed


def deadline_tasks(user):
    """Open tasks of the units a user works on: the home unit for staff and leaders, the
    supervised units for supervisors. The office's whole city would be thousands of entries."""
    if user.role == User.Role.SUPERVISOR:
        units = visible_units(user).filter(supervision_groups__members=user)
    elif user.home_unit_id:
        units = visible_units(user).filter(pk=user.home_unit_id)
    else:
        return Task.objects.none()
    return (
        Task.objects.filter(participation__unit__in=units, completed_at__isnull=True)
        .select_related("definition__stage", "participation__unit", "participation__campaign")
        .order_by("due_date", "id")[:MAX_EVENTS]
    )


def render_calendar(user) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//campaign-admin//deadlines//ZH")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "教育实践活动任务时限")
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    stamp = datetime.datetime.now(datetime.UTC)
    for task in deadline_tasks(user):
        unit, campaign = task.participation.unit, task.participation.campaign
        event = Event()
        event.add("uid", f"task-{task.pk}@campaign-admin")
        event.add("dtstamp", stamp)
        event.add("dtstart", task.due_date)
        event.add("dtend", task.due_date + datetime.timedelta(days=1))
        event.add("summary", f"【{unit.name}】{task.definition.title} 截止")
        event.add(
            "description",
            f"{campaign.name} · {task.definition.stage.name}\n"
            f"责任部门：{task.definition.office or '—'}\n{task.definition.quota_label()}",
        )
        event.add(
            "url", settings.SITE_URL + reverse("campaign:workspace", args=[task.participation_id])
        )
        cal.add_component(event)
    return cal.to_ical()


def calendar_for_token(token: str) -> bytes | None:
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        return None
    return render_calendar(feed.user)
