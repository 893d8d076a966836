"""Files and reports: stored attachments, generated reports and the user's notices, each
fetched through units.scope."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET

from core.models import Attachment, ReportFile
from core.reports.registry import get_kind
from core.reports.services import file_path as report_file_path
from core.reports.services import report_fail_stale, report_render, report_request
from units.scope import can_see_unit, get_unit_for_user, visible_units


@login_required
def attachment_download(request, attachment_pk):
    """The only way to a stored file: the unit scope decides, and the file is never public."""
    attachment = get_object_or_404(
        Attachment.objects.filter(unit__in=visible_units(request.user)), pk=attachment_pk
    )
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.mime,
    )


@login_required
def notifications(request):
    """The user's notices, newest first; opening the page marks them read."""
    from django.core.paginator import Paginator
    from django.utils import timezone

    rows = request.user.notifications.all()
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    unread_ids = [n.pk for n in page if n.read_at is None]
    if unread_ids:
        request.user.notifications.filter(pk__in=unread_ids).update(read_at=timezone.now())
    return render(request, "core/notifications.html", {"page": page, "unread_ids": unread_ids})


# Reports (core.reports): start one, watch it, download it. -----------------------------


def get_report_for_user(user, pk) -> ReportFile:
    """The requester's own report, or one on a unit the user may see; 404 otherwise."""
    report_file = get_object_or_404(ReportFile.objects.select_related("unit"), pk=pk)
    if report_file.requested_by_id == user.pk:
        return report_file
    if report_file.unit is not None and can_see_unit(user, report_file.unit):
        return report_file
    raise Http404


@login_required
def report_start(request, unit_pk, kind, fmt):
    """The download buttons post here with the page's filters in the query string. Every
    report covers a unit the user may see (and, by its parameters, what is below it). A small
    report comes back at once; a big one goes to the worker and the status page."""
    unit = get_unit_for_user(request.user, unit_pk)
    report_kind = get_kind(kind, fmt)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        params = {**report_kind.report_class.params_from_request(request), "unit": unit.pk}
        report_file, inline = report_request(kind=kind, fmt=fmt, params=params, by=request.user)
    except ValidationError as e:
        for message in e.messages:
            messages.error(request, message)
        return redirect(_safe_back(request))
    if inline:
        report_render(report_file=report_file)
        if report_file.status == ReportFile.Status.DONE:
            return _file_response(report_file)
    return redirect("report_status", report_pk=report_file.pk)


def _safe_back(request) -> str:
    back = request.META.get("HTTP_REFERER", "")
    if back and url_has_allowed_host_and_scheme(back, {request.get_host()}):
        return back
    return reverse("reports")


def _file_response(report_file: ReportFile) -> FileResponse:
    return FileResponse(
        open(report_file_path(report_file), "rb"),
        as_attachment=True,
        filename=report_file.filename,
        content_type=report_file.content_type,
    )


@login_required
@require_GET
def report_status(request, report_pk):
    """Polled by htmx every two seconds until the file is ready or has failed."""
    report_file = get_report_for_user(request.user, report_pk)
    if not report_file.is_finished and report_fail_stale(pk=report_file.pk):
        report_file.refresh_from_db()
    template = (
        "reports/_status.html" if request.headers.get("HX-Request") else "reports/status.html"
    )
    return render(request, template, {"report": report_file})


@login_required
@require_GET
def report_download(request, report_pk):
    report_file = get_report_for_user(request.user, report_pk)
    if report_file.status != ReportFile.Status.DONE or not report_file_path(report_file).exists():
        raise Http404
    return _file_response(report_file)


@login_required
@require_GET
def report_list(request):
    """The user's own recent reports, so a file started earlier can be found again."""
    rows = request.user.report_files.order_by("-created_at", "-id")[:50]
    return render(request, "reports/list.html", {"reports": rows})
