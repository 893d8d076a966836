"""The responses every download goes through: start a report (the file at once when it is
small, the status page when it goes to the worker) and send a file under its Chinese name."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from ..http import safe_back
from ..models import ReportFile
from .names import ascii_name, content_disposition
from .registry import all_kinds
from .services import file_path, report_render, report_request


def report_response(request, *, kind: str, fmt: str, params: dict) -> HttpResponse:
    """Request `kind` for the signed-in user. Building the report checks the user's scope
    (Http404 or PermissionDenied stop here); input that does not fit goes back to the page."""
    try:
        report_file, inline = report_request(kind=kind, fmt=fmt, params=params, by=request.user)
    except ValidationError as e:
        return report_refused(request, e)
    if inline:
        report_render(report_file=report_file)
        if report_file.status == ReportFile.Status.DONE:
            return report_file_response(report_file)
    return redirect("report_status", report_pk=report_file.pk)


def report_refused(request, error: ValidationError) -> HttpResponse:
    for message in error.messages:
        messages.error(request, message)
    return safe_back(request, request.META.get("HTTP_REFERER", ""), reverse("reports"))


def report_file_response(report_file: ReportFile) -> FileResponse:
    """A finished report's stored file, under its Chinese name."""
    kind = all_kinds().get(report_file.kind)
    stem = getattr(kind.report_class, "filename", "") if kind else ""
    day = timezone.localdate(report_file.created_at)
    fallback = ascii_name(stem or "report", day=day, fmt=report_file.fmt)
    return file_response(
        open(file_path(report_file), "rb"),
        filename=report_file.filename,
        fallback=fallback,
        content_type=report_file.content_type,
    )


def file_response(
    content, *, filename: str, content_type: str, fallback: str | None = None
) -> HttpResponse:
    """`content` (bytes, or an open binary file streamed and closed afterwards) as an
    attachment named `filename`, with an ASCII `fallback` for old browsers."""
    if isinstance(content, bytes):
        response = HttpResponse(content, content_type=content_type)
    else:
        response = FileResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename, fallback=fallback)
    return response
