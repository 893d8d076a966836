import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from units.scope import (
    get_group_for_user,
    get_person_for_user,
    get_unit_for_user,
    visible_groups,
    visible_units,
)

pytestmark = pytest.mark.django_db


def codes(user):
    return set(visible_units(user).values_list("code", flat=True))


def test_unit_staff_sees_home_unit_and_its_subtree(world):
    assert codes(world.alice) == {"A", "A1"}


def test_colleague_in_a_sub_unit_sees_only_below_himself(world):
    assert codes(world.bob) == {"A1"}


def test_outsider_sees_only_his_own_unit(world):
    assert codes(world.charlie) == {"B"}


def test_supervisor_sees_the_units_of_his_groups_and_their_subtrees(world):
    assert codes(world.sam) == {"A", "A1"}


def test_supervisor_without_groups_sees_nothing(world):
    world.group_a.members.clear()
    world.sam._scope_root_paths = None
    assert codes(world.sam) == set()


def test_leader_sees_home_unit_and_liaison_point(world):
    assert codes(world.leo) == {"A", "A1", "B"}


def test_campaign_office_sees_the_whole_organising_body(world):
    assert codes(world.olivia) == {"CITY", "A", "A1", "B"}


def test_admin_sees_everything(world):
    assert codes(world.root) == {"CITY", "A", "A1", "B"}


def test_signed_out_and_inactive_users_see_nothing(world):
    assert codes(AnonymousUser()) == set()
    world.alice.is_active = False
    assert codes(world.alice) == set()


def test_a_moved_unit_takes_its_subtree_into_the_new_scope(world):
    from units.services import unit_move

    unit_move(unit=world.unit_a1, new_parent=world.unit_b, by=world.root)
    world.alice._scope_root_paths = None
    world.charlie._scope_root_paths = None
    assert codes(world.alice) == {"A"}
    assert codes(world.charlie) == {"B", "A1"}


@pytest.mark.parametrize(
    ("persona", "unit", "allowed"),
    [
        ("alice", "unit_a", True),
        ("alice", "unit_a1", True),
        ("bob", "unit_a", False),
        ("charlie", "unit_a", False),
        ("sam", "unit_a1", True),
        ("sam", "unit_b", False),
    ],
)
def test_get_unit_for_user_returns_or_404s(world, persona, unit, allowed):
    user, target = getattr(world, persona), getattr(world, unit)
    if allowed:
        assert get_unit_for_user(user, target.pk) == target
    else:
        with pytest.raises(Http404):
            get_unit_for_user(user, target.pk)


def test_person_of_another_unit_is_404(world):
    assert get_person_for_user(world.alice, world.chair.pk) == world.chair
    with pytest.raises(Http404):
        get_person_for_user(world.charlie, world.chair.pk)


def test_groups_visible_to_members_and_to_supervised_units(world):
    assert set(visible_groups(world.sam)) == {world.group_a}
    assert set(visible_groups(world.alice)) == {world.group_a}
    # A sub-unit's staff are supervised through the parent, so they may see the group.
    assert set(visible_groups(world.bob)) == {world.group_a}
    assert set(visible_groups(world.charlie)) == {world.group_b}
    assert set(visible_groups(world.root)) == {world.group_a, world.group_b}
    with pytest.raises(Http404):
        get_group_for_user(world.charlie, world.group_a.pk)


def test_scope_costs_one_query_however_deep_the_tree(world, django_assert_num_queries):
    from tests.factories import UnitFactory

    parent = world.unit_a1
    for depth in range(8):
        parent = UnitFactory(parent=parent, code=f"D{depth}")
    world.alice._scope_root_paths = None
    with django_assert_num_queries(2):  # the user's root paths, then the units
        assert len(list(visible_units(world.alice))) == 10
