"""Reads for the materials pages. Each costs the same number of queries whatever the data size."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from core.models import Attachment, AuditLog
from core.services import attachments_for, history_for
from units.models import SupervisionGroup
from units.scope import unit_filter

from ..models import (
    PER_PERSON_KINDS,
    Material,
    MaterialRequirement,
    Participation,
    Review,
    Revision,
    Stage,
    StageClosure,
)
from ..quotas import Member
from ..services.progress import team_of
from .diff import side_by_side

HISTORY_LIMIT = 50

# The Bootstrap badge of each material state on the list, the detail page and the queue.
STATE_BADGES = {
    "not_started": "text-bg-light border",
    Material.Status.DRAFT: "text-bg-secondary",
    Material.Status.SUBMITTED: "text-bg-primary",
    Material.Status.APPROVED: "text-bg-success",
    Material.Status.RETURNED: "text-bg-warning",
}


def state_label(material: Material | None) -> str:
    """未开始 / 草稿 / 已提交 第N稿 / 已通过 / 已退回, as the unit's page shows it."""
    if material is None:
        return _("未开始")
    if material.status == Material.Status.SUBMITTED:
        return _("已提交 第%(n)s稿") % {"n": material.revision_count}
    return str(Material.Status(material.status).label)


@dataclass
class MaterialRow:
    requirement: MaterialRequirement
    material: Material | None
    person: Member | None = None  # the team member, for a personal kind

    @property
    def state(self) -> str:
        return self.material.status if self.material else "not_started"

    @property
    def state_label(self) -> str:
        return state_label(self.material)

    @property
    def badge(self) -> str:
        return STATE_BADGES[self.state]

    @property
    def is_approved(self) -> bool:
        return self.state == Material.Status.APPROVED


@dataclass
class StageMaterials:
    stage: Stage
    state: str  # "closed", "current" or "open"
    closure: StageClosure | None
    rows: list[MaterialRow] = field(default_factory=list)
    waive_form: object = None  # the view gives the campaign office one per open stage

    @property
    def is_current(self) -> bool:
        return self.state == "current"

    @property
    def is_closed(self) -> bool:
        return self.closure is not None

    @property
    def gates(self) -> list[MaterialRow]:
        return [r for r in self.rows if r.requirement.is_gate]

    @property
    def gates_approved(self) -> int:
        return sum(1 for r in self.gates if r.is_approved)


def material_overview(participation: Participation) -> list[StageMaterials]:
    """Each stage in order with the unit's required materials (one row per team member for a
    personal kind), in the same order as services.materials.gate_status counts them."""
    stages = list(participation.campaign.stages.order_by("order"))
    requirements = MaterialRequirement.objects.filter(
        stage__campaign_id=participation.campaign_id
    ).order_by("id")
    team = team_of([participation.unit_id]).get(participation.unit_id, [])
    materials = {(m.requirement_id, m.person_id): m for m in participation.materials.all()}
    closures = {c.stage_id: c for c in participation.closures.select_related("closed_by")}
    current = participation.current_stage_id
    blocks = {}
    for s in stages:
        state = "closed" if s.pk in closures else "current" if s.pk == current else "open"
        blocks[s.pk] = StageMaterials(stage=s, state=state, closure=closures.get(s.pk))
    for req in requirements:
        rows = blocks[req.stage_id].rows
        if req.kind in PER_PERSON_KINDS:
            rows += [MaterialRow(req, materials.get((req.pk, m.id)), m) for m in team]
        else:
            rows.append(MaterialRow(req, materials.get((req.pk, None))))
    return list(blocks.values())


@dataclass
class ThreadEntry:
    revision: Revision
    review: Review | None
    files: list[Attachment]
    is_latest: bool


@dataclass
class MaterialDetail:
    entries: list[ThreadEntry]  # oldest first
    draft_files: list[Attachment]
    history: list[AuditLog]

    @property
    def latest(self) -> ThreadEntry | None:
        return self.entries[-1] if self.entries else None

    @property
    def last_return(self) -> ThreadEntry | None:
        """The latest revision that was returned, whose comment the unit is working on."""
        returned = [
            e for e in self.entries if e.review and e.review.decision == Review.Decision.RETURN
        ]
        return returned[-1] if returned else None


def _files_of(revisions: list[Revision]) -> dict[int, list[Attachment]]:
    """Every revision's files in one query (services.materials.revision_files, for many)."""
    out: dict[int, list[Attachment]] = defaultdict(list)
    if not revisions:
        return out
    rows = Attachment.objects.filter(
        content_type=ContentType.objects.get_for_model(Revision),
        object_id__in=[str(r.pk) for r in revisions],
    ).order_by("uploaded_at", "id")
    for a in rows:
        out[int(a.object_id)].append(a)
    return out


def material_detail(material: Material) -> MaterialDetail:
    revisions = list(
        material.revisions.select_related("submitted_by", "review__reviewer").order_by("number")
    )
    files = _files_of(revisions)
    entries = [
        ThreadEntry(
            revision=r,
            # A revision not yet decided has no review; select_related cached that as None.
            review=getattr(r, "review", None),
            files=files.get(r.pk, []),
            is_latest=r.number == material.revision_count,
        )
        for r in revisions
    ]
    return MaterialDetail(
        entries=entries,
        draft_files=list(attachments_for(material).order_by("uploaded_at", "id")),
        history=list(history_for(material)[:HISTORY_LIMIT]),
    )


def review_groups(user) -> QuerySet[SupervisionGroup]:
    """The groups the queue may be filtered by: the user's own, or every group for an admin."""
    groups = SupervisionGroup.objects.all() if user.is_admin else user.supervision_groups.all()
    return groups.order_by("id")


def review_queue(user, *, group=None, unit_query: str = "", kind: str = "") -> QuerySet[Material]:
    """Everything submitted and waiting for a decision in the units the user may see, oldest
    first. A group narrows it to the units that group supervises and their sub-units."""
    materials = Material.objects.filter(
        unit_filter(user, "participation__unit"), status=Material.Status.SUBMITTED
    )
    if group is not None:
        paths = list(group.units.values_list("path", flat=True))
        if not paths:
            return Material.objects.none()
        materials = materials.filter(
            reduce(or_, (Q(participation__unit__path__startswith=p) for p in paths))
        )
    if unit_query:
        materials = materials.filter(
            Q(participation__unit__name__icontains=unit_query)
            | Q(participation__unit__code__iexact=unit_query)
        )
    if kind:
        materials = materials.filter(requirement__kind=kind)
    return materials.select_related(
        "participation__unit", "participation__campaign", "requirement__stage", "person"
    ).order_by("submitted_at", "id")


def waited_label(since: datetime.datetime, now: datetime.datetime) -> str:
    """How long a submission has waited: 3天5小时, 7小时, 不到1小时."""
    delta = max(now - since, datetime.timedelta(0))
    days, hours = delta.days, delta.seconds // 3600
    if days:
        return _("%(d)s天%(h)s小时") % {"d": days, "h": hours}
    if hours:
        return _("%(h)s小时") % {"h": hours}
    return _("不到1小时")


def revision_diff(old: Revision, new: Revision) -> str:
    """A side-by-side table of two revisions' texts, built in bounded time (selectors.diff);
    the texts are escaped there."""
    return side_by_side(old.text, new.text, old_label=str(old), new_label=str(new))
