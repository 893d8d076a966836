import contextlib
from collections.abc import Callable
from typing import BinaryIO

from django.db import connection
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .base import TableReport


@contextlib.contextmanager
def planned_for_every_row():
    """An export reads every row of its query. PostgreSQL plans a cursor for its first 10% by
    default (cursor_tuple_fraction = 0.1), which on the city-wide ledger picks a fast-start
    plan that is slower overall; 1.0 asks for the plan that is fastest to the last row. The
    setting is this session's only, and reset afterwards so a reused connection keeps none."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET cursor_tuple_fraction = 1.0")
    try:
        yield
    finally:
        with contextlib.suppress(Exception), connection.cursor() as cursor:
            cursor.execute("RESET cursor_tuple_fraction")


# A cell whose text starts with one of these is a formula to Excel (openpyxl itself types
# "=…" as one; + - @ and a leading tab or CR become one when a user edits the cell). Text
# from users is written as a text cell instead, here and nowhere else (DESIGN.md §4.5).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def as_text_cells(ws, row):
    """The row with every formula-like string made an explicit text cell; other values as is."""
    if not any(type(v) is str and v.startswith(FORMULA_TRIGGERS) for v in row):
        return row
    cells = []
    for value in row:
        if type(value) is str and value.startswith(FORMULA_TRIGGERS):
            cell = WriteOnlyCell(ws, value=value)
            cell.data_type = "s"
            cells.append(cell)
        else:
            cells.append(value)
    return cells


TITLE_FONT = Font(name="宋体", size=14, bold=True)
HEADER_FONT = Font(name="宋体", bold=True)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
# Progress is reported every this many rows, so a callback costs nothing measurable.
PROGRESS_EVERY = 5000


def write_xlsx(
    report: TableReport,
    fileobj: BinaryIO,
    *,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Stream `report` into an .xlsx workbook in `fileobj`; returns the number of data rows.

    A write-only workbook keeps memory flat: each row goes to disk as it is appended. Row 1
    is the title, row 2 the subtitle (may be blank), row 3 the bold header, frozen so it stays
    on screen while scrolling.
    """
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=_sheet_title(report.title))
    header = report.header()
    for i, width in enumerate(report.widths(), 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A4"

    title = WriteOnlyCell(ws, value=str(report.title))
    title.font = TITLE_FONT
    ws.append([title])
    ws.append([report.subtitle() or None])
    cells = []
    for text in header:
        cell = WriteOnlyCell(ws, value=str(text))
        cell.font = HEADER_FONT
        cell.alignment = CENTER
        cells.append(cell)
    ws.append(cells)

    n = 0
    append = ws.append
    try:
        with planned_for_every_row():
            for row in report.rows():
                append(as_text_cells(ws, row))
                n += 1
                if progress is not None and n % PROGRESS_EVERY == 0:
                    progress(n)
    except BaseException:
        # Finish the half-written sheet's XML so nothing complains later; the error stands.
        with contextlib.suppress(Exception):
            ws.close()
        raise
    if header:
        ws.auto_filter.ref = f"A3:{get_column_letter(len(header))}{n + 3}"
    wb.save(fileobj)
    return n


def _sheet_title(title: str) -> str:
    # Excel sheet names: at most 31 characters, none of []:*?/\
    cleaned = "".join(c for c in str(title) if c not in "[]:*?/\\")
    return cleaned[:31] or "Sheet1"
