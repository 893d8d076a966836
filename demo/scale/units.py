"""The "city" profile used by every benchmark: 5,000 units, 20,000 people, 2,000 users,
60 supervision groups, built with bulk inserts so it takes seconds, not minutes."""

import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Q

from units.models import CadreRank, Person, SupervisionGroup, Unit, User, path_step
from units.services import next_child_path

SCALE_CODE_PREFIX = "S-"
SCALE_PASSWORD = "scale1234"
K = Unit.Kind

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红兰建国志文斌海波辉鹏宁林琳晨东雪梅浩宇欣怡佳慧婷颖瑞丹峰鑫"
TEAM = ["党组书记、主任", "党组副书记、副主任", "党组成员、副主任", "纪检组长", "党组成员、副主任"]
DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1..99 in Chinese numerals, as in 第十四督导组."""
    tens, ones = divmod(n, 10)
    if tens == 0:
        return DIGITS[ones]
    return ("" if tens == 1 else DIGITS[tens]) + "十" + (DIGITS[ones] if ones else "")


@dataclass
class Node:
    name: str
    kind: str
    children: list["Node"] = field(default_factory=list)

    def add(self, name, kind, count=0, child=None):
        for i in range(1, count + 1):
            self.children.append(Node(f"{name}{i}" if count > 1 else name, kind))
            if child:
                child(self.children[-1], i)
        if not count:
            self.children.append(Node(name, kind))
        return self


def city_tree(name: str) -> Node:
    """city → 12 districts → departments and townships → communities and branches."""
    city = Node(name, K.CITY)
    branches = lambda n: lambda node, i: node.add(f"{node.name}第", K.BRANCH, n)  # noqa: E731
    city.add("市直部门", K.DEPARTMENT, 60, branches(3))
    city.add("市属高校", K.UNIVERSITY, 4, branches(4))
    city.add("市属国企", K.SOE, 15, branches(3))

    def township(node, i):
        node.add(f"{node.name}社区", K.COMMUNITY, 14)
        node.add(f"{node.name}两新组织", K.NEW_ORG, 2)

    def district(node, i):
        node.add(f"{node.name}部门", K.DEPARTMENT, 30, branches(3))
        node.add(f"{node.name}街道", K.TOWNSHIP, 18, township)

    city.add("区县", K.DISTRICT, 12, district)
    return city


def _levels(root: Node, root_path: str, parent_path: str | None, total: int):
    """Breadth-first levels of (node, path, parent_path), cut at `total` so parents come first."""
    levels, frontier, count = [], [(root, root_path, parent_path)], 0
    while frontier and count < total:
        level = frontier[: total - count]
        count += len(level)
        levels.append(level)
        frontier = [
            (child, path + path_step(i), path)
            for node, path, _parent in level
            for i, child in enumerate(node.children)
        ]
    return levels


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


@transaction.atomic
def build(
    units=5000,
    people=20000,
    users=2000,
    groups=60,
    *,
    seed=2014,
    parent: Unit | None = None,
    city_name="示范市",
    tag="scale",
) -> dict[str, int]:
    """Build the city profile (under `parent`, or as a new root); returns counts.

    `city_name` and `tag` keep the names unique when a test builds two profiles.
    """
    rng = random.Random(seed)
    ids: dict[str, int] = {}
    if parent is not None:
        ids[parent.path] = parent.pk
    root_path = next_child_path(parent)
    first_depth = parent.depth + 1 if parent else 0
    for depth, level in enumerate(
        _levels(city_tree(city_name), root_path, parent.path if parent else None, units),
        start=first_depth,
    ):
        Unit.objects.bulk_create(
            [
                Unit(
                    name=node.name,
                    code=f"{SCALE_CODE_PREFIX}{path}",
                    kind=node.kind,
                    parent_id=ids[parent] if parent else None,
                    path=path,
                    depth=depth,
                )
                for node, path, parent in level
            ],
            batch_size=1000,
        )
        ids.update(
            Unit.objects.filter(path__startswith=root_path, depth=depth).values_list("path", "id")
        )
    unit_ids = [ids[p] for p in sorted(ids) if p.startswith(root_path)]
    person_rows = []
    per_unit = max(1, people // len(unit_ids))
    for n in range(people):
        unit_id = unit_ids[(n // per_unit) % len(unit_ids)]
        rank = n % per_unit
        person_rows.append(
            Person(
                unit_id=unit_id,
                name=_name(rng),
                position=TEAM[rank % len(TEAM)] if rank < len(TEAM) else "干部",
                rank=rank,
                is_main_leader=rank == 0,
                is_team_member=rank < len(TEAM),
                is_mid_cadre=rank >= len(TEAM),
            )
        )
    Person.objects.bulk_create(person_rows, batch_size=2000)
    assign_cadre_ranks(root_path)
    _build_users_and_groups(rng, root_path, unit_ids, users, groups, city_name, tag)
    return {"units": len(unit_ids), "people": people, "users": users, "groups": groups}


def exists() -> bool:
    return Unit.objects.filter(code__startswith=SCALE_CODE_PREFIX).exists()


def _build_users_and_groups(rng, root_path, unit_ids, users, groups, city_name, tag):
    password = make_password(SCALE_PASSWORD)
    supervisors, offices = groups * 3, 20
    rows = []
    for n in range(users):
        if n < supervisors:
            role, home = User.Role.SUPERVISOR, unit_ids[0]
        elif n < supervisors + offices:
            role, home = User.Role.OFFICE, unit_ids[0]
        else:
            role, home = User.Role.UNIT_STAFF, unit_ids[(n * 7919) % len(unit_ids)]
        rows.append(
            User(
                username=f"{tag}{n:05d}",
                password=password,
                role=role,
                home_unit_id=home,
                last_name=rng.choice(SURNAMES),
                first_name=rng.choice(GIVEN),
            )
        )
    User.objects.bulk_create(rows, batch_size=1000)
    SupervisionGroup.objects.bulk_create(
        [
            SupervisionGroup(name=f"第{chinese_number(g + 1)}督导组（{city_name}）")
            for g in range(groups)
        ]
    )
    group_ids = list(
        SupervisionGroup.objects.filter(name__endswith=f"（{city_name}）")
        .order_by("id")
        .values_list("id", flat=True)
    )
    user_ids = list(
        User.objects.filter(username__startswith=tag, role=User.Role.SUPERVISOR)
        .order_by("username")
        .values_list("id", flat=True)
    )
    Members = SupervisionGroup.members.through
    Members.objects.bulk_create(
        [
            Members(supervisiongroup_id=group_ids[i // 3], user_id=uid)
            for i, uid in enumerate(user_ids)
        ]
    )
    # Like the city's real groups, each supervises a share of the districts and city bodies.
    second = list(
        Unit.objects.filter(parent__path=root_path).order_by("path").values_list("id", flat=True)
    )
    GroupUnits = SupervisionGroup.units.through
    GroupUnits.objects.bulk_create(
        [
            GroupUnits(supervisiongroup_id=group_ids[i % len(group_ids)], unit_id=uid)
            for i, uid in enumerate(second)
        ]
    )


# 职级 of a unit's leadership team by the unit's level (seed 001: 县处级 and 乡科级 targets differ).
COUNTY_LEVEL_KINDS = {"city", "district", "department", "affiliate", "university", "soe"}


def assign_cadre_ranks(root_path: str) -> int:
    """Team members of county-level units are 县处级, of townships 乡科级; everyone else 一般干部.

    Three UPDATEs, so it also brings an existing scale database up to the rule.
    """
    people = Person.objects.filter(unit__path__startswith=root_path)
    team = Q(is_team_member=True) | Q(is_main_leader=True)
    n = people.filter(team, unit__kind__in=COUNTY_LEVEL_KINDS).update(cadre_rank=CadreRank.COUNTY)
    n += people.filter(team, unit__kind=Unit.Kind.TOWNSHIP).update(cadre_rank=CadreRank.SECTION)
    people.exclude(team).update(cadre_rank=CadreRank.GENERAL)
    return n
