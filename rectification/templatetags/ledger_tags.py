"""Badges the ledger shows on every row, as tags: much cheaper than an include per row."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from ..models import RectificationItem

register = template.Library()

STATUS_STYLES = {
    "verified": ("text-bg-success", "bi-patch-check-fill"),
    "completed": ("text-bg-warning", "bi-hourglass-split"),
    "in_progress": ("text-bg-primary", ""),
    "not_started": ("text-bg-light border", ""),
}
REPORT_STYLES = {
    "filed": (
        "bg-success-subtle text-success-emphasis border border-success-subtle",
        "bi-check-lg",
    ),
    "due": ("bg-warning-subtle text-warning-emphasis border border-warning-subtle", "bi-bell"),
    "missing": ("text-bg-danger", "bi-exclamation-circle"),
}


def _badge(css: str, icon: str, label: str):
    if icon:
        return format_html(
            '<span class="badge {}"><i class="bi {}"></i> {}</span>', css, icon, label
        )
    return format_html('<span class="badge {}">{}</span>', css, label)


@register.simple_tag
def status_badge(status: str, label: str = ""):
    css, icon = STATUS_STYLES.get(status, STATUS_STYLES["not_started"])
    return _badge(css, icon, label or RectificationItem.Status(status).label)


@register.simple_tag
def report_badge(state: str, past: bool = False):
    """This month's report (本月已报/待报/未报), or a past month's gap (未填报) when `past`."""
    if state not in REPORT_STYLES:
        return ""
    labels = {
        "filed": _("本月已报"),
        "due": _("待填报") if past else _("本月待报"),
        "missing": _("未填报") if past else _("本月未报"),
    }
    return _badge(*REPORT_STYLES[state], labels[state])
