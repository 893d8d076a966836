"""A user's deadlines as an iCalendar feed, so staff can subscribe from their calendar program."""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.urls import reverse
from django.utils.translation import get_language
from icalendar import Calendar, Event

from units.models import User
from units.scope import visible_units

from .models import CalendarFeed, Participation, Task

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
    # The enrolments first (a few keys): joined in one query, the planner read every open
    # task of the city and only then kept the supervised units' ones.
    enrolled = list(Participation.objects.filter(unit__in=units).values_list("pk", flat=True))
    return (
        Task.objects.filter(participation_id__in=enrolled, completed_at__isnull=True)
        .select_related("definition__stage", "participation__unit", "participation__campaign")
        .order_by("due_date", "id")[:MAX_EVENTS]
    )


def feed_user(token: str):
    """The active user a feed token belongs to, or None."""
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        return None
    return feed.user


# Everything an event shows, but not its DTSTAMP: read as plain values, not model rows.
FINGERPRINT = (
    "pk",
    "due_date",
    "participation_id",
    "participation__unit__name",
    "participation__campaign__name",
    "definition__title",
    "definition__office",
    "definition__stage__name",
    "definition__quota_kinds",
    "definition__quota_host",
    "definition__quota_measure",
    "definition__quota_minimum",
)
BODY_SECONDS = 24 * 3600


def calendar_etag(user) -> str:
    """A fingerprint of the user's feed, so a calendar program that polls every few minutes
    gets 304 Not Modified until something in it changes."""
    rows = deadline_tasks(user).values_list(*FINGERPRINT)
    if connection.vendor == "postgresql":
        # Hashed where the rows are: 2,000 rows need not travel to be summed up.
        try:
            sql, params = rows.query.sql_with_params()
        except EmptyResultSet:  # no units to follow: nothing to ask the database
            return '"empty"'
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT md5(string_agg(t::text, '|')) FROM ({sql}) AS t", params)
            return f'"{cursor.fetchone()[0] or "empty"}"'
    return f'"{hashlib.sha256(repr(list(rows)).encode()).hexdigest()[:32]}"'


def calendar_body(user, etag: str) -> bytes:
    """The feed, rendered once per version: a supervisor's runs to 2,000 events, and the
    rendering, not the query, was most of its time."""
    key = f"calendar-feed:{user.pk}:{etag.strip(chr(34))}:{get_language()}"
    body = cache.get(key)
    if body is None:
        body = render_calendar(user)
        cache.set(key, body, BODY_SECONDS)
    return body


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
    user = feed_user(token)
    return None if user is None else render_calendar(user)
