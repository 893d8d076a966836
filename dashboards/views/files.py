"""Files and reports: stored attachments, generated reports and the user's notices, each
fetched through dashboards.scope."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.models import ReportFile
from core.reports.http import file_response, report_file_response, report_refused, report_response
from core.reports.registry import get_kind
from core.reports.services import file_path as report_file_path
from core.reports.services import report_fail_stale
from units.scope import get_unit_for_user

from ..scope import get_attachment_for_user, get_report_for_user


@login_required
def attachment_download(request, attachment_pk):
    """The only way to a stored file: the unit scope decides, and the file is never public."""
    attachment = get_attachment_for_user(request.user, attachment_pk)
    return file_response(
        attachment.file.open("rb"), filename=attachment.name, content_type=attachment.mime
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
    except ValidationError as e:
        return report_refused(request, e)
    return report_response(request, kind=kind, fmt=fmt, params=params)


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
    return report_file_response(report_file)


@login_required
@require_GET
def report_list(request):
    """The user's own recent reports, so a file started earlier can be found again."""
    rows = request.user.report_files.order_by("-created_at", "-id")[:50]
    return render(request, "reports/list.html", {"reports": rows})
