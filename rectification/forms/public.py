"""The public's rating form (群众评判)."""

from django import forms
from django.utils.translation import gettext_lazy

from ..models import PublicRating


class RatingForm(forms.Form):
    rating = forms.ChoiceField(
        label=gettext_lazy("您对整改结果的评价"),
        choices=PublicRating.Rating.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("请选择“满意”“基本满意”或“不满意”。"),
            "invalid_choice": gettext_lazy("请选择“满意”“基本满意”或“不满意”。"),
        },
    )
