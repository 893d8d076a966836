"""Hostile input the outside probe sent (issue 18, finding 11): each answered 500 before.

NUL bytes reached PostgreSQL (which refuses them in any string); ids past 2**63 reached
SQLite (OverflowError); '²' passed str.isdigit() and then int(); year 0001 overflowed the
conversion to UTC; a body over the size limit got Django's bare English 400 page.
"""

import pytest
from django.test import Client
from django.urls import reverse

from appraisals.models import AppraisalRound
from feedback.models import OpinionGroup

HUGE = str(2**63)
HOSTILE_IDS = [HUGE, "99999999999999999999999", "²", "-1", "1e3", "x" * 10_000]


@pytest.fixture
def client_for(world):
    def make(user):
        client = Client(raise_request_exception=False)
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return make


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/units/?q=%00",
        "/public/units/%00/opinions/",
        "/calendar/%00.ics",
        "/units/{unit}/opinions/?q=a%00b",
        "/campaigns/?q=%00",
    ],
)
def test_nul_bytes_in_the_path_or_query_get_a_chinese_400(world, client_for, url):
    response = client_for(world.root).get(url.format(unit=world.unit_a.pk))
    assert response.status_code == 400
    assert "无效字符" in response.content.decode()


@pytest.mark.django_db
def test_a_public_page_with_nul_gets_400_without_signing_in(world):
    response = Client(raise_request_exception=False).get("/public/units/%00/opinions/")
    assert response.status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize("value", HOSTILE_IDS)
def test_hostile_opinion_ids_on_the_problem_form_are_ignored(world, client_for, value):
    url = reverse("rectification:problem_create", args=[world.unit_a.pk])
    response = client_for(world.alice).get(url, {"opinions": value})
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("value", HOSTILE_IDS)
def test_hostile_ids_in_bulk_opinion_actions_change_nothing(world, client_for, value):
    url = reverse("feedback:opinion_bulk", args=[world.unit_a.pk])
    response = client_for(world.alice).post(url, {"opinions": [value], "action": "group"})
    assert response.status_code in (200, 302)
    assert not OpinionGroup.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("value", HOSTILE_IDS)
def test_hostile_ids_in_a_group_merge_change_nothing(world, client_for, value):
    rows = [
        world.unit_a.opinions.create(text=t, channel="symposium", received_on="2026-01-15")
        for t in ("会议太多", "会议太多了")
    ]
    group = OpinionGroup.objects.create(unit=world.unit_a, representative=rows[0])
    for row in rows:
        group.members.create(opinion=row)
    url = reverse("feedback:group_merge", args=[group.pk])
    response = client_for(world.alice).post(url, {"ids": [value]})
    assert response.status_code in (200, 302)
    assert OpinionGroup.objects.get().members.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("year", ["0001", "9999"])
def test_an_appraisal_in_year_0001_or_9999_is_refused_in_chinese(world, client_for, year):
    url = reverse("appraisals:appraisal_create", args=[world.unit_a.pk])
    response = client_for(world.sam).post(
        url,
        {
            "title": "民主评议",
            "kind": AppraisalRound.Kind.APPRAISAL,
            "scale": "four",
            "mode": AppraisalRound.Mode.ONLINE,
            "include_team": "on",
            "opens_at": f"{year}-01-01T00:00",
            "closes_at": f"{year}-12-31T23:59",
            "count": 10,
        },
    )
    assert response.status_code == 200
    assert "请填写 2000 年至 2100 年之间的时间" in response.content.decode()
    assert not AppraisalRound.objects.exists()


@pytest.mark.django_db
def test_a_body_over_the_size_limit_gets_a_chinese_page_naming_the_limit(world, client_for):
    url = reverse("feedback:opinion_batch", args=[world.unit_a.pk])
    body = "text=" + "意" * (3 * 2**20)
    response = client_for(world.alice).post(
        url, data=body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "超过了系统允许的大小" in page and "MB" in page
    assert "Bad Request" not in page
