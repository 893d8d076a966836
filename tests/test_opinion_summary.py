"""The opinion summary (意见汇总): grouping, the leader's promise, the Excel table, submission."""

import datetime
import io

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from openpyxl import load_workbook

from campaign.models import Material, MaterialRequirement, Revision
from campaign.services import review_decide
from campaign.services.materials import revision_files
from feedback.campaigns import running_campaign
from feedback.models import Opinion
from feedback.summary import summary_build

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 1, 15)
# The one opinion that names the leader carries details found nowhere else in the data.
SECRET_CONTACT = "13912345678"


RUNNING = object()  # the unit's running campaign, as intake would file it


def opinion(unit, text, *, channel="symposium", source="cadres_masses", winds="", target="unit",
            person=None, campaign=RUNNING, **extra) -> Opinion:  # fmt: skip
    if campaign is RUNNING:
        campaign = running_campaign(unit)
    return Opinion.objects.create(
        unit=unit, text=text, channel=channel, source_group=source, four_winds=winds,
        target=target, target_person=person, campaign=campaign, received_on=DAY, **extra,
    )  # fmt: skip


@pytest.fixture
def opinions(campaign_world):
    w = campaign_world
    opinion(w.unit_a, "会议太多，文件太长。", winds="formalism", target="team")
    opinion(w.unit_a, "检查评比过多过滥。", channel="box", winds="formalism", target="team")
    opinion(w.unit_a, "办事要跑好几趟。\n窗口态度生硬。", channel="website", source="served",
            winds="bureaucratism")  # fmt: skip
    opinion(w.unit_a, "希望多到基层来。", source="veterans")
    opinion(w.unit_a, "甲主席讲话太长，很少下基层。", channel="hotline", source="deputies",
            winds="formalism", target="leader", person=w.chair, is_anonymous=False,
            contact=SECRET_CONTACT)  # fmt: skip
    opinion(w.unit_b, "乙单位的意见，不属于甲单位。", winds="formalism")
    return w


def summary_page(client, unit):
    return client.get(reverse("feedback:opinion_summary", args=[unit.pk]))


def test_summary_groups_verbatim_opinions_by_four_winds_and_target(opinions, as_user):
    w = opinions
    response = summary_page(as_user(w.alice), w.unit_a)
    assert response.status_code == 200
    summary = response.context["summary"]
    assert summary.total == 5
    layout = [(g.four_winds, g.target, [e.text for e in g.entries]) for g in summary.groups]
    assert layout == [
        ("形式主义", "领导班子", ["会议太多，文件太长。", "检查评比过多过滥。"]),
        ("形式主义", "甲主席", ["甲主席讲话太长，很少下基层。"]),
        ("官僚主义", "单位整体", ["办事要跑好几趟。\n窗口态度生硬。"]),
        ("未分类", "单位整体", ["希望多到基层来。"]),
    ]
    team = summary.groups[0]
    assert dict(team.channels) == {"座谈会": 1, "意见箱": 1}
    assert dict(team.sources) == {"普通干部群众": 2}
    assert dict(summary.channels) == {"座谈会": 2, "意见箱": 1, "网站专栏": 1}
    assert dict(summary.sources) == {"普通干部群众": 2, "服务对象": 1, "老同志": 1}
    assert summary.named_count == 1
    page = response.content.decode()
    assert "办事要跑好几趟。\n窗口态度生硬。" in page  # verbatim, line break and all
    assert "乙单位的意见" not in page
    assert reverse("feedback:opinion_summary_xlsx", args=[w.unit_a.pk]) in page


@pytest.mark.parametrize("persona", ["leo", "alice", "sam"])
def test_nobody_sees_the_source_of_an_opinion_naming_a_leader_in_the_summary(
    opinions, as_user, persona
):
    w = opinions
    client = as_user(getattr(w, persona))
    page = summary_page(client, w.unit_a).content.decode()
    assert "甲主席讲话太长，很少下基层。" in page  # the text, classified, is there
    for detail in ("热线电话", "两代表一委员", SECRET_CONTACT):
        assert detail not in page
    sheet = client.get(reverse("feedback:opinion_summary_xlsx", args=[w.unit_a.pk]))
    cells = [c for row in load_workbook(io.BytesIO(sheet.getvalue())).active.values for c in row]
    assert "甲主席讲话太长，很少下基层。" in cells
    for detail in ("热线电话", "两代表一委员", SECRET_CONTACT):
        assert detail not in cells


def test_the_leader_sees_the_summary_but_not_the_opinion_in_the_list(opinions, as_user):
    w = opinions
    client = as_user(w.leo)
    listing = client.get(reverse("feedback:opinion_list", args=[w.unit_a.pk])).content.decode()
    assert "甲主席讲话太长" not in listing
    assert "甲主席讲话太长" in summary_page(client, w.unit_a).content.decode()


def test_the_excel_table_lists_every_opinion_grouped(opinions, as_user):
    w = opinions
    response = as_user(w.alice).get(reverse("feedback:opinion_summary_xlsx", args=[w.unit_a.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(response.getvalue())).active.values)
    assert rows[0][0] == "意见汇总表"
    assert rows[2] == (
        "序号",
        "四风类别",
        "意见对象",
        "意见原文",
        "征求渠道",
        "意见来源",
        "收集日期",
    )
    body = [row[:6] for row in rows[3:]]
    assert body == [
        (1, "形式主义", "领导班子", "会议太多，文件太长。", "座谈会", "普通干部群众"),
        (2, "形式主义", "领导班子", "检查评比过多过滥。", "意见箱", "普通干部群众"),
        (3, "形式主义", "甲主席", "甲主席讲话太长，很少下基层。", "—", "—"),
        (4, "官僚主义", "单位整体", "办事要跑好几趟。\n窗口态度生硬。", "网站专栏", "服务对象"),
        (5, "未分类", "单位整体", "希望多到基层来。", "座谈会", "老同志"),
    ]


def submit(client, unit):
    campaign = running_campaign(unit)
    data = {"confirmed": "1", "campaign": campaign.pk if campaign else ""}
    return client.post(reverse("feedback:opinion_summary_submit", args=[unit.pk]), data)


def test_submitting_freezes_the_summary_as_the_stages_opinion_summary_material(opinions, as_user):
    w = opinions
    response = submit(as_user(w.alice), w.unit_a)
    material = Material.objects.get(requirement__kind="opinion_summary")
    assert response.status_code == 302
    assert response["Location"] == reverse("campaign:material", args=[material.pk])
    assert material.participation == w.participation
    assert material.status == Material.Status.SUBMITTED
    # The campaign required none: one is added to the unit's current stage, not as a gate.
    assert material.requirement.stage == w.participation.current_stage
    assert material.requirement.is_gate is False
    revision = material.revisions.get()
    for text in (
        "会议太多，文件太长。",
        "办事要跑好几趟。\n窗口态度生硬。",
        "甲主席讲话太长，很少下基层。",
    ):
        assert text in revision.text
    assert "一、形式主义" in revision.text and "（二）甲主席（共 1 条）" in revision.text
    for detail in ("热线电话", "两代表一委员", SECRET_CONTACT, "乙单位的意见"):
        assert detail not in revision.text
    (attachment,) = revision_files(revision)
    assert attachment.name.endswith(".xlsx")
    frozen = list(load_workbook(attachment.file.open("rb")).active.values)
    assert len(frozen) == 3 + 5

    # Later opinions change the live summary, never what was submitted.
    opinion(w.unit_a, "新来的意见。", winds="hedonism")
    revision = Revision.objects.get(pk=revision.pk)
    assert "新来的意见" not in revision.text
    assert summary_build(w.unit_a, w.campaign).total == 6

    # The supervision group reviews it like any material.
    review_decide(revision=revision, decision="approve", comment="", by=w.sam)
    assert Material.objects.get(pk=material.pk).status == Material.Status.APPROVED


def test_submitting_uses_the_stage_whose_requirements_include_the_summary(opinions, as_user):
    w = opinions
    required = MaterialRequirement.objects.create(
        stage=w.stage2, kind="opinion_summary", title="意见汇总（报督导组）"
    )
    submit(as_user(w.alice), w.unit_a)
    assert Material.objects.get(requirement__kind="opinion_summary").requirement == required
    assert MaterialRequirement.objects.filter(kind="opinion_summary").count() == 1


def test_a_second_submission_waits_for_the_review(opinions, as_user):
    w = opinions
    client = as_user(w.alice)
    submit(client, w.unit_a)
    response = submit(client, w.unit_a)
    assert [str(m) for m in get_messages(response.wsgi_request)][-1] == (
        "意见汇总已提交，不能再次报送；督导组退回后才能重新报送。"
    )
    material = Material.objects.get(requirement__kind="opinion_summary")
    assert material.revision_count == 1
    review_decide(revision=material.revisions.get(), decision="return", comment="补充", by=w.sam)
    submit(client, w.unit_a)
    assert Material.objects.get(pk=material.pk).revision_count == 2


def test_a_unit_in_no_campaign_gets_a_clear_error_and_nothing_is_made(opinions, as_user):
    w = opinions
    client = as_user(w.charlie)
    assert "本单位没有参加活动" in summary_page(client, w.unit_b).content.decode()
    response = submit(client, w.unit_b)
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "请先选择本单位已启动的活动，再报送意见汇总。"
    ]
    assert not Material.objects.filter(requirement__kind="opinion_summary").exists()


def test_an_empty_summary_is_not_submitted(campaign_world, as_user):
    response = submit(as_user(campaign_world.alice), campaign_world.unit_a)
    assert "还没有征求到意见" in str(list(get_messages(response.wsgi_request))[0])
    assert not Material.objects.filter(requirement__kind="opinion_summary").exists()


@pytest.mark.parametrize("persona", ["sam", "leo"])
def test_only_the_units_staff_submit(opinions, as_user, persona):
    response = submit(as_user(getattr(opinions, persona)), opinions.unit_a)
    assert response.status_code == 403
    assert not Material.objects.filter(requirement__kind="opinion_summary").exists()


def add_opinions(w, n):
    people = [w.chair, w.deputy]
    winds = ["formalism", "bureaucratism", "hedonism", "extravagance", "other", ""]
    for i in range(n):
        named = i % 4 == 0
        opinion(
            w.unit_a, f"第{i}条意见", channel=["symposium", "box", "survey"][i % 3],
            winds=winds[i % len(winds)], target="leader" if named else ["team", "unit"][i % 2],
            person=people[i % 2] if named else None, campaign=w.campaign if i % 2 else None,
        )  # fmt: skip


def test_summary_page_and_table_cost_the_same_queries_at_two_sizes(
    campaign_world, client, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    w = campaign_world
    client.force_login(w.alice)
    urls = [
        reverse("feedback:opinion_summary", args=[w.unit_a.pk]),
        reverse("feedback:opinion_summary_xlsx", args=[w.unit_a.pk]),
    ]
    add_opinions(w, 6)
    counts = []
    for url in urls:
        with CaptureQueriesContext(connection) as small:
            assert client.get(url).status_code == 200
        counts.append(len(small))
    add_opinions(w, 120)
    for url, count in zip(urls, counts, strict=True):
        with django_assert_num_queries(count):
            assert client.get(url).status_code == 200


def test_confirmed_near_duplicates_are_listed_together_with_their_number(campaign_world, as_user):
    from feedback.models import OpinionGroup, OpinionGroupMember

    w = campaign_world
    first = opinion(w.unit_a, "会议太多。", winds="formalism", target="team")
    opinion(w.unit_a, "文件太长。", winds="formalism", target="team")
    again = opinion(w.unit_a, "会太多了。", winds="formalism", target="team")
    maybe = opinion(w.unit_a, "会议真多。", winds="formalism", target="team")
    confirmed = OpinionGroup.objects.create(unit=w.unit_a, representative=first, status="confirmed")
    suggested = OpinionGroup.objects.create(unit=w.unit_a, representative=maybe)
    for group, member in ((confirmed, first), (confirmed, again), (suggested, maybe)):
        OpinionGroupMember.objects.create(group=group, opinion=member)

    (group,) = summary_build(w.unit_a, w.campaign).groups
    listed = [(e.text, e.raised_by, e.same_as_above) for e in group.entries]
    assert listed == [
        ("会议太多。", 2, False),
        ("会太多了。", 0, True),
        ("文件太长。", 0, False),
        ("会议真多。", 0, False),  # only confirmed groups count
    ]
    page = summary_page(as_user(w.alice), w.unit_a).content.decode()
    assert "同类意见 2 条" in page
