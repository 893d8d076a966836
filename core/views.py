from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import FileResponse
from django.shortcuts import get_object_or_404, render

from campaign.models import Participation
from campaign.scope import visible_campaigns
from units.models import LiaisonPoint, User
from units.scope import visible_groups, visible_units

from .models import Attachment


@login_required
def home(request):
    """One home page, with the part that fits the user's role."""
    user = request.user
    context = {"role": user.role if not user.is_superuser else User.Role.ADMIN}
    units = visible_units(user)
    if user.is_admin or user.role == User.Role.OFFICE:
        context["kind_counts"] = list(units.values("kind").annotate(n=Count("id")).order_by("kind"))
        context["unit_total"] = sum(row["n"] for row in context["kind_counts"])
        context["group_count"] = visible_groups(user).count()
    elif user.role == User.Role.SUPERVISOR:
        context["groups"] = user.supervision_groups.prefetch_related("units").order_by("id")
    else:
        context["home_unit"] = user.home_unit
        if user.home_unit_id:
            context["sub_unit_count"] = (
                units.filter(path__startswith=user.home_unit.path)
                .exclude(pk=user.home_unit_id)
                .count()
            )
        if user.person_id:
            context["liaison_points"] = LiaisonPoint.objects.filter(
                leader_id=user.person_id
            ).select_related("unit")
    context["participations"] = (
        Participation.objects.filter(unit_id=user.home_unit_id)
        .select_related("campaign", "current_stage")
        .order_by("-campaign__start_date")
        if user.home_unit_id and user.role in (User.Role.UNIT_STAFF, User.Role.LEADER)
        else []
    )
    context["campaigns"] = visible_campaigns(user).order_by("-start_date")[:10]
    kind_labels = dict(units.model.Kind.choices)
    for row in context.get("kind_counts", []):
        row["label"] = kind_labels.get(row["kind"], row["kind"])
    return render(request, "core/home.html", context)


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
