"""The public opinion box (意见箱): no login, no trace of who wrote (DESIGN.md §4.2), bots and
floods held off, nothing of any unit's opinions shown; and the poster's QR code."""

import datetime
import logging

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from core.models import AuditLog
from feedback import services, throttle
from feedback.models import Opinion

pytestmark = pytest.mark.django_db

SECRET = "匿名举报：某科长收受购物卡"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def box_url(unit):
    return reverse("feedback:public_box", args=[unit.code])


def submit(client, unit, text=SECRET, address="10.9.8.7", **extra):
    return client.post(box_url(unit), {"text": text, **extra}, REMOTE_ADDR=address)


def test_the_box_needs_no_login_and_speaks_chinese(client, world):
    response = client.get(box_url(world.unit_a))
    assert response.status_code == 200
    page = response.content.decode()
    assert "群众意见箱" in page and world.unit_a.name in page
    assert "<script>" not in page and 'style="' not in page


def test_a_submission_stores_no_person_no_address_no_time_and_no_audit_row(client, world, caplog):
    caplog.set_level(logging.DEBUG)
    audit_before = AuditLog.objects.count()
    response = submit(client, world.unit_a)
    # The thanks page comes in the answer itself: it carries the 查询码, shown once.
    assert response.status_code == 200 and "意见已收到" in response.content.decode()
    row = Opinion.objects.values().get()
    assert row["text"] == SECRET and row["unit_id"] == world.unit_a.pk
    assert row["entered_by_id"] is None and row["contact"] == "" and row["is_anonymous"]
    assert row["channel"] == Opinion.Channel.BOX
    assert type(row["received_on"]) is datetime.date
    assert row["received_on"] == timezone.localdate()
    assert not any("10.9.8.7" in str(value) for value in row.values())
    # No column could hold a time finer than the day.
    fields = Opinion._meta.get_fields()
    assert not [f.name for f in fields if f.get_internal_type() in {"DateTimeField", "TimeField"}]
    assert AuditLog.objects.count() == audit_before
    assert SECRET not in caplog.text and "10.9.8.7" not in caplog.text
    keys = list(cache._cache.keys())
    assert keys and not any("10.9.8.7" in key for key in keys)


def test_a_contact_given_makes_it_signed_but_still_stores_no_address(client, world):
    submit(client, world.unit_a, contact="王先生 13800000000")
    row = Opinion.objects.get()
    assert (row.contact, row.is_anonymous, row.entered_by) == ("王先生 13800000000", False, None)


def test_the_thanks_page(client, world):
    response = client.get(reverse("feedback:public_thanks", args=[world.unit_a.code]))
    assert response.status_code == 200 and "意见已收到" in response.content.decode()


def test_the_honeypot_drops_bots_silently(client, world):
    response = submit(client, world.unit_a, website="http://spam.example")
    assert response.status_code == 200 and "意见已收到" in response.content.decode()
    assert not Opinion.objects.exists()


def test_an_empty_submission_gets_a_chinese_error(client, world):
    response = submit(client, world.unit_a, text="   ")
    assert response.status_code == 200
    assert "请填写您的意见和建议。" in response.content.decode()
    assert not Opinion.objects.exists()


def test_too_many_submissions_from_one_address_are_held_off(client, world):
    for n in range(throttle.LIMIT):
        assert submit(client, world.unit_a, text=f"意见{n}").status_code == 200
    response = submit(client, world.unit_a, text="第六条")
    assert response.status_code == 429
    assert "提交过于频繁" in response.content.decode()
    assert "10 分钟内最多提交 5 条意见" in response.content.decode()
    assert Opinion.objects.count() == throttle.LIMIT
    assert submit(client, world.unit_a, text="另一网络", address="10.0.0.2").status_code == 200


def test_unknown_unit_is_404(client, world):
    assert client.get("/public/units/NO-SUCH/opinions/").status_code == 404
    assert client.get("/public/units/NO-SUCH/opinions/thanks/").status_code == 404


def test_the_public_pages_never_show_any_opinion(client, world):
    services.opinion_public_submit(unit=world.unit_a, text="甲单位的群众意见")
    services.opinion_public_submit(unit=world.unit_b, text="乙单位的群众意见")
    for unit in (world.unit_a, world.unit_b):
        for url in (box_url(unit), reverse("feedback:public_thanks", args=[unit.code])):
            page = client.get(url).content.decode()
            assert "甲单位的群众意见" not in page and "乙单位的群众意见" not in page
    page = client.get(box_url(world.unit_b)).content.decode()
    assert world.unit_a.name not in page


def test_the_poster_links_to_the_box_with_a_qr_code(client, world):
    client.force_login(world.alice)
    response = client.get(reverse("feedback:opinion_poster", args=[world.unit_a.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "http://testserver/public/units/A/opinions/" in page
    assert "<svg" in page and 'class="segno"' in page
