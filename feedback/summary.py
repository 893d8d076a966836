"""The opinion summary (意见汇总): verbatim opinions grouped by four-winds class and target,
with counts by channel and source group, and its submission to the supervision group.

"原汁原味地梳理汇总 … 报督导组": the texts are never shortened or reworded here.

A leader never sees the source details of an opinion that names him or her (DESIGN.md §4.2).
The summary is read by the leadership team (the page, the Excel table, and the frozen material
every team member can open), so it keeps one rule for every reader: an opinion that names a
person appears with its text only — no channel, source group, date or contact — and is left
out of every channel and source count, where a difference could give its source away.
Contacts are never part of the summary at all.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaign.models import (
    Campaign,
    Material,
    MaterialKind,
    MaterialRequirement,
    Participation,
    Revision,
    Stage,
)
from core.http import is_id
from core.services import audit_log
from feedback.models import FourWinds
from units.models import Unit

from .campaigns import running_participation
from .models import Opinion, OpinionGroup

PAGE_TEXTS = 100  # texts shown per group on the page; the Excel table and material hold all
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Entry:
    text: str
    channel: str = ""  # labels; empty for an opinion that names a person
    source: str = ""
    received_on: datetime.date | None = None
    cluster: int | None = None  # a confirmed group of near-duplicates (同类意见) it belongs to
    raised_by: int = 0  # on the first of a cluster: how many opinions in it say the same
    same_as_above: bool = False  # the later members of a cluster, listed under the first


@dataclass
class Group:
    four_winds: str  # label
    target: str  # label, or the person's name
    names_person: bool
    entries: list[Entry] = field(default_factory=list)
    channels: Counter = field(default_factory=Counter)
    sources: Counter = field(default_factory=Counter)
    size: int | None = None  # the page's groups hold only their first texts; this is all
    key: str = ""  # names the group in the page's "more" link (summary_page.py)

    @property
    def count(self) -> int:
        return len(self.entries) if self.size is None else self.size

    # Templates read these: a Counter answers any attribute lookup with 0.
    @property
    def channel_counts(self) -> list[tuple[str, int]]:
        return self.channels.most_common()

    @property
    def source_counts(self) -> list[tuple[str, int]]:
        return self.sources.most_common()

    @property
    def shown(self) -> list[Entry]:
        return self.entries[:PAGE_TEXTS]

    @property
    def hidden(self) -> int:
        return max(0, self.count - len(self.shown))


@dataclass
class Summary:
    unit: Unit
    campaign: Campaign | None
    as_of: datetime.date
    groups: list[Group]
    channels: Counter
    sources: Counter
    named_count: int
    stage: Stage | None = None  # the unit's stage in the campaign when it was drawn up

    @property
    def total(self) -> int:
        return sum(g.count for g in self.groups)

    @property
    def channel_counts(self) -> list[tuple[str, int]]:
        return self.channels.most_common()

    @property
    def source_counts(self) -> list[tuple[str, int]]:
        return self.sources.most_common()

    @property
    def winds_counts(self) -> list[tuple[str, int]]:
        return [(winds, sum(g.count for g in groups)) for winds, groups in self.by_four_winds()]

    def by_four_winds(self) -> list[tuple[str, list[Group]]]:
        out: list[tuple[str, list[Group]]] = []
        for g in self.groups:
            if not out or out[-1][0] != g.four_winds:
                out.append((g.four_winds, []))
            out[-1][1].append(g)
        return out


def chosen_participation(
    unit: Unit, participations: list[Participation], value
) -> Participation | None:
    """The participation the page's `campaign` parameter names, else the running one;
    "none" asks for the opinions filed under no campaign."""
    if value == "none":
        return None
    if is_id(value):
        for p in participations:
            if p.campaign_id == int(value):
                return p
    return running_participation(unit, participations)


def summary_rows(unit: Unit, campaign: Campaign | None):
    """The unit's opinions of one campaign; with no campaign, those filed under none."""
    return Opinion.objects.filter(unit=unit, campaign=campaign)


WINDS_ORDER = {value: i for i, value in enumerate(FourWinds.values)}
TARGET_ORDER = {Opinion.Target.TEAM: 0, Opinion.Target.LEADER: 1, Opinion.Target.UNIT: 2}


def summary_build(unit: Unit, campaign: Campaign | None = None, stage=None) -> Summary:
    """The whole summary from one query."""
    channel_labels = dict(Opinion.Channel.choices)
    source_labels = dict(Opinion.SourceGroup.choices)
    winds_labels = dict(FourWinds.choices)
    target_labels = dict(Opinion.Target.choices)
    unclassified = _("未分类")
    groups: dict[tuple, Group] = {}
    channels: Counter = Counter()
    sources: Counter = Counter()
    named = 0
    rows = (
        summary_rows(unit, campaign)
        .order_by("received_on", "id")
        .values_list(
            "text",
            "four_winds",
            "target",
            "target_person_id",
            "target_person__name",
            "target_person__rank",
            "channel",
            "source_group",
            "received_on",
            "group_membership__group_id",
            "group_membership__group__status",
        )  # fmt: skip
    )
    for row in rows.iterator(chunk_size=2000):
        text, winds, target, person_id, person_name, rank, channel, source, day = row[:9]
        cluster = row[9] if row[10] == OpinionGroup.Status.CONFIRMED else None
        names_person = person_id is not None
        key = (
            WINDS_ORDER.get(winds, len(WINDS_ORDER)),
            TARGET_ORDER.get(target, 3),
            (rank or 0, person_name or "", person_id or 0),
        )
        group = groups.get(key)
        if group is None:
            group = groups[key] = Group(
                four_winds=str(winds_labels.get(winds, unclassified)),
                target=person_name if names_person else str(target_labels.get(target, "")),
                names_person=names_person,
            )
        if names_person:
            named += 1
            group.entries.append(Entry(text=text, cluster=cluster))
            continue
        channel_label = str(channel_labels.get(channel, channel))
        source_label = str(source_labels.get(source, "")) if source else ""
        group.entries.append(Entry(text, channel_label, source_label, day, cluster))
        group.channels[channel_label] += 1
        channels[channel_label] += 1
        if source_label:
            group.sources[source_label] += 1
            sources[source_label] += 1
    for group in groups.values():
        group.entries = _clustered(group.entries)
    return Summary(
        unit=unit,
        campaign=campaign,
        as_of=timezone.localdate(),
        groups=[groups[k] for k in sorted(groups)],
        channels=channels,
        sources=sources,
        named_count=named,
        stage=stage,
    )


def _clustered(entries: list[Entry]) -> list[Entry]:
    """Near-duplicates staff confirmed are listed together, the first with their number."""
    clusters: dict[object, list[Entry]] = {}
    for i, entry in enumerate(entries):
        clusters.setdefault(entry.cluster if entry.cluster is not None else ("one", i), []).append(
            entry
        )
    out = []
    for members in clusters.values():
        if len(members) > 1:
            members[0].raised_by = len(members)
            for later in members[1:]:
                later.same_as_above = True
        out += members
    return out


# The frozen text ----------------------------------------------------------------------------

DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 25 → 二十五 (enough for headings)."""
    if n < 10:
        return DIGITS[n]
    if n < 20:
        return "十" + (DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return DIGITS[n // 10] + "十" + (DIGITS[n % 10] if n % 10 else "")
    return str(n)


def _counts(counter: Counter) -> str:
    return _("，").join(
        _("%(label)s %(n)d 条") % {"label": label, "n": n} for label, n in counter.most_common()
    )


def _entry_line(number: int, entry: Entry) -> str:
    line = f"{number}. {entry.text}"
    if entry.raised_by:
        line += _("（同类意见 %(n)d 条，以下 %(more)d 条同此）") % {
            "n": entry.raised_by,
            "more": entry.raised_by - 1,
        }
    return line


def summary_title(summary: Summary) -> str:
    """Whose summary, of which campaign and stage: 甲单位征求意见汇总（某活动 · 某环节）."""
    if summary.campaign is None:
        return _("%(unit)s征求意见汇总（未归入活动的意见）") % {"unit": summary.unit.name}
    where = summary.campaign.name
    if summary.stage is not None:
        where = f"{where} · {summary.stage.name}"
    return _("%(unit)s征求意见汇总（%(where)s）") % {"unit": summary.unit.name, "where": where}


def summary_text(summary: Summary) -> str:
    """The summary as plain text, every opinion verbatim: what the material revision holds."""
    lines = [
        summary_title(summary),
        _("截至 %(day)s，共 %(n)d 条意见。")
        % {"day": summary.as_of.isoformat(), "n": summary.total},
    ]
    if summary.channels:
        lines.append(_("按征求渠道：%(counts)s。") % {"counts": _counts(summary.channels)})
    if summary.sources:
        lines.append(_("按意见来源：%(counts)s。") % {"counts": _counts(summary.sources)})
    if summary.named_count:
        lines.append(
            _("另有 %(n)d 条意见指向领导个人，只列原文，不列渠道和来源，也不计入以上统计。")
            % {"n": summary.named_count}
        )
    for i, (winds, groups) in enumerate(summary.by_four_winds(), start=1):
        lines += ["", f"{chinese_number(i)}、{winds}"]
        for j, group in enumerate(groups, start=1):
            lines.append(
                _("（%(no)s）%(target)s（共 %(n)d 条）")
                % {"no": chinese_number(j), "target": group.target, "n": group.count}
            )
            if group.channels:
                lines.append(_("征求渠道：%(counts)s。") % {"counts": _counts(group.channels)})
            if group.sources:
                lines.append(_("意见来源：%(counts)s。") % {"counts": _counts(group.sources)})
            lines += [_entry_line(k, e) for k, e in enumerate(group.entries, start=1)]
    return "\n".join(lines) + "\n"


# Submitting to the supervision group ---------------------------------------------------------


def summary_requirement(participation: Participation, *, by) -> MaterialRequirement:
    """The campaign's 意见汇总 requirement; else one added, not as a gate, to the unit's stage."""
    requirement = (
        MaterialRequirement.objects.filter(
            stage__campaign_id=participation.campaign_id, kind=MaterialKind.OPINION_SUMMARY
        )
        .select_related("stage")
        .order_by("stage__order", "id")
        .first()
    )
    if requirement is not None:
        return requirement
    stage = participation.current_stage or participation.campaign.stages.order_by("order").first()
    if stage is None:
        raise ValidationError(_("活动还没有设置环节，无法报送意见汇总。"))
    requirement, created = MaterialRequirement.objects.get_or_create(
        stage=stage,
        kind=MaterialKind.OPINION_SUMMARY,
        defaults={"title": str(MaterialKind.OPINION_SUMMARY.label), "is_gate": False},
    )
    if created:
        audit_log(actor=by, action="material_requirement.added", obj=requirement,
                  unit=participation.unit, changes={"stage": stage.name})  # fmt: skip
    return requirement


def summary_material(participation: Participation | None) -> Material | None:
    """The unit's 意见汇总 material, if it was ever started."""
    if participation is None:
        return None
    return (
        Material.objects.filter(
            participation=participation, requirement__kind=MaterialKind.OPINION_SUMMARY
        )
        .select_related("requirement__stage")
        .order_by("requirement__stage__order")
        .first()
    )


def summary_preview(participation: Participation) -> tuple[MaterialRequirement | None, Summary]:
    """What submitting would send: the requirement it is filed under and the summary."""
    requirement = (
        MaterialRequirement.objects.filter(
            stage__campaign_id=participation.campaign_id, kind=MaterialKind.OPINION_SUMMARY
        )
        .select_related("stage")
        .order_by("stage__order", "id")
        .first()
    )
    summary = summary_build(
        participation.unit, participation.campaign, stage=participation.current_stage
    )
    return requirement, summary


@transaction.atomic
def summary_submit(*, unit: Unit, by, campaign: Campaign) -> Revision:
    """Freeze the summary as the next revision of the stage's 意见汇总 and send it for review.

    The revision's text holds every opinion verbatim and the Excel table rides along as its
    file, so later changes to the opinions leave what was submitted as it was.
    """
    from campaign.services import material_save_draft, material_start, material_submit

    from .exports.opinions import summary_xlsx

    participation = (
        Participation.objects.filter(unit=unit, campaign=campaign)
        .select_related("campaign", "current_stage")
        .first()
    )
    if participation is None:
        raise ValidationError(_("本单位没有参加这项活动，无法把意见汇总报送督导组。"))
    if not participation.has_started(timezone.localdate()):
        raise ValidationError(_("本单位的这项活动还没有启动，不能报送意见汇总。"))
    participation.unit = unit
    requirement = summary_requirement(participation, by=by)
    material = material_start(participation=participation, requirement=requirement, by=by)
    if not material.is_editable:
        raise ValidationError(
            _("意见汇总%(status)s，不能再次报送；督导组退回后才能重新报送。")
            % {"status": material.get_status_display()}
        )
    summary = summary_build(unit, participation.campaign, stage=participation.current_stage)
    if not summary.total:
        raise ValidationError(_("还没有征求到意见，无法报送意见汇总。"))
    name = _("%(unit)s意见汇总表.xlsx") % {"unit": unit.name}
    upload = SimpleUploadedFile(name, summary_xlsx(user=by, unit=unit, campaign=summary.campaign), XLSX)  # fmt: skip
    material_save_draft(material=material, text=summary_text(summary), uploads=[upload], by=by)
    return material_submit(material=material, by=by)
