"""Consistent input (issue 17, item 5): 意见对象 and 所提领导 agree, the channels the seeds
name are offered, drop-downs say 请选择."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from feedback import services
from feedback.forms import OpinionBatchForm, OpinionForm
from feedback.models import Opinion

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 1, 15)


def take(w, **fields):
    fields = {"text": "会议太多。", "channel": "symposium", "received_on": DAY, **fields}
    return services.opinion_take(unit=w.unit_a, by=w.alice, **fields)


@pytest.mark.parametrize("target", ["unit", "team"])
def test_a_leader_named_under_another_target_is_refused_not_dropped(world, target):
    with pytest.raises(ValidationError, match="不应选择所提领导"):
        take(world, target=target, target_person=world.chair)
    assert not Opinion.objects.exists()


def test_a_leader_target_needs_the_leader(world):
    with pytest.raises(ValidationError, match="请选择是哪位领导"):
        take(world, target="leader")
    assert take(world, target="leader", target_person=world.chair).target_person == world.chair


def test_the_form_shows_the_error_in_chinese_and_saves_nothing(client, world):
    client.force_login(world.alice)
    data = {"text": "会议太多。", "channel": "symposium", "received_on": "2026-01-15",
            "target": "unit", "target_person": world.chair.pk}  # fmt: skip
    response = client.post(reverse("feedback:opinion_create", args=[world.unit_a.pk]), data)
    assert response.status_code == 200
    assert "意见对象是“单位整体”，不应选择所提领导" in response.content.decode()
    assert not Opinion.objects.exists()


@pytest.mark.parametrize(
    "value,label",
    [
        ("weibo", "微博"),
        ("wechat", "微信"),
        ("card", "征求意见卡"),
        ("hotline_12345", "12345 热线"),
    ],
)
def test_the_channels_the_seeds_name_are_offered(world, value, label):
    assert (value, label) in [(v, str(lbl)) for v, lbl in Opinion.Channel.choices]
    assert take(world, channel=value).get_channel_display() == label


def test_drop_downs_say_please_choose(world):
    for form in (OpinionForm(unit=world.unit_a), OpinionBatchForm(unit=world.unit_a)):
        html = str(form)
        assert "---------" not in html
        assert "请选择" in html
