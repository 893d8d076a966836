"""Groups are never lost (issue 17, item 2): a confirmed group changes only by an explicit
action on it; a group page that no longer exists says where its opinions went."""

import datetime

import pytest
from django.urls import reverse

from core.models import AuditLog
from feedback import services
from feedback.models import Opinion, OpinionGroup
from feedback.services.groups import GroupsInTheWay

pytestmark = pytest.mark.django_db


def make(w, text, unit=None):
    return Opinion.objects.create(unit=unit or w.unit_a, text=text, channel="symposium",
                                  received_on=datetime.date(2026, 1, 15))  # fmt: skip


@pytest.fixture
def confirmed(world):
    a, b = make(world, "会议文件太多，基层疲于应付。"), make(world, "会议文件太多了，疲于应付。")
    group = services.group_create(
        unit=world.unit_a, opinion_ids=[a.pk, b.pk], by=world.alice, title="文山会海"
    )
    world.a, world.b, world.new = a, b, make(world, "文件会议太多，应付不过来。")
    world.group = group
    return world


def bulk_group(client, w, ids, **extra):
    data = {"opinions": ids, "action": "group", "title": "新的归纳", **extra}
    return client.post(reverse("feedback:opinion_bulk", args=[w.unit_a.pk]), data)


def test_grouping_with_an_opinion_of_a_confirmed_group_asks_first(client, confirmed):
    w = confirmed
    with pytest.raises(GroupsInTheWay) as refused:
        services.group_create(unit=w.unit_a, opinion_ids=[w.a.pk, w.new.pk], by=w.alice)
    assert refused.value.groups == [w.group]
    client.force_login(w.alice)
    response = bulk_group(client, w, [w.a.pk, w.new.pk])
    assert response.status_code == 200
    page = response.content.decode()
    assert "有的意见已经归入其他组" in page and "文山会海" in page
    assert OpinionGroup.objects.get().title == "文山会海"  # nothing changed yet
    assert OpinionGroup.objects.get().members.count() == 2


def test_moving_after_confirming_keeps_a_record_of_the_old_group(client, confirmed):
    w = confirmed
    client.force_login(w.alice)
    response = bulk_group(client, w, [w.a.pk, w.new.pk], move="on")
    assert response.status_code == 302
    new = OpinionGroup.objects.get()
    assert new.pk != w.group.pk and new.members.count() == 2
    record = AuditLog.objects.get(action="opiniongroup.emptied", object_id=str(w.group.pk))
    assert record.changes["title"] == "文山会海"
    assert record.changes["opinion_ids"] == sorted([w.a.pk, w.b.pk])
    assert record.changes["into"] == new.pk
    # The old page says where the opinions went instead of a bare 404.
    gone = client.get(reverse("feedback:group_detail", args=[w.group.pk]))
    assert gone.status_code == 410
    page = gone.content.decode()
    assert "已不存在" in page and "文山会海" in page
    assert reverse("feedback:group_detail", args=[new.pk]) in page
    assert "未归组" in page  # w.b is on its own now


def test_dissolving_a_confirmed_group_asks_to_confirm_and_is_audited(client, confirmed):
    w = confirmed
    client.force_login(w.alice)
    url = reverse("feedback:group_dissolve", args=[w.group.pk])
    asked = client.post(url)
    assert asked.status_code == 200 and "确认解散" in asked.content.decode()
    assert OpinionGroup.objects.filter(pk=w.group.pk).exists()
    with pytest.raises(Exception, match="请确认后再解散"):
        services.group_dissolve(group=w.group, by=w.alice)
    client.post(url, {"confirmed": "1"})
    assert not OpinionGroup.objects.exists()
    record = AuditLog.objects.get(action="opiniongroup.dissolved")
    assert (record.actor, record.changes["title"]) == (w.alice, "文山会海")
    assert (
        "这组意见已被解散"
        in client.get(reverse("feedback:group_detail", args=[w.group.pk])).content.decode()
    )


def test_a_suggested_group_is_dissolved_without_asking(client, confirmed):
    w = confirmed
    OpinionGroup.objects.filter(pk=w.group.pk).update(status=OpinionGroup.Status.SUGGESTED)
    client.force_login(w.alice)
    client.post(reverse("feedback:group_dissolve", args=[w.group.pk]))
    assert not OpinionGroup.objects.exists()


def test_merged_groups_point_to_the_group_they_went_into(client, confirmed):
    w = confirmed
    c, d = make(w, "文件太多。"), make(w, "文件太多了。")
    other = services.group_create(unit=w.unit_a, opinion_ids=[c.pk, d.pk], by=w.alice)
    services.group_merge(group=w.group, others=[other], by=w.alice)
    client.force_login(w.alice)
    page = client.get(reverse("feedback:group_detail", args=[other.pk])).content.decode()
    assert "已并入另一组" in page
    assert reverse("feedback:group_detail", args=[w.group.pk]) in page


def test_an_outsider_gets_a_bare_404_for_a_gone_group(client, confirmed):
    w = confirmed
    services.group_dissolve(group=w.group, by=w.alice, confirmed=True)
    client.force_login(w.charlie)
    assert client.get(reverse("feedback:group_detail", args=[w.group.pk])).status_code == 404
    assert client.get(reverse("feedback:group_detail", args=[987654])).status_code == 404
