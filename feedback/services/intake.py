"""Taking in opinions and annotating them.

Audit rows name an opinion by id and channel only: never its text or contact, and the public
box writes none at all, since an audit row's timestamp would date an anonymous opinion to the
second (DESIGN.md §4.2).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.services import audit_log
from units.models import Unit

from .. import receipts
from ..campaigns import running_campaign
from ..models import TEXT_MAX, Opinion, OpinionNote

NOTE_MAX = 2000
# A symposium's notes, not a data load: 100,000 lines once held SQLite's write lock for
# minutes. A bigger file goes through the Excel import.
BATCH_MAX = 500


def _check_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("请填写意见内容。"))
    if len(text) > TEXT_MAX:
        raise ValidationError(
            _("意见内容不能超过 %(max)d 字（现有 %(n)d 字）。") % {"max": TEXT_MAX, "n": len(text)}
        )
    return text


def _check(opinion: Opinion) -> None:
    """The domain rules an opinion entered by staff must meet."""
    if opinion.target == Opinion.Target.LEADER:
        if opinion.target_person is None:
            raise ValidationError(_("意见对象为“某位领导”时，请选择是哪位领导。"))
        if opinion.target_person.unit_id != opinion.unit_id:
            raise ValidationError(_("所提领导必须是本单位人员。"))
    elif opinion.target_person is not None:
        # Dropping the leader silently would file a complaint about him under the team.
        raise ValidationError(
            _(
                "意见对象是“%(target)s”，不应选择所提领导；如意见针对这位领导，请把意见对象改为“某位领导”。"
            )
            % {"target": opinion.get_target_display()}
        )
    if opinion.is_anonymous and opinion.contact:
        raise ValidationError(_("匿名意见不登记联系方式；如需登记联系方式，请取消“匿名”。"))
    if opinion.received_on > timezone.localdate():
        raise ValidationError(_("收集日期不能晚于今天。"))
    opinion.full_clean()


def _log_taken(opinion: Opinion, by) -> None:
    audit_log(
        actor=by,
        action="opinion.taken",
        obj=opinion,
        unit=opinion.unit,
        changes={"channel": opinion.get_channel_display()},
    )


@transaction.atomic
def opinion_take(*, unit: Unit, by, **fields) -> Opinion:
    """Staff enter one opinion as heard; the audit row holds its id and channel, no text."""
    fields["text"] = _check_text(fields.get("text", ""))
    if fields.get("campaign") is None:
        fields["campaign"] = running_campaign(unit)
    opinion = Opinion(unit=unit, entered_by=by, **fields)
    _check(opinion)
    opinion.save()
    _log_taken(opinion, by)
    return opinion


def _batch_too_long(n: int | None) -> str:
    message = _("一次最多录入 %(max)d 条意见") % {"max": BATCH_MAX}
    if n is not None:
        message += _("（本次 %(n)d 条）") % {"n": n}
    return message + _("，请分批提交，或用 Excel 导入；本次未保存任何意见。")


@transaction.atomic
def opinions_take_batch(
    *,
    unit: Unit,
    channel: str,
    received_on: datetime.date,
    lines: str,
    source_group: str = "",
    by,
    campaign=None,
) -> list[Opinion]:
    """A symposium's notes: one opinion per non-empty line, all or nothing, at most
    BATCH_MAX lines a time."""
    lines = lines or ""
    if len(lines) > BATCH_MAX * (TEXT_MAX + 2):
        raise ValidationError(_batch_too_long(None))
    texts = []
    for number, line in enumerate(lines.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        if len(line) > TEXT_MAX:
            raise ValidationError(
                _(
                    "第 %(line)d 行超过 %(max)d 字（现有 %(n)d 字），请拆分后再提交；本次未保存任何意见。"
                )
                % {"line": number, "max": TEXT_MAX, "n": len(line)}
            )
        texts.append(line)
        if len(texts) > BATCH_MAX:
            raise ValidationError(_batch_too_long(sum(1 for x in lines.splitlines() if x.strip())))
    if not texts:
        raise ValidationError(_("没有可保存的意见：请每行填写一条意见。"))
    if campaign is None:
        campaign = running_campaign(unit)
    opinions = []
    for text in texts:
        opinion = Opinion(
            unit=unit,
            campaign=campaign,
            text=text,
            channel=channel,
            source_group=source_group,
            received_on=received_on,
            is_anonymous=True,
            entered_by=by,
        )
        _check(opinion)
        opinion.save()
        _log_taken(opinion, by)
        opinions.append(opinion)
    return opinions


def opinion_public_submit(*, unit: Unit, text: str, contact: str = "") -> Opinion:
    """The public box: no user, no address, only the day; and no audit row (see above).

    The opinion carries the keyed hash of a fresh 查询码; the code itself is on the returned
    object only (`receipt_code`), for the page to show once.
    """
    contact = (contact or "").strip()
    code = receipts.new_code()
    opinion = Opinion(
        unit=unit,
        campaign=running_campaign(unit),
        text=_check_text(text),
        channel=Opinion.Channel.BOX,
        received_on=timezone.localdate(),
        is_anonymous=not contact,
        contact=contact,
        entered_by=None,
        receipt_hash=receipts.receipt_hash(code),
    )
    opinion.full_clean()
    opinion.save()
    opinion.receipt_code = receipts.shown(code)
    return opinion


REPLY_MAX = 2000


@transaction.atomic
def opinion_public_reply(*, opinion: Opinion, text: str, by) -> Opinion:
    """The unit's reply to an opinion from the box, shown to whoever holds its 查询码."""
    if opinion.channel != Opinion.Channel.BOX:
        raise ValidationError(_("只有意见箱收到的意见可以公开答复。"))
    text = (text or "").strip()
    if len(text) > REPLY_MAX:
        raise ValidationError(_("公开答复不能超过 %(max)d 字。") % {"max": REPLY_MAX})
    opinion = (
        Opinion.objects.select_for_update(of=("self",)).select_related("unit").get(pk=opinion.pk)
    )
    if text == (opinion.public_reply or ""):
        return opinion
    opinion.public_reply = text
    opinion.save(update_fields=["public_reply"])
    audit_log(actor=by, action="opinion.public_reply", obj=opinion, unit=opinion.unit,
              changes={"public_reply": bool(text)})  # fmt: skip
    return opinion


@transaction.atomic
def opinion_annotate(*, opinion: Opinion, text: str, by) -> OpinionNote:
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("请填写批注内容。"))
    if len(text) > NOTE_MAX:
        raise ValidationError(_("批注不能超过 %(max)d 字。") % {"max": NOTE_MAX})
    note = OpinionNote.objects.create(opinion=opinion, author=by, text=text)
    audit_log(actor=by, action="opinion.annotated", obj=opinion, unit=opinion.unit)
    return note


@transaction.atomic
def opinion_set_campaign(*, opinion: Opinion, campaign, by) -> Opinion:
    """File an opinion under another campaign of its unit (or none); audited."""
    if (
        campaign is not None
        and not campaign.participations.filter(unit_id=opinion.unit_id).exists()
    ):
        raise ValidationError(_("本单位没有参加所选的活动。"))
    opinion = (
        Opinion.objects.select_for_update(of=("self",))
        .select_related("unit", "campaign")
        .get(pk=opinion.pk)
    )
    if opinion.campaign_id == (campaign.pk if campaign else None):
        return opinion
    before = str(opinion.campaign) if opinion.campaign else ""
    opinion.campaign = campaign
    opinion.save(update_fields=["campaign"])
    audit_log(actor=by, action="opinion.campaign_changed", obj=opinion, unit=opinion.unit,
              changes={"campaign": [before, str(campaign) if campaign else ""]})  # fmt: skip
    return opinion
