"""The public page (公示) and the public's rating (群众评判): no login, nothing internal, no
trace of who rated, repeat ratings held off, results withheld under 5 ratings."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse

from core.models import AuditLog
from rectification import services
from rectification.models import PublicRating, RectificationItem
from tests.factories import PersonFactory, RectificationItemFactory
from tests.helpers.clock import at
from tests.helpers.rectification import COMMITMENT, INTERNAL_NOTE, open_item, set_status

pytestmark = pytest.mark.django_db

D = datetime.date
S = RectificationItem.Status


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def public_url(unit):
    return reverse("rectification:public_commitments", args=[unit.code])


def rate_url(unit, item):
    return reverse("rectification:public_rate", args=[unit.code, item.pk])


@pytest.fixture
def shown(ledger_world):
    """unit A's item, completed with a report and a return on the way; plus things that must
    stay off the public page."""
    w = ledger_world
    with at(D(2026, 3, 22)):
        services.progress_report_file(
            item=w.item, by=w.alice, what_done="内部进展：约谈了张科长", percent=50
        )
        services.item_complete(item=w.item, by=w.alice, note="内部成效说明")
        services.item_return(item=w.item, by=w.sam, reason="退回理由：统计口径有误")
        services.item_complete(item=w.item, by=w.alice, note="已补充统计")
    w.item.refresh_from_db()
    w.hidden = open_item(w, title="不公开的事项", public_commitment="")
    w.personal_leader = PersonFactory(unit=w.unit_a, name="甲纪检组长")
    w.other = RectificationItemFactory(
        problem__unit=w.unit_b, title="乙单位的承诺事项", public_commitment="乙单位承诺"
    )
    return w


def test_public_page_needs_no_login_and_shows_the_commitments(client, shown):
    response = client.get(public_url(shown.unit_a))
    assert response.status_code == 200
    page = response.content.decode()
    for text in (
        shown.unit_a.name,
        "精简会议和文件简报",
        COMMITMENT,
        "严格控制会议数量",
        "2026-06-30",
        "已完成",
    ):
        assert text in page


def test_public_page_leaks_nothing_internal(client, shown):
    page = client.get(public_url(shown.unit_a)).content.decode()
    for secret in (
        INTERNAL_NOTE,
        "内部进展：约谈了张科长",  # progress report text
        "退回理由：统计口径有误",
        "内部成效说明",
        "已补充统计",  # the completion note
        "机关部门陪会多",  # the problem's description
        "文山会海，会议多、文件多",  # the problem itself
        shown.chair.name,  # the lead leader
        shown.personal_leader.name,
        str(shown.alice),
        str(shown.sam),
        "不公开的事项",  # an item without a public commitment
        "乙单位的承诺事项",  # another unit's item
        "乙单位承诺",
    ):
        assert secret not in page, secret
    assert [item.title for item in _items(client, shown)] == ["精简会议和文件简报"]


def _items(client, w):
    return list(client.get(public_url(w.unit_a)).context["page"])


def test_the_template_gets_only_public_fields(client, shown):
    item = _items(client, shown)[0]
    assert not isinstance(item, RectificationItem)
    assert not hasattr(item, "internal_note") and not hasattr(item, "lead_leader")


def test_unknown_unit_is_404(client, world):
    assert client.get("/public/units/NO-SUCH/commitments/").status_code == 404


def test_rating_a_completed_item(client, shown):
    with at(D(2026, 4, 2)):
        response = client.post(rate_url(shown.unit_a, shown.item), {"rating": "satisfied"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#item-{shown.item.pk}")
    rating = PublicRating.objects.get()
    assert (rating.item, rating.rating, rating.day) == (shown.item, "satisfied", D(2026, 4, 2))


def test_a_rating_stores_no_person_no_address_and_no_time_finer_than_the_day(client, shown):
    fields = {f.name for f in PublicRating._meta.get_fields()}
    assert fields == {"id", "item", "rating", "day"}
    audit_before = AuditLog.objects.count()
    client.post(rate_url(shown.unit_a, shown.item), {"rating": "basically"}, REMOTE_ADDR="10.1.2.3")
    row = PublicRating.objects.values().get()
    assert set(row) == {"id", "item_id", "rating", "day"}
    assert isinstance(row["day"], datetime.date) and not isinstance(row["day"], datetime.datetime)
    assert AuditLog.objects.count() == audit_before  # an audit row would carry the exact time
    keys = list(cache._cache.keys())
    assert keys and not any("10.1.2.3" in key for key in keys)


def test_repeat_rating_from_the_same_address_is_held_off_for_the_day(client, shown):
    url = rate_url(shown.unit_a, shown.item)
    with at(D(2026, 4, 2)):
        client.post(url, {"rating": "satisfied"}, REMOTE_ADDR="10.0.0.1")
        response = client.post(url, {"rating": "unsatisfied"}, REMOTE_ADDR="10.0.0.1", follow=True)
        assert "您今天已经评价过这一事项" in response.content.decode()
        client.post(url, {"rating": "unsatisfied"}, REMOTE_ADDR="10.0.0.2")
    assert list(PublicRating.objects.order_by("id").values_list("rating", flat=True)) == [
        "satisfied",
        "unsatisfied",
    ]
    with at(D(2026, 4, 3)):
        cache.clear()  # the day's keys expire; LocMemCache does not follow the frozen clock
        client.post(url, {"rating": "basically"}, REMOTE_ADDR="10.0.0.1")
    assert PublicRating.objects.count() == 3


def test_one_address_may_not_rate_many_items_an_hour(client, shown, settings):
    from rectification import throttle

    items = [set_status(open_item(shown, title=f"事项{n}"), S.COMPLETED) for n in range(3)]
    limit, throttle.HOURLY_LIMIT = throttle.HOURLY_LIMIT, 2
    try:
        for item in items:
            client.post(
                rate_url(shown.unit_a, item), {"rating": "satisfied"}, REMOTE_ADDR="1.1.1.1"
            )
    finally:
        throttle.HOURLY_LIMIT = limit
    assert PublicRating.objects.count() == 2


@pytest.mark.parametrize("status", [S.NOT_STARTED, S.IN_PROGRESS])
def test_an_unfinished_item_cannot_be_rated(client, shown, status):
    set_status(shown.item, status)
    response = client.post(rate_url(shown.unit_a, shown.item), {"rating": "satisfied"}, follow=True)
    assert "该事项尚未完成整改，暂不接受评价。" in response.content.decode()
    assert not PublicRating.objects.exists()


def test_only_the_units_public_items_can_be_rated(client, shown):
    set_status(shown.hidden, S.COMPLETED)
    set_status(shown.other, S.COMPLETED)
    assert (
        client.post(rate_url(shown.unit_a, shown.hidden), {"rating": "satisfied"}).status_code
        == 404
    )
    assert (
        client.post(rate_url(shown.unit_a, shown.other), {"rating": "satisfied"}).status_code == 404
    )
    assert client.get(rate_url(shown.unit_a, shown.item)).status_code == 405
    response = client.post(rate_url(shown.unit_a, shown.item), {"rating": "great"}, follow=True)
    assert "请选择“满意”“基本满意”或“不满意”。" in response.content.decode()
    assert not PublicRating.objects.exists()


def test_results_are_withheld_under_five_ratings(client, shown):
    for rating in ("satisfied", "satisfied", "basically", "unsatisfied"):
        PublicRating.objects.create(item=shown.item, rating=rating)
    page = client.get(public_url(shown.unit_a)).content.decode()
    assert "样本不足" in page and "满意度" not in page
    PublicRating.objects.create(item=shown.item, rating="satisfied")
    response = client.get(public_url(shown.unit_a))
    page = response.content.decode()
    assert "样本不足" not in page
    assert "满意度 80%（共 5 人评价）" in page
    result = _items(client, shown)[0].rating
    assert (result.satisfied, result.basically, result.unsatisfied) == (3, 1, 1)


def test_unfinished_items_show_progress_but_no_rating_form(client, shown):
    set_status(shown.item, S.IN_PROGRESS)
    RectificationItem.objects.filter(pk=shown.item.pk).update(progress_percent=40)
    page = client.get(public_url(shown.unit_a)).content.decode()
    assert "40%" in page
    assert rate_url(shown.unit_a, shown.item) not in page
