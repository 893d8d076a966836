"""The downloadable template: Chinese headers, dropdown lists, and a 说明 sheet."""

import io

from django.db.models import Q
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from units.models import Person, Unit

from ..models import Opinion
from .columns import CHOICE_FIELDS, MAX_FILE_BYTES, MAX_ROWS, SHEET, columns


def _leaders(unit: Unit) -> list[Person]:
    leaders = Q(is_main_leader=True) | Q(is_team_member=True)
    return list(Person.objects.filter(leaders, unit=unit).order_by("rank", "id").only("name"))


def template_workbook(unit: Unit) -> bytes:
    """The blank form staff fill in: Chinese headers, dropdowns, and a 说明 sheet."""
    wb = Workbook()
    ws = wb.active
    ws.title = str(SHEET)
    cols = columns()
    ws.append([c.header for c in cols])
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    required = PatternFill("solid", fgColor="FDE2E1")
    for i, col in enumerate(cols, start=1):
        cell = ws.cell(row=1, column=i)
        cell.font = bold
        if col.required:
            cell.fill = required
        ws.column_dimensions[get_column_letter(i)].width = col.width
    ws.column_dimensions["A"].width = 60

    # Dropdown lists live on a hidden sheet: a list written into the rule itself is capped
    # at 255 characters, and the unit's leaders may not fit.
    lists = wb.create_sheet(_("选项"))
    options = {key: [str(label) for label in kind.labels] for key, kind in CHOICE_FIELDS.items()}
    options["target_person"] = [p.name for p in _leaders(unit)]
    options["is_anonymous"] = [_("是"), _("否")]
    last_row = MAX_ROWS + 1
    for i, col in enumerate(cols, start=1):
        values = options.get(col.key)
        if not values:
            continue
        letter = get_column_letter(i)
        lists.cell(row=1, column=i, value=col.header)
        for r, value in enumerate(values, start=2):
            lists.cell(row=r, column=i, value=value)
        rule = DataValidation(
            type="list",
            formula1=f"'{lists.title}'!${letter}$2:${letter}${len(values) + 1}",
            allow_blank=not col.required,
            showErrorMessage=col.key != "target_person",
            errorTitle=_("请从列表中选择"),
            error=_("请从下拉列表中选择%(column)s。") % {"column": col.header},
        )
        rule.add(f"{letter}2:{letter}{last_row}")
        ws.add_data_validation(rule)
    lists.sheet_state = "hidden"

    notes = wb.create_sheet(_("说明"))
    notes.append([_("%(unit)s 征求意见导入表") % {"unit": unit.name}])
    notes["A1"].font = Font(bold=True, size=14)
    notes.append([_("在“意见”工作表中每行填写一条意见；第一行是列名，不要修改。列的顺序可以调整，多出的列不会导入。")])  # fmt: skip
    notes.append([_("整个文件一次导入：有任何一行不合要求时，一条也不导入，并列出每处问题所在的行、列；改正后重新上传即可。")])  # fmt: skip
    notes.append([_("一个文件最多 %(rows)s 行意见，文件不超过 %(mb)d MB。") % {"rows": f"{MAX_ROWS:,}", "mb": MAX_FILE_BYTES // 2**20}])  # fmt: skip
    notes.append([])
    notes.append([_("列名"), _("是否必填"), _("填写说明")])
    for cell in notes[notes.max_row]:
        cell.font = bold
    for col in cols:
        notes.append([col.header, _("必填") if col.required else _("选填"), col.note])
    notes.append([])
    notes.append([_("示例")])
    notes.append([_("意见原文"), _("征求渠道"), _("收集日期")])
    notes.append([_("希望领导多到基层走走，少开会、开短会。"), str(Opinion.Channel.SYMPOSIUM.label), "2014-03-15"])  # fmt: skip
    notes.column_dimensions["A"].width = 40
    notes.column_dimensions["B"].width = 14
    notes.column_dimensions["C"].width = 70

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
