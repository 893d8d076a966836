"""Checking one row: each cell against its column's rules, each problem named in Chinese."""

import datetime
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl.utils.datetime import from_excel

from units.models import Person, Unit

from ..models import Opinion
from ..services import _check_text
from .columns import CHOICE_FIELDS, CONTACT_MAX, ImportResult, columns

YES = {"是", "匿名", "y", "yes", "true", "1"}
NO = {"否", "实名", "n", "no", "false", "0"}

DATE_PATTERNS = [
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
]


class CellError(Exception):
    pass


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def parse_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # A date typed into a cell formatted as a number arrives as Excel's day count.
        if 1 <= value < 2958466:
            return from_excel(value).date()
        raise CellError(_("日期不对：“%(value)s”。") % {"value": value})
    text = _text(value)
    if not text:
        raise CellError(_("收集日期为空。"))
    if re.match(r"^\d{4}-\d{1,2}-\d{1,2}[ T]", text):  # a date with a time of day
        text = re.split(r"[ T]", text, maxsplit=1)[0]
    for pattern in DATE_PATTERNS:
        m = pattern.match(text)
        if m:
            try:
                return datetime.date(*map(int, m.groups()))
            except ValueError as exc:
                raise CellError(_("日期“%(value)s”不存在。") % {"value": text[:30]}) from exc
    raise CellError(
        _("日期“%(value)s”无法识别，请写成 2014-03-15、2014/3/15 或 2014年3月15日。")
        % {"value": text[:30]}
    )


class RowChecker:
    """Turns one spreadsheet row into an unsaved Opinion, or records what is wrong with it."""

    def __init__(self, *, unit: Unit, campaign, by, found: dict[str, int], result: ImportResult):
        self.unit, self.campaign, self.by = unit, campaign, by
        self.campaign_id = campaign.pk if campaign is not None else None
        self.found, self.result = found, result
        self.headers = {c.key: c.header for c in columns()}
        self.today = timezone.localdate()
        self.choices = {
            key: self._choice_map(kind) for key, kind in CHOICE_FIELDS.items()
        }  # fmt: skip
        self.people: dict[str, list[Person]] = {}
        for person in Person.objects.filter(unit=unit).only("id", "name", "position", "unit_id"):
            for name in {person.name.strip(), str(person).strip()}:
                self.people.setdefault(name, []).append(person)

    @staticmethod
    def _choice_map(kind) -> dict[str, str]:
        """Label (the user's language or Chinese) or stored value → stored value."""
        out = {}
        with translation.override(settings.LANGUAGE_CODE):
            for value, label in kind.choices:
                out[str(label)] = value
        for value, label in kind.choices:
            out[str(label)] = value
            out[value] = value
        return out

    def _cell(self, row: tuple, key: str):
        index = self.found.get(key)
        return row[index] if index is not None and index < len(row) else None

    def _error(self, number: int, key: str, problem: str) -> None:
        self.result.add(number, self.headers[key], problem)

    def _choice(self, number: int, row: tuple, key: str, *, required=False) -> str:
        text = _text(self._cell(row, key))
        if not text:
            if required:
                self._error(number, key, _("%(column)s为空。") % {"column": self.headers[key]})
            return ""
        value = self.choices[key].get(text)
        if value is None:
            labels = "、".join(str(label) for label in CHOICE_FIELDS[key].labels)
            self._error(
                number,
                key,
                _("未知的%(column)s“%(value)s”，可选：%(labels)s。")
                % {"column": self.headers[key], "value": text[:30], "labels": labels},
            )
            return ""
        return value

    def check(self, number: int, row: tuple) -> Opinion | None:
        before = self.result.error_count
        text = ""
        try:
            text = _check_text(_text(self._cell(row, "text")))
        except ValidationError as e:
            problem = e.messages[0]
            if not _text(self._cell(row, "text")):
                problem = _("意见原文为空。")
            self._error(number, "text", problem)
        channel = self._choice(number, row, "channel", required=True)
        received_on = None
        try:
            received_on = parse_date(self._cell(row, "received_on"))
            if received_on > self.today:
                self._error(number, "received_on", _("收集日期不能晚于今天。"))
        except CellError as e:
            self._error(number, "received_on", str(e))
        source_group = self._choice(number, row, "source_group")
        question_type = self._choice(number, row, "question_type")
        four_winds = self._choice(number, row, "four_winds")
        target = self._choice(number, row, "target")
        person = self._person(number, row, target)
        if person is not None and target in ("", Opinion.Target.LEADER):
            target = Opinion.Target.LEADER  # a named leader and no 意见对象: it is about him
        elif person is not None:
            self._error(
                number,
                "target_person",
                _(
                    "意见对象是“%(target)s”，不应填写所提领导；如意见针对这位领导，请把意见对象改为“某位领导”。"
                )
                % {"target": Opinion.Target(target).label},
            )
        target = target or Opinion.Target.UNIT
        contact = _text(self._cell(row, "contact"))
        anonymous = self._anonymous(number, row, contact)
        if len(contact) > CONTACT_MAX:
            self._error(
                number, "contact", _("联系方式不能超过 %(max)d 字。") % {"max": CONTACT_MAX}
            )
        if self.result.error_count != before:
            return None
        return Opinion(
            unit_id=self.unit.pk,
            campaign_id=self.campaign_id,
            text=text,
            channel=channel,
            source_group=source_group,
            question_type=question_type,
            four_winds=four_winds,
            target=target,
            target_person_id=person.pk if person else None,
            received_on=received_on,
            is_anonymous=anonymous,
            contact=contact,
            entered_by_id=self.by.pk if self.by else None,
        )

    def _person(self, number: int, row: tuple, target: str) -> Person | None:
        name = _text(self._cell(row, "target_person"))
        if not name:
            if target == Opinion.Target.LEADER:
                self._error(
                    number, "target_person", _("意见对象为“某位领导”时，请填写是哪位领导。")
                )
            return None
        matches = self.people.get(name, [])
        if not matches:
            self._error(
                number, "target_person", _("本单位没有名为“%(name)s”的人员。") % {"name": name[:30]}
            )
            return None
        if len({p.pk for p in matches}) > 1:
            self._error(
                number,
                "target_person",
                _("本单位有多位“%(name)s”，请写成“姓名（职务）”加以区分。") % {"name": name[:30]},
            )
            return None
        return matches[0]

    def _anonymous(self, number: int, row: tuple, contact: str) -> bool:
        text = _text(self._cell(row, "is_anonymous")).lower()
        if not text:
            return not contact
        if text in YES:
            if contact:
                self._error(
                    number,
                    "contact",
                    _("匿名意见不登记联系方式；如需登记联系方式，“是否匿名”请填“否”。"),
                )
            return True
        if text in NO:
            return False
        self._error(number, "is_anonymous", _("“是否匿名”请填“是”或“否”。"))
        return True
