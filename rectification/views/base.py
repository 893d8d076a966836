"""Small helpers every rectification view uses."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseNotAllowed


def post_only(request):
    """@require_POST, applied after the scope check so that an outsider's GET is a 404 too."""
    return None if request.method == "POST" else HttpResponseNotAllowed(["POST"])


def bound(request):
    return (request.POST, request.FILES) if request.method == "POST" else (None, None)


def report_errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)
