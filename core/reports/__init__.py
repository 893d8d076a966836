"""Report rendering shared by every app: a report class yields a header and rows (or a
document context); `write_xlsx` streams a table report to Excel, `render_pdf` renders a
print template to PDF with the shipped CJK font. Every download the site offers is a kind
registered in `core.reports.registry`; views answer with `core.reports.http.report_response`
(the file at once when small, the worker and a status page when big), and every file is
named by `core.reports.names` (单位+标题+日期 in Chinese, with an ASCII fallback).
"""

from .base import Column, DocumentReport, TableReport

__all__ = ["Column", "DocumentReport", "TableReport"]
