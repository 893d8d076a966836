"""Issue 15: a campaign that fits real units.

Tasks by unit kind, materials that complete their tasks, honest statuses (未启动, 逾期完成),
one activity per quota, quotas by cadre rank, contact points, and clean task texts.
"""

import copy
import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from campaign import services as cs
from campaign.models import (
    Activity,
    ActivityKind,
    CampaignTemplate,
    Participation,
    QuotaHost,
    Task,
    TaskTemplate,
)
from campaign.provenance import source_title, to_simplified
from campaign.quotas import Member, Tally, evaluate
from campaign.selectors.office import campaign_summary
from campaign.selectors.workspace import workspace
from campaign.services.progress import participation_refresh
from reminders.selectors import task_entries
from tests.conftest import MINI_TEMPLATE
from tests.factories import PersonFactory, UnitFactory
from tests.helpers.clock import at
from units.models import CadreRank, Unit

pytestmark = pytest.mark.django_db

D = datetime.date
START = D(2026, 3, 2)


@pytest.fixture
def mass_line(world):
    """The shipped 2014 template as a campaign; a 部门 and a 党支部 enrolled on different dates."""
    cs.templates_load_shipped()
    w = world
    w.campaign = cs.campaign_create(
        template=CampaignTemplate.objects.get(code="mass-line-2014"),
        name="党的群众路线教育实践活动",
        organiser=w.city,
        start_date=D(2026, 3, 1),
        end_date=D(2026, 12, 31),
        by=w.olivia,
    )
    w.team_batch = cs.enrol_units(
        campaign=w.campaign, units=Unit.objects.filter(pk=w.unit_a.pk),
        start_date=START, label="领导机关", by=w.olivia,
    )  # fmt: skip
    w.grassroots_batch = cs.enrol_units(
        campaign=w.campaign, units=Unit.objects.filter(pk=w.unit_a1.pk),
        start_date=START + datetime.timedelta(days=15), label="基层", by=w.olivia,
    )  # fmt: skip
    w.team = w.campaign.participations.get(unit=w.unit_a)
    w.grassroots = w.campaign.participations.get(unit=w.unit_a1)
    return w


def titles(participation) -> set[str]:
    return set(participation.tasks.values_list("definition__title", flat=True))


# 1. Tasks apply to kinds of units -------------------------------------------------------------


def test_enrolment_gives_each_unit_kind_only_its_own_tasks(mass_line):
    team, grassroots = titles(mass_line.team), titles(mass_line.grassroots)
    assert "召开专题民主生活会（不少于1天）" in team
    assert "撰写领导班子对照检查材料" in team
    assert "召开专题组织生活会" not in team and "开展民主评议党员" not in team
    assert "召开专题民主生活会（不少于1天）" not in grassroots
    assert "撰写领导班子对照检查材料" not in grassroots
    assert {"召开专题组织生活会", "开展民主评议党员", "制订实施方案"} <= grassroots
    for p in (mass_line.team, mass_line.grassroots):
        p.refresh_from_db()
        assert p.tasks_total == p.tasks.count()


def test_the_task_list_shows_how_many_units_each_task_applies_to(client, mass_line):
    client.force_login(mass_line.olivia)
    response = client.get(reverse("campaign:tasks", args=[mass_line.campaign.pk]))
    stages = response.context["stages"]
    counts = {t.title: t.unit_count for s in stages for t in s.tasks.all()}
    assert counts["召开专题民主生活会（不少于1天）"] == 1
    assert counts["召开专题组织生活会"] == 1
    assert counts["制订实施方案"] == 2
    assert "领导班子 · 1 个单位" in response.content.decode()


def test_the_office_adds_and_drops_a_task_for_one_batch_without_duplicates(client, mass_line):
    w = mass_line
    definition = w.campaign.stages.get(order=3).tasks.get(title="召开专题组织生活会")
    client.force_login(w.olivia)
    url = reverse("campaign:definition_batch", args=[definition.pk])
    client.post(url, {"batch": w.grassroots_batch.pk, "action": "drop"})
    assert not w.grassroots.tasks.filter(definition=definition).exists()
    w.grassroots.refresh_from_db()
    assert w.grassroots.tasks_total == w.grassroots.tasks.count()
    for _twice in range(2):
        client.post(url, {"batch": w.grassroots_batch.pk, "action": "add"})
    assert w.grassroots.tasks.filter(definition=definition).count() == 1
    # The team batch's unit is not a 基层党组织: adding there gives it nothing.
    assert cs.batch_task_add(batch=w.team_batch, definition=definition, by=w.olivia) == 0


def test_enrolling_again_never_duplicates_tasks(mass_line):
    before = Task.objects.count()
    with pytest.raises(ValidationError):
        cs.enrol_units(
            campaign=mass_line.campaign, units=Unit.objects.filter(pk=mass_line.unit_a.pk),
            start_date=START, label="再次", by=mass_line.olivia,
        )  # fmt: skip
    assert Task.objects.count() == before


@pytest.mark.parametrize(
    "change, message",
    [
        ({"applies_to": []}, "至少要适用于一类单位"),
        ({"applies_to": ["palace"]}, "未知的单位类别"),
        ({"quota": {"kinds": ["symposium"], "host": "each_team_member", "measure": "count",
                    "minimum": 1, "by_rank": {"mayor": 2}}}, "不在职级列表中"),
        ({"quota": {"kinds": ["symposium"], "host": "each_team_member", "measure": "count",
                    "minimum": 1, "by_rank": {"county": 0}}}, "必须大于 0"),
        ({"quota": {"kinds": ["symposium"], "host": "any", "measure": "count",
                    "minimum": 0}}, "必须大于 0"),
    ],
)  # fmt: skip
def test_a_template_that_makes_no_sense_is_refused_in_chinese_and_changes_nothing(
    db, change, message
):
    cs.template_import(MINI_TEMPLATE)
    before = list(TaskTemplate.objects.values_list("id", "title"))
    broken = copy.deepcopy(MINI_TEMPLATE)
    broken["stages"][0]["tasks"][0].update(change)
    with pytest.raises(ValidationError) as e:
        cs.template_import(broken)
    assert message in " ".join(e.value.messages)
    assert list(TaskTemplate.objects.values_list("id", "title")) == before


def test_the_office_form_refuses_a_task_applying_to_no_kind(client, campaign_world):
    client.force_login(campaign_world.olivia)
    response = client.post(
        reverse("campaign:definition_edit", args=[campaign_world.definition.pk]),
        {"title": "x", "due_offset_days": "5", "quota_host": "any", "quota_measure": "count"},
    )
    assert response.status_code == 200
    assert "任务至少要适用于一类单位。" in response.content.decode()


# 3. Materials complete their tasks ------------------------------------------------------------


def test_a_material_task_follows_review_and_is_done_without_a_second_tick(mass_line):
    w = mass_line
    task = w.team.tasks.get(definition__title="制订实施方案")
    requirement = task.definition.material
    assert requirement.kind == "implementation_plan"
    material = cs.material_start(participation=w.team, requirement=requirement, by=w.alice)
    cs.material_save_draft(material=material, text="实施方案", by=w.alice)

    def status():
        task.refresh_from_db()
        return task.status_label(START + datetime.timedelta(days=3), START)

    revision = cs.material_submit(material=material, by=w.alice)
    assert status() == "待审核"
    with pytest.raises(ValidationError):
        cs.task_complete(task=task, note="重复标记", by=w.alice)
    w.group_a.units.add(w.unit_a)
    cs.review_decide(revision=revision, decision="return", comment="请修改", by=w.sam)
    assert status() == "已退回"
    revision = cs.material_submit(material=material, by=w.alice)
    cs.review_decide(revision=revision, decision="approve", comment="", by=w.sam)
    assert task.completed_at is not None or status() in ("已完成", "逾期完成")
    task.refresh_from_db()
    assert task.completed_at is not None and task.review_state == ""
    w.team.refresh_from_db()
    assert w.team.tasks_done == 1


def test_waiving_a_stage_completes_its_material_tasks(mass_line):
    w = mass_line
    stage = w.campaign.stages.get(order=1)
    cs.stage_waive(participation=w.team, stage=stage, reason="已线下审核", by=w.olivia)
    done = set(
        w.team.tasks.filter(completed_at__isnull=False).values_list("definition__title", flat=True)
    )
    assert {"制订实施方案", "拟定动员大会讲话稿并报督导组审核"} <= done


# 5. Honest statuses ---------------------------------------------------------------------------


def test_a_unit_not_started_shows_未启动_and_owes_nothing(client, mass_line):
    w = mass_line
    today = START + datetime.timedelta(days=12)  # the team started, 基层 not yet
    ws = workspace(w.grassroots, today=today)
    assert ws.not_started and ws.tasks_overdue == 0
    assert {r.status_label for s in ws.stages for r in s.rows} == {"未启动"}
    summary = campaign_summary(
        w.campaign.participations.all(), list(w.campaign.stages.all()), today
    )
    assert summary.not_started == 1 and sum(n for _s, n in summary.by_stage) == 1
    digest = task_entries(today)
    units = {e.unit for kind in ("tasks_due", "tasks_overdue") for e in digest[kind]}
    assert w.unit_a1.name not in units
    with at(today):
        client.force_login(w.olivia)
        page = client.get(reverse("campaign:workspace", args=[w.grassroots.pk])).content.decode()
        assert 'id="not-started"' in page
        page = client.get(reverse("campaign:detail", args=[w.campaign.pk])).content.decode()
        assert 'id="not-started-count"' in page


def test_a_fixed_due_date_before_a_units_start_moves_to_its_start(campaign_world):
    definition = campaign_world.definition
    definition.due_offset_days, definition.due_date = None, D(2026, 1, 5)
    assert definition.due_for(D(2026, 2, 1)) == D(2026, 2, 1)


def test_a_task_finished_late_shows_逾期完成_with_days_and_is_counted_apart(campaign_world):
    w = campaign_world
    task = w.task_plan  # due 2026-01-15
    with at(D(2026, 1, 19)):
        cs.task_complete(task=task, note="晚了", by=w.alice)
    task.refresh_from_db()
    assert task.status(D(2026, 2, 1)) == Task.Status.DONE_LATE
    assert task.days_late_done() == 4
    w.participation.refresh_from_db()
    assert w.participation.tasks_done_late == 1


def test_the_workspace_timeline_shows_seed_002s_stage_windows(mass_line):
    ws = workspace(mass_line.team, today=START)
    windows = [s.window for s in ws.stages]
    assert windows[0] == (START, START + datetime.timedelta(days=10))
    assert windows[-1] == (
        START + datetime.timedelta(days=223),
        START + datetime.timedelta(days=232),
    )


# 4. Each activity counts once -----------------------------------------------------------------


def test_one_activity_never_satisfies_two_quotas_of_the_shipped_templates(db):
    cs.templates_load_shipped()
    team = [
        Member(1, "主席", True, CadreRank.COUNTY),
        Member(2, "副主席", False, CadreRank.SECTION),
    ]
    for template in CampaignTemplate.objects.all():
        quotas = [
            t
            for t in TaskTemplate.objects.filter(stage__template=template)
            if t.has_quota and not t.quota_shared
        ]
        for kind in ActivityKind.values:
            for host in (1, 2, None):
                one = [Tally(kind, host, 1, Decimal(5), Decimal(5), 5)]
                moved = [q.title for q in quotas if evaluate(q, one, team, one).fraction > 0]
                assert len(moved) <= 1, (template.code, kind, host, moved)


def test_the_main_leaders_party_lecture_is_not_an_experts_lecture(db):
    cs.templates_load_shipped()
    tasks = TaskTemplate.objects.filter(stage__template__code="mass-line-2014")
    lecture = tasks.get(title="主要负责同志讲专题党课")
    expert = tasks.get(title="邀请专家举办专题辅导讲座")
    assert lecture.quota_kinds == [ActivityKind.PARTY_LECTURE]
    assert expert.quota_kinds == [ActivityKind.LECTURE]


def test_two_quotas_on_the_same_kind_are_refused_unless_marked_shared(db):
    template = copy.deepcopy(MINI_TEMPLATE)
    study = {"kinds": ["thematic_study"], "host": "any", "measure": "count", "minimum": 1}
    template["stages"][1]["tasks"].append(
        {"title": "又一次专题学习", "due_offset_days": 60, "source": "000.txt",
         "quote": "专题学习", "quota": study}
    )  # fmt: skip
    with pytest.raises(ValidationError, match="一次活动只能计入一项数量要求"):
        cs.template_import(template)
    study["shared"] = True
    cs.template_import(template)


# 2. Quotas by cadre rank ----------------------------------------------------------------------


def test_a_per_person_quota_holds_each_rank_to_its_own_target(db):
    definition = TaskTemplate(
        title="集中学习", quota_kinds=["collective_study"],
        quota_host=QuotaHost.EACH_TEAM_MEMBER_TAKES_PART, quota_measure="days",
        quota_minimum=Decimal(5), quota_by_rank={"county": 7, "section": 5},
    )  # fmt: skip
    team = [Member(1, "陈国栋", True, CadreRank.COUNTY), Member(2, "李明", False, "section")]
    part = [
        Tally("collective_study", 1, 1, Decimal(5), 0),
        Tally("collective_study", 2, 1, Decimal(5), 0),
    ]
    p = evaluate(definition, [], team, part)
    assert [person.label for person in p.people] == ["陈国栋 5/7", "李明 5/5"]
    assert not p.met and p.label == "1/2 名班子成员已完成"


def test_family_visits_count_households_of_everyone_taking_part(campaign_world):
    w = campaign_world
    w.chair.cadre_rank = CadreRank.COUNTY
    w.chair.save()
    definition = w.stage1.tasks.create(
        title="走亲连心", due_offset_days=30, quota_kinds=["family_visit"],
        quota_host=QuotaHost.EACH_TEAM_MEMBER_TAKES_PART, quota_measure="households",
        quota_minimum=3, quota_by_rank={"county": 5},
    )  # fmt: skip
    task = Task.objects.create(participation=w.participation, definition=definition,
                               due_date=D(2026, 2, 9))  # fmt: skip
    with at(D(2026, 1, 20)):
        cs.activity_record(
            participation=w.participation, by=w.alice, kind="family_visit", title="走访",
            date=D(2026, 1, 18), households=5, attendees=[w.chair],
        )  # fmt: skip
    task.refresh_from_db()
    assert task.completed_at is None  # the deputy (一般干部, ≥ 3 户) has not been yet
    with at(D(2026, 1, 20)):
        cs.activity_record(
            participation=w.participation, by=w.alice, kind="family_visit", title="走访",
            date=D(2026, 1, 19), households=3, host=w.deputy,
        )  # fmt: skip
    task.refresh_from_db()
    assert task.completed_at is not None


def test_a_person_with_a_rank_not_in_the_list_is_refused(world):
    world.chair.cadre_rank = "mayor"
    with pytest.raises(ValidationError):
        world.chair.full_clean()


# 7. Contact points ----------------------------------------------------------------------------


def test_a_leaders_attendance_at_the_contact_point_counts_on_the_leaders_own_unit(world):
    w = world
    cs.template_import(MINI_TEMPLATE)
    campaign = cs.campaign_create(
        template=CampaignTemplate.objects.get(code="mini"), name="活动", organiser=w.city,
        start_date=D(2026, 1, 1), end_date=D(2026, 12, 31), by=w.olivia,
    )  # fmt: skip
    cs.enrol_units(campaign=campaign, units=Unit.objects.filter(pk__in=[w.unit_a.pk, w.unit_b.pk]),
                   start_date=D(2026, 1, 10), label="一批", by=w.olivia)  # fmt: skip
    home = campaign.participations.get(unit=w.unit_a)
    contact = campaign.participations.get(unit=w.unit_b)  # chair's 联系点 (conftest)
    definition = campaign.stages.get(order=1).tasks.create(
        title="到联系点参加集体学习", due_offset_days=30, quota_kinds=["central_group_study"],
        quota_host=QuotaHost.EACH_TEAM_MEMBER_AT_LIAISON, quota_measure="count", quota_minimum=1,
        quota_shared=True,
    )  # fmt: skip
    task = Task.objects.create(participation=home, definition=definition, due_date=D(2026, 2, 9))
    stranger = PersonFactory(unit=UnitFactory(name="丙单位"), name="路人")
    with at(D(2026, 1, 20)):
        with pytest.raises(ValidationError):
            cs.activity_record(participation=contact, by=w.olivia, kind="central_group_study",
                               title="学习", date=D(2026, 1, 19), attendees=[stranger])  # fmt: skip
        cs.activity_record(participation=contact, by=w.olivia, kind="central_group_study",
                           title="联系点学习", date=D(2026, 1, 19), attendees=[w.chair])  # fmt: skip
    task.refresh_from_db()
    assert task.completed_at is not None
    # The same study held at the leader's own unit does not count as the contact point's.
    assert not Activity.objects.filter(participation=home).exists()


# 6. Clean texts with provenance ---------------------------------------------------------------


def test_task_texts_are_clean_and_the_quote_is_kept_apart(client, mass_line):
    definition = mass_line.campaign.stages.get(order=1).tasks.get(title="聘请群众观察员")
    assert definition.source_name.startswith("004_")
    assert "觀察員" in definition.source_quote or "觀" in definition.source_quote
    assert "依据" not in definition.description and ".txt" not in definition.title
    simplified = to_simplified(definition.source_quote)
    assert "觀" not in simplified and "观" in simplified
    assert source_title(definition.source_name) == "科技局群众路线实施办法（2014）"
    client.force_login(mass_line.alice)
    with at(START + datetime.timedelta(days=1)):
        page = client.get(reverse("campaign:workspace", args=[mass_line.team.pk])).content.decode()
    assert "依据" in page and simplified in page and ".txt" not in page


def test_participations_of_the_demo_rules_are_refreshed_consistently(mass_line):
    participation_refresh(mass_line.team)
    p = Participation.objects.get(pk=mass_line.team.pk)
    assert p.tasks_total == p.tasks.count()


def test_home_shows_未启动_for_a_unit_before_its_start(client, mass_line):
    with at(START + datetime.timedelta(days=3)):
        client.force_login(mass_line.bob)  # staff of the branch, enrolled for later
        page = client.get(reverse("home")).content.decode()
    assert "未启动" in page


def test_the_monthly_bulletin_counts_late_finishes_and_units_not_started_apart(campaign_world):
    from dashboards.exports import MonthlyBulletin

    w = campaign_world
    with at(D(2026, 1, 19)):
        cs.task_complete(task=w.task_plan, note="晚了", by=w.alice)  # due 2026-01-15
    later = cs.enrol_units(
        campaign=w.campaign, units=Unit.objects.filter(pk=w.unit_b.pk),
        start_date=D(2026, 3, 1), label="第二批", by=w.olivia,
    )  # fmt: skip
    assert later.unit_count == 1
    with at(D(2026, 1, 31)):
        context = MonthlyBulletin(user=w.olivia, unit=w.city.pk, month="2026-01").context()
    assert context["progress"]["done_late"] == 1
    assert context["progress"]["not_started"] == 1


def test_the_migration_moves_old_rows_to_the_new_rules(campaign_world):
    """Rows as they were before issue 15: quote and file name in the description, no material
    link, a task due before its unit's start, an approved material whose task stayed open."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "campaign.migrations.0004_issue15_kinds_materials_provenance"
    )
    w = campaign_world
    plan = w.task_plan.definition
    plan.title, plan.material = "制订学习计划并报督导组审阅", None
    plan.description = "制订学习计划并报督导组审阅（依据：004_6b7b8d3a3e1c0fd4.txt）"
    plan.source_name = plan.source_quote = ""
    plan.save()
    requirement = w.stage1.materials.create(kind="study_plan", title="学习计划", is_gate=False)
    material = cs.material_start(participation=w.participation, requirement=requirement, by=w.alice)
    cs.material_save_draft(material=material, text="学习计划", by=w.alice)
    revision = cs.material_submit(material=material, by=w.alice)
    cs.review_decide(revision=revision, decision="approve", comment="", by=w.sam)
    Task.objects.filter(pk=w.task_symposium.pk).update(due_date=D(2026, 1, 1))  # before start

    migration.forwards(apps, None)

    plan.refresh_from_db()
    assert (plan.description, plan.source_name) == ("", "004_6b7b8d3a3e1c0fd4.txt")
    assert plan.source_quote == "制订学习计划并报督导组审阅"
    assert plan.material == requirement
    w.task_plan.refresh_from_db()
    assert w.task_plan.completed_at is not None
    w.task_symposium.refresh_from_db()
    assert w.task_symposium.due_date == w.participation.start_date
    w.participation.refresh_from_db()
    assert (
        w.participation.tasks_done
        == w.participation.tasks.filter(completed_at__isnull=False).count()
    )
