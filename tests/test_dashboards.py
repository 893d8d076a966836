"""Dashboards: each figure is checked against the rows it counts, links open the same rows,
and the number of queries stays the same when the data grows.

The small city of tests/conftest.py, plus 东区 (a district) with a street and a community,
enrolled on 2026-01-20; unit A's subtree was enrolled on 2026-01-10. On 2026-02-20 every
first-stage task is overdue unless done; the second stage's tasks are not due yet. On
2026-08-01 only the task due on 11-30 is still to come.
"""

import datetime
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaign import services
from campaign.models import Participation, Task
from dashboards.selectors import queries
from rectification.models import RectificationItem
from tests.factories import ProblemFactory, RectificationItemFactory
from tests.helpers.clock import at
from tests.helpers.dashboards import add_district, add_opinions, appraisal, ballots, tally
from units.models import Unit

pytestmark = pytest.mark.django_db

D = datetime.date
EARLY = D(2026, 2, 20)  # before the campaign's midpoint: overdue tasks counted directly
LATE = D(2026, 8, 1)  # after it: open tasks not yet due counted and subtracted
MAX_QUERIES = 15


@pytest.fixture
def dashboard_world(campaign_world):
    w = campaign_world
    w.east, w.street = add_district(w, "东区", "E")
    # A task due late in the year, still to come on LATE.
    services.task_definition_create(
        stage=w.stage2, by=w.olivia, title="撰写总结报告", due_date=D(2026, 11, 30)
    )
    plan = Task.objects.get(participation__unit=w.street, definition__title="制订学习计划")
    with at(D(2026, 1, 22)):
        services.task_complete(task=plan, note="已制订学习计划", by=w.olivia)
    # Unit A moves on to the second stage (its gate approved, as the services would record).
    Participation.objects.filter(pk=w.participation.pk).update(current_stage=w.stage2)
    add_opinions(w.unit_a, [("symposium", "formalism"), ("symposium", "bureaucratism")])
    add_opinions(w.street, [("box", "formalism"), ("box", "")])
    a_problem = ProblemFactory(unit=w.unit_a)
    RectificationItemFactory(problem=a_problem, status=RectificationItem.Status.VERIFIED)
    RectificationItemFactory(problem=a_problem, deadline=D(2026, 2, 1))  # overdue on EARLY
    RectificationItemFactory(
        problem=ProblemFactory(unit=w.street), status=RectificationItem.Status.COMPLETED
    )
    return w


def dashboard(client, user, name, pk):
    client.force_login(user)
    response = client.get(reverse(name, args=[pk]))
    assert response.status_code == 200
    return response.context["dashboard"], response


def figure(dash, key):
    return {row.label: row for row in next(f for f in dash.figures if f.key == key).rows}


def task_rows(campaign, units):
    """The rows a progress figure counts, straight from the tasks table."""
    return list(
        Task.objects.filter(participation__campaign=campaign, participation__unit__in=units)
    )


def expected_progress(tasks, units, today):
    done = sum(1 for t in tasks if t.completed_at)
    overdue = sum(1 for t in tasks if not t.completed_at and t.due_date < today)
    late_units = {t.participation_id for t in tasks if not t.completed_at and t.due_date < today}
    percent = round(100 * done / len(tasks)) if tasks else 0
    done_late = sum(1 for t in tasks if t.completed_at and t.completed_at.date() > t.due_date)
    waiting = {t.participation_id for t in tasks if t.participation.start_date > today}
    return [len(units), len(tasks), done, percent, overdue, len(late_units), done_late,
            len(waiting)]  # fmt: skip


# The campaign office's dashboard --------------------------------------------------------------


@pytest.mark.parametrize("today", [EARLY, LATE], ids=["early", "late"])
def test_district_and_kind_figures_match_the_task_rows(client, dashboard_world, today):
    with at(today):
        dash, _r = dashboard(
            client, dashboard_world.olivia, "dashboards:dashboard", dashboard_world.campaign.pk
        )
    east_units = list(Unit.objects.filter(path__startswith=dashboard_world.east.path))
    other_units = list(Unit.objects.filter(path__startswith=dashboard_world.unit_a.path))
    by_bucket = figure(dash, "buckets")
    assert by_bucket["东区"].values == expected_progress(
        task_rows(dashboard_world.campaign, east_units), east_units, today
    )
    assert by_bucket["其他单位"].values == expected_progress(
        task_rows(dashboard_world.campaign, other_units), other_units, today
    )
    township = [u for u in east_units if u.kind == Unit.Kind.TOWNSHIP]
    assert figure(dash, "kinds")["乡镇街道"].values == expected_progress(
        task_rows(dashboard_world.campaign, township), township, today
    )
    overdue = Task.objects.filter(
        participation__campaign=dashboard_world.campaign,
        completed_at__isnull=True,
        due_date__lt=today,
    ).count()
    assert dash.cards[2].value == overdue > 0


def test_both_ways_of_counting_overdue_tasks_agree(dashboard_world):
    participations = Participation.objects.filter(campaign=dashboard_world.campaign)
    tasks = Task.objects.filter(participation__campaign=dashboard_world.campaign)
    for today in (EARLY, D(2026, 3, 15), LATE):
        direct, by_subtraction = (
            queries.participation_breakdown(
                participations, tasks, [dashboard_world.east], today=today, escalate_before=today,
                count_future=future,
            )
            for future in (False, True)
        )  # fmt: skip
        assert direct.overall == by_subtraction.overall
        assert direct.by_bucket == by_subtraction.by_bucket
        assert direct.by_kind == by_subtraction.by_kind


def test_units_by_stage_count_each_units_current_stage(client, dashboard_world):
    with at(EARLY):
        dash, _r = dashboard(
            client, dashboard_world.olivia, "dashboards:dashboard", dashboard_world.campaign.pk
        )
    stages = figure(dash, "stages")
    assert stages[f"1. {dashboard_world.stage1.name}"].values == [
        4
    ]  # A1 and the three units of 东区
    assert stages[f"2. {dashboard_world.stage2.name}"].values == [1]  # unit A


def test_most_late_units_come_oldest_due_first_with_their_overdue_tasks(client, dashboard_world):
    with at(EARLY):
        dash, _r = dashboard(
            client, dashboard_world.olivia, "dashboards:dashboard", dashboard_world.campaign.pk
        )
    late = dash.late
    assert [p.oldest_open_due for p in late] == sorted(p.oldest_open_due for p in late)
    assert late[0].unit.path.startswith(dashboard_world.unit_a.path)  # enrolled ten days earlier
    for p in late:
        assert (
            p.overdue_tasks
            == Task.objects.filter(
                participation=p, completed_at__isnull=True, due_date__lt=EARLY
            ).count()
        )
        assert p.late_days == (EARLY - p.oldest_open_due).days
    street = next(p for p in late if p.unit == dashboard_world.street)
    assert street.bucket == dashboard_world.east


def test_waiting_materials_opinions_and_ledger_match_their_rows(client, dashboard_world):
    with at(EARLY):
        dash, _r = dashboard(
            client, dashboard_world.olivia, "dashboards:dashboard", dashboard_world.campaign.pk
        )
    materials = figure(dash, "materials")
    assert materials["环节小结"].values[0] == 1  # unit A's submitted stage summary
    assert dash.review_count == 1
    assert {k: r.values for k, r in figure(dash, "channels").items()} == {
        "座谈会": [2],
        "意见箱": [2],
    }
    winds = figure(dash, "winds")
    assert winds["形式主义"].values == [2] and winds["官僚主义"].values == [1]
    assert winds["未分类"].values == [1]
    ledger = figure(dash, "ledger")
    assert ledger["已销号"].values == [1] and ledger["已完成"].values == [1]
    assert ledger["未开始"].values == [1]
    assert dash.ledger.overdue == 1
    assert dash.cards[4].value == "67%"  # 2 of 3 items completed or verified


def test_every_figure_row_links_to_a_list_showing_the_same_units(client, dashboard_world):
    with at(EARLY):
        dash, _r = dashboard(
            client, dashboard_world.olivia, "dashboards:dashboard", dashboard_world.campaign.pk
        )
        east = figure(dash, "buckets")["东区"]
        page = client.get(east.url)
        assert page.status_code == 200
        assert page.context["page"].paginator.count == east.values[0] == 3
        kind = figure(dash, "kinds")["村社区"]
        assert client.get(kind.url).context["page"].paginator.count == kind.values[0]
        stage = figure(dash, "stages")[f"1. {dashboard_world.stage1.name}"]
        assert client.get(stage.url).context["page"].paginator.count == stage.values[0]
        done = figure(dash, "ledger")["已销号"]
        ledger = client.get(done.url)
        assert ledger.context["page"].paginator.count == done.values[0]
        for name in ("channels", "winds"):
            for row in figure(dash, name).values():
                if not row.url:  # 未分类: the list has no "unclassified" filter
                    continue
                listed = client.get(row.url)
                assert listed.status_code == 200
                assert listed.context["page"].count == row.values[0], row.url


def test_chart_data_carries_the_same_numbers_as_the_table(client, dashboard_world):
    with at(EARLY):
        dash, response = dashboard(
            client, dashboard_world.olivia, "dashboards:dashboard", dashboard_world.campaign.pk
        )
    html = response.content.decode()
    block = re.search(
        r'<script id="chart-buckets-data" type="application/json">(.*?)</script>', html
    )
    data = json.loads(block.group(1))
    rows = next(f for f in dash.figures if f.key == "buckets").rows
    assert data["labels"] == [r.label for r in rows]
    assert data["datasets"][0]["data"] == [r.values[3] for r in rows]  # 完成率
    assert data["links"] == [r.url for r in rows]
    assert 'src="/static/vendor/chartjs/chart.umd.min.js"' in html
    assert "<details" in html and "数据表" in html


# Who sees which dashboard ---------------------------------------------------------------------


def test_supervisor_dashboard_counts_only_the_groups_units(client, dashboard_world):
    with at(EARLY):
        dash, _r = dashboard(
            client,
            dashboard_world.sam,
            "dashboards:supervision_dashboard",
            dashboard_world.campaign.pk,
        )
    buckets = figure(dash, "buckets")
    assert list(buckets) == [dashboard_world.unit_a.name]
    assert buckets[dashboard_world.unit_a.name].values[0] == 2  # unit A and its branch
    assert buckets[dashboard_world.unit_a.name].url == reverse(
        "campaign:workspace", args=[dashboard_world.participation.pk]
    )
    assert {p.unit for p in dash.late} <= {dashboard_world.unit_a, dashboard_world.unit_a1}
    assert [m for m, _waited in dash.review_rows] == [dashboard_world.material]
    assert figure(dash, "channels") == {"座谈会": figure(dash, "channels")["座谈会"]}
    assert sum(r.values[0] for r in figure(dash, "ledger").values()) == 2


def test_supervisor_dashboard_shows_overdue_escalations(client, dashboard_world):
    with at(EARLY):  # unit A's first task was due on 01-15: far more than 3 days ago
        dash, response = dashboard(
            client,
            dashboard_world.sam,
            "dashboards:supervision_dashboard",
            dashboard_world.campaign.pk,
        )
    labels = {c.label: c.value for c in dash.cards}
    assert labels["逾期超过 3 天的单位"] == 2
    assert labels["逾期超过 3 天的整改事项"] == 1
    assert "督办" in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "name", "status"),
    [
        ("alice", "dashboards:dashboard", 403),
        ("sam", "dashboards:dashboard", 403),
        ("olivia", "dashboards:supervision_dashboard", 403),
        ("charlie", "dashboards:dashboard", 404),
        ("charlie", "dashboards:supervision_dashboard", 404),
    ],
)
def test_campaign_dashboards_are_for_their_roles(client, dashboard_world, persona, name, status):
    client.force_login(getattr(dashboard_world, persona))
    assert client.get(reverse(name, args=[dashboard_world.campaign.pk])).status_code == status


def test_unit_dashboard_is_scoped_like_the_workspace(client, dashboard_world):
    url = reverse("dashboards:unit_dashboard", args=[dashboard_world.participation.pk])
    for persona, status in (("alice", 200), ("leo", 200), ("bob", 404), ("charlie", 404)):
        client.force_login(getattr(dashboard_world, persona))
        assert client.get(url).status_code == status, persona


def test_dashboard_list_offers_each_persona_its_own_dashboards(client, dashboard_world):
    expected = {
        "olivia": [reverse("dashboards:dashboard", args=[dashboard_world.campaign.pk])],
        "sam": [reverse("dashboards:supervision_dashboard", args=[dashboard_world.campaign.pk])],
        "alice": [reverse("dashboards:unit_dashboard", args=[dashboard_world.participation.pk])],
        "charlie": [],
    }
    for persona, urls in expected.items():
        client.force_login(getattr(dashboard_world, persona))
        choices = client.get(reverse("dashboards:dashboards")).context["choices"]
        assert [url for _title, url, _kind in choices] == urls, persona


# A unit's own dashboard -----------------------------------------------------------------------


def test_unit_dashboard_shows_its_stages_quotas_ledger_and_deadlines(client, dashboard_world):
    with at(EARLY):
        dash, _r = dashboard(
            client,
            dashboard_world.alice,
            "dashboards:unit_dashboard",
            dashboard_world.participation.pk,
        )
    stages = figure(dash, "unit-stages")
    tasks = list(dashboard_world.participation.tasks.select_related("definition"))
    first = [t for t in tasks if t.definition.stage_id == dashboard_world.stage1.pk]
    assert stages[f"1. {dashboard_world.stage1.name}"].values == [0, len(first), 0]  # all overdue
    assert stages[f"2. {dashboard_world.stage2.name}"].values == [0, 0, 2]
    assert [r.task.due_date for r in dash.deadlines] == sorted(t.due_date for t in tasks)
    assert dash.deadlines[0].days_late == (EARLY - D(2026, 1, 15)).days
    assert len(dash.quotas) == sum(1 for t in tasks if t.definition.has_quota)
    assert figure(dash, "unit-ledger")["已销号"].values == [1]
    assert figure(dash, "unit-materials")["已提交"].values == [1]
    cards = {c.label: c.value for c in dash.cards}
    assert cards["当前环节"] == dashboard_world.stage2.name
    assert cards["逾期任务"] == len(first)


# Query counts at two sizes --------------------------------------------------------------------


def count_queries(client, user, url):
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def grow(w):
    """More districts, units, opinions, ledger items and a submitted material elsewhere."""
    for i in range(3):
        district, street = add_district(w, f"新区{i}", f"N{i}")
        add_opinions(street, [("hotline", "hedonism"), ("letter", "other")])
        RectificationItemFactory(problem=ProblemFactory(unit=street))
        round_, team = appraisal(district)
        tally(round_, team, satisfied=5, unsatisfied=1)
    a1 = Participation.objects.get(campaign=w.campaign, unit=w.unit_a1)
    material = services.material_start(
        participation=a1, requirement=w.summary_requirement, by=w.bob
    )
    services.material_save_draft(material=material, text="小结", by=w.bob)
    services.material_submit(material=material, by=w.bob)


@pytest.mark.parametrize(
    ("persona", "name", "arg"),
    [
        ("olivia", "dashboards:dashboard", "campaign"),
        ("sam", "dashboards:supervision_dashboard", "campaign"),
        ("alice", "dashboards:unit_dashboard", "participation"),
    ],
)
def test_dashboard_query_count_does_not_grow_with_the_data(
    client, dashboard_world, persona, name, arg
):
    user = getattr(dashboard_world, persona)
    url = reverse(name, args=[getattr(dashboard_world, arg).pk])
    with at(EARLY):
        small = count_queries(client, user, url)
        grow(dashboard_world)
        large = count_queries(client, user, url)
    assert small == large <= MAX_QUERIES


# Appraisal satisfaction by district (民主评议、满意度测评) -----------------------------------


def test_satisfaction_by_district_counts_team_ratings_of_finished_rounds(client, dashboard_world):
    from appraisals.models import AppraisalTarget

    paper, team = appraisal(dashboard_world.street)
    tally(paper, team, satisfied=4, basically=2, unsatisfied=2)
    leader = AppraisalTarget.objects.create(
        round=paper, label="某领导", person=dashboard_world.chair
    )
    tally(paper, leader, unsatisfied=9)  # a person's rating: not the team's satisfaction
    online, team2 = appraisal(dashboard_world.east, kind="appraisal", scale="four")
    ballots(online, team2, "good", "poor")
    still_open, team3 = appraisal(dashboard_world.east, closed=False)
    tally(still_open, team3, unsatisfied=50)  # not finished: not counted yet
    few, team4 = appraisal(dashboard_world.unit_a)
    tally(few, team4, satisfied=3)
    with at(EARLY):
        dash, response = dashboard(
            client, dashboard_world.olivia, "dashboards:dashboard", dashboard_world.campaign.pk
        )
    rows = figure(dash, "satisfaction")
    assert rows["东区"].values == [70, 10]  # (4 + 2 + 1) of (8 + 2)
    assert rows["东区"].url == reverse("appraisals:appraisal_list", args=[dashboard_world.east.pk])
    assert rows["其他单位"].values == [None, 3]  # fewer than 5 ratings
    assert "样本不足" in response.content.decode()
