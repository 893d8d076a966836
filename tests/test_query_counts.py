"""The tree and unit pages cost the same number of queries at 10 and at 5,000 units."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from demo.scale import units as scale
from units.models import Unit, User
from units.services import unit_create

pytestmark = pytest.mark.django_db


def page_queries(client, user, unit):
    client.force_login(user)
    counts = {}
    for name, url in {
        "home": reverse("home"),
        "tree": reverse("units:tree"),
        "search": reverse("units:tree") + "?q=部门",
        "unit": reverse("units:detail", args=[unit.pk]),
        "children": reverse("units:children", args=[unit.pk]),
        "groups": reverse("units:group_list"),
    }.items():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts[name] = len(ctx)
    return counts


@pytest.mark.parametrize("role", [User.Role.OFFICE, User.Role.UNIT_STAFF, User.Role.SUPERVISOR])
def test_pages_cost_the_same_at_10_and_5000_units(client, role):
    scale.build(units=8, people=40, users=12, groups=2, city_name="小市", tag="small")
    city = Unit.objects.get(name="小市")
    district = Unit.objects.filter(parent=city).order_by("path").first()
    for n in range(2):  # so the pages have sub-units to list at both sizes
        unit_create(name=f"下属{n}", code=f"SUB{n}", kind=Unit.Kind.BRANCH, parent=district)
    assert Unit.objects.count() == 10
    user = {
        User.Role.OFFICE: User.objects.filter(role=role).first(),
        User.Role.UNIT_STAFF: User.objects.create(username="u", role=role, home_unit=district),
        User.Role.SUPERVISOR: User.objects.filter(
            role=role, supervision_groups__units=district
        ).first(),
    }[role]
    small = page_queries(client, user, district)

    # Grow the same tree to 5,000 units below the district every persona can see.
    scale.build(
        units=4990, people=200, users=12, groups=2, parent=district, city_name="大区", tag="big"
    )
    assert Unit.objects.count() == 5000
    large = page_queries(client, user, district)

    assert small == large
    assert max(large.values()) <= 12
