from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from ..calendar import calendar_for_token, feed_for_user, rotate_token


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
    """Public by design (calendar programs cannot log in); the token is the secret."""
    body = calendar_for_token(token)
    if body is None:
        raise Http404
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="deadlines.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response
