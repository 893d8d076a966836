"""The public page of a unit's commitments (公示) and the public's rating (群众评判); no login.

Only PublicItem fields reach the template: no internal notes, no people, no problem text.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.http import report_errors
from core.throttle import client_address
from feedback import receipts
from feedback import throttle as box_throttle
from units.models import Unit

from .. import selectors, services
from ..forms import RatingForm
from ..models import PublicRating, RectificationItem
from ..selectors.public import opinion_commitments


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


@require_http_methods(["GET", "POST"])
def receipt(request, unit_code):
    """The citizen types the 查询码 (in a POST, so it never lands in a logged URL) and sees
    what became of the opinion: status, the commitments it led to, the unit's reply."""
    unit = get_object_or_404(Unit.objects.only("id", "name", "code"), code=unit_code)
    context = {"unit": unit, "asked": False}
    status = 200
    if request.method == "POST":
        if not box_throttle.claim_receipt_check(box_throttle.client_address(request)):
            context["error"] = _("查询过于频繁，请 %(minutes)d 分钟后再试。") % {
                "minutes": box_throttle.WINDOW // 60
            }
            status = 429
        else:
            opinion = receipts.opinion_by_receipt(unit, request.POST.get("code", ""))
            context["asked"] = True
            if opinion is None:
                context["error"] = _("查询码不正确，请核对后重新输入。")
            else:
                context.update(
                    status=receipts.PUBLIC_STATUS[opinion.status],
                    status_value=opinion.status,
                    received_on=opinion.received_on,
                    reply=opinion.public_reply,
                    commitments=opinion_commitments(opinion),
                    item_statuses=dict(RectificationItem.Status.choices),
                )
    response = render(request, "rectification/public_receipt.html", context, status=status)
    response["Cache-Control"] = "no-store, private"
    return response
