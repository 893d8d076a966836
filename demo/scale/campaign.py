"""Scale data for benchmarks: the 2014 campaign with all of the city's units enrolled in two
staggered batches, and about 300,000 activity records with progress computed from them."""

import datetime
import random
import time
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from campaign.models import (
    PER_PERSON_KINDS,
    Activity,
    ActivityKind,
    Campaign,
    CampaignTemplate,
    Material,
    MaterialRequirement,
    Review,
    Revision,
)
from campaign.services import campaign_create, enrol_units, templates_load_shipped
from campaign.services.progress import refresh_participations
from demo.scale.units import SCALE_CODE_PREFIX
from units.models import Person, Unit, User

CAMPAIGN_NAME = "示范市党的群众路线教育实践活动"
START = datetime.date(2026, 2, 10)
KINDS = [
    (ActivityKind.CENTRAL_GROUP_STUDY, 8, Decimal("0.5")),
    (ActivityKind.THEMATIC_STUDY, 10, Decimal("1")),
    (ActivityKind.THEMATIC_DISCUSSION, 8, Decimal("0")),
    (ActivityKind.LECTURE, 6, Decimal("0.5")),
    (ActivityKind.SYMPOSIUM, 12, Decimal("0")),
    (ActivityKind.HEART_TALK, 20, Decimal("0")),
    (ActivityKind.FIELD_RESEARCH, 6, Decimal("1")),
    (ActivityKind.ORG_LIFE, 4, Decimal("0")),
    (ActivityKind.WARNING_EDUCATION, 3, Decimal("0")),
    (ActivityKind.BRIEFING, 2, Decimal("0")),
    (ActivityKind.OTHER, 1, Decimal("0")),
]


def exists() -> bool:
    return Campaign.objects.filter(name=CAMPAIGN_NAME).exists()


def build(activities: int = 300_000, seed: int = 2014) -> dict[str, int]:
    rng = random.Random(seed)
    clock = time.perf_counter()
    root = Unit.objects.filter(code__startswith=SCALE_CODE_PREFIX, depth=0).get()
    templates_load_shipped()
    with transaction.atomic():
        campaign = campaign_create(
            template=CampaignTemplate.objects.get(code="mass-line-2014"),
            name=CAMPAIGN_NAME,
            organiser=root,
            start_date=START,
            end_date=datetime.date(2026, 12, 31),
            by=None,
        )
        subtree = Unit.objects.filter(path__startswith=root.path)
        # 压茬进行: leading organs first, grassroots half a month later.
        enrol_units(campaign=campaign, units=subtree.filter(depth__lte=2), start_date=START,
                    label="第一批（领导机关）", by=None)  # fmt: skip
        if subtree.filter(depth__gt=2).exists():  # a tiny city (seed_scale --tiny) has none
            enrol_units(campaign=campaign, units=subtree.filter(depth__gt=2),
                        start_date=START + datetime.timedelta(days=15), label="第二批（基层单位）",
                        by=None)  # fmt: skip
    participations = list(campaign.participations.all())
    enrolled = time.perf_counter()
    _add_activities(rng, participations, activities)
    recorded = time.perf_counter()
    materials, revisions = _add_materials(rng, campaign, participations)
    for i in range(0, len(participations), 200):
        with transaction.atomic():
            refresh_participations(participations[i : i + 200])
    return {
        "participations": len(participations),
        "activities": activities,
        "materials": materials,
        "revisions": revisions,
        "enrol_seconds": round(enrolled - clock, 1),
        "activity_seconds": round(recorded - enrolled, 1),
        "progress_seconds": round(time.perf_counter() - recorded, 1),
    }


def _add_activities(rng, participations, total):
    hosts: dict[int, list[int]] = {}
    for unit_id, person_id in Person.objects.filter(
        unit_id__in=[p.unit_id for p in participations], is_team_member=True
    ).values_list("unit_id", "id"):
        hosts.setdefault(unit_id, []).append(person_id)
    kinds, weights = [k for k, _w, _d in KINDS], [w for _k, w, _d in KINDS]
    days_for = {k: d for k, _w, d in KINDS}
    per_unit = total // len(participations)
    extra = total - per_unit * len(participations)
    batch = []
    for n, p in enumerate(participations):
        # Some units are busy, some are late: spread the count around the mean.
        for kind in rng.choices(kinds, weights, k=per_unit + (1 if n < extra else 0)):
            day = p.start_date + datetime.timedelta(days=rng.randint(0, 200))
            unit_hosts = hosts.get(p.unit_id) or [None]
            batch.append(
                Activity(
                    participation_id=p.pk,
                    kind=kind,
                    title=f"{kind.label}",
                    date=day,
                    days=days_for[kind],
                    hours=Decimal(rng.choice((2, 3, 4))),
                    host_id=rng.choice(unit_hosts),
                    attendee_count=rng.randint(5, 60),
                )
            )
        if len(batch) >= 20_000:
            Activity.objects.bulk_create(batch, batch_size=5000)
            batch = []
    Activity.objects.bulk_create(batch, batch_size=5000)


def _add_materials(rng, campaign, participations) -> tuple[int, int]:
    """About eight unit materials each: most approved, some returned and resubmitted, and a
    few thousand waiting in the review queues."""
    requirements = list(
        MaterialRequirement.objects.filter(stage__campaign=campaign)
        .exclude(kind__in=PER_PERSON_KINDS)
        .order_by("stage__order", "id")[:8]
    )
    reviewer = User.objects.filter(role=User.Role.SUPERVISOR).values_list("id", flat=True).first()
    now = timezone.now()
    rows, plans = [], []
    for p in participations:
        for req in requirements:
            roll = rng.random()
            # (revisions, final status): 1 approved / 2 (returned, approved) / waiting / draft
            plan = (1, "approved") if roll < 0.22 else (2, "approved") if roll < 0.8 else (
                (rng.choice((1, 2)), "submitted") if roll < 0.88 else (0, "draft"))  # fmt: skip
            submitted = now - datetime.timedelta(hours=rng.randint(1, 24 * 40))
            rows.append(Material(participation_id=p.pk, requirement_id=req.pk, status=plan[1],
                                 draft_text=f"{req.title}正文", revision_count=plan[0],
                                 submitted_at=submitted if plan[0] else None))  # fmt: skip
            plans.append(plan)
    Material.objects.bulk_create(rows, batch_size=5000)
    material_ids = list(
        Material.objects.filter(participation__campaign=campaign)
        .order_by("id")
        .values_list("id", "submitted_at")
    )
    revisions = []
    for (material_id, submitted), (count, _status) in zip(material_ids, plans, strict=True):
        for n in range(1, count + 1):
            revisions.append(Revision(material_id=material_id, number=n, text=f"第{n}稿正文",
                                      submitted_at=submitted))  # fmt: skip
    Revision.objects.bulk_create(revisions, batch_size=5000)
    decided = []
    for revision_id, _material_id, number, count, status in Revision.objects.filter(
        material__participation__campaign=campaign
    ).values_list("id", "material_id", "number", "material__revision_count", "material__status"):
        if number < count:
            decided.append(Review(revision_id=revision_id, decision="return", comment="请修改完善",
                                  reviewer_id=reviewer, decided_at=now))  # fmt: skip
        elif status == "approved":
            decided.append(Review(revision_id=revision_id, decision="approve",
                                  reviewer_id=reviewer, decided_at=now))  # fmt: skip
    Review.objects.bulk_create(decided, batch_size=5000)
    return len(rows), len(revisions)
