"""Demo data drawn from the seed documents (/work/shared/seeds), loaded by `manage.py load_demo`.

Every function here is safe to run again: rows are looked up by their natural keys (unit code,
person's unit and name, username, group name, leader and unit of a liaison point) and only
created when missing, so a second run changes nothing.

The organisations and departments come from the seeds; the people are invented (the seeds name
some real officials, and none of those names is used here).
"""

from collections import Counter

from django.db import transaction

from demo.scale.units import COUNTY_LEVEL_KINDS
from units import services
from units.models import CadreRank, LiaisonPoint, Person, SupervisionGroup, Unit, User

DEMO_PASSWORD = "demo1234"

K = Unit.Kind

# (code, name, kind, parent code) — parents before children.
UNITS = (
    ("NT", "南通市", K.CITY, None),
    # Seed 000: 南通市总工会; its notice goes to "市总机关、直属单位党支部"; it names the 办公室
    # and the 直属单位 工人业余大学 and 国际海员俱乐部. The other 机关部门 are not named in the
    # seed, so a typical 市总工会 set is used.
    ("NT-ZGH", "南通市总工会", K.DEPARTMENT, "NT"),
    ("NT-ZGH-BGS", "办公室", K.DEPARTMENT, "NT-ZGH"),
    ("NT-ZGH-ZZB", "组织部", K.DEPARTMENT, "NT-ZGH"),
    ("NT-ZGH-XJB", "宣教部", K.DEPARTMENT, "NT-ZGH"),
    ("NT-ZGH-QYB", "权益保障部", K.DEPARTMENT, "NT-ZGH"),
    ("NT-ZGH-JGDZB", "机关党支部", K.BRANCH, "NT-ZGH"),
    ("NT-ZGH-YDA", "南通市工人业余大学", K.AFFILIATE, "NT-ZGH"),
    ("NT-ZGH-YDA-DZB", "工人业余大学党支部", K.BRANCH, "NT-ZGH-YDA"),
    ("NT-ZGH-HYJLB", "南通市国际海员俱乐部", K.AFFILIATE, "NT-ZGH"),
    # Seed 004 names no city for its 市科技局; it sits under 南通市 so that one city's
    # 第十四督导组 can supervise it beside 南通市总工会. Its 局办公室 is named in the seed.
    ("NT-KJJ", "市科技局", K.DEPARTMENT, "NT"),
    ("NT-KJJ-BGS", "办公室", K.DEPARTMENT, "NT-KJJ"),
    # Seed 002: 绵阳市总工会 and the bodies its plan gives tasks to.
    ("MY", "绵阳市", K.CITY, None),
    ("MY-ZGH", "绵阳市总工会", K.DEPARTMENT, "MY"),
    ("MY-ZGH-BGS", "办公室", K.DEPARTMENT, "MY-ZGH"),
    ("MY-ZGH-ZZB", "组织部", K.DEPARTMENT, "MY-ZGH"),
    ("MY-ZGH-XJB", "宣教部", K.DEPARTMENT, "MY-ZGH"),
    ("MY-ZGH-BZB", "保障部", K.DEPARTMENT, "MY-ZGH"),
    ("MY-ZGH-FGB", "法工部", K.DEPARTMENT, "MY-ZGH"),
    ("MY-ZGH-NGB", "女工部", K.DEPARTMENT, "MY-ZGH"),
    ("MY-ZGH-JGB", "经工部", K.DEPARTMENT, "MY-ZGH"),
    ("MY-ZGH-CMGH", "财贸工会", K.AFFILIATE, "MY-ZGH"),
    ("MY-ZGH-JGDW", "机关党委", K.DEPARTMENT, "MY-ZGH"),
    ("MY-ZGH-JJZ", "纪检组", K.DEPARTMENT, "MY-ZGH"),
    ("MY-ZGH-QJB", "群教办", K.DEPARTMENT, "MY-ZGH"),
    ("MY-ZGH-HMBF", "惠民帮扶中心", K.AFFILIATE, "MY-ZGH"),
    ("MY-ZGH-WHG", "文化宫", K.AFFILIATE, "MY-ZGH"),
    # Seed 003: 保定市总工会, 2009 干部作风建设年.
    ("BD", "保定市", K.CITY, None),
    ("BD-ZGH", "保定市总工会", K.DEPARTMENT, "BD"),
)
UNIT_NAMES = {code: name for code, name, _kind, _parent in UNITS}

MAIN = {"is_main_leader": True, "is_team_member": True}
TEAM = {"is_team_member": True}
MID = {"is_mid_cadre": True}
RETIRED = {"is_retired_cadre": True}
OBSERVER = {"is_mass_observer": True, "is_party_member": False}

# (unit code, name, position, flags); rank follows the order within a unit.
PEOPLE = (
    ("NT-ZGH", "陈国栋", "党组书记、主席", MAIN),
    ("NT-ZGH", "顾红梅", "党组成员、副主席", TEAM),
    ("NT-ZGH", "沈建平", "党组成员、副主席", TEAM),
    ("NT-ZGH", "钱立新", "党组成员、经审会主任", TEAM),
    ("NT-ZGH", "朱海燕", "党组成员、纪检组长", TEAM),
    ("NT-ZGH", "曹德明", "原副主席（已退休）", RETIRED),
    ("NT-ZGH", "黄丽娟", "企业职工代表", OBSERVER),
    ("NT-ZGH-BGS", "陆晓东", "办公室主任", MID),
    ("NT-ZGH-ZZB", "葛文静", "组织部部长", MID),
    ("NT-ZGH-YDA", "缪志刚", "校长", MID),
    ("NT-ZGH-HYJLB", "季海波", "主任", MID),
    ("NT-KJJ", "许振华", "党组书记、局长", MAIN),
    ("NT-KJJ", "吴建军", "党组成员、副局长", TEAM),
    ("NT-KJJ", "周敏", "党组成员、副局长", TEAM),
    ("NT-KJJ", "严卫东", "党组成员、纪检组长", TEAM),
    ("NT-KJJ", "蒋国强", "原副局长（已退休）", RETIRED),
    ("NT-KJJ", "邵明辉", "科研人员代表", OBSERVER),
    ("NT-KJJ-BGS", "徐静", "办公室主任", MID),
    ("MY-ZGH", "何志强", "党组书记、常务副主席", MAIN),
    ("MY-ZGH", "罗晓琴", "党组成员、副主席", TEAM),
    ("MY-ZGH", "唐建明", "党组成员、副主席", TEAM),
    ("MY-ZGH", "邓华", "党组成员、经审会主任", TEAM),
    ("MY-ZGH", "蒲德勇", "党组成员、纪检组长", TEAM),
    ("MY-ZGH", "郑永福", "原副主席（已退休）", RETIRED),
    ("MY-ZGH", "苟玉兰", "职工代表", OBSERVER),
    ("MY-ZGH-BGS", "向春燕", "办公室主任", MID),
    ("MY-ZGH-ZZB", "任小龙", "组织部部长", MID),
    ("MY-ZGH-QJB", "冯雪梅", "群教办主任", MID),
    ("BD-ZGH", "田志远", "党组书记、常务副主席", MAIN),
    ("BD-ZGH", "马丽萍", "党组成员、副主席", TEAM),
    ("BD-ZGH", "张卫国", "党组成员、副主席", TEAM),
    ("BD-ZGH", "高建新", "党组成员、经审会主任", TEAM),
    ("BD-ZGH", "霍振江", "党组成员、纪检组长", TEAM),
    ("BD-ZGH", "董秀英", "机关党委专职副书记", MID),
    ("BD-ZGH", "韩德厚", "原副主席（已退休）", RETIRED),
    ("BD-ZGH", "贾淑芬", "职工代表", OBSERVER),
)

# (username, role, home unit code, family name, given name, person as (unit code, name))
USERS = (
    ("office", User.Role.OFFICE, "NT", "施", "晓燕", None),
    ("staff", User.Role.UNIT_STAFF, "NT-ZGH", "邱", "敏", None),
    ("supervisor", User.Role.SUPERVISOR, "NT", "冒", "新华", None),
    ("leader", User.Role.LEADER, "NT-ZGH", "陈", "国栋", ("NT-ZGH", "陈国栋")),
    ("admin", User.Role.ADMIN, None, "林", "志成", None),
    ("staff2", User.Role.UNIT_STAFF, "MY-ZGH", "罗", "佳", None),
)
DEMO_LOGINS = [
    (username, role.label, UNIT_NAMES[home] if home else "—")
    for username, role, home, *_rest in USERS
]

# (name, leader name, member usernames, supervised unit codes)
GROUPS = (
    ("第十四督导组", "冒新华", ("supervisor",), ("NT-ZGH", "NT-KJJ")),
    ("第三督导组", "谢长青", (), ("MY-ZGH", "BD-ZGH")),
)

# (leader as (unit code, name), liaison unit code); seed 000 asks each 市总 leader to attend
# at least one collective study and one 民主生活会 at the liaison point.
LIAISON_NOTE = "活动期间至少到联系点参加一次集体学习和一次民主生活会"
LIAISONS = (
    (("NT-ZGH", "陈国栋"), "NT-ZGH-YDA"),
    (("NT-ZGH", "顾红梅"), "NT-ZGH-JGDZB"),
)

PERSON_FLAGS = (
    "is_main_leader",
    "is_team_member",
    "is_mid_cadre",
    "is_retired_cadre",
    "is_mass_observer",
)


def load_units(created: Counter) -> dict[str, Unit]:
    units: dict[str, Unit] = {}
    for code, name, kind, parent_code in UNITS:
        parent = units.get(parent_code)
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            unit = services.unit_create(name=name, code=code, kind=kind, parent=parent)
            created["units"] += 1
        else:
            if (unit.name, unit.kind) != (name, kind):
                unit = services.unit_update(unit=unit, name=name, kind=kind)
            if unit.parent_id != (parent.pk if parent else None):
                unit = services.unit_move(unit=unit, new_parent=parent)
        units[code] = unit
    return units


def cadre_rank_for(kind: str, flags: dict) -> str:
    """Leaders of county-level units are 县处级, of townships 乡科级 (seed 001's two targets)."""
    if not (flags.get("is_team_member") or flags.get("is_main_leader")):
        return CadreRank.GENERAL
    if kind in COUNTY_LEVEL_KINDS:
        return CadreRank.COUNTY
    return CadreRank.SECTION if kind == Unit.Kind.TOWNSHIP else CadreRank.GENERAL


def load_people(units: dict[str, Unit], created: Counter) -> dict[tuple[str, str], Person]:
    people = {}
    rank: Counter = Counter()
    for code, name, position, flags in PEOPLE:
        rank[code] += 10
        # Every flag is spelled out so a re-run also resets flags changed by hand.
        defaults = dict.fromkeys(PERSON_FLAGS, False) | {"is_party_member": True} | flags
        defaults["cadre_rank"] = cadre_rank_for(units[code].kind, defaults)
        person, new = Person.objects.update_or_create(
            unit=units[code],
            name=name,
            defaults={"position": position, "rank": rank[code], **defaults},
        )
        created["people"] += new
        people[code, name] = person
    return people


def load_users(units, people, created: Counter) -> dict[str, User]:
    users = {}
    for username, role, home, last_name, first_name, person_key in USERS:
        is_admin = role == User.Role.ADMIN
        fields = {
            "role": role,
            "home_unit": units.get(home),
            "person": people.get(person_key),
            "last_name": last_name,
            "first_name": first_name,
            "email": f"{username}@example.com",
            "is_staff": is_admin,
            "is_superuser": is_admin,
            "is_active": True,
        }
        user, new = User.objects.get_or_create(username=username, defaults=fields)
        if not new:
            for attr, value in fields.items():
                setattr(user, attr, value)
        # Hashing is slow, so only when the stored password is not already the demo one.
        if new or not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
        user.save()
        created["users"] += new
        users[username] = user
    return users


def load_groups(units, users, created: Counter) -> None:
    for name, leader_name, members, unit_codes in GROUPS:
        group, new = SupervisionGroup.objects.update_or_create(
            name=name, defaults={"leader_name": leader_name}
        )
        created["groups"] += new
        group.members.add(*(users[u] for u in members))
        group.units.add(*(units[c] for c in unit_codes))


def load_liaisons(units, people, created: Counter) -> None:
    for leader_key, unit_code in LIAISONS:
        _point, new = LiaisonPoint.objects.get_or_create(
            leader=people[leader_key], unit=units[unit_code], defaults={"note": LIAISON_NOTE}
        )
        created["liaison_points"] += new


@transaction.atomic
def load_demo() -> dict[str, int]:
    """Load (or top up) the demo data; returns how many demo rows exist and how many are new."""
    created: Counter = Counter()
    units = load_units(created)
    people = load_people(units, created)
    users = load_users(units, people, created)
    load_groups(units, users, created)
    load_liaisons(units, people, created)
    return {
        "units": Unit.objects.filter(code__in=UNIT_NAMES).count(),
        "people": Person.objects.filter(unit__code__in=UNIT_NAMES).count(),
        "users": User.objects.filter(username__in=users).count(),
        "groups": SupervisionGroup.objects.filter(name__in=[g[0] for g in GROUPS]).count(),
        "liaison_points": LiaisonPoint.objects.filter(unit__code__in=UNIT_NAMES).count(),
        "created": sum(created.values()),
    }
