"""Importing opinions from Excel (征求意见表导入): the template, the checks, the insert.

A file is imported whole or not at all (DESIGN.md §4.3): every row is checked first, and any
problem sends back a report naming the row, the column and the problem, with nothing saved.
The rows are then written with bulk_create in batches inside one transaction, with one audit
row for the import (how many, which file), not one per opinion.
"""

import io
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook

from core.reports.xlsx import as_text_cells
from core.services import audit_log
from units.models import Unit

from ..models import Opinion
from .columns import MAX_ERRORS_KEPT, MAX_ROWS, ImportResult, RowError, columns
from .files import check_file, match_columns, read_rows, unreadable
from .rows import RowChecker
from .template import template_workbook

BATCH_SIZE = 2000

__all__ = [
    "MAX_ERRORS_KEPT",
    "ImportResult",
    "RowError",
    "check_file",
    "columns",
    "default_campaign",
    "error_workbook",
    "opinions_check",
    "opinions_import",
    "opinions_save",
    "template_workbook",
]


def _blank(row: Iterable) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in row)


def opinions_check(*, upload, unit: Unit, by, campaign=None) -> tuple[ImportResult, list[Opinion]]:
    """Read and check every row; nothing is written. The opinions are empty on any error."""
    check_file(upload)
    result = ImportResult()
    header, rows = read_rows(upload)
    found = match_columns(header, result)
    if not result.ok:
        return result, []
    checker = RowChecker(unit=unit, campaign=campaign, by=by, found=found, result=result)
    opinions: list[Opinion] = []
    count = 0
    try:
        for number, row in rows:
            if _blank(row):
                continue
            count += 1
            if count > MAX_ROWS:
                raise ValidationError(
                    _("文件超过 %(max)s 行意见，请分成几个文件导入；本次未导入任何意见。")
                    % {"max": f"{MAX_ROWS:,}"}
                )
            opinion = checker.check(number, row)
            if result.ok:
                opinions.append(opinion)
    except ValidationError:
        raise
    except Exception as exc:  # the sheet's XML is parsed while iterating
        raise unreadable() from exc
    if count == 0:
        raise ValidationError(_("文件里没有意见：请从第二行起每行填写一条意见。"))
    return result, opinions if result.ok else []


def opinions_save(*, opinions: list[Opinion], unit: Unit, by, file_name: str) -> int:
    """Write checked opinions in batches, in one transaction, with one audit row."""
    with transaction.atomic():
        for start in range(0, len(opinions), BATCH_SIZE):
            Opinion.objects.bulk_create(opinions[start : start + BATCH_SIZE])
        audit_log(
            actor=by,
            action="opinion.imported",
            obj=unit,
            unit=unit,
            changes={"count": len(opinions), "file": file_name[:120]},
        )
    return len(opinions)


def opinions_import(*, upload, unit: Unit, by, campaign=None) -> ImportResult:
    """All rows or none: a result with errors means nothing was saved.

    Raises ValidationError for a file that cannot be read at all.
    """
    result, opinions = opinions_check(upload=upload, unit=unit, by=by, campaign=campaign)
    if result.ok:
        name = str(getattr(upload, "name", ""))
        result.imported = opinions_save(opinions=opinions, unit=unit, by=by, file_name=name)
    return result


def error_workbook(errors: Iterable[tuple[int, str, str]]) -> bytes:
    """The error report as a small xlsx: 行, 列, 问题."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("导入问题"))
    ws.append([_("行"), _("列"), _("问题")])
    for row, column, problem in errors:
        ws.append(as_text_cells(ws, [row, column, problem]))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def default_campaign(unit: Unit):
    """The campaign the unit takes part in now (never one it has not started), if any."""
    from ..campaigns import running_campaign

    return running_campaign(unit)
