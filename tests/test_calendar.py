import pytest
from django.urls import reverse
from icalendar import Calendar

pytestmark = pytest.mark.django_db


def feed_url(client, user):
    client.force_login(user)
    page = client.get(reverse("campaign:calendar"))
    assert page.status_code == 200
    token = page.context["feed"].token
    client.logout()
    return reverse("campaign:calendar_feed", args=[token])


def test_staff_subscribe_to_their_units_open_deadlines(client, campaign_world):
    w = campaign_world
    response = client.get(feed_url(client, w.alice))
    assert response["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    summaries = {str(e["summary"]) for e in events}
    assert f"【{w.unit_a.name}】制订学习计划 截止" in summaries
    assert len(events) == w.participation.tasks.filter(completed_at__isnull=True).count()
    plan = next(e for e in events if "制订学习计划" in str(e["summary"]))
    assert plan.decoded("dtstart") == w.task_plan.due_date


def test_a_finished_task_leaves_the_calendar(client, campaign_world):
    from campaign.services import task_complete

    w = campaign_world
    url = feed_url(client, w.alice)
    task_complete(task=w.task_plan, note="已印发", by=w.alice)
    assert "制订学习计划" not in client.get(url).content.decode()


def test_an_unknown_or_rotated_token_is_404(client, campaign_world):
    w = campaign_world
    old = feed_url(client, w.alice)
    client.force_login(w.alice)
    client.post(reverse("campaign:calendar"))
    client.logout()
    assert client.get(old).status_code == 404
    assert client.get(reverse("campaign:calendar_feed", args=["nope"])).status_code == 404


def test_an_outsiders_feed_has_none_of_unit_a(client, campaign_world):
    body = client.get(feed_url(client, campaign_world.charlie)).content.decode()
    assert campaign_world.unit_a.name not in body


def test_a_deactivated_users_feed_stops(client, campaign_world):
    w = campaign_world
    url = feed_url(client, w.alice)
    w.alice.is_active = False
    w.alice.save()
    assert client.get(url).status_code == 404


def test_an_unchanged_feed_answers_304_and_a_change_sends_it_again(
    client, campaign_world, django_assert_max_num_queries
):
    from campaign.services import task_complete

    w = campaign_world
    url = feed_url(client, w.alice)
    first = client.get(url)
    etag = first["ETag"]
    assert first.status_code == 200 and etag.startswith('"')
    with django_assert_max_num_queries(4):
        again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag
    assert client.get(url, HTTP_IF_NONE_MATCH='"other"').status_code == 200

    task_complete(task=w.task_plan, note="已印发", by=w.alice)
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert "制订学习计划" not in changed.content.decode()
