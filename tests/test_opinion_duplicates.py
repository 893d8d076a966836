"""Near-duplicate opinions (同类意见): the similarity measure, the look-up of one opinion's
likely duplicates, suggested groups, and staff confirming, merging and splitting them. The
opinions' text never changes."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import AuditLog
from feedback import selectors, services, similarity
from feedback.models import Opinion, OpinionGroup, OpinionGroupMember

pytestmark = pytest.mark.django_db

POINT = "会议多、文件多，文山会海问题依然突出，基层疲于应付。"
REWORDED = "会议多、文件多，文山会海的问题还是很突出，基层疲于应付。"
AGAIN = "会议多、文件多，文山会海问题依然突出！基层疲于应付。"
OTHER = "公车私用时有发生，群众意见比较大。"
OTHER_AGAIN = "公车私用时有发生，老百姓意见比较大。"


def make(w, text, unit=None, **fields):
    fields = {"channel": "symposium", "received_on": datetime.date(2026, 1, 15), **fields}
    return Opinion.objects.create(unit=unit or w.unit_a, text=text, **fields)


def texts_of(group):
    return sorted(group.members.values_list("opinion__text", flat=True))


# The measure.


def test_bigrams_ignore_punctuation_and_case():
    # 太 is one of the fillers people add or drop: "会议，太多！" is compared as "会议多".
    assert similarity.bigrams("会议，太多！") == {"会议", "议多"}
    assert similarity.bigrams("AB") == {"ab"}
    assert similarity.bigrams("。") == frozenset()


def test_reworded_opinions_score_above_the_threshold_and_unrelated_ones_below():
    score = lambda a, b: similarity.dice(similarity.bigrams(a), similarity.bigrams(b))  # noqa: E731
    assert score(POINT, REWORDED) >= similarity.THRESHOLD
    assert score(POINT, AGAIN) > 0.9
    assert score(POINT, OTHER) < 0.2


def test_cluster_groups_the_same_point_and_leaves_the_rest():
    rows = list(
        enumerate([POINT, OTHER, REWORDED, "联系群众的制度执行得不好。", AGAIN, OTHER_AGAIN])
    )
    groups = similarity.cluster(rows)
    assert [[pk for pk, _s in g] for g in groups] == [[0, 2, 4], [1, 5]]
    assert groups[0][0] == (0, 1.0) and all(0.6 <= s <= 1 for _pk, s in groups[0][1:])


# The look-up of one opinion's likely duplicates (pg_trgm on PostgreSQL, Dice elsewhere).


def test_likely_duplicates_are_found_in_the_same_unit_only(world):
    point = make(world, POINT)
    reworded, again = make(world, REWORDED), make(world, AGAIN)
    make(world, OTHER)
    make(world, POINT, unit=world.unit_b)  # another unit's: never shown
    found = selectors.likely_duplicates(point, Opinion.objects.all())
    assert [o.pk for o, _score in found] == [again.pk, reworded.pk]
    assert found[0][1] > found[1][1]


def test_the_lookup_hides_from_a_leader_the_opinions_naming_him(world):
    from feedback.scope import visible_opinions

    point = make(world, POINT)
    naming = make(world, AGAIN, target="leader", target_person=world.chair)
    assert [o for o, _s in selectors.likely_duplicates(point, visible_opinions(world.alice))] == [
        naming
    ]
    assert selectors.likely_duplicates(point, visible_opinions(world.leo)) == []


def test_the_opinion_page_lists_similar_opinions_to_group(client, world):
    point, again = make(world, POINT), make(world, AGAIN)
    make(world, OTHER)
    client.force_login(world.alice)
    response = client.get(reverse("feedback:opinion_detail", args=[point.pk]))
    assert [o for o, _s in response.context["duplicates"]] == [again]
    page = response.content.decode()
    assert "相似意见" in page and OTHER not in page
    response = client.post(
        reverse("feedback:opinion_bulk", args=[world.unit_a.pk]),
        {"opinions": [point.pk, again.pk], "action": "group"},
    )
    group = OpinionGroup.objects.get()
    assert response["Location"] == reverse("feedback:group_detail", args=[group.pk])
    assert texts_of(group) == sorted([POINT, AGAIN])


# Suggested groups.


def test_suggesting_groups_finds_the_duplicates_and_keeps_the_texts(client, world):
    rows = [
        make(world, t) for t in (POINT, OTHER, REWORDED, AGAIN, OTHER_AGAIN, "职工培训机会少。")
    ]
    client.force_login(world.alice)
    response = client.post(reverse("feedback:groups_suggest", args=[world.unit_a.pk]), follow=True)
    assert "找到 2 组疑似重复的意见" in response.content.decode()
    groups = list(OpinionGroup.objects.order_by("id"))
    assert [texts_of(g) for g in groups] == [
        sorted([POINT, REWORDED, AGAIN]),
        sorted([OTHER, OTHER_AGAIN]),
    ]
    assert all(g.status == OpinionGroup.Status.SUGGESTED for g in groups)
    assert groups[0].representative == rows[0]
    assert sorted(Opinion.objects.values_list("text", flat=True)) == sorted(o.text for o in rows)
    # A second run finds nothing new: grouped opinions are left alone.
    assert services.groups_suggest(unit=world.unit_a, by=world.alice) == 0
    assert AuditLog.objects.filter(action="opiniongroup.suggested").count() == 1


def test_the_group_list_shows_how_many_people_raised_each_point(client, world):
    for t in (POINT, REWORDED, AGAIN, OTHER, OTHER_AGAIN):
        make(world, t)
    services.groups_suggest(unit=world.unit_a, by=world.alice)
    client.force_login(world.sam)  # the supervisor reads it too
    response = client.get(reverse("feedback:group_list", args=[world.unit_a.pk]))
    assert [g.size for g in response.context["page"]] == [3, 2]
    assert "3 人次提出" in response.content.decode()


def test_group_list_queries_do_not_grow_with_the_groups(client, world, django_assert_num_queries):
    client.force_login(world.alice)

    def add(n):
        for i in range(n):
            a, b = make(world, f"{POINT}{i}"), make(world, f"{AGAIN}{i}")
            services.group_create(unit=world.unit_a, opinion_ids=[a.pk, b.pk], by=world.alice)

    add(2)
    url = reverse("feedback:group_list", args=[world.unit_a.pk])
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    add(20)
    with django_assert_num_queries(len(small.captured_queries)):
        assert len(client.get(url).context["page"]) == 22


# Staff confirm, merge and split.


@pytest.fixture
def groups(world):
    point, reworded, again = make(world, POINT), make(world, REWORDED), make(world, AGAIN)
    other, other_again = make(world, OTHER), make(world, OTHER_AGAIN)
    first = services.group_create(
        unit=world.unit_a, opinion_ids=[point.pk, reworded.pk, again.pk], by=world.alice
    )
    second = services.group_create(
        unit=world.unit_a, opinion_ids=[other.pk, other_again.pk], by=world.alice
    )
    return first, second


def test_confirming_a_group_with_a_summary_line(client, world, groups):
    group = groups[0]
    OpinionGroup.objects.filter(pk=group.pk).update(status=OpinionGroup.Status.SUGGESTED)
    client.force_login(world.alice)
    client.post(reverse("feedback:group_confirm", args=[group.pk]), {"title": "文山会海"})
    group.refresh_from_db()
    assert (group.status, group.title) == (OpinionGroup.Status.CONFIRMED, "文山会海")
    assert AuditLog.objects.get(action="opiniongroup.confirmed").changes == {
        "status": ["待确认", "已确认"],
        "title": "文山会海",
    }


def test_merging_two_groups_keeps_every_opinion(client, world, groups):
    first, second = groups
    client.force_login(world.alice)
    client.post(reverse("feedback:group_merge", args=[first.pk]), {"ids": [second.pk]})
    assert list(OpinionGroup.objects.all()) == [first]
    assert first.members.count() == 5
    assert Opinion.objects.count() == 5


def test_a_group_of_another_unit_cannot_be_merged_in(world, groups):
    theirs = [make(world, t, unit=world.unit_b) for t in (POINT, AGAIN)]
    foreign = services.group_create(
        unit=world.unit_b, opinion_ids=[o.pk for o in theirs], by=world.charlie
    )
    with pytest.raises(Exception, match="只能合并本单位"):
        services.group_merge(group=groups[0], others=[foreign], by=world.alice)
    assert foreign.members.count() == 2


def test_splitting_one_opinion_off_leaves_it_ungrouped(client, world, groups):
    first = groups[0]
    reworded = Opinion.objects.get(text=REWORDED)
    client.force_login(world.alice)
    response = client.post(reverse("feedback:group_split", args=[first.pk]), {"ids": [reworded.pk]})
    assert response["Location"] == reverse("feedback:group_detail", args=[first.pk])
    assert texts_of(first) == sorted([POINT, AGAIN])
    assert not OpinionGroupMember.objects.filter(opinion=reworded).exists()


def test_splitting_two_off_makes_a_new_group_and_a_group_of_one_goes(world, groups):
    first = groups[0]
    ids = list(Opinion.objects.filter(text__in=[REWORDED, AGAIN]).values_list("pk", flat=True))
    new = services.group_split(group=first, opinion_ids=ids, by=world.alice)
    assert texts_of(new) == sorted([REWORDED, AGAIN])
    assert not OpinionGroup.objects.filter(pk=first.pk).exists()  # one left: no group


def test_splitting_the_whole_group_is_refused(world, groups):
    first = groups[0]
    ids = list(first.members.values_list("opinion_id", flat=True))
    with pytest.raises(Exception, match="不能把整组拆出去"):
        services.group_split(group=first, opinion_ids=ids, by=world.alice)
    assert first.members.count() == 3


def test_grouping_an_opinion_again_moves_it_and_fixes_the_old_group(world, groups):
    first, second = groups
    point = Opinion.objects.get(text=POINT)  # the first group's representative
    other = Opinion.objects.get(text=OTHER)
    services.group_create(
        unit=world.unit_a, opinion_ids=[point.pk, other.pk], by=world.alice, move=True
    )
    first.refresh_from_db()
    assert texts_of(first) == sorted([REWORDED, AGAIN])
    assert first.representative.text in (REWORDED, AGAIN)
    assert not OpinionGroup.objects.filter(pk=second.pk).exists()


def test_dissolving_a_group_ungroups_its_opinions(client, world, groups):
    client.force_login(world.alice)
    client.post(reverse("feedback:group_dissolve", args=[groups[0].pk]), {"confirmed": "1"})
    assert OpinionGroup.objects.count() == 1
    assert Opinion.objects.count() == 5


def test_group_create_needs_two_of_the_units_opinions(world):
    mine, theirs = make(world, POINT), make(world, AGAIN, unit=world.unit_b)
    with pytest.raises(Exception, match="至少勾选两条"):
        services.group_create(unit=world.unit_a, opinion_ids=[mine.pk], by=world.alice)
    with pytest.raises(Exception, match="不属于本单位"):
        services.group_create(unit=world.unit_a, opinion_ids=[mine.pk, theirs.pk], by=world.alice)
    assert not OpinionGroup.objects.exists()


def test_outsider_gets_404_and_supervisor_403_on_group_actions(client, world, groups):
    url = reverse("feedback:group_dissolve", args=[groups[0].pk])
    client.force_login(world.charlie)
    assert client.get(reverse("feedback:group_detail", args=[groups[0].pk])).status_code == 404
    assert client.post(url).status_code == 404
    client.force_login(world.sam)
    assert client.get(reverse("feedback:group_detail", args=[groups[0].pk])).status_code == 200
    assert client.post(url).status_code == 403
    assert OpinionGroup.objects.count() == 2


def test_a_leader_does_not_see_the_group_members_naming_him(client, world):
    point = make(world, POINT)
    naming = make(world, AGAIN, target="leader", target_person=world.chair, source_group="veterans")
    group = services.group_create(
        unit=world.unit_a, opinion_ids=[point.pk, naming.pk], by=world.alice
    )
    client.force_login(world.leo)
    response = client.get(reverse("feedback:group_detail", args=[group.pk]))
    assert response.context["members"] == [point]
    assert AGAIN not in response.content.decode()


def test_the_group_list_does_not_show_a_leader_the_opinion_naming_him(client, world):
    naming = make(world, AGAIN, target="leader", target_person=world.chair)
    point = make(world, POINT)
    services.group_create(unit=world.unit_a, opinion_ids=[naming.pk, point.pk], by=world.alice)
    client.force_login(world.leo)
    page = client.get(reverse("feedback:group_list", args=[world.unit_a.pk])).content.decode()
    assert "涉及您本人" in page and AGAIN not in page
    client.force_login(world.alice)
    page = client.get(reverse("feedback:group_list", args=[world.unit_a.pk])).content.decode()
    assert AGAIN in page


def test_postgresql_makes_trigrams_from_chinese():
    """The look-up relies on pg_trgm seeing Chinese characters as alphanumeric (LC_CTYPE)."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    assert selectors.trigrams_work()
