"""Daily digests: who is reminded of what, escalation, the weekly summary, at most once.

The world is reminder_world (tests/conftest.py); its day is in tests/helpers/reminders.py.
"""

import datetime
from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from campaign import services as cs
from core.models import Notification
from reminders.models import DigestOutbox
from reminders.services import (
    digests_build,
    digests_render,
    outbox_claim,
    outbox_send,
    outbox_sweep,
)
from tests.factories import (
    ProblemFactory,
    RectificationItemFactory,
    UnitFactory,
    UserFactory,
)
from tests.helpers.clock import at
from units.models import Unit, User

D = datetime.date


def item(world, *, unit=None, deadline, leader=None):
    unit = unit or world.unit_a
    return RectificationItemFactory(
        problem=ProblemFactory(unit=unit),
        unit=unit,
        deadline=deadline,
        lead_leader=leader or world.chair,
    )


def digests(day) -> dict[str, dict[str, list[str]]]:
    """username → section key → entry titles, as the digest on `day` lists them."""
    with at(day):
        from reminders.selectors import daily_digests

        return {
            d.user.username: {s.key: [e.title for e in s.entries] for s in d.sections}
            for d in daily_digests(day)
        }


def sent_to(username) -> list:
    return [m for m in mail.outbox if m.to == [f"{username}@example.com"]]


def test_unit_staff_get_tasks_due_within_three_days_of_their_subtree(reminder_world):
    got = digests(D(2026, 1, 13))
    assert got["alice"]["tasks_due"] == ["制订学习计划", "制订学习计划"]  # A and A1
    assert got["bob"] == {"tasks_due": ["制订学习计划"]}  # A1 only
    assert "charlie" not in got  # unit B has nothing: no digest at all
    assert "olivia" not in got and "root" not in got
    assert "tasks_due" not in digests(D(2026, 1, 11)).get("alice", {})  # 4 days ahead


def test_overdue_tasks_are_listed_as_overdue_with_the_days(reminder_world):
    with at(D(2026, 1, 17)):
        [digest] = [d for d in digests_render(day=D(2026, 1, 17)) if d.user == reminder_world.bob]
    assert "已逾期的任务" in digest.text and "已逾期 2 天" in digest.text
    a1 = reminder_world.campaign.participations.get(unit=reminder_world.unit_a1)
    assert f"/participations/{a1.pk}/" in digest.text


def test_supervisors_get_revisions_waiting_with_how_long(reminder_world):
    got = digests(D(2026, 1, 18))
    assert got["sam"] == {"reviews": ["环节小结"]}
    with at(D(2026, 1, 18)):
        [sam] = [d for d in digests_render(day=D(2026, 1, 18)) if d.user == reminder_world.sam]
    assert "已等待 2 天" in sam.text and f"/materials/{reminder_world.material.pk}/" in sam.html


def test_a_returned_material_reminds_the_unit_not_the_supervisor(reminder_world):
    cs.review_decide(
        revision=reminder_world.revision, decision="return", comment="请修改", by=reminder_world.sam
    )
    got = digests(D(2026, 1, 13))
    assert got["alice"]["materials_returned"] == ["环节小结"]
    assert "bob" in got and "materials_returned" not in got["bob"]  # A1's own material only
    assert "sam" not in got  # nothing waits for review any more


def test_ledger_items_due_within_seven_days_and_overdue(reminder_world):
    item(reminder_world, deadline=D(2026, 1, 20))
    item(reminder_world, deadline=D(2026, 1, 21))
    overdue = item(reminder_world, deadline=D(2026, 1, 10))
    got = digests(D(2026, 1, 13))
    assert [len(got["alice"]["items_due"]), got["alice"]["items_overdue"]] == [1, [overdue.title]]
    assert "items_due" not in got["charlie"] if "charlie" in got else True


def test_items_missing_this_months_report_from_five_days_before_report_day(reminder_world):
    owing = item(reminder_world, deadline=D(2026, 6, 30))  # created on the 12th, before the window
    assert "reports_missing" not in digests(D(2026, 1, 19)).get("alice", {})
    assert digests(D(2026, 1, 20))["alice"]["reports_missing"] == [owing.title]
    with at(D(2026, 1, 26)):
        [alice] = [d for d in digests_render(day=D(2026, 1, 26)) if d.user == reminder_world.alice]
    assert "逾期未报" in alice.text and f"/ledger/items/{owing.pk}/" in alice.html


def test_a_leader_also_gets_the_items_he_leads_outside_his_units(reminder_world):
    unit_c = UnitFactory(name="丙单位", code="C", parent=reminder_world.city)
    led = item(reminder_world, unit=unit_c, deadline=D(2026, 1, 14))
    got = digests(D(2026, 1, 13))
    assert got["leo"]["items_due"] == [led.title]
    assert "items_due" not in got["alice"]


def test_overdue_by_more_than_three_days_escalates_to_the_units_supervisors(reminder_world):
    late = item(reminder_world, deadline=D(2026, 1, 14))
    assert "escalated_tasks" not in digests(D(2026, 1, 18))["sam"]  # 3 days: not yet
    got = digests(D(2026, 1, 19))
    assert got["sam"]["escalated_tasks"] == ["制订学习计划", "制订学习计划"]
    assert got["sam"]["escalated_items"] == [late.title]
    assert "escalated_tasks" not in got["alice"]  # the unit has it as overdue already
    assert got["alice"]["tasks_overdue"]


def test_the_escalation_threshold_is_configurable(reminder_world, settings):
    settings.REMINDER_OVERDUE_ESCALATION_DAYS = 1
    assert "escalated_tasks" in digests(D(2026, 1, 17))["sam"]


def test_weekly_summary_counts_overdue_by_unit_for_the_office(reminder_world):
    item(reminder_world, unit=reminder_world.unit_b, deadline=D(2026, 1, 14))
    with at(D(2026, 1, 19)):
        result = digests_build(day=D(2026, 1, 19), kind=DigestOutbox.Kind.WEEKLY)
        outbox_send()
    [summary] = result.digests
    assert summary.user == reminder_world.olivia and result.day == D(2026, 1, 19)
    assert "逾期任务 2 项，逾期整改事项 1 项" in summary.subject
    assert "乙单位　0　1" in summary.text and "甲单位下属支部　1　0" in summary.text
    assert [m.to for m in mail.outbox] == [["olivia@example.com"]]
    with at(D(2026, 1, 21)):  # the same week again: nothing new
        assert digests_build(day=D(2026, 1, 21), kind=DigestOutbox.Kind.WEEKLY).digests == []


def test_the_digest_mail_has_a_subject_text_and_html_in_chinese_with_links(reminder_world):
    with at(D(2026, 1, 13)):
        digests_build(day=D(2026, 1, 13))
        outbox_send()
    [message] = sent_to("alice")
    assert message.subject.startswith("【工作提醒】1月13日：")
    assert "2 项事项需要您关注" in message.body and "http://" in message.body
    html, mime = message.alternatives[0]
    assert mime == "text/html" and '<a href="http' in html and "制订学习计划" in html
    notice = Notification.objects.get(user=reminder_world.alice)  # the in-app copy
    assert notice.subject == message.subject and "天内到期的任务：2" in notice.body
    assert notice.emailed_at is not None  # core's notice mail never sends it again


def test_running_the_daily_job_twice_sends_each_digest_once(
    reminder_world, django_capture_on_commit_callbacks
):
    day = D(2026, 1, 13)
    with at(day):
        with django_capture_on_commit_callbacks(execute=True):
            first = digests_build(day=day)
        with django_capture_on_commit_callbacks(execute=True):
            second = digests_build(day=day)
        call_command("send_reminders", "--date", "2026-01-13", stdout=StringIO())
    assert {r.user.username for r in first.digests} == {"alice", "bob", "leo", "sam"}
    assert second.digests == [] and second.created_ids == []
    assert sorted(m.to[0] for m in mail.outbox) == [
        "alice@example.com", "bob@example.com", "leo@example.com", "sam@example.com",
    ]  # fmt: skip
    assert Notification.objects.filter(user=reminder_world.alice).count() == 1
    assert set(DigestOutbox.objects.values_list("status", flat=True)) == {"sent"}


def test_a_build_racing_another_inserts_and_notifies_nothing_twice(reminder_world, monkeypatch):
    """Two builds that both found no rows: the unique row decides, the loser adds nothing."""
    day = D(2026, 1, 13)
    with at(day):
        digests_build(day=day, queue_send=False)
        notices = Notification.objects.count()
        monkeypatch.setattr(DigestOutbox.objects, "filter", _no_rows_yet(DigestOutbox.objects))
        again = digests_build(day=day, queue_send=False)
    assert len(again.digests) == 4 and again.created_ids == []
    assert Notification.objects.count() == notices and DigestOutbox.objects.count() == 4


def _no_rows_yet(manager):
    real = manager.filter

    def filter(*args, **kwargs):
        query = real(*args, **kwargs)
        return query.none() if "kind" in kwargs else query  # the "already built?" look-up

    return filter


def test_a_worker_killed_between_claim_and_send_is_resent_exactly_once_by_the_sweeper(
    reminder_world,
):
    day = D(2026, 1, 13)
    with at(day):
        rows = digests_build(day=day, queue_send=False).created_ids
        claimed = outbox_claim(limit=200)  # the worker claims them, then dies
        assert len(claimed) == len(rows) == 4
        assert outbox_send() == 0 and mail.outbox == []  # claimed rows are nobody else's
        assert outbox_sweep()["stuck"] == 0  # a fresh claim may still be sending
    with at(day) as traveller:
        traveller.shift(datetime.timedelta(minutes=11))
        assert outbox_sweep() == {"stuck": 4, "waiting": 4, "sent": 4}
        assert outbox_sweep() == {"stuck": 0, "waiting": 0, "sent": 0}
        assert outbox_send() == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        f"{u}@example.com" for u in ["alice", "bob", "leo", "sam"]
    )
    assert set(DigestOutbox.objects.values_list("attempts", flat=True)) == {2}


def test_a_user_without_an_email_gets_the_in_app_notice_only(reminder_world):
    User.objects.filter(pk=reminder_world.bob.pk).update(email="")
    with at(D(2026, 1, 13)):
        digests_build(day=D(2026, 1, 13))
        outbox_send()
    assert not sent_to("bob") and Notification.objects.filter(user=reminder_world.bob).exists()
    assert DigestOutbox.objects.get(user=reminder_world.bob).status == "skipped"


def test_dry_run_prints_who_would_get_what_and_writes_nothing(reminder_world, capsys):
    with at(D(2026, 1, 19)):
        call_command("send_reminders", "--date", "2026-01-19", "--dry-run")
    out = capsys.readouterr().out
    assert "sam <sam@example.com>: 【工作提醒】1月19日" in out
    assert "督导单位逾期超过 3 天的任务：2" in out and "charlie" not in out
    assert not DigestOutbox.objects.exists() and not mail.outbox


def test_the_beat_schedule_is_in_code_daily_at_eight_weekly_and_the_sweeper():
    from config.celery import app, beat_schedule

    app.loader.import_default_modules()
    schedule = app.conf.beat_schedule
    assert {"reminders-daily", "reminders-weekly", "reminders-sweep"} <= set(schedule)
    daily = schedule["reminders-daily"]["schedule"]
    assert daily.hour == {8} and daily.minute == {0}
    assert schedule["reminders-weekly"]["schedule"].day_of_week == {1}
    assert app.conf.timezone == "Asia/Shanghai"
    assert beat_schedule()["reminders-daily"]["task"] == "reminders.build_daily"


def grow(reminder_world, n: int):
    """n more units under A, each enrolled with a staff member, a supervisor and an item."""
    units = [
        UnitFactory(name=f"新单位{i}", code=f"N{n}-{i}", parent=reminder_world.unit_a)
        for i in range(n)
    ]
    units = Unit.objects.filter(pk__in=[u.pk for u in units])
    cs.enrol_units(campaign=reminder_world.campaign, units=units, start_date=D(2026, 1, 10),
                   label="二批", by=reminder_world.olivia)  # fmt: skip
    for unit in units:
        UserFactory(home_unit=unit, email="x@example.com")
        reminder_world.group_a.members.add(
            UserFactory(role=User.Role.SUPERVISOR, email="s@example.com")
        )
        item(reminder_world, unit=unit, deadline=D(2026, 1, 14))


def build_queries(day) -> tuple[int, int]:
    with at(day), CaptureQueriesContext(connection) as queries:
        result = digests_build(day=day, queue_send=False)
    DigestOutbox.objects.all().delete()
    Notification.objects.all().delete()
    return len(queries), len(result.digests)


def test_building_all_digests_takes_the_same_queries_for_more_data(reminder_world):
    day = D(2026, 1, 20)
    small, small_users = build_queries(day)
    grow(reminder_world, 6)
    cs.review_decide(
        revision=reminder_world.revision, decision="return", comment="改", by=reminder_world.sam
    )
    large, large_users = build_queries(day)
    assert large_users > small_users + 10
    assert small == large <= 12, (small, large)
