"""Importing opinions from Excel: the template, the upload page, the error report."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from campaign.models import Campaign
from core.forms import helper_for
from core.http import bound
from core.reports.http import file_response
from units.policy import may_keep, require
from units.scope import get_unit_for_user

from .. import importing

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHOWN_ERRORS = 200
SESSION_KEY = "feedback.import_errors"


class OpinionImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Excel 文件"),
        help_text=gettext_lazy("用本页提供的模板填写，.xlsx 格式，不超过 20 MB、10 万行。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )
    campaign = forms.ModelChoiceField(
        label=gettext_lazy("所属活动"), queryset=Campaign.objects.none(), required=False
    )

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        campaigns = Campaign.objects.filter(participations__unit=unit).distinct()
        self.fields["campaign"].queryset = campaigns
        self.fields["campaign"].initial = importing.default_campaign(unit)
        self.helper = helper_for("file", "campaign")


def _xlsx(content: bytes, filename: str, fallback: str) -> HttpResponse:
    return file_response(content, filename=filename, fallback=fallback, content_type=XLSX)


@login_required
@require_http_methods(["GET", "POST"])
def opinion_import(request, unit_pk):
    unit = get_unit_for_user(request.user, unit_pk)
    require(may_keep(request.user, unit))
    form = OpinionImportForm(*bound(request), unit=unit)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = importing.opinions_import(
                upload=upload, unit=unit, by=request.user, campaign=form.cleaned_data["campaign"]
            )
        except ValidationError as e:
            form.add_error("file", e)
        else:
            if result.ok:
                request.session.pop(SESSION_KEY, None)
                messages.success(
                    request,
                    _("已从“%(file)s”导入 %(n)s 条意见。")
                    % {"file": upload.name, "n": f"{result.imported:,}"},
                )
                return redirect("feedback:opinion_list", unit.pk)
            request.session[SESSION_KEY] = {
                "unit": unit.pk,
                "errors": [(e.row, e.column, e.problem) for e in result.errors],
            }
    context = {
        "unit": unit,
        "form": form,
        "result": result,
        "shown_errors": result.errors[:SHOWN_ERRORS] if result else [],
        "more_errors": result.error_count - min(len(result.errors), SHOWN_ERRORS) if result else 0,
    }
    return render(request, "feedback/import.html", context)


@login_required
@require_GET
def opinion_import_template(request, unit_pk):
    unit = get_unit_for_user(request.user, unit_pk)
    require(may_keep(request.user, unit))
    return _xlsx(
        importing.template_workbook(unit),
        _("征求意见导入模板.xlsx"),
        "opinion-import-template.xlsx",
    )


@login_required
@require_GET
def opinion_import_errors(request, unit_pk):
    """The last failed import's problems as a spreadsheet (empty when there is none)."""
    unit = get_unit_for_user(request.user, unit_pk)
    require(may_keep(request.user, unit))
    saved = request.session.get(SESSION_KEY) or {}
    errors = saved.get("errors", []) if saved.get("unit") == unit.pk else []
    return _xlsx(
        importing.error_workbook(errors), _("意见导入问题清单.xlsx"), "opinion-import-errors.xlsx"
    )
