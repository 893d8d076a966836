"""Forms of the appraisal pages: a new round, more codes, paper tallies, and the public ballot."""

import datetime

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import SensibleDateTimeField, helper_for
from units.models import Person, Unit

from .models import AppraisalRound, Scale
from .services import ANSWER_MAX, MAX_CODES_PER_ROUND, REASON_MAX

# The seeds' questions for each kind of round (001.txt: 民主评议 of the team and each leader).
DEFAULT_QUESTIONS = {
    AppraisalRound.Kind.APPRAISAL: [
        "领导班子和班子成员在形式主义、官僚主义、享乐主义和奢靡之风方面存在哪些突出问题？",
        "对改进作风、整改落实有什么意见和建议？",
    ],
    AppraisalRound.Kind.SATISFACTION: ["对领导班子和班子成员还有什么意见和建议？"],
    AppraisalRound.Kind.JUDGEMENT: ["整改落实还有哪些不到位的地方？"],
}


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class RoundForm(forms.Form):
    title = forms.CharField(label=_("名称"), max_length=100)
    kind = forms.ChoiceField(label=_("类别"), choices=AppraisalRound.Kind.choices)
    scale = forms.ChoiceField(label=_("评价等次"), choices=Scale.choices)
    mode = forms.ChoiceField(
        label=_("投票方式"),
        choices=AppraisalRound.Mode.choices,
        widget=forms.RadioSelect,
        initial=AppraisalRound.Mode.ONLINE,
    )
    include_team = forms.BooleanField(label=_("评议领导班子（整体）"), required=False, initial=True)
    people = forms.ModelMultipleChoiceField(
        label=_("评议的班子成员"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("从本单位主要负责人和班子成员中选择。"),
    )
    questions = forms.CharField(
        label=_("开放式问题"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行一个问题，最多 5 个；可以不填。"),
    )
    opens_at = SensibleDateTimeField(label=_("开始时间"), widget=DateTimeInput())
    closes_at = SensibleDateTimeField(label=_("截止时间"), widget=DateTimeInput())
    count = forms.IntegerField(
        label=_("发放票数"),
        min_value=1,
        max_value=MAX_CODES_PER_ROUND,
        help_text=_("网上投票时生成同样数量的一次性评议码；纸质票时为发放的票数。"),
    )

    def __init__(self, *args, unit: Unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = Person.objects.filter(
            Q(is_team_member=True) | Q(is_main_leader=True), unit=unit
        ).order_by("-is_main_leader", "rank", "id")
        now = timezone.localtime().replace(second=0, microsecond=0)
        self.fields["title"].initial = _("%(unit)s领导班子和班子成员民主评议") % {"unit": unit.name}
        self.fields["opens_at"].initial = now
        self.fields["closes_at"].initial = now + datetime.timedelta(days=3)
        self.fields["questions"].initial = "\n".join(
            DEFAULT_QUESTIONS[AppraisalRound.Kind.APPRAISAL]
        )
        self.fields["people"].initial = list(self.fields["people"].queryset)
        self.helper = helper_for(
            "title",
            "kind",
            "scale",
            "mode",
            "include_team",
            "people",
            "questions",
            "opens_at",
            "closes_at",
            "count",
        )

    def clean_questions(self):
        return [q.strip() for q in self.cleaned_data["questions"].splitlines() if q.strip()]


class CodesForm(forms.Form):
    count = forms.IntegerField(label=_("再生成评议码"), min_value=1, max_value=MAX_CODES_PER_ROUND)


class ReprintForm(forms.Form):
    """Why slips are printed again after the round opened: the reason goes to the audit log."""

    reason = forms.CharField(
        label=_("补印原因"),
        max_length=REASON_MAX,
        widget=forms.TextInput(attrs={"class": "form-control"}),
        error_messages={"required": _("评议开始后补印评议票，请填写补印原因。")},
    )


def _tally_name(target_id: int, rating: str) -> str:
    return f"t{target_id}_{rating}"


class TallyForm(forms.Form):
    """A grid of counts, one per target and rating, and the open answers one per line."""

    def __init__(self, *args, round: AppraisalRound, targets, initial_counts, answers, **kwargs):
        super().__init__(*args, **kwargs)
        self.round = round
        self.targets = targets
        self.grid = []
        for target in targets:
            cells = []
            for rating in round.ratings:
                name = _tally_name(target.pk, str(rating))
                self.fields[name] = forms.IntegerField(
                    label=f"{target.label} {rating.label}",
                    min_value=0,
                    max_value=round.issued,
                    required=False,
                    initial=initial_counts.get((target.pk, str(rating)), 0),
                    widget=forms.NumberInput(attrs={"class": "form-control form-control-sm"}),
                )
                cells.append(self[name])
            self.grid.append((target, cells))
        self.answer_fields = []
        for i, question in enumerate(round.questions):
            name = f"q{i}"
            self.fields[name] = forms.CharField(
                label=question,
                required=False,
                initial="\n".join(answers.get(i, [])),
                widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
                help_text=_("照原话录入，每行一条回答。"),
            )
            self.answer_fields.append(self[name])

    def counts(self) -> dict[tuple[int, str], int]:
        return {
            (t.pk, str(r)): self.cleaned_data.get(_tally_name(t.pk, str(r))) or 0
            for t in self.targets
            for r in self.round.ratings
        }

    def answers(self) -> dict[int, list[str]]:
        return {
            i: (self.cleaned_data.get(f"q{i}") or "").splitlines()
            for i in range(len(self.round.questions))
        }


class CodeEntryForm(forms.Form):
    code = forms.CharField(
        label=_("评议码"),
        max_length=30,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "placeholder": "XXXX-XXXX-XX",
                "class": "form-control form-control-lg text-center ballot-code",
            }
        ),
        error_messages={"required": _("请输入评议票上的评议码。")},
    )


class BallotForm(forms.Form):
    """Rate every target; the open answers may be left blank."""

    code = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, round: AppraisalRound, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.round = round
        self.targets = targets
        choices = [(str(r), r.label) for r in round.ratings]
        self.rating_fields = []
        for target in targets:
            name = f"t{target.pk}"
            self.fields[name] = forms.ChoiceField(
                label=target.label,
                choices=choices,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("请对“%(target)s”作出评价。") % {"target": target.label}
                },
            )
            self.rating_fields.append(self[name])
        self.answer_fields = []
        for i, question in enumerate(round.questions):
            name = f"q{i}"
            self.fields[name] = forms.CharField(
                label=question,
                required=False,
                max_length=ANSWER_MAX,
                widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
            )
            self.answer_fields.append(self[name])

    def ratings(self) -> dict[int, str]:
        return {t.pk: self.cleaned_data[f"t{t.pk}"] for t in self.targets}

    def answers(self) -> dict[int, str]:
        return {i: self.cleaned_data.get(f"q{i}", "") for i in range(len(self.round.questions))}
