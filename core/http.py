"""Small helpers every app's views use: one POST guard, bound form data, flashed errors."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme


def post_only(request):
    """@require_POST, applied after the scope check so that an outsider's GET is a 404 too."""
    return None if request.method == "POST" else HttpResponseNotAllowed(["POST"])


def bound(request):
    return (request.POST, request.FILES) if request.method == "POST" else (None, None)


def report_errors(request, error: ValidationError) -> None:
    """Each message of a domain error becomes one flashed error, in the user's language."""
    for message in error.messages:
        messages.error(request, message)


def is_id(value) -> bool:
    """A database id as a URL or form may carry it: ASCII digits that fit in a bigint.

    str.isdigit() alone lets in '²' (int() refuses it) and numbers past 2**63 (SQLite
    refuses them with OverflowError): both were server errors.
    """
    value = str(value)
    return value.isascii() and value.isdigit() and len(value) <= 18


def parse_ids(values) -> list[int]:
    """The ids among the values, in order; anything else is dropped."""
    return [int(v) for v in values if is_id(v)]


def safe_back(request, back: str, fallback: str) -> HttpResponseRedirect:
    """Redirect to `back` (a form's next field, the Referer) only if it is a path on this site.

    redirect() would take a bare word such as "-1" for a view name and fail with a server
    error; only absolute paths of this host pass, anything else goes to the fallback.
    """
    ours = back.startswith("/") and url_has_allowed_host_and_scheme(
        back, {request.get_host()}, request.is_secure()
    )
    return HttpResponseRedirect(back if ours else fallback)


def report_form_errors(request, form) -> None:
    """A form posted from another page (a bulk bar, a small inline form): each of its errors
    becomes one flashed error, since the redirect back cannot show the form itself."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
