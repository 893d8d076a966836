"""The opinion forms: staff entry, a symposium's batch, the list's filters, the public box."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaign.models import Campaign
from core.forms import DateInput, helper_for
from core.http import is_id
from feedback.models import FourWinds
from units.models import Person, Unit

from .campaigns import running_campaign
from .models import TEXT_MAX, Opinion
from .services import NOTE_MAX


def _campaigns(unit: Unit):
    return Campaign.objects.filter(participations__unit=unit).distinct()


PLEASE_CHOOSE = _("请选择")


def _please_choose(form: forms.BaseForm) -> None:
    """Drop-downs offer 请选择 where Django would show "---------"."""
    for field in form.fields.values():
        if isinstance(field, forms.ModelChoiceField):
            if field.empty_label is not None:
                field.empty_label = PLEASE_CHOOSE
        elif isinstance(field, forms.ChoiceField):
            choices = list(field.choices)
            if choices and choices[0][0] == "" and choices[0][1] == "---------":
                field.choices = [("", PLEASE_CHOOSE), *choices[1:]]


class OpinionForm(forms.ModelForm):
    class Meta:
        model = Opinion
        fields = [
            "text",
            "channel",
            "source_group",
            "received_on",
            "question_type",
            "four_winds",
            "target",
            "target_person",
            "is_anonymous",
            "contact",
            "campaign",
        ]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 5, "maxlength": TEXT_MAX}),
            "received_on": DateInput(),
        }
        help_texts = {
            "text": _("照原话记录，不加工、不概括（原汁原味）；录入后不能修改，更正请添加批注。"),
            "contact": _("仅实名意见填写。"),
        }

    def __init__(self, *args, unit: Unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].max_length = TEXT_MAX
        self.fields["target_person"].queryset = Person.objects.filter(unit=unit)
        self.fields["campaign"].queryset = _campaigns(unit)
        self.fields["campaign"].initial = running_campaign(unit)
        self.fields["received_on"].initial = timezone.localdate()
        _please_choose(self)
        self.helper = helper_for(*self.Meta.fields)


class OpinionBatchForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("征求渠道"), choices=Opinion.Channel.choices, initial=Opinion.Channel.SYMPOSIUM
    )
    received_on = forms.DateField(label=_("收集日期"), widget=DateInput())
    source_group = forms.ChoiceField(
        label=_("意见来源"),
        choices=[("", PLEASE_CHOOSE), *Opinion.SourceGroup.choices],
        required=False,
    )
    campaign = forms.ModelChoiceField(
        label=_("所属活动"), queryset=Campaign.objects.none(), required=False
    )
    lines = forms.CharField(
        label=_("意见记录"),
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_(
            "每行一条意见，照原话录入；空行跳过；一次最多 500 条。有一行不合要求时，整批都不保存。"
        ),
    )

    def __init__(self, *args, unit: Unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = _campaigns(unit)
        self.fields["campaign"].initial = running_campaign(unit)
        self.fields["received_on"].initial = timezone.localdate()
        _please_choose(self)
        self.helper = helper_for("channel", "received_on", "source_group", "campaign", "lines")


class OpinionCampaignForm(forms.Form):
    campaign = forms.ModelChoiceField(
        label=_("所属活动"), queryset=Campaign.objects.none(), required=False
    )

    def __init__(self, *args, unit: Unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = _campaigns(unit)
        self.fields["campaign"].empty_label = _("（不属于某一活动）")
        self.fields["campaign"].widget.attrs["class"] = "form-select form-select-sm"


class PublicReplyForm(forms.Form):
    text = forms.CharField(
        label=_("公开答复"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("凭查询码查看办理情况的群众能看到这段答复；不要写入个人信息。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper_for("text")


class OpinionNoteForm(forms.Form):
    text = forms.CharField(
        label=_("批注"),
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("更正、说明或梳理意见，原文保持不变。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper_for("text")


def _blank(choices):
    return [("", _("全部")), *choices]


class OpinionFilterForm(forms.Form):
    """The list's filters; a value that does not fit is ignored, not an error page."""

    q = forms.CharField(label=_("关键词"), required=False, max_length=100)
    channel = forms.ChoiceField(
        label=_("征求渠道"), choices=_blank(Opinion.Channel.choices), required=False
    )
    source_group = forms.ChoiceField(
        label=_("意见来源"), choices=_blank(Opinion.SourceGroup.choices), required=False
    )
    four_winds = forms.ChoiceField(
        label=_("四风类别"), choices=_blank(FourWinds.choices), required=False
    )
    question_type = forms.ChoiceField(
        label=_("“四问”类型"), choices=_blank(Opinion.Question.choices), required=False
    )
    target = forms.ChoiceField(
        label=_("意见对象"), choices=_blank(Opinion.Target.choices), required=False
    )
    status = forms.ChoiceField(
        label=_("状态"), choices=_blank(Opinion.Status.choices), required=False
    )
    date_from = forms.DateField(label=_("收集日期从"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("至"), required=False, widget=DateInput())

    subtree = forms.BooleanField(label=_("含下级单位"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.BooleanField):
                field.widget.attrs["class"] = "form-check-input"
                continue
            css = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            field.widget.attrs["class"] = f"{css} {css}-sm"

    def filters(self) -> dict:
        if self.is_valid():
            return self.cleaned_data
        return {k: v for k, v in self.cleaned_data.items() if k not in self.errors}


class PublicOpinionForm(forms.Form):
    text = forms.CharField(
        label=_("您的意见和建议"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 7, "maxlength": TEXT_MAX}),
        error_messages={
            "required": _("请填写您的意见和建议。"),
            "max_length": _("意见不能超过 %(limit_value)d 字。"),
        },
    )
    contact = forms.CharField(
        label=_("联系方式（选填）"),
        max_length=100,
        required=False,
        help_text=_("不填写即为匿名。填写后仅用于向您反馈办理情况。"),
    )
    # The honeypot: hidden from people, filled in by bots; a filled one is dropped silently.
    website = forms.CharField(label=_("请勿填写此项"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    def is_bot(self) -> bool:
        return bool(self.data.get("website"))

    def cleaned_data_without_bait(self) -> dict:
        return {"text": self.cleaned_data["text"], "contact": self.cleaned_data["contact"]}


class OpinionBulkForm(forms.Form):
    """The list's bulk actions on the ticked opinions: classify, group, or turn into a problem.

    Blank classification fields leave that field as it is.
    """

    ACTIONS = ("classify", "group", "problem")

    opinions = forms.TypedMultipleChoiceField(coerce=int, choices=(), required=False)
    action = forms.ChoiceField(choices=[(a, a) for a in ACTIONS])
    four_winds = forms.ChoiceField(
        label=_("四风类别"), choices=_blank(FourWinds.choices), required=False
    )
    question_type = forms.ChoiceField(
        label=_("“四问”类型"), choices=_blank(Opinion.Question.choices), required=False
    )
    source_group = forms.ChoiceField(
        label=_("意见来源"), choices=_blank(Opinion.SourceGroup.choices), required=False
    )
    target = forms.ChoiceField(
        label=_("意见对象"), choices=_blank(Opinion.Target.choices), required=False
    )
    target_person = forms.ModelChoiceField(
        label=_("所提领导"), queryset=Person.objects.none(), required=False
    )
    status = forms.ChoiceField(
        label=_("状态"), choices=_blank(Opinion.Status.choices), required=False
    )
    title = forms.CharField(label=_("归纳"), max_length=200, required=False)
    # Set by the confirmation page: move opinions that are in other groups into the new one.
    move = forms.BooleanField(required=False)

    def __init__(self, *args, unit: Unit, **kwargs):
        kwargs.setdefault("auto_id", "bulk_%s")  # the filter form above has the same fields
        super().__init__(*args, **kwargs)
        self.fields["target_person"].queryset = Person.objects.filter(unit=unit)
        # Any id is accepted here; the service checks that each belongs to the unit.
        self.fields["opinions"].valid_value = is_id
        for name, field in self.fields.items():
            if name not in ("opinions", "action", "title", "move"):
                field.widget.attrs["class"] = "form-select form-select-sm"
        self.fields["title"].widget.attrs["class"] = "form-control form-control-sm"

    def classification(self) -> dict:
        names = ("four_winds", "question_type", "source_group", "target", "target_person")
        return {n: self.cleaned_data[n] for n in (*names, "status")}


class OpinionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("改为"), choices=Opinion.Status.choices)


class GroupTitleForm(forms.Form):
    title = forms.CharField(label=_("归纳"), max_length=200, required=False)


class GroupIdsForm(forms.Form):
    """Ticked ids on a group's page: opinions to split off, or groups to merge in."""

    ids = forms.TypedMultipleChoiceField(coerce=int, choices=(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ids"].valid_value = is_id
