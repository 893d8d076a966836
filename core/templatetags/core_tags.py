"""Template filters every app may use."""

from django import template

register = template.Library()


@register.filter
def minutes(delta) -> int:
    """A timedelta as whole minutes (the lockout page's cool-off)."""
    return int(delta.total_seconds() // 60) if delta else 0


@register.filter
def pct_class(value) -> str:
    """A CSS class setting width to a whole percentage, 0–100 (no inline style under CSP)."""
    try:
        n = round(float(value))
    except (TypeError, ValueError):
        n = 0
    return f"w-pct-{max(0, min(100, n))}"
