"""The ledger (整改台账): the overview of the user's units, a unit's ledger, bulk assignment."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.http import post_only, report_errors, report_form_errors
from units.policy import may_keep, require
from units.scope import get_unit_for_user

from .. import selectors, services
from ..forms import BulkAssignForm, LedgerFilterForm


@login_required
@require_GET
def overview(request):
    today = timezone.localdate()
    context = {"rows": selectors.overview_rows(request.user, today), "today": today}
    return render(request, "rectification/overview.html", context)


@login_required
@require_GET
def ledger(request, unit_pk):
    user = request.user
    unit = get_unit_for_user(user, unit_pk)
    today = timezone.localdate()
    leaders = list(selectors.unit_leaders(unit))
    filter_form = LedgerFilterForm(
        request.GET,
        leaders=leaders,
        special_campaigns=list(selectors.special_campaigns_for(unit)),
    )
    filters = filter_form.filters()
    items = selectors.ledger_items(unit, subtree=filters.subtree)
    may_edit = may_keep(user, unit)
    summary = selectors.ledger_summary(items, today)
    context = {
        "unit": unit,
        "filter_form": filter_form,
        "filters": filters,
        "summary": summary,
        "page": selectors.ledger_page(
            items,
            filters,
            today=today,
            page_number=request.GET.get("page"),
            count=selectors.known_count(filters, summary),
        ),
        "can_edit": may_edit,
        "can_assign": may_edit and not filters.subtree,
        "leaders": leaders,
        "today": today,
        "querystring": request.GET.urlencode(),
    }
    return render(request, "rectification/ledger.html", context)


def ledger_url(unit, querystring: str = "") -> str:
    # Parsed and re-encoded, so only our own path with harmless parameters comes back.
    query = QueryDict(querystring).urlencode()
    url = reverse("rectification:ledger", args=[unit.pk])
    return f"{url}?{query}" if query else url


@login_required
def assign(request, unit_pk):
    unit = get_unit_for_user(request.user, unit_pk)
    if refused := post_only(request):
        return refused
    require(may_keep(request.user, unit))
    back = ledger_url(unit, request.POST.get("querystring", ""))
    form = BulkAssignForm(request.POST, unit=unit)
    if not form.is_valid():
        report_form_errors(request, form)
        return redirect(back)
    data = form.cleaned_data
    try:
        changed = services.item_bulk_assign(
            items=data["items"],
            lead_leader=data["lead_leader"],
            responsible_office=data["responsible_office"],
            by=request.user,
        )
    except ValidationError as e:
        report_errors(request, e)
    else:
        messages.success(request, _("已重新分配 %(n)d 个整改事项。") % {"n": changed})
    return redirect(back)
