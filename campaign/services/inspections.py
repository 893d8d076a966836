"""Random inspections (随机调研): drawing units by lot with a recorded seed, and findings."""

import random
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.services import audit_log, diff, snapshot
from units.models import Unit

from ..models import Campaign, InspectionFinding, InspectionRound, Participation, Stage

MAX_SIZE = 50
FINDING_FIELDS = (
    "required_checked",
    "required_note",
    "optional_checked",
    "optional_note",
    "problems",
    "suggestions",
    "visited_on",
)


def inspection_candidates(
    *, campaign: Campaign, district: Unit | None, kind: str, stage: Stage | None
) -> QuerySet[Participation]:
    """The enrolled units a round may draw from: the campaign's, narrowed by the filters."""
    rows = Participation.objects.filter(campaign=campaign)
    if district is not None:
        rows = rows.filter(unit__path__startswith=district.path)
    if kind:
        rows = rows.filter(unit__kind=kind)
    if stage is not None:
        rows = rows.filter(current_stage=stage)
    return rows


def draw(seed: int, candidate_ids: list[int], size: int) -> list[int]:
    """The whole draw. Anyone holding the seed and the sorted ids can run it again."""
    return random.Random(seed).sample(sorted(candidate_ids), size)


def inspection_round_draw(
    *,
    campaign: Campaign,
    name: str,
    district: Unit | None = None,
    kind: str = "",
    stage: Stage | None = None,
    size: int = 5,
    by,
) -> InspectionRound:
    if not 1 <= size <= MAX_SIZE:
        raise ValidationError(_("抽取单位数应在 1 到 %(max)s 之间。") % {"max": MAX_SIZE})
    if stage is not None and stage.campaign_id != campaign.pk:
        raise ValidationError(_("所选环节不属于本活动。"))
    with transaction.atomic():
        ids = sorted(
            inspection_candidates(
                campaign=campaign, district=district, kind=kind, stage=stage
            ).values_list("pk", flat=True)
        )
        if len(ids) < size:
            raise ValidationError(
                _(
                    "符合条件的参学单位只有 %(n)s 个，少于抽取数 %(size)s 个，请放宽条件或减少抽取数。"
                )
                % {"n": len(ids), "size": size}
            )
        seed = secrets.randbits(63)  # fits a signed 64-bit column
        round_ = InspectionRound.objects.create(
            campaign=campaign,
            name=name,
            district=district,
            kind=kind,
            stage=stage,
            size=size,
            seed=seed,
            candidate_ids=ids,
            drawn_by=by,
        )
        InspectionFinding.objects.bulk_create(
            InspectionFinding(round=round_, participation_id=pk, position=i)
            for i, pk in enumerate(draw(seed, ids, size), start=1)
        )
        audit_log(
            actor=by,
            action="inspectionround.drawn",
            obj=round_,
            changes={"seed": str(seed), "candidates": len(ids), "size": size},
            unit=campaign.organiser,
        )
    return round_


@dataclass
class DrawCheck:
    """The outcome of 复核抽取: the draw re-run from the recorded seed and candidates."""

    recomputed_ids: list[int]
    drawn_ids: list[int]
    current_count: int
    candidates_unchanged: bool

    @property
    def matches(self) -> bool:
        return self.recomputed_ids == self.drawn_ids


def inspection_round_verify(round_: InspectionRound) -> DrawCheck:
    """Re-run the draw, and say whether today's candidate set is still the one drawn from."""
    drawn = list(round_.findings.order_by("position").values_list("participation_id", flat=True))
    current = sorted(
        inspection_candidates(
            campaign=round_.campaign,
            district=round_.district,
            kind=round_.kind,
            stage=round_.stage,
        ).values_list("pk", flat=True)
    )
    return DrawCheck(
        recomputed_ids=draw(round_.seed, round_.candidate_ids, round_.size),
        drawn_ids=drawn,
        current_count=len(current),
        candidates_unchanged=current == sorted(round_.candidate_ids),
    )


def inspection_finding_record(*, finding: InspectionFinding, by, **fields) -> InspectionFinding:
    unknown = set(fields) - set(FINDING_FIELDS)
    if unknown:
        raise TypeError(f"unknown finding fields: {sorted(unknown)}")
    if not any(fields.get(k) for k in FINDING_FIELDS):
        raise ValidationError(_("请至少填写一项调研情况。"))
    with transaction.atomic():
        finding = InspectionFinding.objects.select_for_update().get(pk=finding.pk)
        before = snapshot(finding, FINDING_FIELDS)
        for name, value in fields.items():
            setattr(finding, name, value)
        finding.inspector = by
        finding.recorded_at = timezone.now()
        finding.save(update_fields=[*fields, "inspector", "recorded_at"])
        audit_log(
            actor=by,
            action="inspectionfinding.recorded",
            obj=finding,
            changes=diff(before, snapshot(finding, FINDING_FIELDS)),
            unit=finding.participation.unit,
        )
    return finding
