"""Free-text search over a unit with its sub-units (issue 17, item 7): the page and the count
come from the keys of the newest matches, and paging forward and back walks every match once
in order."""

import datetime

import pytest
from django.urls import reverse

from feedback.models import Opinion
from feedback.selectors import PAGE_SIZE

pytestmark = pytest.mark.django_db


def test_paging_a_subtree_search_walks_every_match_once(client, world):
    day = datetime.date(2026, 1, 1)
    rows = []
    for i in range(2 * PAGE_SIZE + 7):
        unit = world.unit_a if i % 2 else world.unit_a1
        rows.append(Opinion(unit=unit, text=f"门难进第{i}条", channel="box",
                            received_on=day + datetime.timedelta(days=i % 9)))  # fmt: skip
        rows.append(Opinion(unit=unit, text=f"别的意见{i}", channel="box", received_on=day))
    Opinion.objects.bulk_create(rows)
    Opinion.objects.create(
        unit=world.unit_b, text="门难进（乙单位）", channel="box", received_on=day
    )
    expected = list(
        Opinion.objects.filter(unit__in=[world.unit_a, world.unit_a1], text__contains="门难进")
        .order_by("-received_on", "-id")
        .values_list("id", flat=True)
    )
    client.force_login(world.alice)
    url = reverse("feedback:opinion_list", args=[world.unit_a.pk])
    seen, params, pages = [], {"subtree": "on", "q": "门难进"}, []
    while True:
        page = client.get(url, params).context["page"]
        assert page.count == len(expected) and not page.count_capped
        pages.append(page)
        seen += [o.pk for o in page]
        if not page.next_cursor:
            break
        params = {"subtree": "on", "q": "门难进", "after": page.next_cursor}
    assert seen == expected
    back = client.get(url, {"subtree": "on", "q": "门难进", "before": pages[-1].previous_cursor})
    assert [o.pk for o in back.context["page"]] == [o.pk for o in pages[-2]]
