"""Report rendering shared by every app: a report class yields a header and rows (or a
document context); `write_xlsx` streams a table report to Excel, `render_pdf` renders a
print template to PDF with the shipped CJK font. Report kinds that can run in the
background register themselves in `core.reports.registry`.
"""

from .base import Column, DocumentReport, TableReport

__all__ = ["Column", "DocumentReport", "TableReport"]
