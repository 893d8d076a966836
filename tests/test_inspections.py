"""Random inspections (随机调研): a fair, re-runnable draw; findings; the 随机抽查通报 PDF.

The persona campaign (unit A and its branch) plus 东区: a district and six streets, so nine
enrolled units in all.
"""

import datetime
import io
import random

import pytest
from django.urls import reverse
from pypdf import PdfReader

from campaign import services
from campaign.models import InspectionFinding, InspectionRound, Participation
from campaign.services.inspections import inspection_finding_record, inspection_round_draw
from core.models import AuditLog
from tests.factories import UnitFactory
from units.models import Unit

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def inspection_world(campaign_world):
    w = campaign_world
    w.east = UnitFactory(name="东区", code="E", parent=w.city, kind=Unit.Kind.DISTRICT)
    w.streets = [
        UnitFactory(name=f"东区街道{i}", code=f"E{i}", parent=w.east, kind=Unit.Kind.TOWNSHIP)
        for i in range(1, 7)
    ]
    services.enrol_units(
        campaign=w.campaign,
        units=Unit.objects.filter(path__startswith=w.east.path),
        start_date=D(2026, 1, 20),
        label="第二批",
        by=w.olivia,
    )
    w.all_ids = sorted(Participation.objects.values_list("pk", flat=True))
    return w


def draw_url(w):
    return reverse("campaign:inspections", args=[w.campaign.pk])


def post_draw(client, w, **data):
    client.force_login(w.olivia)
    return client.post(draw_url(w), {"name": "第一轮随机调研", "size": 5, **data})


def test_office_draws_five_units_and_records_seed_and_candidates(client, inspection_world):
    response = post_draw(client, inspection_world)
    round_ = InspectionRound.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("campaign:inspection", args=[round_.pk])
    assert round_.candidate_ids == inspection_world.all_ids and round_.candidate_count == 9
    drawn = list(round_.findings.order_by("position").values_list("participation_id", flat=True))
    # Anyone can re-run the draw from what the page shows.
    assert drawn == random.Random(round_.seed).sample(sorted(inspection_world.all_ids), 5)
    assert len(set(drawn)) == 5
    assert round_.drawn_by == inspection_world.olivia
    page = client.get(response["Location"]).content.decode()
    assert str(round_.seed) in page and "候选单位数" in page
    log = AuditLog.objects.get(action="inspectionround.drawn")
    assert log.changes["seed"] == str(round_.seed) and log.changes["candidates"] == 9


def test_seed_is_drawn_fresh_from_secrets_each_round(client, inspection_world, monkeypatch):
    seeds = iter([11, 12])
    monkeypatch.setattr("campaign.services.inspections.secrets.randbits", lambda bits: next(seeds))
    first = inspection_round_draw(
        campaign=inspection_world.campaign, name="一", size=5, by=inspection_world.olivia
    )
    second = inspection_round_draw(
        campaign=inspection_world.campaign, name="二", size=5, by=inspection_world.olivia
    )
    assert (first.seed, second.seed) == (11, 12)
    for r in (first, second):
        drawn = list(r.findings.order_by("position").values_list("participation_id", flat=True))
        assert drawn == random.Random(r.seed).sample(inspection_world.all_ids, 5)


def test_draw_takes_only_units_of_the_chosen_district_kind_and_stage(client, inspection_world):
    post_draw(
        client,
        inspection_world,
        district=inspection_world.east.pk,
        kind=Unit.Kind.TOWNSHIP,
        stage=inspection_world.stage1.pk,
    )
    round_ = InspectionRound.objects.get()
    streets = Participation.objects.filter(unit__in=inspection_world.streets)
    assert round_.candidate_ids == sorted(streets.values_list("pk", flat=True))
    assert set(round_.findings.values_list("participation__unit__kind", flat=True)) == {
        Unit.Kind.TOWNSHIP
    }
    assert (round_.district, round_.kind, round_.stage) == (
        inspection_world.east,
        "township",
        inspection_world.stage1,
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"size": 10}, "符合条件的参学单位只有 9 个，少于抽取数 10 个"),
        ({"size": 5, "district": "", "kind": "branch"}, "符合条件的参学单位只有 1 个"),
        ({"size": 0}, "至少抽取 1 个单位。"),
        ({"size": "五"}, "请填写整数。"),
        ({"size": 5, "district": 999999}, "请选择列表中的县区。"),
    ],
)
def test_a_draw_that_cannot_be_made_is_refused_in_chinese_and_changes_nothing(
    client, inspection_world, data, message
):
    response = post_draw(client, inspection_world, **data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not InspectionRound.objects.exists() and not InspectionFinding.objects.exists()
    assert not AuditLog.objects.filter(action="inspectionround.drawn").exists()


def test_verify_reruns_the_draw_and_notices_tampering(client, inspection_world):
    round_ = inspection_round_draw(
        campaign=inspection_world.campaign, name="一", size=5, by=inspection_world.olivia
    )
    client.force_login(inspection_world.olivia)
    url = reverse("campaign:inspection", args=[round_.pk]) + "?verify=1"
    page = client.get(url).content.decode()
    assert "复核一致" in page and "与抽取时相同" in page
    # A unit enrolled after the draw changes today's candidates, not the recorded draw.
    late = UnitFactory(
        name="东区街道7", code="E7", parent=inspection_world.east, kind=Unit.Kind.TOWNSHIP
    )
    services.enrol_units(
        campaign=inspection_world.campaign,
        units=Unit.objects.filter(pk=late.pk),
        start_date=D(2026, 2, 1),
        label="补报",
        by=inspection_world.olivia,
    )
    page = client.get(url).content.decode()
    assert "复核一致" in page and "当前符合条件的参学单位为 10 个，抽取时为 9 个" in page
    # Someone swapping a drawn unit in the database is caught.
    finding = round_.findings.get(position=1)
    spare = next(
        pk
        for pk in inspection_world.all_ids
        if pk not in set(round_.findings.values_list("participation_id", flat=True))
    )
    InspectionFinding.objects.filter(pk=finding.pk).update(participation_id=spare)
    assert "复核不一致" in client.get(url).content.decode()


@pytest.mark.parametrize(
    ("persona", "method", "status"),
    [
        ("sam", "post", 403),  # an inspector records findings but does not draw
        ("alice", "get", 403),
        ("leo", "get", 403),
        ("charlie", "get", 404),
    ],
)
def test_only_the_campaign_office_draws_rounds(client, inspection_world, persona, method, status):
    client.force_login(getattr(inspection_world, persona))
    response = getattr(client, method)(draw_url(inspection_world), {"name": "x", "size": 5})
    assert response.status_code == status
    assert not InspectionRound.objects.exists()


def whole_round(w):
    """Every enrolled unit drawn, so the round has units inside and outside sam's groups."""
    return inspection_round_draw(campaign=w.campaign, name="全覆盖", size=9, by=w.olivia)


def test_inspector_records_findings_for_a_drawn_unit(client, inspection_world):
    round_ = whole_round(inspection_world)
    finding = round_.findings.get(participation__unit=inspection_world.unit_a)
    client.force_login(inspection_world.sam)
    url = reverse("campaign:inspection_finding", args=[finding.pk])
    response = client.post(
        url,
        {
            "visited_on": "2026-03-02",
            "required_checked": "on",
            "required_note": "集中学习、座谈会均按要求开展",
            "problems": "个人对照检查材料由秘书代写",
            "suggestions": "班子成员亲自动手撰写",
        },
    )
    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.required_checked and not finding.optional_checked
    assert finding.problems == "个人对照检查材料由秘书代写"
    assert finding.inspector == inspection_world.sam and finding.is_recorded
    assert AuditLog.objects.filter(action="inspectionfinding.recorded").count() == 1


def test_an_empty_finding_is_refused_and_changes_nothing(client, inspection_world):
    finding = whole_round(inspection_world).findings.get(
        participation__unit=inspection_world.unit_a
    )
    client.force_login(inspection_world.sam)
    response = client.post(reverse("campaign:inspection_finding", args=[finding.pk]), {})
    assert "请至少填写一项调研情况。" in response.content.decode()
    finding.refresh_from_db()
    assert not finding.is_recorded and finding.inspector is None


def test_supervisor_sees_only_the_drawn_units_of_the_groups(client, inspection_world):
    round_ = whole_round(inspection_world)
    client.force_login(inspection_world.sam)
    assert list(client.get(draw_url(inspection_world)).context["rounds"]) == [round_]
    findings = client.get(reverse("campaign:inspection", args=[round_.pk])).context["findings"]
    assert {f.participation.unit for f in findings} == {
        inspection_world.unit_a,
        inspection_world.unit_a1,
    }
    outside = round_.findings.get(participation__unit=inspection_world.streets[0])
    assert client.get(reverse("campaign:inspection_finding", args=[outside.pk])).status_code == 404
    assert (
        client.post(
            reverse("campaign:inspection_finding", args=[outside.pk]), {"problems": "x"}
        ).status_code
        == 404
    )


def test_a_round_without_the_supervisors_units_is_hidden_from_them(client, inspection_world):
    round_ = inspection_round_draw(
        campaign=inspection_world.campaign,
        name="东区",
        district=inspection_world.east,
        size=5,
        by=inspection_world.olivia,
    )
    client.force_login(inspection_world.sam)
    assert client.get(reverse("campaign:inspection", args=[round_.pk])).status_code == 404
    assert list(client.get(draw_url(inspection_world)).context["rounds"]) == []


@pytest.mark.parametrize("persona", ["alice", "bob", "leo", "charlie"])
def test_unit_staff_leaders_and_outsiders_cannot_open_a_round(client, inspection_world, persona):
    round_ = whole_round(inspection_world)
    finding = round_.findings.get(participation__unit=inspection_world.unit_a)
    client.force_login(getattr(inspection_world, persona))
    for url in (
        reverse("campaign:inspection", args=[round_.pk]),
        reverse("campaign:inspection_bulletin", args=[round_.pk]),
        reverse("campaign:inspection_finding", args=[finding.pk]),
    ):
        assert client.get(url).status_code == 404, url


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_bulletin_pdf_reports_the_draw_and_the_findings(client, inspection_world):
    round_ = inspection_round_draw(
        campaign=inspection_world.campaign,
        name="第一轮随机调研",
        size=5,
        by=inspection_world.olivia,
    )
    first = round_.findings.order_by("position").select_related("participation__unit").first()
    inspection_finding_record(
        finding=first,
        by=inspection_world.olivia,
        required_checked=True,
        problems="征求意见不深入，座谈会走过场",
        suggestions="扩大征求意见范围",
    )
    client.force_login(inspection_world.olivia)
    response = client.get(reverse("campaign:inspection_bulletin", args=[round_.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    text = pdf_text(response.getvalue())
    assert "随机抽查通报" in text and "第一轮随机调研" in text
    assert "征求意见不深入，座谈会走过场" in text
    assert str(round_.seed) in text
    for f in round_.findings.select_related("participation__unit"):
        assert f.participation.unit.name in text
    assert "已完成 1 个单位的调研" in text
