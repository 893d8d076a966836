"""Demo ledger data `load_demo` adds for 南通市总工会 (NT-ZGH), drawn from the seeds: the city's
八个专项整治 (seed 001), 绵阳市总工会's 四类整治 (seed 002), problems sorted as seed 004 sorts
them, items in every state, monthly progress, a public rating and the rules inventory.

Safe to run again: special campaigns are looked up by name, and the rest is added only when
the first demo problem is missing.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from feedback.models import FourWinds
from rectification import services
from rectification.models import Problem, PublicRating, Regulation, SpecialCampaign
from units.models import Person, Unit, User

# Seed 001, 八个专项整治, shortened to a name each; deployed by the city.
CITY_CAMPAIGNS = (
    "整治组织观念淡薄、纪律松弛问题",
    "整治庸懒散拖、推诿扯皮、办事效率不高问题",
    "整治“门难进、脸难看、事难办”问题",
    "整治公款送礼、公款吃喝、奢侈浪费问题",
    "整治超标占用办公用房、违规配车问题",
    "整治文山会海、检查评比泛滥问题",
    "整治“两超两违”问题",
    "整治工程建设、招投标“暗箱操作”问题",
)
# Seed 002, 四类整治 of 绵阳市总工会.
MIANYANG_CAMPAIGNS = (
    "监督检查党员干部勤政情况",
    "集中整治文山会海",
    "纠正脱离实际、脱离群众问题",
    "狠刹挥霍享乐和骄奢淫逸的不良风气",
)

W, K = FourWinds, Problem.Kind
# (title, description, four winds, kind, person's name or None, item) where item is
# (title, measures, lead leader, office, days to deadline, public commitment, special campaign
# index, state); state is how far the demo takes it.
PROBLEMS = (
    (
        "文山会海问题仍然存在，会议多、文件多、简报多",
        "机关部门开会层层陪会，一些会议可开可不开；以文件落实文件，简报数量多、内容重复。",
        W.FORMALISM,
        K.WITH_EFFORT,
        None,
        (
            "精简会议和文件简报",
            "严格控制会议数量、规模和时间，能合并的合并，能套开的套开；压缩文件简报，"
            "没有实质内容的一律不发。",
            "陈国栋",
            "办公室",
            75,
            "全年机关召开的会议和印发的文件简报比上年减少三分之一以上。",
            5,
            "reported",
        ),
    ),
    (
        "深入基层调研不够，调研走马观花",
        "到基层工会调研多是听汇报、看材料，与一线职工面对面交流少，解决实际问题少。",
        W.BUREAUCRATISM,
        K.LONG_TERM,
        None,
        (
            "建立领导干部联系基层工会制度",
            "党组成员每人联系 1 个基层工会和 3 户困难职工，每季度至少蹲点调研 1 次，"
            "调研报告在党组会上交流。",
            "顾红梅",
            "组织部",
            140,
            "党组成员每季度到联系的基层工会蹲点调研，及时解决职工反映的问题。",
            None,
            "started",
        ),
    ),
    (
        "公务接待和公务用车管理不够规范",
        "个别部门超标准接待，公务用车使用登记不全。",
        W.EXTRAVAGANCE,
        K.NOW,
        None,
        (
            "清理规范公务接待和公务用车",
            "对照规定清理公务接待，一律不上高档菜肴和酒水；公务用车统一调度、出车登记。",
            "钱立新",
            "办公室",
            20,
            "公务接待严格执行标准，公务用车集中管理，接受职工监督。",
            3,
            "verified",
        ),
    ),
    (
        "困难职工帮扶政策落实有差距，服务职工“最后一公里”不畅",
        "部分建档困难职工不了解救助政策，申请手续繁琐，办理时间长。",
        W.BUREAUCRATISM,
        K.WITH_EFFORT,
        None,
        (
            "简化困难职工救助申请手续",
            "编印帮扶政策明白纸发到基层工会；救助申请材料精简一半，承诺 10 个工作日内办结。",
            "顾红梅",
            "权益保障部",
            45,
            "困难职工救助申请 10 个工作日内办结，办理结果向申请人反馈。",
            2,
            "completed",
        ),
    ),
    (
        "到分管部门和基层调研次数偏少",
        "班子成员个人对照检查中查摆：到分管部室指导工作和到基层调研次数偏少。",
        W.BUREAUCRATISM,
        K.WITH_EFFORT,
        "沈建平",
        (
            "个人整改：每月到基层工会调研不少于两次",
            "每月到分管联系的基层工会调研不少于 2 次，每次形成问题清单并跟踪解决。",
            "沈建平",
            "宣教部",
            90,
            "",
            None,
            "open",
        ),
    ),
)
# (title, action, description, document number, index of the problem whose item led to it,
# adopted)
RULES = (
    ("领导班子成员联系基层工会制度", Regulation.Action.ESTABLISH,
     "明确党组成员联系点、蹲点调研时间和调研报告交流要求。", "", 1, False),
    ("公务接待管理办法", Regulation.Action.AMEND,
     "按照中央八项规定修订接待标准、审批和公示程序。", "通工〔2014〕12号", 2, True),
    ("机关内部评比表彰暂行规定", Regulation.Action.ABOLISH,
     "检查评比过多过滥，不合中央要求，予以废止。", "通工〔2014〕13号", 0, True),
)  # fmt: skip
RATINGS = ("satisfied",) * 4 + ("basically",) * 2 + ("unsatisfied",)
REPORT = "已召开专题会议研究部署，制定了具体办法，本月按计划推进。"


def _special_campaigns() -> dict[str, list[SpecialCampaign]]:
    out = {}
    for code, names in (("NT", CITY_CAMPAIGNS), ("MY-ZGH", MIANYANG_CAMPAIGNS)):
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            continue
        out[code] = [
            SpecialCampaign.objects.get_or_create(unit=unit, name=name, defaults={"order": i})[0]
            for i, name in enumerate(names, start=1)
        ]
    return out


def exists() -> bool:
    return Problem.objects.filter(unit__code="NT-ZGH", title=PROBLEMS[0][0]).exists()


@transaction.atomic
def load() -> dict[str, int]:
    campaigns = _special_campaigns()
    if exists():
        return {"problems": 0, "created": 0}
    from campaign.models import Campaign

    unit = Unit.objects.get(code="NT-ZGH")
    staff = User.objects.get(username="staff")
    supervisor = User.objects.get(username="supervisor")
    people = {p.name: p for p in Person.objects.filter(unit=unit)}
    campaign = Campaign.objects.filter(participations__unit=unit).order_by("-start_date").first()
    today = timezone.localdate()
    items = []
    for title, description, winds, kind, person, spec in PROBLEMS:
        problem = services.problem_create(
            unit=unit,
            by=staff,
            title=title,
            description=description,
            four_winds=winds,
            kind=kind,
            scope=Problem.Scope.PERSON if person else Problem.Scope.TEAM,
            person=people.get(person),
            campaign=campaign,
        )
        item_title, measures, leader, office, days, commitment, special, state = spec
        item = services.item_create(
            problem=problem,
            by=staff,
            title=item_title,
            measures=measures,
            lead_leader=people[leader],
            responsible_office=office,
            deadline=today + datetime.timedelta(days=days),
            public_commitment=commitment,
            special_campaign=campaigns["NT"][special] if special is not None else None,
        )
        _advance(item, state, staff, supervisor)
        items.append(item)
    for title, action, description, number, index, adopted in RULES:
        rule = services.regulation_create(
            unit=unit,
            by=staff,
            title=title,
            action=action,
            description=description,
            document_number=number,
            items=[items[index]],
        )
        if adopted:
            services.regulation_adopt(regulation=rule, by=staff, on=today)
    PublicRating.objects.bulk_create(PublicRating(item=items[2], rating=r) for r in RATINGS)
    return {"problems": len(PROBLEMS), "created": len(PROBLEMS) * 2 + len(RULES)}


def _advance(item, state, staff, supervisor):
    if state == "open":
        return
    if state == "started":
        services.item_start(item=item, by=staff)
        return
    services.progress_report_file(item=item, by=staff, what_done=REPORT, percent=60)
    if state == "reported":
        return
    services.item_complete(item=item, by=staff, note="已按整改措施全部落实到位，制度已印发执行。")
    if state == "verified":
        services.item_verify(item=item, by=supervisor)
