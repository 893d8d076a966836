"""Forms of random inspections (随机调研): drawing a round, recording a unit's findings."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput
from units.models import Unit

from ..models import InspectionFinding
from ..models.inspection import DEFAULT_SIZE
from ..services.inspections import MAX_SIZE


class InspectionDrawForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100, initial=_("随机调研"))
    district = forms.TypedChoiceField(label=_("县区"), required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(
        label=_("单位类别"), required=False, choices=[("", _("全部类别")), *Unit.Kind.choices]
    )
    stage = forms.TypedChoiceField(
        label=_("当前环节"), required=False, coerce=int, empty_value=None
    )
    size = forms.IntegerField(
        label=_("抽取单位数"),
        min_value=1,
        max_value=MAX_SIZE,
        initial=DEFAULT_SIZE,
        help_text=_("每轮不少于 5 个单位。"),
        error_messages={
            "min_value": _("至少抽取 1 个单位。"),
            "max_value": _("每轮最多抽取 %(limit_value)s 个单位。"),
            "invalid": _("请填写整数。"),
            "required": _("请填写抽取单位数。"),
        },
    )

    def __init__(self, *args, districts, stages, **kwargs):
        super().__init__(*args, **kwargs)
        self.districts = {d.pk: d for d in districts}
        self.stages = {s.pk: s for s in stages}
        self.fields["district"].choices = [("", _("全部县区"))] + [
            (d.pk, d.name) for d in districts
        ]
        self.fields["stage"].choices = [("", _("全部环节"))] + [(s.pk, s.name) for s in stages]
        self.fields["district"].error_messages["invalid_choice"] = _("请选择列表中的县区。")
        self.fields["stage"].error_messages["invalid_choice"] = _("请选择列表中的环节。")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "name",
            Row(Column("district", css_class="col-sm-6"), Column("kind", css_class="col-sm-6")),
            Row(Column("stage", css_class="col-sm-8"), Column("size", css_class="col-sm-4")),
        )

    def draw_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "district": self.districts.get(data["district"]),
            "kind": data["kind"] or "",
            "stage": self.stages.get(data["stage"]),
            "size": data["size"],
        }


class FindingForm(forms.ModelForm):
    class Meta:
        model = InspectionFinding
        fields = [
            "visited_on",
            "required_checked",
            "required_note",
            "optional_checked",
            "optional_note",
            "problems",
            "suggestions",
        ]
        widgets = {
            "visited_on": DateInput(),
            "required_note": forms.Textarea(attrs={"rows": 3}),
            "optional_note": forms.Textarea(attrs={"rows": 3}),
            "problems": forms.Textarea(attrs={"rows": 4}),
            "suggestions": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
