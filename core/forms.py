"""Form parts every app shares: several validated files in one field, date inputs."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .uploads import allowed_types_text, validate_upload

MAX_UPLOADS = 10


def upload_help() -> str:
    return _("每个文件不超过 %(mb)d MB，支持：%(types)s。") % {
        "mb": settings.UPLOAD_MAX_BYTES // 2**20,
        "types": allowed_types_text(),
    }


def check_uploads(files) -> list:
    """Every file passes core.uploads.validate_upload, or the field shows each reason."""
    errors = []
    for f in files:
        try:
            validate_upload(f)
        except ValidationError as e:
            errors.extend(e.messages)
    if errors:
        raise ValidationError(errors)
    return files


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (the recipe in Django's docs); each passes validate_upload."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)
        self.help_text = upload_help()

    def clean(self, data, initial=None):
        single = super().clean
        uploads = data if isinstance(data, (list, tuple)) else [data] if data else []
        files = [f for f in (single(d, initial) for d in uploads) if f]
        if len(files) > MAX_UPLOADS:
            raise ValidationError(_("一次最多上传 %(n)d 个文件。") % {"n": MAX_UPLOADS})
        return check_uploads(files)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def helper_for(*fields) -> FormHelper:
    """A crispy helper that lays the fields out and leaves the <form> tag to the template."""
    helper = FormHelper()
    helper.form_tag = False
    helper.layout = Layout(*fields)
    return helper


FIRST_YEAR, LAST_YEAR = 2000, 2100


class SensibleDateTimeField(forms.DateTimeField):
    """A date and time a campaign can use. Year 0001 or 9999 parse, then overflow the first
    time the app converts them to UTC or adds a day: refuse them here, in Chinese."""

    def to_python(self, value):
        value = super().to_python(value)
        if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
            raise ValidationError(
                _("请填写 %(first)d 年至 %(last)d 年之间的时间。")
                % {"first": FIRST_YEAR, "last": LAST_YEAR}
            )
        return value
