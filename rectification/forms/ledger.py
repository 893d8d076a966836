"""Forms of the ledger: problems, items, monthly reports, status moves, bulk assignment and
the filter bar. They check the shape of input; rectification.services enforce the rules."""

from crispy_forms.layout import Column, Field, Fieldset, Row
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.forms import DateInput, MultipleFileField, helper_for
from feedback.models import FourWinds

from ..models import Problem, RectificationItem
from ..selectors import (
    DEFAULT_SORT,
    SORTS,
    LedgerFilters,
    special_campaigns_for,
    unit_campaigns,
    unit_leaders,
)


class ProblemForm(forms.ModelForm):
    class Meta:
        model = Problem
        fields = ["title", "description", "four_winds", "kind", "scope", "person", "campaign"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "kind": forms.RadioSelect,
            "scope": forms.RadioSelect,
        }
        help_texts = {
            "title": gettext_lazy("一句话概括，如：文山会海，会议多、文件多"),
            "kind": gettext_lazy(
                "立行立改：能够马上解决；限期整改：经过努力可以解决；长期坚持：需要较长时间解决"
            ),
        }

    def __init__(self, *args, unit, **kwargs):
        kwargs.setdefault("instance", Problem(unit=unit))
        super().__init__(*args, **kwargs)
        self.fields["four_winds"].choices = [("", _("请选择")), *FourWinds.choices]
        self.fields["kind"].choices = Problem.Kind.choices  # radios need no empty choice
        self.fields["person"].queryset = unit_leaders(unit)
        self.fields["person"].empty_label = _("（请选择班子成员）")
        self.fields["campaign"].queryset = unit_campaigns(unit)
        self.fields["campaign"].empty_label = _("（不属于某一活动）")
        if not self.instance.pk and not self.is_bound:
            self.initial.setdefault(
                "campaign", unit_campaigns(unit).values_list("pk", flat=True).first()
            )
        self.helper = helper_for(
            "title",
            "description",
            Row(
                Column("four_winds", css_class="col-md-6"), Column("campaign", css_class="col-md-6")
            ),
            "kind",
            Row(Column("scope", css_class="col-md-6"), Column("person", css_class="col-md-6")),
        )


class ItemForm(forms.ModelForm):
    class Meta:
        model = RectificationItem
        fields = [
            "title",
            "measures",
            "lead_leader",
            "person",
            "responsible_office",
            "deadline",
            "expected_result",
            "public_commitment",
            "special_campaign",
            "internal_note",
        ]
        widgets = {
            "measures": forms.Textarea(attrs={"rows": 4}),
            "expected_result": forms.Textarea(attrs={"rows": 2}),
            "public_commitment": forms.Textarea(attrs={"rows": 3}),
            "internal_note": forms.Textarea(attrs={"rows": 2}),
            "deadline": DateInput(),
            "responsible_office": forms.TextInput(
                attrs={"placeholder": gettext_lazy("如：办公室、组织部")}
            ),
        }
        error_messages = {
            "lead_leader": {
                "required": gettext_lazy("请选择牵头领导。"),
                "invalid_choice": gettext_lazy("牵头领导必须是本单位班子成员。"),
            },
            "deadline": {"required": gettext_lazy("请填写完成时限。")},
            "measures": {"required": gettext_lazy("请填写整改措施。")},
            "responsible_office": {"required": gettext_lazy("请填写责任单位（部门）。")},
        }

    def __init__(self, *args, unit, problem=None, **kwargs):
        kwargs.setdefault("instance", RectificationItem(unit=unit, problem=problem))
        super().__init__(*args, **kwargs)
        leaders = unit_leaders(unit)
        self.fields["lead_leader"].queryset = leaders
        self.fields["lead_leader"].empty_label = _("（请选择）")
        self.fields["person"].queryset = leaders
        self.fields["person"].empty_label = _("（领导班子的整改事项）")
        self.fields["special_campaign"].queryset = special_campaigns_for(unit)
        self.fields["special_campaign"].empty_label = _("（不属于专项整治）")
        if problem is not None and not self.is_bound and not self.instance.pk:
            # A new item starts from its problem: the same words, the same leader if personal.
            self.initial["title"] = self.initial.get("title") or problem.title
            if problem.person_id:
                self.initial["person"] = self.initial.get("person") or problem.person_id
                self.initial["lead_leader"] = self.initial.get("lead_leader") or problem.person_id
        self.helper = helper_for(
            Fieldset(_("整改任务"), "title", "measures", "expected_result"),
            Fieldset(
                _("三落实：责任、措施、时限"),
                Row(
                    Column("lead_leader", css_class="col-md-4"),
                    Column("responsible_office", css_class="col-md-4"),
                    Column("deadline", css_class="col-md-4"),
                ),
                Row(
                    Column("person", css_class="col-md-6"),
                    Column("special_campaign", css_class="col-md-6"),
                ),
            ),
            Fieldset(_("公开与备注"), "public_commitment", "internal_note"),
        )


class ReportForm(forms.Form):
    what_done = forms.CharField(
        label=gettext_lazy("本月整改情况"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": gettext_lazy("请填写本月整改情况。")},
    )
    percent = forms.IntegerField(
        label=gettext_lazy("完成进度（%）"),
        min_value=0,
        max_value=100,
        error_messages={
            "required": gettext_lazy("请填写完成进度。"),
            "invalid": gettext_lazy("完成进度应为 0 到 100 之间的整数。"),
            "min_value": gettext_lazy("完成进度应为 0 到 100 之间的整数。"),
            "max_value": gettext_lazy("完成进度应为 0 到 100 之间的整数。"),
        },
    )
    uploads = MultipleFileField(label=gettext_lazy("佐证材料"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["percent"].widget.attrs.update(step="5")
        self.helper = helper_for("what_done", Field("percent", css_class="w-auto"), "uploads")


class CompleteForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("整改成效"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("写明整改结果；与佐证材料至少提供一项"),
    )
    evidence = MultipleFileField(label=gettext_lazy("佐证材料"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper_for("note", "evidence")

    def clean(self):
        data = super().clean()
        if not (data.get("note") or "").strip() and not data.get("evidence") and not self.errors:
            raise ValidationError(_("请填写整改成效或上传至少一份佐证材料。"))
        return data


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("退回理由"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("请填写退回理由。")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper_for("reason")


class BulkAssignForm(forms.Form):
    items = forms.ModelMultipleChoiceField(
        queryset=RectificationItem.objects.none(),
        error_messages={
            "required": gettext_lazy("请至少勾选一个整改事项。"),
            "invalid_choice": gettext_lazy("勾选的整改事项不属于本单位。"),
            "invalid_pk_value": gettext_lazy("勾选的整改事项不属于本单位。"),
        },
    )
    lead_leader = forms.ModelChoiceField(
        label=gettext_lazy("牵头领导"),
        queryset=RectificationItem.objects.none(),
        required=False,
        error_messages={"invalid_choice": gettext_lazy("牵头领导必须是本单位班子成员。")},
    )
    responsible_office = forms.CharField(
        label=gettext_lazy("责任单位（部门）"), max_length=100, required=False
    )

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = RectificationItem.objects.filter(unit=unit)
        self.fields["lead_leader"].queryset = unit_leaders(unit)
        self.fields["lead_leader"].empty_label = _("（不改）")
        self.fields["responsible_office"].widget.attrs["placeholder"] = _("（不改）")

    def clean(self):
        data = super().clean()
        if not data.get("lead_leader") and not (data.get("responsible_office") or "").strip():
            raise ValidationError(_("请选择牵头领导或填写责任单位（部门）。"))
        return data


class LedgerFilterForm(forms.Form):
    """The ledger's filter bar (GET); a value that does not fit is ignored."""

    q = forms.CharField(label=gettext_lazy("事项"), required=False, max_length=50)
    status = forms.ChoiceField(
        label=gettext_lazy("状态"),
        required=False,
        choices=[
            ("", gettext_lazy("全部状态")),
            ("open", gettext_lazy("未完成（未开始、整改中）")),
            *RectificationItem.Status.choices,
        ],
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("整改类型"),
        required=False,
        choices=[("", gettext_lazy("全部类型")), *Problem.Kind.choices],
    )
    four_winds = forms.ChoiceField(
        label=gettext_lazy("四风类别"),
        required=False,
        choices=[("", gettext_lazy("全部类别")), *FourWinds.choices],
    )
    lead_leader = forms.TypedChoiceField(
        label=gettext_lazy("牵头领导"), required=False, coerce=int, empty_value=None
    )
    office = forms.CharField(label=gettext_lazy("责任单位（部门）"), required=False, max_length=50)
    special_campaign = forms.TypedChoiceField(
        label=gettext_lazy("专项整治"), required=False, coerce=int, empty_value=None
    )
    sort = forms.ChoiceField(
        label=gettext_lazy("排序"),
        required=False,
        choices=[(key, label) for key, (label, _order) in SORTS.items()],
    )
    overdue = forms.BooleanField(label=gettext_lazy("只看逾期"), required=False)
    missing = forms.BooleanField(label=gettext_lazy("只看本月未报进展"), required=False)
    subtree = forms.BooleanField(label=gettext_lazy("包含下级单位"), required=False)

    CHECKS = ("overdue", "missing", "subtree")

    def __init__(self, *args, leaders, special_campaigns, **kwargs):
        super().__init__(*args, **kwargs)
        self.leaders = {p.pk: p for p in leaders}
        self.special_campaigns = {c.pk: c for c in special_campaigns}
        self.fields["lead_leader"].choices = [("", _("全部领导"))] + [
            (p.pk, p.name) for p in leaders
        ]
        self.fields["special_campaign"].choices = [("", _("全部"))] + [
            (c.pk, c.name) for c in special_campaigns
        ]
        for name, f in self.fields.items():
            if name in self.CHECKS:
                f.widget.attrs["class"] = "form-check-input"
            elif isinstance(f.widget, forms.Select):
                f.widget.attrs["class"] = "form-select form-select-sm"
            else:
                f.widget.attrs["class"] = "form-control form-control-sm"

    def filters(self) -> LedgerFilters:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return LedgerFilters(
            status=data.get("status") or "",
            overdue=bool(data.get("overdue")),
            missing=bool(data.get("missing")),
            kind=data.get("kind") or "",
            four_winds=data.get("four_winds") or "",
            lead_leader=self.leaders.get(data.get("lead_leader")),
            office=(data.get("office") or "").strip(),
            special_campaign=self.special_campaigns.get(data.get("special_campaign")),
            q=(data.get("q") or "").strip(),
            subtree=bool(data.get("subtree")),
            sort=data.get("sort") or DEFAULT_SORT,
        )
