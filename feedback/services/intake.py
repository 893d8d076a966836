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

from ..models import TEXT_MAX, Opinion, OpinionNote

NOTE_MAX = 2000


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
    else:
        opinion.target_person = None
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
    opinion = Opinion(unit=unit, entered_by=by, **fields)
    _check(opinion)
    opinion.save()
    _log_taken(opinion, by)
    return opinion


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
    """A symposium's notes: one opinion per non-empty line, all or nothing."""
    texts = []
    for number, line in enumerate((lines or "").splitlines(), start=1):
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
    if not texts:
        raise ValidationError(_("没有可保存的意见：请每行填写一条意见。"))
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
    """The public box: no user, no address, only the day; and no audit row (see above)."""
    contact = (contact or "").strip()
    opinion = Opinion(
        unit=unit,
        text=_check_text(text),
        channel=Opinion.Channel.BOX,
        received_on=timezone.localdate(),
        is_anonymous=not contact,
        contact=contact,
        entered_by=None,
    )
    opinion.full_clean()
    opinion.save()
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
