"""The public ballot box: no login, mobile first.

Step one takes a code, always by POST: typed, or filled in from the slip's QR link by
static/js/ballot-code.js, which carries it after "#" (/public/ballot/#c=…) where no browser
sends it, so no access log records it. A code in the query string (?c=…) is ignored. Step two
shows the round's targets and questions with the code in a hidden field; submitting spends
the code and stores the anonymous ballot. Nothing here logs or stores the code with the ballot.
"""

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from .. import services, throttle
from ..forms import BallotForm, CodeEntryForm

TOO_MANY = 429


def _blocked(request):
    if not throttle.blocked(throttle.client_address(request)):
        return None
    message = _("输入错误的评议码次数过多，请 %(minutes)d 分钟后再试。") % {
        "minutes": throttle.WINDOW // 60
    }
    context = {"form": CodeEntryForm(), "blocked": message}
    return render(request, "appraisals/ballot_code.html", context, status=TOO_MANY)


def _check_code(request, form):
    """The code's round, or None with the reason on the form (a wrong code is counted)."""
    try:
        code, round = services.ballot_round_for_code(form.cleaned_data["code"])
    except ValidationError as e:
        if e.code == "unknown":
            throttle.note_failure(throttle.client_address(request))
        form.add_error("code", e)
        return None, None
    return code, round


def _ballot_page(request, round, form, status=200):
    context = {"round": round, "unit": round.unit, "form": form}
    return render(request, "appraisals/ballot_form.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def ballot(request):
    if refused := _blocked(request):
        return refused
    if request.method == "POST" and "code" in request.POST and request.POST.get("step") == "vote":
        return _vote(request)
    data = request.POST if request.method == "POST" else None
    form = CodeEntryForm(data)
    if data is not None and form.is_valid():
        code, round = _check_code(request, form)
        if round is not None:
            targets = list(round.targets.all())
            ballot_form = BallotForm(initial={"code": code}, round=round, targets=targets)
            return _ballot_page(request, round, ballot_form)
    if data is None:
        form = CodeEntryForm()
    return render(request, "appraisals/ballot_code.html", {"form": form})


def _vote(request):
    entry = CodeEntryForm(request.POST)
    if not entry.is_valid():
        return render(request, "appraisals/ballot_code.html", {"form": entry})
    code, round = _check_code(request, entry)
    if round is None:
        return render(request, "appraisals/ballot_code.html", {"form": entry})
    form = BallotForm(request.POST, round=round, targets=list(round.targets.all()))
    if not form.is_valid():
        return _ballot_page(request, round, form)
    try:
        services.ballot_cast(code=code, ratings=form.ratings(), answers=form.answers())
    except ValidationError as e:
        if e.code in {"spent", "expired", "early", "unknown"}:
            entry.add_error("code", e)
            return render(request, "appraisals/ballot_code.html", {"form": entry})
        form.add_error(None, e)
        return _ballot_page(request, round, form)
    return redirect("appraisals:ballot_thanks")


@require_GET
def ballot_thanks(request):
    return render(request, "appraisals/ballot_thanks.html")
