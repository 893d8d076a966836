"""Scale data that makes the city's history look lived in (issue 20): about 60 supervision
groups of some 80 units each covering every unit, a year of audit history, notifications,
and materials sent back and forth six times and more.

A step of its own, so an existing scale database is topped up without a rebuild:
`manage.py seed_scale` runs it when its notifications are missing.
"""

import datetime
import random
import time

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

from campaign.models import Activity, Material, Review, Revision, Task
from core.models import AuditLog, Notification
from demo.scale.units import SCALE_CODE_PREFIX
from rectification.models import RectificationItem
from units.models import SupervisionGroup, Unit, User

MARK = "（规模数据）"
BATCH = 10_000
ACTIONS = [
    ("activity.recorded", Activity, 30),
    ("task.completed", Task, 20),
    ("material.submitted", Material, 12),
    ("material.returned", Material, 6),
    ("material.approved", Material, 6),
    ("rectificationitem.updated", RectificationItem, 14),
    ("item.progress_reported", RectificationItem, 12),
]
SUBJECTS = [
    "材料待审核：{}",
    "材料被退回：{}",
    "任务即将到期：{}",
    "任务已逾期：{}",
    "整改事项待销号：{}",
]


def exists() -> bool:
    return Notification.objects.filter(subject__endswith=MARK).exists()


def build(audit=600_000, notifications=100_000, materials=300, seed=2014) -> dict[str, int]:
    rng = random.Random(seed)
    clock = time.perf_counter()
    root = Unit.objects.filter(code__startswith=SCALE_CODE_PREFIX, depth=0).get()
    units = list(
        Unit.objects.filter(path__startswith=root.path, depth__gt=0)
        .order_by("path")
        .values_list("id", flat=True)
    )
    users = list(
        User.objects.filter(home_unit__path__startswith=root.path).values_list("id", "username")
    )
    users += list(
        User.objects.filter(role=User.Role.SUPERVISOR, username__startswith="scale").values_list(
            "id", "username"
        )
    )
    with transaction.atomic():
        groups = _regroup(root, units)
        revisions = _revisions(rng, root, materials, users)
        notices = _notifications(rng, notifications, users)
    _audit(rng, audit, units, users)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in ("core_auditlog", "core_notification", "campaign_revision"):
                cursor.execute(f"VACUUM ANALYZE {table}")
    return {
        "groups": groups,
        "units per group": len(units) // max(groups, 1),
        "audit rows": audit,
        "notifications": notices,
        "materials with 6+ revisions": revisions,
        "seconds": round(time.perf_counter() - clock, 1),
    }


def _regroup(root: Unit, units: list[int]) -> int:
    """Every unit below the city in some group: the tree in path order cut into equal runs,
    so a group holds a few whole departments or a stretch of a district, as real ones do."""
    groups = list(
        SupervisionGroup.objects.filter(units__path__startswith=root.path)
        .distinct()
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not groups:
        return 0
    through = SupervisionGroup.units.through
    through.objects.filter(supervisiongroup_id__in=groups).delete()
    size = -(-len(units) // len(groups))
    through.objects.bulk_create(
        (
            through(supervisiongroup_id=groups[i // size], unit_id=uid)
            for i, uid in enumerate(units)
        ),
        batch_size=BATCH,
    )
    return len(groups)


def _revisions(rng, root: Unit, count: int, users) -> int:
    """Materials returned again and again: 6 to 9 revisions, each but the last returned."""
    chosen = list(
        Material.objects.filter(
            participation__unit__path__startswith=root.path,
            status__in=[Material.Status.SUBMITTED, Material.Status.RETURNED],
        )
        .order_by("pk")
        .values_list("pk", "revision_count", "submitted_at")[:count]
    )
    now = timezone.now()
    revisions, reviewed = [], []
    for pk, have, submitted in chosen:
        total = rng.randint(6, 9)
        start = (submitted or now) - datetime.timedelta(days=2 * (total - have))
        for number in range(have + 1, total + 1):
            at = start + datetime.timedelta(days=2 * (number - have))
            text = f"第{number}稿：根据督导组意见补充了查摆问题和整改措施{MARK}"
            revisions.append(
                Revision(
                    material_id=pk,
                    number=number,
                    text=text,
                    submitted_by_id=rng.choice(users)[0],
                    submitted_at=at,
                )
            )
    Revision.objects.bulk_create(revisions, batch_size=BATCH)
    # Every revision but each material's last gets its "return" (if it has no review yet).
    last = {}
    for pk, number, rid in Revision.objects.filter(
        material_id__in=[c[0] for c in chosen]
    ).values_list("material_id", "number", "pk"):
        if number > last.get(pk, (0, 0))[0]:
            last[pk] = (number, rid)
    open_ids = {rid for _n, rid in last.values()}
    for rid, at in Revision.objects.filter(
        material_id__in=[c[0] for c in chosen], review__isnull=True
    ).values_list("pk", "submitted_at"):
        if rid not in open_ids:
            reviewed.append(
                Review(
                    revision_id=rid,
                    decision=Review.Decision.RETURN,
                    comment="问题查摆不够具体，请对照群众意见逐条修改。",
                    decided_at=at + datetime.timedelta(days=1),
                )
            )
    Review.objects.bulk_create(reviewed, batch_size=BATCH)
    for pk, (number, _rid) in last.items():
        Material.objects.filter(pk=pk).update(
            status=Material.Status.SUBMITTED,
            revision_count=number,
            submitted_at=Revision.objects.get(pk=_rid).submitted_at,
        )
    return len(last)


def _notifications(rng, count: int, users) -> int:
    now = timezone.now()
    rows = []
    for i in range(count):
        user_id, _name = rng.choice(users)
        at = now - datetime.timedelta(minutes=rng.randint(0, 365 * 24 * 60))
        read = at + datetime.timedelta(hours=rng.randint(1, 72)) if rng.random() < 0.8 else None
        subject = rng.choice(SUBJECTS).format(f"第{i % 997 + 1}项{MARK}")
        rows.append(
            Notification(
                user_id=user_id,
                subject=subject,
                body="请登录系统查看。",
                url="/",
                created_at=at,
                read_at=read,
                emailed_at=at,
            )
        )
    Notification.objects.bulk_create(rows, batch_size=BATCH)
    return count


def _audit(rng, count: int, units: list[int], users) -> None:
    """A year of history, written in batches so memory stays flat."""
    now = timezone.now()
    weights = [w for _a, _m, w in ACTIONS]
    types = {model: ContentType.objects.get_for_model(model).pk for _a, model, _w in ACTIONS}
    ids = {
        model: list(model.objects.order_by("pk").values_list("pk", flat=True)[:50_000])
        for model in types
    }
    made = 0
    while made < count:
        rows = []
        for _ in range(min(BATCH, count - made)):
            action, model, _w = rng.choices(ACTIONS, weights)[0]
            user_id, name = rng.choice(users)
            object_id = rng.choice(ids[model]) if ids[model] else 0
            rows.append(
                AuditLog(
                    created_at=now - datetime.timedelta(seconds=rng.randint(0, 365 * 86400)),
                    actor_id=user_id,
                    actor_name=name,
                    action=action,
                    content_type_id=types[model],
                    object_id=str(object_id),
                    object_repr=f"{model._meta.verbose_name} {object_id}",
                    unit_id=rng.choice(units),
                    changes={},
                )
            )
        with transaction.atomic():
            AuditLog.objects.bulk_create(rows)
        made += len(rows)
