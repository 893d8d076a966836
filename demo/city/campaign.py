"""The demo campaigns `load_demo` adds: a 2014 mass-line campaign in 南通 running now, in two
staggered batches, with activities drawn from seed 000; and a 2009 作风建设年 in 保定."""

import datetime

from django.db import transaction
from django.utils import timezone

from campaign.models import Campaign, CampaignTemplate
from campaign.services import (
    activity_record,
    campaign_create,
    enrol_units,
    material_save_draft,
    material_start,
    material_submit,
    review_decide,
    templates_load_shipped,
)
from units.models import Person, Unit, User

MASS_LINE = "南通市党的群众路线教育实践活动"
WORK_STYLE = "保定市总工会干部作风建设年活动"

# (days after the first batch started, kind, title, host's position contains, days, attendees)
ACTIVITIES = [
    (8, "mobilization", "市总工会党的群众路线教育实践活动动员大会", "主席", 0, 86),
    (10, "central_group_study", "党组中心组学习会：学习习近平总书记系列重要讲话", "主席", 1, 9),
    (12, "symposium", "听取基层工会和职工群众意见座谈会", "主席", 0, 18),
    (14, "collective_study", "集中学习：党章和《党的群众路线教育实践学习读本》", "主席", 1, 40),
    (15, "party_lecture", "主要负责同志讲专题党课：践行群众路线", "主席", 0, 80),
    (16, "symposium", "听取直属单位意见座谈会", "副主席", 0, 15),
    (18, "field_research", "到基层工会蹲点调研", "主席", 2, 4),
    (20, "warning_education", "警示教育：观看反面典型教育片", "纪检组长", 0, 60),
]


def exists() -> bool:
    return Campaign.objects.filter(name=MASS_LINE).exists()


@transaction.atomic
def load() -> dict[str, int]:
    if exists():
        return {"campaigns": 0}
    templates_load_shipped()
    office = User.objects.get(username="office")
    staff = User.objects.get(username="staff")
    today = timezone.localdate()
    first_start = today - datetime.timedelta(days=30)
    campaign = campaign_create(
        template=CampaignTemplate.objects.get(code="mass-line-2014"),
        name=MASS_LINE,
        organiser=Unit.objects.get(code="NT"),
        start_date=first_start - datetime.timedelta(days=5),
        end_date=first_start + datetime.timedelta(days=300),
        by=office,
    )
    leading = Unit.objects.filter(code__in=["NT-ZGH", "NT-KJJ"])
    enrol_units(campaign=campaign, units=leading, start_date=first_start,
                label="第一批（市直机关）", by=office)  # fmt: skip
    grassroots = Unit.objects.filter(parent__in=leading)
    enrol_units(campaign=campaign, units=grassroots,
                start_date=first_start + datetime.timedelta(days=15),
                label="第二批（机关部门和直属单位）", by=office)  # fmt: skip
    participation = campaign.participations.get(unit__code="NT-ZGH")
    people = list(Person.objects.filter(unit=participation.unit))
    for offset, kind, title, position, days, attendees in ACTIVITIES:
        host = next((p for p in people if position in p.position), None)
        activity_record(
            participation=participation,
            by=staff,
            kind=kind,
            title=title,
            date=first_start + datetime.timedelta(days=offset),
            days=days,
            host=host,
            attendee_count=attendees,
            place="市总工会会议室",
        )
    chair = next((p for p in people if "主席" in p.position), None)
    activity_record(
        participation=participation, by=staff, kind="family_visit",
        title="走亲连心：走访困难职工家庭", date=first_start + datetime.timedelta(days=22),
        host=chair, attendees=[chair] if chair else [], households=5, attendee_count=3,
    )  # fmt: skip
    _demo_materials(participation, staff)
    baoding = campaign_create(
        template=CampaignTemplate.objects.get(code="work-style-2009"),
        name=WORK_STYLE,
        organiser=Unit.objects.get(code="BD"),
        start_date=datetime.date(today.year, 2, 20),
        end_date=datetime.date(today.year, 12, 31),
        by=office,
    )
    enrol_units(campaign=baoding, units=Unit.objects.filter(code="BD-ZGH"),
                start_date=baoding.start_date, label="市总工会", by=office)  # fmt: skip
    return {"campaigns": 2}


def _demo_materials(participation, staff) -> None:
    """实施方案 approved after one return; the 动员讲话稿 waits in 第十四督导组's queue."""
    supervisor = User.objects.get(username="supervisor")
    stage = participation.campaign.stages.order_by("order").first()
    plan = stage.materials.get(kind="implementation_plan")
    speech = stage.materials.get(kind="mobilization_speech")
    material = material_start(participation=participation, requirement=plan, by=staff)
    material_save_draft(material=material, by=staff, text=PLAN_TEXT)
    first = material_submit(material=material, by=staff)
    review_decide(revision=first, decision="return", by=supervisor,
                  comment="请按“四落实”要求写明学习人员、时间、内容和效果，并细化时间安排。")  # fmt: skip
    material_save_draft(material=material, by=staff, text=PLAN_TEXT + PLAN_ADDENDUM)
    second = material_submit(material=material, by=staff)
    review_decide(revision=second, decision="approve", comment="同意。", by=supervisor)
    material = material_start(participation=participation, requirement=speech, by=staff)
    material_save_draft(material=material, by=staff, text=SPEECH_TEXT)
    material_submit(material=material, by=staff)


PLAN_TEXT = (
    "一、指导思想\n以为民务实清廉为主要内容，以“照镜子、正衣冠、洗洗澡、治治病”为总要求。\n"
    "二、主要任务\n学习教育、听取意见；查摆问题、开展批评；整改落实、建章立制。\n"
)
PLAN_ADDENDUM = "三、时间安排\n学习教育环节2月上旬至4月中旬，做到学习人员、学习时间、学习内容、学习效果“四落实”。\n"
SPEECH_TEXT = "同志们：今天召开市总工会党的群众路线教育实践活动动员大会，主要任务是……\n"
