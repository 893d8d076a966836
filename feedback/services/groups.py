"""Near-duplicate groups (同类意见): suggest, create, confirm, merge, split.

The opinions are never touched: a group is a row beside them with one membership per
opinion (OpinionGroupMember.opinion is unique, so an opinion is in one group at most).
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from core.services import audit_log
from core.transitions import transition
from units.models import Unit

from .. import similarity
from ..models import Opinion, OpinionGroup, OpinionGroupMember

SUGGEST_BATCH = 2000  # opinions compared per run; a busy unit runs it again for the rest
TITLE_MAX = 200


def _lock_group(group: OpinionGroup) -> OpinionGroup:
    return (
        OpinionGroup.objects.select_for_update(of=("self",)).select_related("unit").get(pk=group.pk)
    )


def _opinions_of(unit: Unit, ids: Iterable[int]) -> list[Opinion]:
    ids = sorted({int(i) for i in ids})
    rows = list(
        Opinion.objects.select_for_update(of=("self",)).filter(unit=unit, pk__in=ids).order_by("pk")
    )
    if len(rows) != len(ids):
        raise ValidationError(_("勾选的意见中有不属于本单位或已不存在的，本次未做任何修改。"))
    return rows


def _log(group, action, by, **changes):
    audit_log(
        actor=by, action=f"opiniongroup.{action}", obj=group, unit=group.unit, changes=changes
    )


def _ids(pks) -> str:
    return ", ".join(f"#{pk}" for pk in sorted(pks))  # ids only: never the text


# A group that goes leaves an audit row on its own id saying why, what it was called and
# where its opinions went, so its page can say so instead of a bare 404.
GONE_ACTIONS = ("opiniongroup.dissolved", "opiniongroup.merged_into", "opiniongroup.emptied")


def _log_gone(group: OpinionGroup, action: str, by, opinion_ids, into: OpinionGroup | None = None):
    _log(group, action, by, title=group.title, status=group.status,
         opinion_ids=sorted(opinion_ids), into=into.pk if into else None)  # fmt: skip


class GroupsInTheWay(ValidationError):
    """Some ticked opinions already belong to other groups: staff must say to move them."""

    def __init__(self, groups: list[OpinionGroup]):
        self.groups = groups
        names = "、".join(str(g) for g in groups)
        super().__init__(
            _("勾选的意见中有的已归入%(groups)s；请确认是否把它们移到新组。") % {"groups": names}
        )


def groups_in_the_way(opinion_ids: Iterable[int]) -> list[OpinionGroup]:
    """The groups some of these opinions already belong to, with their sizes."""
    members = OpinionGroupMember.objects.filter(opinion_id__in=list(opinion_ids))
    return list(
        OpinionGroup.objects.filter(pk__in=members.values("group_id"))
        .select_related("representative")
        .annotate(size=Count("members"))
        .order_by("pk")
    )


@transaction.atomic
def group_create(
    *, unit: Unit, opinion_ids: Iterable[int], by, title: str = "", move: bool = False
) -> OpinionGroup:
    """Staff put opinions they judge alike into one confirmed group.

    An opinion already in another group moves here only when staff said so (`move`): else
    GroupsInTheWay names the groups. A group left with fewer than two goes, on the record.
    """
    opinions = _opinions_of(unit, opinion_ids)
    if len(opinions) < 2:
        raise ValidationError(_("请至少勾选两条意见归为一组。"))
    title = (title or "").strip()
    if len(title) > TITLE_MAX:
        raise ValidationError(_("归纳不能超过 %(max)d 字。") % {"max": TITLE_MAX})
    if not move and (in_the_way := groups_in_the_way(o.pk for o in opinions)):
        raise GroupsInTheWay(in_the_way)
    group = OpinionGroup.objects.create(
        unit=unit,
        representative=opinions[0],
        title=title,
        status=OpinionGroup.Status.CONFIRMED,
        created_by=by,
    )
    _move_into(group, opinions, by)
    _log(group, "created", by, opinions=_ids(o.pk for o in opinions))
    return group


def _move_into(group: OpinionGroup, opinions: list[Opinion], by) -> None:
    ids = [o.pk for o in opinions]
    left = set(
        OpinionGroupMember.objects.filter(opinion_id__in=ids)
        .exclude(group=group)
        .values_list("group_id", flat=True)
    )
    former: dict[int, list[int]] = {}
    for gid, pk in OpinionGroupMember.objects.filter(group_id__in=left).values_list(
        "group_id", "opinion_id"
    ):
        former.setdefault(gid, []).append(pk)
    OpinionGroupMember.objects.filter(opinion_id__in=ids).exclude(group=group).delete()
    have = set(group.members.values_list("opinion_id", flat=True))
    OpinionGroupMember.objects.bulk_create(
        OpinionGroupMember(group=group, opinion=o) for o in opinions if o.pk not in have
    )
    _drop_small(left, by, into=group, former=former)


def _drop_small(
    group_ids: Iterable[int], by, into: OpinionGroup | None = None, former: dict | None = None
) -> None:
    """A group of one is no group; its representative must also still be a member.

    `former` holds each group's opinions before the change, for the record of one that goes.
    """
    former = former or {}
    for group in OpinionGroup.objects.filter(pk__in=list(group_ids)).select_for_update():
        members = list(group.members.order_by("opinion_id").values_list("opinion_id", flat=True))
        if len(members) < 2:
            _log_gone(group, "emptied", by, former.get(group.pk, members), into)
            group.delete()
        elif group.representative_id not in members:
            group.representative_id = members[0]
            group.save(update_fields=["representative"])


@transaction.atomic
def group_confirm(*, group: OpinionGroup, by, title: str | None = None) -> OpinionGroup:
    group = _lock_group(group)
    fields, moved = [], {}
    if title is not None:
        title = title.strip()
        if len(title) > TITLE_MAX:
            raise ValidationError(_("归纳不能超过 %(max)d 字。") % {"max": TITLE_MAX})
        if title != group.title:
            group.title = title
            fields.append("title")
    if group.status != OpinionGroup.Status.CONFIRMED:
        moved = transition(group, OpinionGroup.Status.CONFIRMED)
        fields.append("status")
    if fields:
        group.save(update_fields=fields)
        _log(group, "confirmed", by, **moved, title=group.title)
    return group


@transaction.atomic
def group_merge(*, group: OpinionGroup, others: Iterable[OpinionGroup], by) -> OpinionGroup:
    """Fold other groups of the same unit into this one; they are deleted."""
    group = _lock_group(group)
    other_ids = sorted({o.pk for o in others} - {group.pk})
    if not other_ids:
        raise ValidationError(_("请选择要并入的其他意见组。"))
    locked = list(
        OpinionGroup.objects.select_for_update().filter(pk__in=other_ids, unit_id=group.unit_id)
    )
    if len(locked) != len(other_ids):
        raise ValidationError(_("只能合并本单位的意见组。"))
    for other in locked:
        members = other.members.values_list("opinion_id", flat=True)
        _log_gone(other, "merged_into", by, members, into=group)
    moved = OpinionGroupMember.objects.filter(group_id__in=other_ids).update(group=group)
    OpinionGroup.objects.filter(pk__in=other_ids).delete()
    _log(group, "merged", by, groups=_ids(other_ids), opinions=moved)
    return group


@transaction.atomic
def group_split(*, group: OpinionGroup, opinion_ids: Iterable[int], by) -> OpinionGroup | None:
    """Take some opinions out of a group into a new group of their own.

    Taking out one opinion just leaves it ungrouped. Returns the new group, if any.
    """
    group = _lock_group(group)
    ids = {int(i) for i in opinion_ids}
    members = set(group.members.values_list("opinion_id", flat=True))
    if not ids:
        raise ValidationError(_("请勾选要拆分出去的意见。"))
    if not ids <= members:
        raise ValidationError(_("勾选的意见不在这一组里。"))
    if ids == members:
        raise ValidationError(_("不能把整组拆出去；如这组意见并不相同，请逐条移出。"))
    OpinionGroupMember.objects.filter(group=group, opinion_id__in=ids).delete()
    new = None
    if len(ids) > 1:
        new = OpinionGroup.objects.create(
            unit=group.unit,
            representative_id=min(ids),
            status=OpinionGroup.Status.CONFIRMED,
            created_by=by,
        )
        OpinionGroupMember.objects.bulk_create(
            OpinionGroupMember(group=new, opinion_id=pk) for pk in sorted(ids)
        )
    _log(group, "split", by, opinions=_ids(ids), new_group=new.pk if new else None)
    _drop_small([group.pk], by, former={group.pk: sorted(members)})
    return new


@transaction.atomic
def group_dissolve(*, group: OpinionGroup, by, confirmed: bool = False) -> None:
    """The opinions are not alike after all: they go back to being ungrouped.

    A confirmed group (and its 归纳) goes only when staff confirm that they mean it.
    """
    group = _lock_group(group)
    if group.status == OpinionGroup.Status.CONFIRMED and not confirmed:
        raise ValidationError(_("这组意见已经确认，解散后归纳将不再保留；请确认后再解散。"))
    members = list(group.members.values_list("opinion_id", flat=True))
    _log_gone(group, "dissolved", by, members)
    group.delete()


@transaction.atomic
def groups_suggest(*, unit: Unit, by) -> int:
    """Find near-duplicates among the unit's ungrouped opinions and suggest groups for them.

    Staff then confirm, merge or split the suggestions. Looks at the oldest SUGGEST_BATCH
    ungrouped opinions per run. Returns how many groups were suggested.
    """
    rows = list(
        Opinion.objects.filter(unit=unit, group_membership__isnull=True)
        .order_by("received_on", "id")
        .values_list("id", "text")[:SUGGEST_BATCH]
    )
    clusters = similarity.cluster(rows)
    if not clusters:
        return 0
    groups = OpinionGroup.objects.bulk_create(
        OpinionGroup(unit=unit, representative_id=cluster[0][0], created_by=by)
        for cluster in clusters
    )
    OpinionGroupMember.objects.bulk_create(
        OpinionGroupMember(group=group, opinion_id=pk, similarity=score)
        for group, cluster in zip(groups, clusters, strict=True)
        for pk, score in cluster
    )
    audit_log(
        actor=by,
        action="opiniongroup.suggested",
        obj=unit,
        unit=unit,
        changes={"groups": len(groups), "opinions": sum(len(c) for c in clusters)},
    )
    return len(groups)
