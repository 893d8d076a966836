from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from ..calendar import calendar_body, calendar_etag, feed_for_user, feed_user, rotate_token


@login_required
@require_http_methods(["GET", "POST"])
def calendar_settings(request):
    """Shows the user's private feed address; POST makes a new one (the old stops working)."""
    if request.method == "POST":
        rotate_token(user=request.user)
        return redirect("campaign:calendar")
    feed = feed_for_user(request.user)
    return render(request, "campaign/calendar.html", {"feed": feed})


def calendar_feed(request, token):
    """Public by design (calendar programs cannot log in); the token is the secret.
    An unchanged feed answers 304 to If-None-Match, without rendering the calendar."""
    user = feed_user(token)
    if user is None:
        raise Http404
    etag = calendar_etag(user)
    if etag in _etags(request.headers.get("If-None-Match", "")):
        response = HttpResponseNotModified()
    else:
        body = calendar_body(user, etag)
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["ETag"] = etag
    response["Content-Disposition"] = 'inline; filename="deadlines.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response


def _etags(header: str) -> set[str]:
    return {t.strip().removeprefix("W/") for t in header.split(",") if t.strip()}
