import pytest
from django.contrib import admin
from django.urls import reverse

from core.models import AuditLog
from units.models import Unit

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", list(admin.site._registry), ids=lambda m: m._meta.label)
def test_every_model_has_a_working_admin_with_search(client, world, model):
    client.force_login(world.root)
    info = (model._meta.app_label, model._meta.model_name)
    assert client.get(reverse("admin:{}_{}_changelist".format(*info))).status_code == 200
    assert (
        client.get(reverse("admin:{}_{}_changelist".format(*info)), {"q": "甲"}).status_code == 200
    )
    if admin.site._registry[model].has_add_permission(_request(world.root)):
        assert client.get(reverse("admin:{}_{}_add".format(*info))).status_code == 200


def _request(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = user
    return request


def test_adding_a_unit_in_the_admin_places_it_in_the_tree_and_audits_it(client, world):
    client.force_login(world.root)
    response = client.post(
        reverse("admin:units_unit_add"),
        {
            "name": "新设部门",
            "code": "NEW",
            "kind": Unit.Kind.DEPARTMENT,
            "parent": world.unit_b.pk,
        },
    )
    assert response.status_code == 302
    unit = Unit.objects.get(code="NEW")
    assert unit.path.startswith(world.unit_b.path) and unit.depth == world.unit_b.depth + 1
    assert AuditLog.objects.filter(action="unit.created", object_id=str(unit.pk)).exists()


def test_moving_a_unit_in_the_admin_moves_its_subtree(client, world):
    client.force_login(world.root)
    response = client.post(
        reverse("admin:units_unit_change", args=[world.unit_a.pk]),
        {
            "name": world.unit_a.name,
            "code": "A",
            "kind": world.unit_a.kind,
            "parent": world.unit_b.pk,
        },
    )
    assert response.status_code == 302
    world.unit_a1.refresh_from_db()
    assert world.unit_a1.path.startswith(world.unit_b.path)
    assert world.unit_a1.depth == 3
    assert AuditLog.objects.filter(action="unit.moved", object_id=str(world.unit_a.pk)).exists()


def test_a_unit_cannot_be_moved_under_itself(client, world):
    client.force_login(world.root)
    from django.core.exceptions import ValidationError

    from units.services import unit_move

    with pytest.raises(ValidationError, match="不能把单位移动"):
        unit_move(unit=world.unit_a, new_parent=world.unit_a1, by=world.root)
    world.unit_a.refresh_from_db()
    assert world.unit_a.parent == world.city
