"""Forms of a unit's workspace: recording an activity, marking a task without a quota done."""

from crispy_forms.bootstrap import InlineCheckboxes
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Layout, Row
from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.forms import DateInput, MultipleFileField, check_uploads, upload_help

from ..models import Activity, ActivityKind, Participation
from ..selectors.workspace import unit_people


class ActivityForm(forms.ModelForm):
    uploads = MultipleFileField(label=gettext_lazy("附件"), required=False)

    class Meta:
        model = Activity
        fields = [
            "kind",
            "title",
            "date",
            "end_date",
            "days",
            "hours",
            "households",
            "host",
            "attendee_count",
            "attendees",
            "place",
            "minutes",
        ]
        widgets = {
            "date": DateInput(),
            "end_date": DateInput(),
            "attendees": forms.CheckboxSelectMultiple(),
            "minutes": forms.Textarea(attrs={"rows": 6}),
        }
        error_messages = {
            "days": {"min_value": gettext_lazy("天数不能为负数。")},
            "households": {"min_value": gettext_lazy("走访户数不能为负数。")},
            "hours": {"min_value": gettext_lazy("时长不能为负数。")},
            "attendee_count": {"min_value": gettext_lazy("参加人数不能为负数。")},
            "host": {"invalid_choice": gettext_lazy("主持人必须是本单位人员。")},
            "attendees": {"invalid_choice": gettext_lazy("参加人员必须是本单位人员。")},
        }
        help_texts = {
            "attendee_count": gettext_lazy("实际参加的总人数"),
            "attendees": gettext_lazy("可选：勾选参加的本单位人员；以本单位为联系点的领导也可勾选"),
        }

    def __init__(self, *args, participation: Participation, **kwargs):
        super().__init__(*args, **kwargs)
        people = unit_people(participation)
        self.fields["kind"].choices = [("", _("请选择活动类型")), *ActivityKind.choices]
        self.fields["host"].queryset = people
        self.fields["host"].empty_label = _("（未指定）")
        # Leaders whose contact point (联系点) this unit is may attend its study and meetings.
        self.fields["attendees"].queryset = unit_people(participation, with_liaison=True)
        for name in ("days", "hours"):
            self.fields[name].widget.attrs.update(min="0", step="0.5")
        # Only 走亲连心 records carry a household count; left empty it is 0.
        self.fields["households"].required = False
        self.fields["households"].widget.attrs.update(min="0")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Row(Column("kind", css_class="col-md-4"), Column("title", css_class="col-md-8")),
            Row(
                Column("date", css_class="col-6 col-md-3"),
                Column("end_date", css_class="col-6 col-md-3"),
                Column("days", css_class="col-6 col-md-3"),
                Column("hours", css_class="col-6 col-md-3"),
            ),
            Row(
                Column("host", css_class="col-md-5"),
                Column("attendee_count", css_class="col-md-3"),
                Column("place", css_class="col-md-4"),
            ),
            InlineCheckboxes("attendees"),
            Field("minutes"),
            Field("uploads"),
        )

    def clean(self):
        cleaned = super().clean()
        attendees, count = cleaned.get("attendees"), cleaned.get("attendee_count")
        if attendees is not None and count is not None and count < len(attendees):
            self.add_error("attendee_count", _("参加人数不能少于勾选的参加人员人数。"))
        return cleaned

    def service_arguments(self) -> dict:
        """The cleaned values as activity_record and activity_update take them."""
        data = dict(self.cleaned_data)
        data["households"] = data.get("households") or 0
        return {**data, "attendees": list(data["attendees"]), "uploads": data["uploads"]}


class TaskCompleteForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("完成情况说明"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": gettext_lazy("请简要说明完成情况。")},
    )
    evidence = forms.FileField(label=gettext_lazy("佐证材料（可选）"), required=False)

    def __init__(self, *args, task, **kwargs):
        # Every open task on the workspace has its own form; the ids must not clash.
        kwargs.setdefault("auto_id", f"id_task{task.pk}_%s")
        super().__init__(*args, **kwargs)
        self.fields["evidence"].help_text = upload_help()
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Field("note"), Field("evidence"))

    def clean_evidence(self):
        evidence = self.cleaned_data.get("evidence")
        if evidence:
            check_uploads([evidence])
        return evidence
