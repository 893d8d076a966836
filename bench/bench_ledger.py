"""Server time of the rectification ledger pages on the scale data.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_ledger
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py seed_scale
    .venv/bin/python bench/bench_ledger.py

seed_scale builds rectification.scale once its step is listed (50,000 problems, 60,000 items,
300,000 progress reports). Goal (issue 7): the ledger page's median under 50 ms on PostgreSQL.
"""

from _harness import client_for, measure, report  # noqa: I001

from django.db.models import Count
from django.test import Client
from django.urls import reverse

from rectification.models import ProgressReport, RectificationItem
from units.models import Unit, User
from demo.scale.units import SCALE_CODE_PREFIX


def main():
    root = Unit.objects.filter(code__startswith=SCALE_CODE_PREFIX, depth=0).get()
    office = User.objects.filter(role=User.Role.OFFICE, home_unit=root).first()
    busy_id, busy_count = (
        RectificationItem.objects.values_list("unit").annotate(n=Count("id")).order_by("-n").first()
    )
    busy = Unit.objects.get(pk=busy_id)
    item = RectificationItem.objects.filter(unit=busy).order_by("-last_report_month").first()
    print(
        f"items {RectificationItem.objects.count():,}; "
        f"reports {ProgressReport.objects.count():,}; "
        f"busy unit {busy.name} with {busy_count:,} items"
    )
    ledger = reverse("rectification:ledger", args=[busy.pk])
    city = reverse("rectification:ledger", args=[root.pk])
    pages = {
        "ledger (busy unit)": ledger,
        "ledger, open+overdue": ledger + "?status=open&overdue=on",
        "ledger, missing reports": ledger + "?missing=on",
        "ledger, by status p10": ledger + "?sort=status&page=10",
        "city-wide ledger": city + "?subtree=on",
        "city-wide, missing": city + "?subtree=on&missing=on",
        "city-wide, page 200": city + "?subtree=on&page=200",
        "overview (office)": reverse("rectification:overview"),
        "item page": reverse("rectification:item_detail", args=[item.pk]),
        "problems (busy unit)": reverse("rectification:problem_list", args=[busy.pk]),
    }
    client = client_for(office)
    for name, url in pages.items():
        report(name, measure(client, url))
    public = reverse("rectification:public_commitments", args=[busy.code])
    report("public page (no login)", measure(Client(), public))


if __name__ == "__main__":
    main()
