"""The public page of a unit's commitments (公示) and the public's rating (群众评判); no login.

Only PublicItem fields reach the template: no internal notes, no people, no problem text.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.http import report_errors
from core.throttle import client_address
from units.models import Unit

from .. import selectors, services
from ..forms import RatingForm
from ..models import PublicRating


@require_GET
def commitments(request, unit_code):
    unit = get_object_or_404(Unit.objects.only("id", "name", "code"), code=unit_code)
    today = timezone.localdate()
    context = {
        "unit": unit,
        "summary": selectors.public_summary(unit),
        "page": selectors.public_page(unit, today=today, page_number=request.GET.get("page")),
        "min_ratings": selectors.MIN_RATINGS,
        "ratings": PublicRating.Rating.choices,
    }
    return render(request, "rectification/public_commitments.html", context)


@require_POST
def rate(request, unit_code, item_pk):
    unit = get_object_or_404(Unit.objects.only("id", "code"), code=unit_code)
    item = get_object_or_404(selectors.public_items(unit), pk=item_pk)
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            services.rating_cast(
                item=item, rating=form.cleaned_data["rating"], address=client_address(request)
            )
        except ValidationError as e:
            report_errors(request, e)
        else:
            messages.success(request, _("感谢您的评价！"))
    else:
        for error in form.errors.get("rating", []):
            messages.error(request, error)
    url = reverse("rectification:public_commitments", args=[unit.code])
    return redirect(f"{url}#item-{item.pk}")
