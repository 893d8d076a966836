"""Shared fixtures. The personas (healthchecks' alice, bob, charlie) live in one small city:

市 (city)
├── 甲单位 (unit_a)   alice: staff; leo: leader; group_a supervises it (sam)
│   └── 甲单位下属支部 (unit_a1)   bob: staff of the sub-unit, a colleague below
└── 乙单位 (unit_b)   charlie: staff, the outsider
olivia: campaign office at the city; root: admin
"""

from types import SimpleNamespace

import pytest

from config.celery import app as celery_app
from tests.factories import (
    PASSWORD,
    LiaisonPointFactory,
    PersonFactory,
    SupervisionGroupFactory,
    UnitFactory,
    UserFactory,
)
from tests.helpers.appraisals import codes_of, make_round
from tests.helpers.clock import at
from tests.helpers.environment import in_ci  # noqa: F401  (tests import it from here)
from tests.helpers.rectification import START, open_item
from tests.helpers.reminders import BUILT
from tests.helpers.worker import REDIS_URL, flushed_redis
from units.models import Unit, User

# Names the outsider must never see on any page.
SECRET_UNIT_NAME = "甲单位绝密名称"


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Many tests sign in, then travel weeks ahead with time_machine; production's 8-hour
    # session (tests/test_security.py checks it) would sign them out on the way.
    settings.SESSION_COOKIE_AGE = 60 * 24 * 3600
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True


@pytest.fixture
def world(db):
    city = UnitFactory(name="示范市", code="CITY", kind=Unit.Kind.CITY)
    unit_a = UnitFactory(name=SECRET_UNIT_NAME, code="A", parent=city)
    unit_a1 = UnitFactory(name="甲单位下属支部", code="A1", parent=unit_a, kind=Unit.Kind.BRANCH)
    unit_b = UnitFactory(name="乙单位", code="B", parent=city)
    chair = PersonFactory(unit=unit_a, name="甲主席", position="主席", is_main_leader=True)
    PersonFactory(unit=unit_b, name="乙主席", position="主席", is_main_leader=True)
    users = SimpleNamespace(
        alice=UserFactory(username="alice", home_unit=unit_a),
        bob=UserFactory(username="bob", home_unit=unit_a1),
        charlie=UserFactory(username="charlie", home_unit=unit_b),
        sam=UserFactory(username="sam", role=User.Role.SUPERVISOR, home_unit=city),
        leo=UserFactory(username="leo", role=User.Role.LEADER, home_unit=unit_a, person=chair),
        olivia=UserFactory(username="olivia", role=User.Role.OFFICE, home_unit=city),
        root=UserFactory(username="root", role=User.Role.ADMIN, is_staff=True, is_superuser=True),
    )
    group_a = SupervisionGroupFactory(name="第十四督导组", units=[unit_a], members=[users.sam])
    group_b = SupervisionGroupFactory(name="第三督导组", units=[unit_b])
    liaison = LiaisonPointFactory(leader=chair, unit=unit_b)
    return SimpleNamespace(
        city=city,
        unit_a=unit_a,
        unit_a1=unit_a1,
        unit_b=unit_b,
        chair=chair,
        group_a=group_a,
        group_b=group_b,
        liaison=liaison,
        password=PASSWORD,
        **vars(users),
    )


def login(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def as_user(client):
    return lambda user: login(client, user)


# A small playbook, in the same JSON form as fixtures/templates/*.json.
MINI_TEMPLATE = {
    "code": "mini",
    "name": "测试模板",
    "description": "测试用",
    "stages": [
        {
            "name": "学习教育·听取意见",
            "materials": [{"kind": "stage_summary", "title": "环节小结", "gate": True}],
            "tasks": [
                {"title": "制订学习计划", "office": "群教办", "due_offset_days": 5,
                 "source": "000.txt", "quote": "制订学习计划", "quota": None},
                {"title": "主要负责同志主持座谈会", "due_offset_days": 20, "source": "000.txt",
                 "quote": "座谈会", "quota": {"kinds": ["symposium"], "host": "main_leader",
                                               "measure": "count", "minimum": 2}},
                {"title": "其他班子成员各主持座谈会", "due_offset_days": 20, "source": "000.txt",
                 "quote": "座谈会", "quota": {"kinds": ["symposium"],
                                               "host": "each_other_team_member",
                                               "measure": "count", "minimum": 1}},
                {"title": "集中学习", "due_offset_days": 30, "source": "000.txt", "quote": "集中学习",
                 "quota": {"kinds": ["central_group_study", "thematic_study"], "host": "any",
                           "measure": "days", "minimum": 3}},
            ],
        },
        {
            "name": "查摆问题·开展批评",
            "materials": [{"kind": "stage_summary", "title": "环节小结", "gate": True}],
            "tasks": [
                {"title": "蹲点调研", "due_offset_days": 60, "source": "001.txt", "quote": "蹲点",
                 "quota": {"kinds": ["field_research"], "host": "each_team_member",
                           "measure": "days", "minimum": 3}},
            ],
        },
    ],
}  # fmt: skip


@pytest.fixture
def campaign_world(world):
    """world plus a campaign organised at the city, with only unit A's subtree enrolled."""
    import datetime

    from campaign import services as cs
    from units.models import Unit as UnitModel

    w = world
    w.deputy = PersonFactory(unit=w.unit_a, name="甲副主席", position="副主席", rank=2)
    w.template = cs.template_import(MINI_TEMPLATE)
    w.campaign = cs.campaign_create(
        template=w.template,
        name="测试教育实践活动",
        organiser=w.city,
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2026, 12, 31),
        by=w.olivia,
    )
    w.batch = cs.enrol_units(
        campaign=w.campaign,
        units=UnitModel.objects.filter(path__startswith=w.unit_a.path),
        start_date=datetime.date(2026, 1, 10),
        label="第一批",
        by=w.olivia,
    )
    w.participation = w.campaign.participations.get(unit=w.unit_a)
    w.stage1, w.stage2 = w.campaign.stages.order_by("order")
    w.task_plan = w.participation.tasks.get(definition__title="制订学习计划")
    w.task_symposium = w.participation.tasks.get(definition__title="主要负责同志主持座谈会")
    w.definition = w.task_symposium.definition
    w.activity = cs.activity_record(
        participation=w.participation,
        by=w.alice,
        kind="symposium",
        title="征求意见座谈会",
        date=datetime.date(2026, 1, 15),
        host=w.chair,
        attendee_count=12,
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    from core.services import attachment_add

    w.attachment = attachment_add(
        target=w.activity,
        unit=w.unit_a,
        upload=SimpleUploadedFile("记录.pdf", b"%PDF-1.4\n%test\n", "application/pdf"),
        by=w.alice,
    )
    w.summary_requirement = w.stage1.materials.get(kind="stage_summary")
    w.material = cs.material_start(
        participation=w.participation, requirement=w.summary_requirement, by=w.alice
    )
    cs.material_save_draft(material=w.material, text="学习教育环节小结（第一稿）", by=w.alice)
    w.revision = cs.material_submit(material=w.material, by=w.alice)
    w.material.refresh_from_db()
    w.talk = cs.talk_record(
        participation=w.participation,
        group=w.group_a,
        by=w.sam,
        category="team",
        interviewee="甲副主席",
        date=datetime.date(2026, 1, 12),
        notes="谈话记录：机密内容",
    )
    w.alice.refresh_from_db()
    return w


@pytest.fixture
def review_world(campaign_world):
    """campaign_world with e-mail addresses for alice and sam, who hear about reviews."""
    for user in (campaign_world.alice, campaign_world.sam):
        user.email = f"{user.username}@example.com"
        user.save(update_fields=["email"])
    return campaign_world


@pytest.fixture
def appraisal_world(world):
    """world with a second team member in unit A (甲副主席) and an online 民主评议 round run by
    sam (supervisor of unit A): targets 领导班子, 甲主席 (leo's person) and 甲副主席; 30 codes;
    open from an hour ago for three days; two open questions (tests/helpers/appraisals.py)."""
    world.deputy = PersonFactory(unit=world.unit_a, name="甲副主席", position="副主席", rank=2)
    world.round = make_round(world)
    world.codes = codes_of(world.round)
    world.team, world.chair_target, world.deputy_target = world.round.targets.order_by("order")
    return world


@pytest.fixture
def ledger_world(world):
    """world on 2026-03-10 (START) with unit A's ledger: a team problem and one
    item led by the chair (甲主席), due 2026-06-30, with a public commitment and an internal
    note (tests/helpers/rectification.py)."""
    with at(START):
        world.item = open_item(world)
        world.problem = world.item.problem
        world.deputy = PersonFactory(unit=world.unit_a, name="甲副主席", position="副主席")
        yield world


@pytest.fixture
def clock_on_reminder_day():
    """The clock frozen on the day the reminder world is built (tests/helpers/reminders.py)."""
    with at(BUILT):
        yield


@pytest.fixture
def reminder_world(clock_on_reminder_day, campaign_world):
    """campaign_world built on Friday 2026-01-16, everyone with an e-mail address."""
    for user in User.objects.all():
        user.email = f"{user.username}@example.com"
        user.save(update_fields=["email"])
    return campaign_world


@pytest.fixture
def redis_url():
    """An empty Redis database for the worker tests (tests/helpers/worker.py)."""
    return flushed_redis(REDIS_URL)
