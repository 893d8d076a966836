"""Opinions (意见) taken in by staff: kept verbatim, annotated, scoped, hidden from the leader
they name, entered in batches all or nothing, listed with a constant number of queries."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.models import AuditLog
from feedback import services
from feedback.models import Opinion, OpinionNote
from feedback.scope import visible_opinions
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

D = datetime.date
C = Opinion.Channel
TEXT = "会议太多，基层干部疲于陪会，没时间下去办实事。"


def take(w, unit=None, **fields):
    fields = {"text": TEXT, "channel": C.SYMPOSIUM, "received_on": D(2026, 1, 15), **fields}
    return services.opinion_take(unit=unit or w.unit_a, by=w.alice, **fields)


def list_url(unit):
    return reverse("feedback:opinion_list", args=[unit.pk])


def detail_url(opinion):
    return reverse("feedback:opinion_detail", args=[opinion.pk])


# Verbatim: the text never changes; corrections are annotations.


def test_taking_an_opinion_keeps_the_text_and_audits_without_it(world):
    opinion = take(world, contact="", is_anonymous=True, source_group="veterans")
    opinion.refresh_from_db()
    assert (opinion.text, opinion.entered_by, opinion.source_group) == (
        TEXT,
        world.alice,
        "veterans",
    )
    log = AuditLog.objects.get(action="opinion.taken")
    assert log.object_id == str(opinion.pk) and log.changes == {"channel": "座谈会"}
    assert TEXT not in f"{log.object_repr}{log.changes}"


def test_the_text_cannot_be_changed(world):
    opinion = take(world)
    opinion.text = "改过的意见"
    with pytest.raises(ValidationError, match="不得修改"):
        opinion.save()
    with pytest.raises(ValidationError):
        Opinion.objects.filter(pk=opinion.pk).update(text="改过的意见")
    opinion.refresh_from_db()
    assert opinion.text == TEXT
    opinion.status = Opinion.Status.SORTED
    opinion.save()  # other fields may change
    assert Opinion.objects.get().status == Opinion.Status.SORTED


def test_an_annotation_corrects_without_touching_the_text(client, world):
    opinion = take(world)
    client.force_login(world.alice)
    url = reverse("feedback:opinion_annotate", args=[opinion.pk])
    response = client.post(url, {"text": "更正：应为“陪会”而非“赔会”"}, follow=True)
    assert "更正：应为“陪会”而非“赔会”" in response.content.decode()
    note = OpinionNote.objects.get()
    assert (note.opinion, note.author) == (opinion, world.alice)
    assert Opinion.objects.get().text == TEXT
    assert AuditLog.objects.filter(action="opinion.annotated", object_id=str(opinion.pk)).exists()
    assert client.get(url).status_code == 405


def test_an_empty_annotation_is_refused_in_chinese(client, world):
    opinion = take(world)
    client.force_login(world.alice)
    url = reverse("feedback:opinion_annotate", args=[opinion.pk])
    response = client.post(url, {"text": "  "}, follow=True)
    assert "必填" in response.content.decode()
    assert not OpinionNote.objects.exists()


def test_entering_an_opinion_through_the_form(client, world):
    client.force_login(world.alice)
    response = client.post(
        reverse("feedback:opinion_create", args=[world.unit_a.pk]),
        {
            "text": TEXT,
            "channel": C.INTERVIEW,
            "source_group": "served",
            "received_on": "2026-01-20",
            "question_type": "grievance",
            "four_winds": "bureaucratism",
            "target": Opinion.Target.LEADER,
            "target_person": world.chair.pk,
            "contact": "",
            "is_anonymous": "on",
        },
    )
    opinion = Opinion.objects.get()
    assert response.status_code == 302 and response["Location"] == detail_url(opinion)
    assert (opinion.target_person, opinion.received_on) == (world.chair, D(2026, 1, 20))


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"target": Opinion.Target.LEADER}, "请选择是哪位领导"),
        ({"is_anonymous": True, "contact": "13800000000"}, "匿名意见不登记联系方式"),
        ({"text": "   "}, "请填写意见内容"),
        ({"text": "长" * 2001}, "不能超过 2000 字"),
    ],
)
def test_bad_opinions_are_refused_in_chinese(world, fields, message):
    with pytest.raises(ValidationError, match=message):
        take(world, **fields)
    assert not Opinion.objects.exists()


def test_a_leader_of_another_unit_cannot_be_named(world):
    other = PersonFactory(unit=world.unit_b)
    with pytest.raises(ValidationError, match="本单位"):
        take(world, target=Opinion.Target.LEADER, target_person=other)


def test_a_leader_or_supervisor_may_read_but_not_enter(client, world):
    for persona in ("leo", "sam"):
        client.force_login(getattr(world, persona))
        assert client.get(list_url(world.unit_a)).status_code == 200
        url = reverse("feedback:opinion_create", args=[world.unit_a.pk])
        assert client.get(url).status_code == 403


# A symposium's notes: one opinion per line, all or nothing.


def batch_url(w):
    return reverse("feedback:opinion_batch", args=[w.unit_a.pk])


def test_batch_takes_one_opinion_per_non_empty_line(client, world):
    client.force_login(world.alice)
    lines = "第一条意见：文件太多\n\n   \n第二条意见：检查太多\r\n  第三条意见：开会太长  "
    response = client.post(
        batch_url(world),
        {
            "channel": C.SYMPOSIUM,
            "received_on": "2026-01-15",
            "source_group": "workers",
            "lines": lines,
        },
    )
    assert response.status_code == 302
    rows = Opinion.objects.order_by("id")
    assert [o.text for o in rows] == [
        "第一条意见：文件太多",
        "第二条意见：检查太多",
        "第三条意见：开会太长",
    ]
    assert {(o.channel, o.source_group, o.received_on) for o in rows} == {
        (C.SYMPOSIUM, "workers", D(2026, 1, 15))
    }


def test_batch_is_all_or_nothing_with_an_error_naming_the_line(client, world):
    client.force_login(world.alice)
    lines = "好的一条\n\n另一条\n" + "长" * 2001 + "\n最后一条"
    response = client.post(
        batch_url(world), {"channel": C.SYMPOSIUM, "received_on": "2026-01-15", "lines": lines}
    )
    assert response.status_code == 200
    assert "第 4 行超过 2000 字" in response.content.decode()
    assert not Opinion.objects.exists()
    assert not AuditLog.objects.filter(action="opinion.taken").exists()


def test_batch_of_blank_lines_is_refused(world):
    with pytest.raises(ValidationError, match="没有可保存的意见"):
        services.opinions_take_batch(
            unit=world.unit_a,
            channel=C.SYMPOSIUM,
            received_on=D(2026, 1, 15),
            lines="\n  \n",
            by=world.alice,
        )


# Scope: a leader never sees the opinions that name him or her; outsiders see nothing.


@pytest.fixture
def named(world):
    w = world
    w.about_leo = take(
        w, text="甲主席对群众冷淡", target=Opinion.Target.LEADER, target_person=w.chair
    )
    w.deputy = PersonFactory(unit=w.unit_a, name="甲副主席")
    w.about_deputy = take(
        w, text="甲副主席经常不在岗", target=Opinion.Target.LEADER, target_person=w.deputy
    )
    w.about_team = take(w, text="班子开会太多", target=Opinion.Target.TEAM)
    return w


def test_a_leader_does_not_see_opinions_naming_him(client, named):
    w = named
    assert set(visible_opinions(w.leo)) == {w.about_deputy, w.about_team}
    client.force_login(w.leo)
    page = client.get(list_url(w.unit_a)).content.decode()
    assert "甲副主席经常不在岗" in page and "班子开会太多" in page
    assert "甲主席对群众冷淡" not in page
    assert client.get(list_url(w.unit_a), {"q": "冷淡"}).context["page"].count == 0
    assert client.get(detail_url(w.about_leo)).status_code == 404
    assert client.get(detail_url(w.about_deputy)).status_code == 200


def test_staff_and_supervisors_see_every_opinion_of_the_unit(client, named):
    for persona in ("alice", "sam"):
        assert visible_opinions(getattr(named, persona)).count() == 3
        client.force_login(getattr(named, persona))
        assert client.get(detail_url(named.about_leo)).status_code == 200


def test_outsider_gets_404(client, named):
    w = named
    client.force_login(w.charlie)
    assert client.get(list_url(w.unit_a)).status_code == 404
    assert client.get(detail_url(w.about_team)).status_code == 404
    url = reverse("feedback:opinion_annotate", args=[w.about_team.pk])
    assert client.post(url, {"text": "插一句"}).status_code == 404
    assert client.get(reverse("feedback:opinion_poster", args=[w.unit_a.pk])).status_code == 404
    assert not visible_opinions(w.charlie).exists()
    assert not OpinionNote.objects.exists()


def test_the_list_shows_only_this_units_opinions(client, world):
    take(world, text="甲单位的意见")
    take(world, unit=world.unit_b, text="乙单位的意见")
    client.force_login(world.olivia)  # the office sees both units
    page = client.get(list_url(world.unit_a)).content.decode()
    assert "甲单位的意见" in page and "乙单位的意见" not in page


# The list's filters and its query count.


def test_list_filters(client, world):
    take(world, text="形式主义的意见", four_winds="formalism", channel=C.HOTLINE)
    take(world, text="官僚主义的意见", four_winds="bureaucratism", received_on=D(2026, 2, 1))
    take(world, text="老同志的意见", source_group="veterans", question_type="remedy")
    client.force_login(world.alice)

    def texts(**params):
        page = client.get(list_url(world.unit_a), params).context["page"]
        return sorted(o.text for o in page)

    assert texts(four_winds="formalism") == ["形式主义的意见"]
    assert texts(channel=C.HOTLINE) == ["形式主义的意见"]
    assert texts(source_group="veterans", question_type="remedy") == ["老同志的意见"]
    assert texts(date_from="2026-01-20") == ["官僚主义的意见"]
    assert texts(date_to="2026-01-20") == ["形式主义的意见", "老同志的意见"]
    assert texts(q="官僚") == ["官僚主义的意见"]
    assert texts(status="answered") == []
    assert len(texts(four_winds="no-such", date_from="garbage")) == 3  # bad values are ignored


def _fill(w, n):
    Opinion.objects.bulk_create(
        Opinion(
            unit=w.unit_a,
            text=f"意见{i}",
            channel=C.SYMPOSIUM,
            received_on=D(2026, 1, 1),
            target=Opinion.Target.LEADER if i % 2 else Opinion.Target.TEAM,
            target_person=w.chair if i % 2 else None,
        )
        for i in range(n)
    )


def test_the_list_costs_the_same_queries_for_5_and_200_opinions(
    client, world, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.alice)
    params = {"four_winds": "", "q": "意见"}
    _fill(world, 5)
    with CaptureQueriesContext(connection) as small:
        assert client.get(list_url(world.unit_a), params).status_code == 200
    _fill(world, 195)
    with django_assert_num_queries(len(small.captured_queries)):
        page = client.get(list_url(world.unit_a), params).context["page"]
    assert len(page) == 50 and page.count == 200
