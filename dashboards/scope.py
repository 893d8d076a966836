"""Fetching the shared files (core's attachments and generated reports) for a user, always
through units.scope: an object outside the user's scope is a 404."""

from django.shortcuts import get_object_or_404

from core.models import Attachment, ReportFile
from units.scope import visible_units


def get_attachment_for_user(user, pk) -> Attachment:
    return get_object_or_404(Attachment.objects.filter(unit__in=visible_units(user)), pk=pk)


def get_report_for_user(user, pk) -> ReportFile:
    """The user's own report; anyone else's is a 404, admins' and colleagues' included.

    A report is built for the view of the user who asked (what a leader may not read about
    himself, what an inspector's findings cover, a round's results as each may see them), so
    the one user whose view is surely the same is the requester: everyone else asks for his
    own copy."""
    return get_object_or_404(ReportFile.objects.select_related("unit"), pk=pk, requested_by=user)
