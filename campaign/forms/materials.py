"""Forms of the materials pages: a draft, a review decision, a stage waiver, a talk record,
and the review queue's filters. They check the shape of input; the services the rules."""

from crispy_forms.bootstrap import InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Layout, Row
from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.forms import DateInput, MultipleFileField
from units.models import Person

from ..models import MaterialKind, MaterialRequirement, Participation, Review, Talk
from ..models.material import MATERIAL_TEXT_MAX
from ..selectors.workspace import unit_people


class MaterialDraftForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("正文"),
        required=False,
        strip=False,  # paragraphs and their indentation are the author's
        max_length=MATERIAL_TEXT_MAX,
        error_messages={"max_length": gettext_lazy(
            "正文不能超过 %(limit_value)d 字（现有 %(show_value)d 字）；更长的内容请作为附件上传。"
        )},
        widget=forms.Textarea(attrs={"rows": 14}),
    )  # fmt: skip
    uploads = MultipleFileField(label=gettext_lazy("上传文件"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Field("text"), Field("uploads"))


class MaterialStartForm(forms.Form):
    """The hidden fields of a "开始撰写" button on the unit's materials page."""

    requirement = forms.ModelChoiceField(queryset=MaterialRequirement.objects.none())
    person = forms.ModelChoiceField(queryset=Person.objects.none(), required=False)

    def __init__(self, *args, participation: Participation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requirement"].queryset = MaterialRequirement.objects.filter(
            stage__campaign_id=participation.campaign_id
        ).select_related("stage")
        self.fields["person"].queryset = unit_people(participation)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("审核结论"),
        choices=Review.Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("请选择审核结论。")},
    )
    comment = forms.CharField(
        label=gettext_lazy("审核意见"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("退回修改时必须填写，单位将看到这些意见。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(InlineRadios("decision"), Field("comment"))


class StageWaiveForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("免于把关的理由"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": gettext_lazy("请写明免于把关的理由。")},
    )

    def __init__(self, *args, stage, **kwargs):
        # One form per open stage on the same page: the ids must not clash.
        kwargs.setdefault("auto_id", f"id_waive{stage.pk}_%s")
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class TalkForm(forms.ModelForm):
    class Meta:
        model = Talk
        fields = ["group", "category", "interviewee", "date", "notes"]
        widgets = {"date": DateInput(), "notes": forms.Textarea(attrs={"rows": 6})}
        error_messages = {
            "group": {"invalid_choice": gettext_lazy("请选择督导本单位的督导组。")},
        }

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups
        self.fields["group"].empty_label = None
        self.fields["category"].choices = [("", _("请选择")), *Talk.Category.choices]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field("group"),
            Row(Column("category", css_class="col-md-7"), Column("date", css_class="col-md-5")),
            Field("interviewee"),
            Field("notes"),
        )

    def service_arguments(self) -> dict:
        return dict(self.cleaned_data)


class ReviewQueueFilterForm(forms.Form):
    group = forms.ModelChoiceField(
        label=gettext_lazy("督导组"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("全部督导组"),
    )
    unit = forms.CharField(label=gettext_lazy("单位"), max_length=50, required=False)
    kind = forms.ChoiceField(label=gettext_lazy("材料类型"), required=False)

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups
        self.fields["kind"].choices = [("", _("全部类型")), *MaterialKind.choices]
        self.fields["unit"].widget.input_type = "search"
        self.fields["unit"].widget.attrs.update(
            placeholder=_("单位名称或编码"), **{"class": "form-control form-control-sm"}
        )
        for name in ("group", "kind"):
            self.fields[name].widget.attrs["class"] = "form-select form-select-sm"

    def filters(self) -> dict:
        """The valid filters; a value that does not fit is ignored rather than refused."""
        self.is_valid()
        data = self.cleaned_data
        return {
            "group": data.get("group"),
            "unit_query": (data.get("unit") or "").strip(),
            "kind": data.get("kind") or "",
        }
