"""The demo ledger for 南通市总工会 and the scale builder."""

import pytest
from django.urls import reverse

from demo.city import rectification as demo
from demo.city.campaign import load as load_campaigns
from demo.city.units import load_demo
from demo.scale import rectification as scale
from demo.scale import units as unit_scale
from rectification.models import (
    Problem,
    ProgressReport,
    RectificationItem,
    Regulation,
    SpecialCampaign,
)
from units.models import User

pytestmark = pytest.mark.django_db
S = RectificationItem.Status


def test_demo_loads_once_and_covers_every_state(client):
    load_demo()
    load_campaigns()
    first = demo.load()
    counts = [m.objects.count() for m in (Problem, RectificationItem, Regulation, SpecialCampaign)]
    assert first["problems"] == 5
    assert demo.load() == {"problems": 0, "created": 0}
    assert [
        m.objects.count() for m in (Problem, RectificationItem, Regulation, SpecialCampaign)
    ] == counts
    statuses = set(
        RectificationItem.objects.filter(unit__code="NT-ZGH").values_list("status", flat=True)
    )
    assert statuses == set(S.values)
    assert RectificationItem.objects.filter(person__isnull=False).exists()
    assert Problem.objects.filter(campaign__isnull=False).count() == 5
    client.force_login(User.objects.get(username="staff"))
    unit = RectificationItem.objects.first().unit
    assert client.get(reverse("rectification:ledger", args=[unit.pk])).status_code == 200
    page = client.get(reverse("rectification:public_commitments", args=["NT-ZGH"]))
    assert "满意度" in page.content.decode()  # 7 demo ratings on the verified item


def test_scale_builder_makes_consistent_rows():
    unit_scale.build(units=60, people=240, users=10, groups=2, city_name="小市", tag="small")
    assert not scale.exists()
    counts = scale.build(problems=300, items=360, reports=900)
    assert scale.exists()
    assert (counts["problems"], counts["items"]) == (300, 360)
    assert counts["reports"] == ProgressReport.objects.count() <= 900
    busy = RectificationItem.objects.values("unit").order_by("unit").distinct().count()
    assert busy > 10
    for item in RectificationItem.objects.exclude(last_report_month=None)[:50]:
        latest = item.reports.order_by("-month").first()
        assert (item.last_report_month, item.progress_percent) == (latest.month, latest.percent)
        assert item.lead_leader.unit_id == item.unit_id == item.problem.unit_id
    assert not RectificationItem.objects.filter(
        status=S.NOT_STARTED, reports__isnull=False
    ).exists()
