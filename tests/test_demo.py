import pytest
from django.core.management import call_command
from django.urls import reverse

from demo.city.units import DEMO_LOGINS, DEMO_PASSWORD, load_demo
from units.models import LiaisonPoint, Person, SupervisionGroup, Unit, User
from units.scope import visible_units

pytestmark = pytest.mark.django_db

MIANYANG_BODIES = {
    "办公室",
    "组织部",
    "宣教部",
    "保障部",
    "法工部",
    "女工部",
    "经工部",
    "财贸工会",
    "机关党委",
    "纪检组",
    "群教办",
    "惠民帮扶中心",
    "文化宫",
}


@pytest.fixture
def demo():
    return load_demo()


def _totals():
    models = (Unit, Person, User, SupervisionGroup, LiaisonPoint)
    return {m.__name__: m.objects.count() for m in models}


def test_second_run_changes_nothing(demo):
    before = _totals()
    again = load_demo()
    assert again["created"] == 0
    assert {k: v for k, v in again.items() if k != "created"} == {
        k: v for k, v in demo.items() if k != "created"
    }
    assert _totals() == before
    assert demo["created"] == sum(v for k, v in demo.items() if k != "created")


def test_unit_tree_follows_the_seeds(demo):
    mianyang = Unit.objects.get(name="绵阳市总工会")
    assert mianyang.parent.name == "绵阳市"
    assert set(mianyang.children.values_list("name", flat=True)) == MIANYANG_BODIES
    assert mianyang.children.count() == 13

    nantong = Unit.objects.get(name="南通市总工会")
    affiliates = nantong.children.filter(kind=Unit.Kind.AFFILIATE).values_list("name", flat=True)
    assert set(affiliates) == {"南通市工人业余大学", "南通市国际海员俱乐部"}
    assert nantong.children.filter(name="办公室", kind=Unit.Kind.DEPARTMENT).exists()
    assert nantong.children.filter(kind=Unit.Kind.BRANCH).exists()

    assert Unit.objects.get(name="市科技局").parent.name == "南通市"
    assert Unit.objects.get(name="保定市总工会").parent.name == "保定市"
    for unit in Unit.objects.exclude(parent=None).select_related("parent"):
        assert unit.path.startswith(unit.parent.path)
        assert unit.depth == unit.parent.depth + 1


@pytest.mark.parametrize("code", ["NT-ZGH", "NT-KJJ", "MY-ZGH", "BD-ZGH"])
def test_each_body_has_a_leadership_team(demo, code):
    people = Person.objects.filter(unit__code=code)
    assert people.filter(is_main_leader=True).count() == 1
    assert 4 <= people.filter(is_team_member=True).count() <= 6
    assert people.filter(is_retired_cadre=True).count() == 1
    assert people.filter(is_mass_observer=True).count() == 1


@pytest.mark.parametrize("username", [login[0] for login in DEMO_LOGINS])
def test_each_demo_user_can_log_in(demo, client, username):
    # Through the login form, as a person does (django-axes checks every attempt).
    response = client.post(reverse("login"), {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def test_one_demo_user_per_role(demo):
    roles = set(
        User.objects.filter(username__in=[u for u, *_ in DEMO_LOGINS]).values_list(
            "role", flat=True
        )
    )
    assert roles == set(User.Role.values)
    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser
    leader = User.objects.get(username="leader")
    assert leader.person.is_main_leader and leader.person.unit == leader.home_unit


def test_supervisor_group_supervises_nantong(demo):
    supervisor = User.objects.get(username="supervisor")
    group = supervisor.supervision_groups.get()
    assert group.name == "第十四督导组"
    assert group.units.filter(name="南通市总工会").exists()
    seen = set(visible_units(supervisor).values_list("code", flat=True))
    assert {"NT-ZGH", "NT-ZGH-YDA", "NT-KJJ"} <= seen
    assert "MY-ZGH" not in seen


def test_liaison_points_belong_to_nantong_leaders(demo):
    points = LiaisonPoint.objects.select_related("leader__unit", "unit")
    assert points.count() == 2
    for point in points:
        assert point.leader.unit.code == "NT-ZGH"
        assert point.unit.is_within(point.leader.unit)


def test_command_prints_the_logins_and_a_second_run_adds_nothing(demo, capsys):
    call_command("load_demo")  # adds the demo campaigns to the fixture's units and people
    capsys.readouterr()
    call_command("load_demo")
    out = capsys.readouterr().out
    assert "本次新建 0 条" in out
    for username, _role, _unit in DEMO_LOGINS:
        assert username in out
    assert DEMO_PASSWORD in out
