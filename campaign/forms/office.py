"""Forms of the campaign office: a new campaign, a batch of units, a task, the table's filters."""

from crispy_forms.bootstrap import InlineCheckboxes
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Div, Layout, Row, Submit
from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput
from units.models import Unit
from units.scope import visible_units

from ..models import ActivityKind, CampaignTemplate, TaskDefinition
from ..selectors.office import DEFAULT_SORT, SORTS, Filters
from ..services.tasks import DEFINITION_FIELDS


class CampaignForm(forms.Form):
    template = forms.ModelChoiceField(
        label=_("活动模板"),
        queryset=CampaignTemplate.objects.order_by("id"),
        empty_label=None,
        help_text=_("新活动复制模板中的环节、任务和应报材料，之后可以在“任务设置”中修改。"),
    )
    name = forms.CharField(label=_("活动名称"), max_length=100)
    start_date = forms.DateField(label=_("开始日期"), widget=DateInput())
    end_date = forms.DateField(label=_("结束日期"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "template",
            "name",
            Row(
                Column("start_date", css_class="col-sm-6"), Column("end_date", css_class="col-sm-6")
            ),
            Submit("submit", _("创建活动"), css_class="btn-danger"),
        )

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("结束日期不能早于开始日期。"))
        return data


class EnrolForm(forms.Form):
    """One batch (压茬进行): a root unit, its subtree or not, optionally only some kinds.

    The root is picked from a short searchable list (see campaign/_unit_picker.html), never
    from a select of every unit.
    """

    root = forms.ModelChoiceField(
        label=_("参学单位"),
        queryset=Unit.objects.none(),
        error_messages={
            "required": _("请先搜索并选择一个单位。"),
            "invalid_choice": _("请选择一个您可以查看的单位。"),
        },
    )
    subtree = forms.BooleanField(label=_("包含全部下级单位"), required=False, initial=True)
    kinds = forms.MultipleChoiceField(
        label=_("只报名以下类别的单位"),
        choices=Unit.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("不选则不限类别。"),
    )
    start_date = forms.DateField(
        label=_("启动日期"),
        widget=DateInput(),
        help_text=_("本批单位的任务时限从这一天起算。机关先行，基层单位一般晚半个月左右启动。"),
    )
    label = forms.CharField(
        label=_("批次名称"),
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("如：第一批（机关）")}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["root"].queryset = visible_units(user)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            HTML('{% include "campaign/_unit_picker.html" %}'),
            "subtree",
            InlineCheckboxes("kinds"),
            Row(Column("start_date", css_class="col-sm-6"), Column("label", css_class="col-sm-6")),
        )


def section(title, *fields) -> Div:
    """A titled part of a long form, with a heading sized for a card rather than a page."""
    heading = HTML(
        format_html('<h2 class="h6 text-secondary border-bottom pb-1 mb-3">{}</h2>', title)
    )
    return Div(heading, *fields, css_class="mb-4")


class TaskDefinitionForm(forms.ModelForm):
    """The model's clean() decides: one due field of the two, a quota with kinds and minimum > 0."""

    quota_kinds = forms.MultipleChoiceField(
        label=_("计入的活动类型"),
        choices=ActivityKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    applies_kinds = forms.MultipleChoiceField(
        label=_("适用单位类别"),
        choices=Unit.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("任务至少要适用于一类单位。")},
        help_text=_("只有这些类别的单位会有这项任务；已报名的批次可在任务清单中单独增减。"),
    )

    class Meta:
        model = TaskDefinition
        # What task_definition_update may set; targets by cadre rank are edited in the admin.
        fields = tuple(f for f in DEFINITION_FIELDS if f != "quota_by_rank")
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "due_date": DateInput(),
            "office": forms.TextInput(attrs={"placeholder": _("如：群教办、办公室负责")}),
        }
        help_texts = {
            "due_offset_days": _("从各单位的启动日期算起。"),
            "quota_minimum": _("不设数量要求时，留空并不选活动类型。"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            section(_("任务"), "title", "office", "description"),
            section(_("适用范围"), InlineCheckboxes("applies_kinds")),
            section(
                _("完成时限（二者选一）"),
                Row(
                    Column("due_offset_days", css_class="col-sm-6"),
                    Column("due_date", css_class="col-sm-6"),
                ),
            ),
            section(
                _("数量要求（可选，由活动记录自动计算）"),
                InlineCheckboxes("quota_kinds"),
                Row(
                    Column("quota_host", css_class="col-sm-5"),
                    Column("quota_measure", css_class="col-sm-3"),
                    Column("quota_minimum", css_class="col-sm-4"),
                ),
            ),
            Div(Submit("submit", _("保存"), css_class="btn-danger"), css_class="mt-2"),
        )

    def definition_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ParticipationFilterForm(forms.Form):
    """The campaign page's filter bar (GET); a value that does not fit is ignored."""

    district = forms.TypedChoiceField(
        label=_("所属县区"), required=False, coerce=int, empty_value=None
    )
    kind = forms.ChoiceField(
        label=_("类别"), required=False, choices=[("", _("全部类别")), *Unit.Kind.choices]
    )
    stage = forms.TypedChoiceField(
        label=_("当前环节"), required=False, coerce=int, empty_value=None
    )
    sort = forms.ChoiceField(
        label=_("排序"),
        required=False,
        choices=[(key, label) for key, (label, _order) in SORTS.items()],
    )

    def __init__(self, *args, districts, stages, **kwargs):
        super().__init__(*args, **kwargs)
        self.districts = {d.pk: d for d in districts}
        self.stages = {s.pk: s for s in stages}
        self.fields["district"].choices = [("", _("全部县区"))] + [
            (d.pk, d.name) for d in districts
        ]
        self.fields["stage"].choices = [("", _("全部环节"))] + [(s.pk, s.name) for s in stages]
        for f in self.fields.values():
            f.widget.attrs["class"] = "form-select"

    def filters(self) -> Filters:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return Filters(
            district=self.districts.get(data.get("district")),
            kind=data.get("kind") or "",
            stage=self.stages.get(data.get("stage")),
            sort=data.get("sort") or DEFAULT_SORT,
        )
