"""What the rectification forms share: the core form parts, and crispy layouts."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout

from core.forms import DateInput, MultipleFileField, upload_help

__all__ = ["DateInput", "MultipleFileField", "helper_for", "upload_help"]


def helper_for(*fields) -> FormHelper:
    """A crispy helper that lays the fields out and leaves the <form> tag to the template."""
    helper = FormHelper()
    helper.form_tag = False
    helper.layout = Layout(*fields)
    return helper
