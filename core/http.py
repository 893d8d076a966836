"""Small helpers every app's views use: one POST guard, bound form data, flashed errors."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseNotAllowed


def post_only(request):
    """@require_POST, applied after the scope check so that an outsider's GET is a 404 too."""
    return None if request.method == "POST" else HttpResponseNotAllowed(["POST"])


def bound(request):
    return (request.POST, request.FILES) if request.method == "POST" else (None, None)


def report_errors(request, error: ValidationError) -> None:
    """Each message of a domain error becomes one flashed error, in the user's language."""
    for message in error.messages:
        messages.error(request, message)
