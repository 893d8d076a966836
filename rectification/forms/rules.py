"""Forms of the rules inventory (建章立制)."""

from django import forms
from django.utils.translation import gettext_lazy

from core.forms import DateInput, helper_for, upload_help
from core.uploads import validate_upload

from ..models import RectificationItem, Regulation


class RegulationForm(forms.ModelForm):
    class Meta:
        model = Regulation
        fields = ["title", "action", "document_number", "description", "items"]
        widgets = {
            "action": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 3}),
            "items": forms.SelectMultiple(attrs={"size": 6}),
        }
        help_texts = {
            "action": gettext_lazy(
                "废止：不合要求的立即废止；修订：需要完善的尽快完善；新立：针对薄弱环节新建"
            ),
            "items": gettext_lazy("这项制度因哪些整改事项而废、改、立（可多选）"),
        }
        error_messages = {
            "items": {"invalid_choice": gettext_lazy("只能关联本单位的整改事项。")},
        }

    def __init__(self, *args, unit, **kwargs):
        kwargs.setdefault("instance", Regulation(unit=unit))
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = RectificationItem.objects.filter(unit=unit).order_by(
            "deadline", "id"
        )
        self.helper = helper_for(
            "title",
            "action",
            "document_number",
            "description",
            "items",
        )

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        return {**data, "items": list(data["items"])}


class AdoptForm(forms.Form):
    on = forms.DateField(
        label=gettext_lazy("出台或废止日期"),
        widget=DateInput(),
        error_messages={
            "required": gettext_lazy("请填写出台或废止日期。"),
            "invalid": gettext_lazy("请填写正确的日期。"),
        },
    )
    document = forms.FileField(label=gettext_lazy("制度文件或废止通知"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].help_text = upload_help()
        self.helper = helper_for("on", "document")

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if document:
            validate_upload(document)
        return document
