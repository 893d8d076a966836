from django import template

from ..provenance import source_title as _source_title
from ..provenance import to_simplified

register = template.Library()


@register.filter
def simplified(text: str) -> str:
    return to_simplified(text or "")


@register.filter
def source_title(source_name: str) -> str:
    return _source_title(source_name or "")
