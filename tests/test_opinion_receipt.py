"""A receipt for the public (issue 17, item 6): after posting to the box the citizen gets a
查询码, shown once and stored only as a keyed hash; with it the box's page shows what became
of the opinion: 已收到 / 已梳理 / 已转为问题 (with the public commitment) / 已反馈 (with the
unit's reply). The page is rate-limited like the box; staff write the public reply."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.urls import reverse

from core.models import AuditLog
from feedback import receipts, services
from feedback.models import Opinion
from tests.helpers.clock import at
from tests.helpers.rectification import COMMITMENT, START, open_item

pytestmark = pytest.mark.django_db

TEXT = "办事窗口中午不开门，上班族只能请假来办。"


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


def post_box(client, unit, text=TEXT):
    url = reverse("feedback:public_box", args=[unit.code])
    return client.post(url, {"text": text, "contact": ""})


def code_from(response) -> str:
    match = re.search(r"data-receipt>([2-9A-Z-]+)<", response.content.decode())
    assert match, "no 查询码 on the page"
    return match.group(1)


def check(client, unit, code):
    return client.post(reverse("rectification:public_receipt", args=[unit.code]), {"code": code})


def test_the_code_is_shown_once_and_only_its_hash_is_stored(client, world):
    response = post_box(client, world.unit_a)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    code = code_from(response)
    assert re.fullmatch(r"[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}", code)
    opinion = Opinion.objects.get()
    assert opinion.receipt_hash == receipts.receipt_hash(code.replace("-", ""))
    # The code itself is nowhere in the database.
    with connection.cursor() as cursor:
        for table in ("feedback_opinion", "core_auditlog"):
            cursor.execute(f"SELECT * FROM {table}")
            assert code.replace("-", "") not in str(cursor.fetchall())
    # The thanks page shows no code to anyone who opens it later.
    later = client.get(reverse("feedback:public_thanks", args=[world.unit_a.code]))
    assert "data-receipt>" not in later.content.decode()


def test_the_citizen_follows_the_opinion_to_a_commitment_and_a_reply(client, world):
    with at(START):
        code = code_from(post_box(client, world.unit_a))
        opinion = Opinion.objects.get()
        assert "已收到" in check(client, world.unit_a, code).content.decode()
        services.opinion_set_status(opinion=opinion, status="sorted", by=world.alice)
        assert "已梳理" in check(client, world.unit_a, code).content.decode()
        item = open_item(world)
        item.problem.opinions.add(opinion)
        services.opinion_set_status(opinion=opinion, status="problem", by=world.alice)
        page = check(client, world.unit_a, code.lower().replace("-", " ")).content.decode()
        assert "已转为问题" in page and COMMITMENT in page
        assert "内部备注" not in page  # the item's internal note is not public
        client.force_login(world.alice)
        client.post(reverse("feedback:opinion_reply", args=[opinion.pk]),
                    {"text": "已调整为中午轮班办公。"})  # fmt: skip
        client.logout()
        services.opinion_set_status(opinion=opinion, status="answered", by=world.alice)
        page = check(client, world.unit_a, code).content.decode()
        assert "已反馈" in page and "已调整为中午轮班办公。" in page
    log = AuditLog.objects.get(action="opinion.public_reply")
    assert "中午轮班" not in str(log.changes)


def test_a_wrong_code_or_another_units_code_says_nothing(client, world):
    code = code_from(post_box(client, world.unit_a))
    for unit, value in (
        (world.unit_a, "ABCD-EFGH-JKMN"),
        (world.unit_b, code),
        (world.unit_a, "x"),
    ):
        page = check(client, unit, value).content.decode()
        assert "查询码不正确" in page and "已收到" not in page


def test_checking_codes_is_rate_limited_like_the_box(client, world):
    for _ in range(2 * 5):
        assert check(client, world.unit_a, "ABCD-EFGH-JKMN").status_code == 200
    response = check(client, world.unit_a, "ABCD-EFGH-JKMN")
    assert response.status_code == 429 and "查询过于频繁" in response.content.decode()


def test_only_staff_reply_and_only_to_box_opinions(client, world):
    code_from(post_box(client, world.unit_a))
    boxed = Opinion.objects.get()
    url = reverse("feedback:opinion_reply", args=[boxed.pk])
    client.force_login(world.leo)
    assert client.post(url, {"text": "领导的答复"}).status_code == 403
    client.force_login(world.alice)
    detail = client.get(reverse("feedback:opinion_detail", args=[boxed.pk])).content.decode()
    assert reverse("feedback:opinion_reply", args=[boxed.pk]) in detail
    taken = Opinion.objects.create(unit=world.unit_a, text="座谈会意见", channel="symposium",
                                   received_on=boxed.received_on)  # fmt: skip
    with pytest.raises(Exception, match="只有意见箱"):
        services.opinion_public_reply(opinion=taken, text="答复", by=world.alice)
    boxed.refresh_from_db()
    assert not boxed.public_reply
