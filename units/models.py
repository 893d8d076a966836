from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

# A unit's path is its ancestors' steps plus its own: fixed-width base-36 steps, so a
# subtree is one `path LIKE 'prefix%'` query at any depth and sorting by path gives the tree.
PATH_STEP = 4
PATH_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def path_step(n: int) -> str:
    digits = []
    for _i in range(PATH_STEP):
        n, r = divmod(n, 36)
        digits.append(PATH_ALPHABET[r])
    if n:
        raise ValueError("too many children under one unit")
    return "".join(reversed(digits))


def step_number(step: str) -> int:
    return int(step, 36)


def lineage(path: str) -> list[str]:
    """The paths of a unit's ancestors and of the unit itself, top down."""
    return [path[:i] for i in range(PATH_STEP, len(path) + 1, PATH_STEP)]


class Unit(models.Model):
    class Kind(models.TextChoices):
        CITY = "city", _("市")
        DISTRICT = "district", _("县区")
        DEPARTMENT = "department", _("部门")
        AFFILIATE = "affiliate", _("直属单位")
        TOWNSHIP = "township", _("乡镇街道")
        COMMUNITY = "community", _("村社区")
        NEW_ORG = "new_org", _("两新组织")
        UNIVERSITY = "university", _("高校")
        SOE = "soe", _("国企")
        BRANCH = "branch", _("党支部")

    # Seed 001: 领导班子 hold 民主生活会 and write 对照检查材料; 基层党组织 hold 组织生活会.
    TEAM_KINDS = frozenset({"city", "district", "department", "affiliate", "township",
                            "university", "soe"})  # fmt: skip
    GRASSROOTS_KINDS = frozenset({"community", "new_org", "branch"})

    name = models.CharField(_("名称"), max_length=100)
    code = models.CharField(_("编码"), max_length=32, unique=True)
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Maintained by units.services; never edit by hand.
    path = models.CharField(max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["path"]

    def __str__(self):
        return self.name

    def ancestor_paths(self) -> list[str]:
        return lineage(self.path)[:-1]

    def lineage_paths(self) -> list[str]:
        """Its ancestors' paths and its own: a rule set "at the unit or above" matches these."""
        return lineage(self.path)

    @property
    def has_team(self) -> bool:
        return self.kind in self.TEAM_KINDS

    def is_within(self, other: "Unit") -> bool:
        return self.path.startswith(other.path)


class CadreRank(models.TextChoices):
    """职级: per-person quotas may differ by rank (seed 001: 集中学习 县处级 ≥ 7 天, 乡科级 ≥ 5 天)."""

    COUNTY = "county", _("县处级")
    SECTION = "section", _("乡科级")
    GENERAL = "general", _("一般干部")
    OTHER = "other", _("其他")


class Person(models.Model):
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="people"
    )
    name = models.CharField(_("姓名"), max_length=50)
    position = models.CharField(_("职务"), max_length=100, blank=True)
    rank = models.PositiveSmallIntegerField(
        _("排序"), default=100, help_text=_("班子成员按此排序，小的在前")
    )
    # `rank` above is the display order; the cadre rank (职级) is this field.
    cadre_rank = models.CharField(
        _("职级"), max_length=10, choices=CadreRank.choices, default=CadreRank.GENERAL
    )
    is_main_leader = models.BooleanField(_("主要负责人"), default=False)
    is_team_member = models.BooleanField(_("班子成员"), default=False)
    is_mid_cadre = models.BooleanField(_("中层干部"), default=False)
    is_party_member = models.BooleanField(_("党员"), default=True)
    is_retired_cadre = models.BooleanField(_("离退休老同志"), default=False)
    is_mass_observer = models.BooleanField(_("群众观察员"), default=False)

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["unit", "rank", "id"]

    def __str__(self):
        return f"{self.name}（{self.position}）" if self.position else self.name

    def flag_labels(self) -> list[str]:
        flags = [
            "is_main_leader",
            "is_team_member",
            "is_mid_cadre",
            "is_party_member",
            "is_retired_cadre",
            "is_mass_observer",
        ]
        return [str(self._meta.get_field(f).verbose_name) for f in flags if getattr(self, f)]


class User(AbstractUser):
    class Role(models.TextChoices):
        OFFICE = "office", _("活动办")
        UNIT_STAFF = "unit_staff", _("单位工作人员")
        SUPERVISOR = "supervisor", _("督导组成员")
        LEADER = "leader", _("领导班子成员")
        ADMIN = "admin", _("系统管理员")

    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, default=Role.UNIT_STAFF)
    home_unit = models.ForeignKey(
        Unit,
        verbose_name=_("所在单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    person = models.OneToOneField(
        Person,
        verbose_name=_("对应人员"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="user",
    )

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self):
        return self.get_full_name() or self.username

    def get_full_name(self):
        # Chinese names are written family name first, with no space.
        return f"{self.last_name}{self.first_name}".strip()

    @property
    def is_admin(self) -> bool:
        return self.is_superuser or self.role == self.Role.ADMIN


class SupervisionGroup(models.Model):
    name = models.CharField(_("名称"), max_length=50, unique=True, help_text=_("如：第十四督导组"))
    leader_name = models.CharField(_("组长"), max_length=50, blank=True)
    members = models.ManyToManyField(
        User, verbose_name=_("成员"), blank=True, related_name="supervision_groups"
    )
    units = models.ManyToManyField(
        Unit,
        verbose_name=_("督导单位"),
        blank=True,
        related_name="supervision_groups",
        help_text=_("督导组督导这些单位及其下属单位"),
    )

    class Meta:
        verbose_name = _("督导组")
        verbose_name_plural = _("督导组")
        ordering = ["id"]

    def __str__(self):
        return self.name


class LiaisonPoint(models.Model):
    leader = models.ForeignKey(
        Person, verbose_name=_("领导"), on_delete=models.CASCADE, related_name="liaison_points"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("联系点单位"), on_delete=models.CASCADE, related_name="liaison_points"
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("联系点")
        verbose_name_plural = _("联系点")
        constraints = [
            models.UniqueConstraint(fields=["leader", "unit"], name="unique_liaison_point")
        ]

    def __str__(self):
        return f"{self.leader.name} → {self.unit.name}"
