"""Server time of the main pages on the scale data.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/campaign_scale \
        .venv/bin/python bench/bench_pages.py

Goals: unit workspace and campaign page (issue 3) and the review queue (issue 4) median
under 50 ms on PostgreSQL.
"""

from _harness import client_for, measure, report  # noqa: I001

from django.db.models import Count
from django.urls import reverse

from campaign.models import Campaign, Material, Participation
from units.models import Unit, User
from demo.scale.units import SCALE_CODE_PREFIX


def main():
    root = Unit.objects.filter(code__startswith=SCALE_CODE_PREFIX, depth=0).get()
    office = User.objects.filter(role=User.Role.OFFICE, home_unit=root).first()
    campaign = Campaign.objects.filter(organiser=root).first()
    # A busy unit: the participation with the most activities.
    busy = (
        Participation.objects.filter(campaign=campaign)
        .annotate(n=Count("activities"))
        .order_by("-n")
        .select_related("unit")
        .first()
    )
    staff = User.objects.filter(role=User.Role.UNIT_STAFF, home_unit=busy.unit).first() or office
    district = Unit.objects.filter(path__startswith=root.path, kind=Unit.Kind.DISTRICT).first()
    print(f"units {Unit.objects.count():,}; participations {campaign.participations.count():,}")
    pages = {
        "unit tree (office)": (office, reverse("units:tree")),
        "unit search (office)": (office, reverse("units:tree") + "?q=街道"),
        "unit page (district)": (office, reverse("units:detail", args=[district.pk])),
        "campaign page": (office, reverse("campaign:detail", args=[campaign.pk])),
        "campaign page, district": (
            office,
            reverse("campaign:detail", args=[campaign.pk]) + f"?district={district.pk}&sort=late",
        ),
        "campaign page, page 50": (
            office,
            reverse("campaign:detail", args=[campaign.pk]) + "?sort=late&page=50",
        ),
        "unit workspace (busy unit)": (staff, reverse("campaign:workspace", args=[busy.pk])),
        "unit materials": (staff, reverse("campaign:materials", args=[busy.pk])),
    }
    supervisor = (
        User.objects.filter(role=User.Role.SUPERVISOR, supervision_groups__units__isnull=False)
        .annotate(n=Count("supervision_groups__units"))
        .order_by("-n")
        .first()
    )
    material = Material.objects.filter(participation=busy).order_by("-revision_count").first()
    if supervisor:
        pages["review queue (supervisor)"] = (supervisor, reverse("campaign:review_queue"))
    if material:
        pages["material page"] = (office, reverse("campaign:material", args=[material.pk]))
    for name, (user, url) in pages.items():
        report(name, measure(client_for(user), url))


if __name__ == "__main__":
    main()
