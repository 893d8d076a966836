from collections.abc import Callable
from typing import BinaryIO

from .base import DocumentReport, TableReport


def render_to(
    report,
    fmt: str,
    fileobj: BinaryIO,
    *,
    progress: Callable[[int], None] | None = None,
) -> int | None:
    """Write `report` as `fmt` into `fileobj`; returns the row count for table reports."""
    from .pdf import render_pdf, render_table_pdf
    from .xlsx import write_xlsx

    if isinstance(report, TableReport):
        if fmt == "xlsx":
            return write_xlsx(report, fileobj, progress=progress)
        if fmt == "pdf":
            fileobj.write(render_table_pdf(report))
            return None
    elif isinstance(report, DocumentReport) and fmt == "pdf":
        context = {"title": report.title, **report.context()}
        fileobj.write(render_pdf(report.template_name, context))
        return None
    raise ValueError(f"{type(report).__name__} cannot be written as {fmt}")
