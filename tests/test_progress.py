"""Participation counters and stages follow the activity records, both ways."""

import datetime

import pytest

from campaign.services import activity_delete, activity_record, task_complete

pytestmark = pytest.mark.django_db


def symposium(w, host, day=16):
    return activity_record(
        participation=w.participation,
        by=w.alice,
        kind="symposium",
        title="座谈会",
        date=datetime.date(2026, 1, day),
        host=host,
    )


def test_quota_completion_and_counters_follow_activities(campaign_world):
    w = campaign_world
    task = w.task_symposium
    task.refresh_from_db()
    assert task.progress == 0.5 and task.completed_at is None  # one symposium from the fixture
    second = symposium(w, w.chair)
    task.refresh_from_db()
    w.participation.refresh_from_db()
    assert task.completed_at is not None and task.progress == 1
    done_before = w.participation.tasks_done
    assert done_before == 1

    activity_delete(activity=second, by=w.alice)
    task.refresh_from_db()
    w.participation.refresh_from_db()
    assert task.completed_at is None and task.progress == 0.5
    assert w.participation.tasks_done == 0


def test_finishing_a_stages_tasks_does_not_close_it_only_the_gate_does(campaign_world):
    w = campaign_world
    assert w.participation.current_stage == w.stage1
    task_complete(task=w.task_plan, note="学习计划已印发", by=w.alice)
    symposium(w, w.chair)
    symposium(w, w.deputy)
    activity_record(participation=w.participation, by=w.alice, kind="thematic_study",
                    title="集中学习", date=datetime.date(2026, 1, 20),
                    end_date=datetime.date(2026, 1, 22), days=3)  # fmt: skip
    w.participation.refresh_from_db()
    assert w.participation.current_stage == w.stage1  # 边学边查边改: tasks run ahead of gates
    assert w.participation.tasks_done == 4
    assert (
        w.participation.oldest_open_due
        == w.participation.tasks.get(definition__title="蹲点调研").due_date
    )


def test_oldest_open_due_sorts_late_units_first(campaign_world):
    w = campaign_world
    first_due = w.task_plan.due_date
    assert w.participation.oldest_open_due == first_due
    task_complete(task=w.task_plan, note="完成", by=w.alice)
    w.participation.refresh_from_db()
    assert w.participation.oldest_open_due > first_due


def test_the_same_activity_hosted_elsewhere_does_not_count(campaign_world):
    from django.core.exceptions import ValidationError

    w = campaign_world
    stranger = w.unit_b.people.first()
    w.task_symposium.refresh_from_db()
    before = w.task_symposium.progress
    with pytest.raises(ValidationError):
        symposium(w, stranger)
    w.task_symposium.refresh_from_db()
    assert w.task_symposium.progress == before == 0.5
