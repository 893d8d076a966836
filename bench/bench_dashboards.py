"""Server time of the dashboards on the scale data.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/campaign_scale \
        .venv/bin/python bench/bench_dashboards.py

Goal (issue 10): each dashboard at most 15 queries, median under 150 ms on PostgreSQL.
"""

from _harness import client_for, measure, report  # noqa: I001

from django.db.models import Count
from django.urls import reverse

from campaign.models import Campaign, Participation
from units.models import Unit, User
from demo.scale.units import SCALE_CODE_PREFIX


def main():
    root = Unit.objects.filter(code__startswith=SCALE_CODE_PREFIX, depth=0).get()
    office = User.objects.filter(role=User.Role.OFFICE, home_unit=root).first()
    campaign = Campaign.objects.filter(organiser=root).first()
    supervisor = (
        User.objects.filter(role=User.Role.SUPERVISOR, supervision_groups__units__isnull=False)
        .annotate(n=Count("supervision_groups__units"))
        .order_by("-n")
        .first()
    )
    busy = (
        Participation.objects.filter(campaign=campaign)
        .annotate(n=Count("activities"))
        .order_by("-n")
        .select_related("unit")
        .first()
    )
    staff = User.objects.filter(role=User.Role.UNIT_STAFF, home_unit=busy.unit).first() or office
    print(
        f"units {Unit.objects.count():,}; participations {campaign.participations.count():,}; "
        f"supervisor {supervisor.username} ({supervisor.n} supervised units)"
    )
    pages = {
        "office dashboard": (office, reverse("dashboards:dashboard", args=[campaign.pk])),
        "supervisor dashboard": (
            supervisor,
            reverse("dashboards:supervision_dashboard", args=[campaign.pk]),
        ),
        "unit dashboard (busy unit)": (
            staff,
            reverse("dashboards:unit_dashboard", args=[busy.pk]),
        ),
    }
    for name, (user, url) in pages.items():
        report(name, measure(client_for(user), url))


if __name__ == "__main__":
    main()
