"""The campaign office's pages: create a campaign from a template, enrol units in staggered
batches, edit the task list, and watch every unit on the campaign page."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaign import services
from campaign.models import (
    Campaign,
    CampaignTemplate,
    EnrolmentBatch,
    Participation,
    Task,
    TaskDefinition,
)
from demo.scale import units as scale
from tests.conftest import MINI_TEMPLATE
from tests.factories import UnitFactory
from units.models import Unit

pytestmark = pytest.mark.django_db

D = datetime.date
PERIOD = {"start_date": "2026-01-01", "end_date": "2026-12-31"}


def at(day: datetime.date):
    """Freeze the clock at noon, Beijing time, on `day`."""
    moment = datetime.datetime.combine(day, datetime.time(12), ZoneInfo("Asia/Shanghai"))
    return time_machine.travel(moment, tick=False)


def mini_campaign(world, **kwargs):
    return services.campaign_create(
        template=services.template_import(MINI_TEMPLATE),
        name="测试活动",
        organiser=world.city,
        start_date=D(2026, 1, 1),
        end_date=D(2026, 12, 31),
        by=world.olivia,
        **kwargs,
    )


def enrol(world, campaign, root, start, label="批次", subtree=True):
    units = (
        Unit.objects.filter(path__startswith=root.path)
        if subtree
        else Unit.objects.filter(pk=root.pk)
    )
    return services.enrol_units(
        campaign=campaign, units=units, start_date=start, label=label, by=world.olivia
    )


def post_enrol(client, campaign, root, start, label="第一批（机关）", **extra):
    data = {"root": root.pk, "subtree": "on", "start_date": start, "label": label, "confirm": "1"}
    return client.post(reverse("campaign:enrol", args=[campaign.pk]), {**data, **extra})


def definition_data(**overrides):
    data = {
        "title": "召开专题座谈会",
        "office": "群教办",
        "description": "听取意见",
        "due_offset_days": "7",
        "due_date": "",
        "quota_kinds": ["symposium"],
        "quota_host": "any",
        "quota_measure": "count",
        "quota_minimum": "2",
        "applies_kinds": list(Unit.Kind.values),
    }
    return {**data, **overrides}


# Creating a campaign -------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["mass-line-2014", "work-style-2009"])
def test_office_creates_a_campaign_from_each_shipped_template(client, world, code):
    services.templates_load_shipped()
    template = CampaignTemplate.objects.get(code=code)
    client.force_login(world.olivia)

    response = client.post(
        reverse("campaign:create"), {"template": template.pk, "name": "2026年活动", **PERIOD}
    )

    campaign = Campaign.objects.get(name="2026年活动")
    assert response.status_code == 302
    assert response["Location"] == reverse("campaign:detail", args=[campaign.pk])
    assert campaign.organiser == world.city
    assert list(campaign.stages.values_list("name", flat=True)) == list(
        template.stages.values_list("name", flat=True)
    )
    definitions = TaskDefinition.objects.filter(stage__campaign=campaign)
    assert definitions.count() == template.stages.values("tasks").count()
    assert definitions.exclude(quota_kinds=[]).count() > 0
    assert campaign.stages.values("materials").filter(materials__is_gate=True).count() >= 1
    if code == "work-style-2009":
        # The 2009 plan gives fixed dates (4 月 30 日前 …): resolved inside the period.
        assert not definitions.filter(due_date=None).exists()
        assert all(D(2026, 1, 1) <= d.due_date <= D(2026, 12, 31) for d in definitions)
        assert definitions.filter(due_date=D(2026, 4, 30)).exists()
    else:
        assert not definitions.filter(due_offset_days=None).exists()


def test_campaign_with_end_before_start_is_refused_in_chinese(client, world):
    services.templates_load_shipped()
    client.force_login(world.olivia)
    response = client.post(
        reverse("campaign:create"),
        {
            "template": CampaignTemplate.objects.first().pk,
            "name": "倒置的活动",
            "start_date": "2026-06-01",
            "end_date": "2026-01-01",
        },
    )
    assert response.status_code == 200
    assert "结束日期不能早于开始日期" in response.content.decode()
    assert not Campaign.objects.exists()


def test_fixed_dates_outside_a_short_period_are_refused(client, world):
    services.templates_load_shipped()
    client.force_login(world.olivia)
    response = client.post(
        reverse("campaign:create"),
        {
            "template": CampaignTemplate.objects.get(code="work-style-2009").pk,
            "name": "太短的活动",
            "start_date": "2026-01-01",
            "end_date": "2026-03-01",
        },
    )
    assert "不在活动期间" in response.content.decode()
    assert not Campaign.objects.exists()


# Enrolment -----------------------------------------------------------------------------------


def test_two_staggered_batches_through_the_page(client, world):
    campaign = mini_campaign(world)
    client.force_login(world.olivia)

    first = post_enrol(client, campaign, world.unit_a, "2026-01-10")
    second = post_enrol(client, campaign, world.unit_b, "2026-01-25", label="第二批（基层）")

    assert first.status_code == second.status_code == 302
    batches = list(campaign.batches.values_list("label", "start_date", "unit_count"))
    assert batches == [("第一批（机关）", D(2026, 1, 10), 2), ("第二批（基层）", D(2026, 1, 25), 1)]
    enrolled = dict(campaign.participations.values_list("unit__code", "start_date"))
    assert enrolled == {"A": D(2026, 1, 10), "A1": D(2026, 1, 10), "B": D(2026, 1, 25)}
    a = campaign.participations.get(unit=world.unit_a)
    b = campaign.participations.get(unit=world.unit_b)
    assert a.tasks.count() == b.tasks.count() == 5
    for task in a.tasks.select_related("definition"):
        assert task.due_date == D(2026, 1, 10) + datetime.timedelta(task.definition.due_offset_days)
    a_dues = dict(a.tasks.values_list("definition_id", "due_date"))
    for definition_id, due in b.tasks.values_list("definition_id", "due_date"):
        assert due == a_dues[definition_id] + datetime.timedelta(days=15)


def test_re_enrolling_the_same_units_is_refused_and_creates_nothing(client, world):
    campaign = mini_campaign(world)
    client.force_login(world.olivia)
    post_enrol(client, campaign, world.unit_a, "2026-01-10")
    before = (EnrolmentBatch.objects.count(), Participation.objects.count(), Task.objects.count())

    response = post_enrol(client, campaign, world.unit_a, "2026-02-10", label="重复")

    assert response.status_code == 200
    assert "所选单位都已参加本活动" in response.content.decode()
    after = (EnrolmentBatch.objects.count(), Participation.objects.count(), Task.objects.count())
    assert after == before


def test_start_date_outside_the_period_is_refused(client, world):
    campaign = mini_campaign(world)
    client.force_login(world.olivia)
    response = post_enrol(client, campaign, world.unit_a, "2027-01-10")
    assert response.status_code == 200
    assert "启动日期必须在活动期间" in response.content.decode()
    assert not campaign.participations.exists()
    assert not campaign.batches.exists()


def test_enrolment_can_be_limited_to_unit_kinds(client, world):
    campaign = mini_campaign(world)
    client.force_login(world.olivia)
    response = post_enrol(client, campaign, world.city, "2026-01-10", kinds=["branch"])
    assert response.status_code == 302
    assert list(campaign.participations.values_list("unit__code", flat=True)) == ["A1"]


def test_preview_counts_the_units_and_enrols_nothing(client, world):
    campaign = mini_campaign(world)
    enrol(world, campaign, world.unit_a, D(2026, 1, 10), subtree=False)
    client.force_login(world.olivia)

    # No start date or label yet: the count needs only the units.
    data = {"root": world.city.pk, "subtree": "on", "preview": "1"}
    response = client.post(reverse("campaign:enrol", args=[campaign.pk]), data)

    # city, A, A1, B: four in the subtree, A already enrolled.
    assert "将报名 <strong>3</strong> 个单位" in response.content.decode()
    assert campaign.participations.count() == 1


def test_confirm_without_a_start_date_enrols_nothing(client, world):
    campaign = mini_campaign(world)
    client.force_login(world.olivia)
    data = {"root": world.city.pk, "subtree": "on", "label": "第一批", "confirm": "1"}
    response = client.post(reverse("campaign:enrol", args=[campaign.pk]), data)
    assert response.status_code == 200
    assert not campaign.participations.exists()


def test_a_new_search_keeps_the_ticked_unit(client, world):
    campaign = mini_campaign(world)
    client.force_login(world.olivia)
    response = client.get(
        reverse("campaign:enrol", args=[campaign.pk]), {"q": "乙", "root": world.unit_a1.pk}
    )
    body = response.content.decode()
    assert f'value="{world.unit_a1.pk}" id="root-{world.unit_a1.pk}" checked' in body
    assert f'value="{world.unit_b.pk}"' in body


def test_unit_search_lists_matching_units_to_pick(client, world):
    campaign = mini_campaign(world)
    client.force_login(world.olivia)
    response = client.get(reverse("campaign:enrol", args=[campaign.pk]), {"q": "乙"})
    body = response.content.decode()
    assert f'name="root" value="{world.unit_b.pk}"' in body
    assert f'name="root" value="{world.unit_a.pk}"' not in body


def test_a_root_outside_the_offices_scope_is_refused(client, world):
    """The root is looked up among the units the user may see, whatever the POST says."""
    campaign = mini_campaign(world)
    other_city = UnitFactory(name="他市", code="OTHER", kind=Unit.Kind.CITY)
    client.force_login(world.olivia)
    response = post_enrol(client, campaign, other_city, "2026-01-10")
    assert response.status_code == 200
    assert "请选择一个您可以查看的单位" in response.content.decode()
    assert not campaign.participations.exists()


# Who may do what -----------------------------------------------------------------------------

OFFICE_PAGES = [
    ("campaign:enrol", lambda w: w.campaign.pk),
    ("campaign:tasks", lambda w: w.campaign.pk),
    ("campaign:definition_create", lambda w: w.stage1.pk),
    ("campaign:definition_edit", lambda w: w.definition.pk),
]


@pytest.mark.parametrize("persona", ["alice", "sam", "leo"])
@pytest.mark.parametrize(("name", "arg"), OFFICE_PAGES, ids=[n for n, _a in OFFICE_PAGES])
def test_staff_supervisors_and_leaders_get_403_on_office_pages(
    client, campaign_world, persona, name, arg
):
    w = campaign_world
    client.force_login(getattr(w, persona))
    url = reverse(name, args=[arg(w)])
    assert client.get(url).status_code == 403
    # The task list only reads, so a POST there is refused before anyone is asked who they are.
    assert client.post(url, definition_data()).status_code == (
        405 if name == "campaign:tasks" else 403
    )
    assert TaskDefinition.objects.filter(title="召开专题座谈会").count() == 0


@pytest.mark.parametrize("persona", ["alice", "sam", "leo", "charlie"])
def test_only_the_office_may_create_campaigns(client, world, persona):
    services.templates_load_shipped()
    client.force_login(getattr(world, persona))
    data = {"template": CampaignTemplate.objects.first().pk, "name": "越权活动", **PERIOD}
    assert client.get(reverse("campaign:create")).status_code == 403
    assert client.post(reverse("campaign:create"), data).status_code == 403
    assert not Campaign.objects.exists()


@pytest.mark.parametrize("name", ["campaign:detail", "campaign:enrol", "campaign:tasks"])
def test_outsider_gets_404_for_another_campaign(client, campaign_world, name):
    client.force_login(campaign_world.charlie)
    assert client.get(reverse(name, args=[campaign_world.campaign.pk])).status_code == 404


def test_campaign_list_shows_each_user_only_their_campaigns(client, campaign_world):
    w = campaign_world
    client.force_login(w.alice)
    body = client.get(reverse("campaign:list")).content.decode()
    assert w.campaign.name in body
    assert "新建活动" not in body
    client.force_login(w.charlie)
    assert w.campaign.name not in client.get(reverse("campaign:list")).content.decode()
    client.force_login(w.olivia)
    assert "新建活动" in client.get(reverse("campaign:list")).content.decode()


def test_unit_staff_see_the_campaign_page_without_office_buttons(client, campaign_world):
    w = campaign_world
    client.force_login(w.alice)
    body = client.get(reverse("campaign:detail", args=[w.campaign.pk])).content.decode()
    assert reverse("campaign:workspace", args=[w.participation.pk]) in body
    assert reverse("campaign:enrol", args=[w.campaign.pk]) not in body
    client.force_login(w.olivia)
    body = client.get(reverse("campaign:detail", args=[w.campaign.pk])).content.decode()
    assert reverse("campaign:enrol", args=[w.campaign.pk]) in body
    assert reverse("campaign:tasks", args=[w.campaign.pk]) in body


# The task list -------------------------------------------------------------------------------


def test_tasks_page_lists_stages_tasks_quotas_and_gates(client, campaign_world):
    w = campaign_world
    client.force_login(w.olivia)
    body = client.get(reverse("campaign:tasks", args=[w.campaign.pk])).content.decode()
    assert body.index(w.stage1.name) < body.index(w.stage2.name)
    assert "制订学习计划" in body and "启动后 5 天" in body
    assert w.definition.quota_label() in body
    assert "把关" in body


def test_editing_a_due_offset_moves_enrolled_units_due_dates(client, campaign_world):
    w = campaign_world
    client.force_login(w.olivia)
    data = definition_data(
        title=w.definition.title,
        due_offset_days="25",
        quota_host="main_leader",
        quota_minimum="2",
    )
    response = client.post(reverse("campaign:definition_edit", args=[w.definition.pk]), data)

    assert response.status_code == 302
    dues = set(Task.objects.filter(definition=w.definition).values_list("due_date", flat=True))
    assert dues == {D(2026, 1, 10) + datetime.timedelta(days=25)}


def test_adding_a_task_gives_every_enrolled_unit_the_task(client, campaign_world):
    w = campaign_world
    client.force_login(w.olivia)
    response = client.post(
        reverse("campaign:definition_create", args=[w.stage1.pk]),
        definition_data(title="新增的任务", quota_kinds=[], quota_minimum="", due_offset_days="12"),
    )

    assert response.status_code == 302
    definition = TaskDefinition.objects.get(title="新增的任务")
    assert definition.stage == w.stage1
    for p in w.campaign.participations.all():
        assert p.tasks.get(definition=definition).due_date == p.start_date + datetime.timedelta(12)
        assert p.tasks_total == 6


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"due_offset_days": "5", "due_date": "2026-03-01"}, "二者选一"),
        ({"due_offset_days": "", "due_date": ""}, "二者选一"),
        ({"quota_minimum": "0"}, "最低数量必须大于 0"),
        ({"quota_minimum": "-1"}, "最低数量必须大于 0"),
        ({"quota_kinds": [], "quota_minimum": "2"}, "请选择计入数量要求的活动类型"),
    ],
)
def test_bad_task_input_is_refused_in_chinese_and_changes_nothing(
    client, campaign_world, overrides, message
):
    w = campaign_world
    client.force_login(w.olivia)
    tasks_before = Task.objects.count()
    edit_before = TaskDefinition.objects.values().get(pk=w.definition.pk)

    created = client.post(
        reverse("campaign:definition_create", args=[w.stage1.pk]), definition_data(**overrides)
    )
    edited = client.post(
        reverse("campaign:definition_edit", args=[w.definition.pk]),
        definition_data(title="改过的标题", **overrides),
    )

    for response in (created, edited):
        assert response.status_code == 200
        assert message in response.content.decode()
    assert Task.objects.count() == tasks_before
    assert not TaskDefinition.objects.filter(title__in=["召开专题座谈会", "改过的标题"]).exists()
    assert TaskDefinition.objects.values().get(pk=w.definition.pk) == edit_before


# The campaign page ---------------------------------------------------------------------------


@pytest.fixture
def districts(world):
    """world plus two districts, each with a grassroots unit, all enrolled in a campaign:
    the city's bodies and 东区 on 2026-01-10, 西区 half a month later."""
    w = world
    w.east = UnitFactory(name="东区", code="E", kind=Unit.Kind.DISTRICT, parent=w.city)
    w.east_street = UnitFactory(name="东区街道", code="E1", kind=Unit.Kind.TOWNSHIP, parent=w.east)
    w.west = UnitFactory(name="西区", code="W", kind=Unit.Kind.DISTRICT, parent=w.city)
    w.west_village = UnitFactory(
        name="西区社区", code="W1", kind=Unit.Kind.COMMUNITY, parent=w.west
    )
    w.campaign = mini_campaign(w)
    w.stage1, w.stage2 = w.campaign.stages.order_by("order")
    for root in (w.unit_a, w.unit_b, w.east):
        enrol(w, w.campaign, root, D(2026, 1, 10), label="第一批（机关）")
    enrol(w, w.campaign, w.west, D(2026, 1, 25), label="第二批（基层）")
    # unit A has written its study plan, so its oldest open task is due later.
    plan = Task.objects.get(participation__unit=w.unit_a, definition__title="制订学习计划")
    services.task_complete(task=plan, note="已印发", by=w.alice)
    Participation.objects.filter(unit=w.west_village).update(current_stage=w.stage2)
    return w


def rows(client, campaign, **params):
    with at(D(2026, 2, 1)):
        response = client.get(reverse("campaign:detail", args=[campaign.pk]), params)
    assert response.status_code == 200
    return [p.unit.code for p in response.context["page"]], response


def test_campaign_page_filters_by_district(client, districts):
    client.force_login(districts.olivia)
    codes, _r = rows(client, districts.campaign, district=districts.east.pk)
    assert sorted(codes) == ["E", "E1"]


def test_campaign_page_filters_by_kind(client, districts):
    client.force_login(districts.olivia)
    codes, _r = rows(client, districts.campaign, kind=Unit.Kind.TOWNSHIP)
    assert codes == ["E1"]


def test_campaign_page_filters_by_stage(client, districts):
    client.force_login(districts.olivia)
    codes, _r = rows(client, districts.campaign, stage=districts.stage2.pk)
    assert codes == ["W1"]


def test_campaign_page_ignores_a_filter_value_that_does_not_fit(client, districts):
    client.force_login(districts.olivia)
    codes, _r = rows(client, districts.campaign, district="abc", stage="999999", sort="drop")
    assert len(codes) == 7


def test_campaign_page_sorts_the_latest_units_first(client, districts):
    client.force_login(districts.olivia)
    codes, response = rows(client, districts.campaign, sort="late")

    # Due 01-15 (plan, five days after 01-10): B, E, E1 and A1; A finished its plan, so its
    # oldest open task is due 01-30, like 西区's plan (five days after 01-25).
    assert sorted(codes[:4]) == ["A1", "B", "E", "E1"]
    assert sorted(codes[4:]) == ["A", "W", "W1"]
    by_code = {p.unit.code: p for p in response.context["page"]}
    assert by_code["B"].late_days == 17 and by_code["B"].overdue_count == 3
    assert by_code["A"].late_days == 2 and by_code["A"].overdue_count == 2
    assert by_code["W"].late_days == 2 and by_code["W"].overdue_count == 1
    assert by_code["E1"].district == districts.east
    assert by_code["A"].district is None
    assert by_code["A"].percent_done == 20
    body = response.content.decode()
    assert "东区" in body and "第二批（基层）" in body


def test_campaign_page_sorts_by_percent_done(client, districts):
    client.force_login(districts.olivia)
    codes, _r = rows(client, districts.campaign, sort="done_desc")
    assert codes[0] == "A"
    codes, _r = rows(client, districts.campaign, sort="done")
    assert codes[-1] == "A"


def test_campaign_page_summary(client, districts):
    client.force_login(districts.olivia)
    _codes, response = rows(client, districts.campaign)
    summary = response.context["summary"]
    assert summary.units == 7
    assert dict(summary.by_stage) == {districts.stage1: 6, districts.stage2: 1}
    assert summary.average_done == 3  # one unit of seven at 20 %


def test_unit_staff_see_only_their_units_on_the_campaign_page(client, districts):
    client.force_login(districts.alice)
    codes, _r = rows(client, districts.campaign)
    assert sorted(codes) == ["A", "A1"]


# Query counts at two sizes -------------------------------------------------------------------

PAGES = [
    ("campaign:detail", {}),
    ("campaign:detail", {"sort": "late"}),
    ("campaign:detail", {"sort": "done", "kind": Unit.Kind.TOWNSHIP}),
    ("campaign:detail", {"district": "EAST", "stage": "STAGE2", "sort": "name"}),
    ("campaign:list", {}),
    ("campaign:enrol", {}),
    ("campaign:enrol", {"q": "街道"}),
    ("campaign:tasks", {}),
]


def count_queries(client, w):
    counts = []
    for name, params in PAGES:
        args = [] if name == "campaign:list" else [w.campaign.pk]
        params = {
            k: {"EAST": w.east.pk, "STAGE2": w.stage2.pk}.get(v, v) for k, v in params.items()
        }
        with at(D(2026, 2, 1)), CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse(name, args=args), params)
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
    return counts, response


def test_office_pages_use_the_same_queries_for_10_and_5000_units(client, districts):
    w = districts
    client.force_login(w.olivia)
    small, _r = count_queries(client, w)
    assert w.campaign.participations.count() < 10

    scale.build(
        units=4990, people=5000, users=30, groups=2, parent=w.city, city_name="大市", tag="big"
    )
    big_city = Unit.objects.get(name="大市")
    enrol(w, w.campaign, big_city, D(2026, 1, 10), label="第三批")
    assert w.campaign.participations.count() > 4990

    big, _r = count_queries(client, w)
    assert big == small
    client.force_login(w.olivia)
    with at(D(2026, 2, 1)):
        page = client.get(reverse("campaign:detail", args=[w.campaign.pk]))
        picker = client.get(reverse("campaign:enrol", args=[w.campaign.pk]))
    assert len(page.context["page"].object_list) == 50
    # The root is picked from a short list, never a select of every unit.
    assert picker.content.decode().count('name="root"') <= 21
