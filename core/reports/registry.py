"""The report kinds the site can produce, by code. Apps register theirs in their
`exports` module (`<app>/exports.py`, or `<app>/exports/__init__.py` importing its parts),
which is imported on the first lookup:

    from core.reports.registry import register
    register("rectification.ledger", LedgerReport, formats=("xlsx", "pdf"), inline_rows=3000)

A report whose `count()` is at most `inline_rows` (`inline_pdf_rows` for PDF) is rendered in
the request and downloaded at once; anything larger, or with no cheap count, goes to the
Celery `reports` queue and the user watches its status page.
"""

from dataclasses import dataclass

from django.http import Http404


@dataclass(frozen=True)
class ReportKind:
    code: str
    report_class: type
    formats: tuple[str, ...]
    inline_rows: int = 0
    # A PDF lays out about 50 rows a second: only small ones render in the request.
    inline_pdf_rows: int = 200

    def inline_limit(self, fmt: str) -> int:
        return self.inline_pdf_rows if fmt == "pdf" else self.inline_rows

    def build(self, *, user, params: dict):
        return self.report_class(user=user, **params)


_KINDS: dict[str, ReportKind] = {}
_discovered = False


def _discover() -> None:
    global _discovered
    if not _discovered:
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("exports")
        _discovered = True


def register(code: str, report_class: type, *, formats=("xlsx",), **options) -> ReportKind:
    kind = ReportKind(code=code, report_class=report_class, formats=tuple(formats), **options)
    _KINDS[code] = kind
    return kind


def get_kind(code: str, fmt: str | None = None) -> ReportKind:
    """The registered kind, or 404: codes and formats come from URLs."""
    _discover()
    kind = _KINDS.get(code)
    if kind is None or (fmt is not None and fmt not in kind.formats):
        raise Http404
    return kind


def all_kinds() -> dict[str, ReportKind]:
    _discover()
    return dict(_KINDS)
