"""Render a print template to PDF with WeasyPrint, using only the fonts shipped in static/fonts.

The CJK font is embedded through @font-face (templates/reports/base_print.html), so a PDF
renders the same on a server with no Chinese font installed. Resources are fetched by a
fetcher that reads local static files only: a report never reaches the network.
"""

from pathlib import Path
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

FONT_FAMILY = "Campaign Serif SC"
FONT_FILES = {
    "regular": "fonts/CampaignSerifSC-Regular.woff2",
    "bold": "fonts/CampaignSerifSC-Bold.woff2",
}


def font_urls() -> dict[str, str]:
    """file:// URLs of the shipped fonts, found like any static file (app dirs or STATIC_ROOT)."""
    urls = {}
    for face, name in FONT_FILES.items():
        path = finders.find(name) or str(Path(settings.STATIC_ROOT) / name)
        urls[face] = Path(path).resolve().as_uri()
    return urls


def _allowed_roots() -> list[Path]:
    roots = [Path(d).resolve() for d in settings.STATICFILES_DIRS]
    roots.append(Path(settings.STATIC_ROOT).resolve())
    return roots


def local_fetcher():
    """A WeasyPrint fetcher for file: and data: URLs under the static folders, nothing else."""
    from weasyprint.urls import URLFetcher

    roots = _allowed_roots()

    class LocalFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            parsed = urlparse(url)
            if parsed.scheme == "file":
                path = Path(unquote(parsed.path)).resolve()
                if not any(path.is_relative_to(root) for root in roots):
                    raise ValueError(f"PDF reports read static files only, not {url!r}")
            return super().fetch(url, headers)

    return LocalFetcher(allowed_protocols={"file", "data"}, allow_redirects=False)


def render_pdf(template_name: str, context: dict, *, request=None) -> bytes:
    """Render `template_name` (which extends reports/base_print.html) to PDF bytes."""
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    context = {"report_fonts": font_urls(), "report_font_family": FONT_FAMILY, **context}
    html = render_to_string(template_name, context, request=request)
    font_config = FontConfiguration()
    document = HTML(
        string=html,
        base_url=Path(settings.BASE_DIR).resolve().as_uri() + "/",
        url_fetcher=local_fetcher(),
    )
    return document.write_pdf(font_config=font_config)


def render_table_pdf(report, *, request=None) -> bytes:
    """A table report as a PDF: title, subtitle, the header repeated on every page."""
    from django.utils import timezone

    widths = report.widths()
    total = sum(widths) or 1
    return render_pdf(
        "reports/table.html",
        {
            "title": report.title,
            "subtitle": report.subtitle(),
            "header": report.header(),
            # Percentages rounded down so they never add up to more than 100 with padding.
            "widths": [int(w * 1000 / total) / 10 for w in widths],
            "rows": report.rows(),
            "orientation": report.orientation,
            "generated_at": timezone.localtime(),
        },
        request=request,
    )
