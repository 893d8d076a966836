"""The rules with one home each: a unit's lineage, the groups over it, its supervisors, and the
policy filters that templates ask instead of comparing role strings."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.urls import reverse

from tests.factories import SupervisionGroupFactory, UserFactory
from units.models import User
from units.selectors import groups_over, supervisors_of

pytestmark = pytest.mark.django_db


def test_lineage_is_the_ancestors_then_the_unit(world):
    a1 = world.unit_a1
    assert a1.lineage_paths() == [world.city.path, world.unit_a.path, a1.path]
    assert a1.ancestor_paths() == [world.city.path, world.unit_a.path]
    assert world.city.lineage_paths() == [world.city.path]
    assert world.city.ancestor_paths() == []


def test_groups_over_a_unit_include_those_over_its_ancestors_once(world):
    assert list(groups_over(world.unit_a1)) == [world.group_a]
    assert list(groups_over(world.unit_b)) == [world.group_b]
    assert list(groups_over(world.city)) == []
    whole_city = SupervisionGroupFactory(units=[world.city, world.unit_a])
    assert list(groups_over(world.unit_a1)) == [world.group_a, whole_city]


def test_supervisors_of_a_unit_are_the_active_supervisors_in_the_groups_over_it(world):
    gone = UserFactory(role=User.Role.SUPERVISOR, is_active=False)
    staff_member = UserFactory(role=User.Role.UNIT_STAFF)
    world.group_a.members.add(gone, staff_member)
    assert list(supervisors_of(world.unit_a1)) == [world.sam]
    assert list(supervisors_of(world.unit_b)) == []


def render(source, **context):
    return Template("{% load policy %}" + source).render(Context(context)).strip()


@pytest.mark.parametrize(
    "persona, keeps, supervises, runs_rounds",
    [
        ("alice", True, False, False),
        ("leo", False, False, False),
        ("sam", False, True, True),
        ("olivia", True, False, True),
        ("root", True, True, True),
        ("charlie", False, False, False),
    ],
)
def test_policy_filters_answer_as_the_policy(world, persona, keeps, supervises, runs_rounds):
    user, unit = getattr(world, persona), world.unit_a
    source = (
        "{% if user|may_keep:unit %}K{% endif %}{% if user|may_supervise:unit %}S{% endif %}"
        "{% if user|may_run_rounds:unit %}R{% endif %}"
    )
    expected = "K" * keeps + "S" * supervises + "R" * runs_rounds
    assert render(source, user=user, unit=unit) == expected


def test_policy_filters_refuse_the_signed_out(world):
    source = "{% if user|may_supervise:unit %}S{% endif %}{% if user|may_open_review_queue %}Q{% endif %}"
    assert render(source, user=AnonymousUser(), unit=world.unit_a) == ""


@pytest.mark.parametrize(
    "persona, sees",
    [("alice", False), ("leo", False), ("olivia", False), ("sam", True), ("root", True)],
)
def test_only_supervisors_and_admins_get_the_review_queue_link(client, world, persona, sees):
    client.force_login(getattr(world, persona))
    page = client.get(reverse("home")).content.decode()
    assert (reverse("campaign:review_queue") in page) is sees


@pytest.mark.parametrize(
    "persona, sees",
    [("alice", False), ("leo", False), ("olivia", True), ("sam", True), ("root", True)],
)
def test_the_monthly_bulletin_button_is_for_those_who_oversee_the_unit(
    client, world, persona, sees
):
    client.force_login(getattr(world, persona))
    page = client.get(reverse("units:detail", args=[world.unit_a.pk])).content.decode()
    bulletin = reverse("report_start", args=[world.unit_a.pk, "campaign.bulletin", "pdf"])
    assert (bulletin in page) is sees


@pytest.mark.parametrize(
    "persona, sees",
    [("alice", False), ("leo", False), ("olivia", False), ("sam", True), ("root", True)],
)
def test_the_talks_button_is_for_the_units_supervisors(client, campaign_world, persona, sees):
    w = campaign_world
    client.force_login(getattr(w, persona))
    page = client.get(reverse("campaign:workspace", args=[w.participation.pk])).content.decode()
    assert (reverse("campaign:talks", args=[w.participation.pk]) in page) is sees
