"""The batch form takes at most 500 lines a post (issue 17, item 8): a Chinese error, and
nothing saved."""

import pytest
from django.urls import reverse

from feedback.models import Opinion
from feedback.services.intake import BATCH_MAX

pytestmark = pytest.mark.django_db


def post(client, w, n):
    lines = "\n".join(f"第{i}条意见" for i in range(n))
    data = {"channel": "symposium", "received_on": "2026-01-15", "lines": lines}
    return client.post(reverse("feedback:opinion_batch", args=[w.unit_a.pk]), data)


def test_five_hundred_lines_go_in(client, world):
    client.force_login(world.alice)
    assert BATCH_MAX == 500
    assert post(client, world, 500).status_code == 302
    assert Opinion.objects.count() == 500


@pytest.mark.parametrize("n", [501, 5000])
def test_more_lines_are_refused_in_chinese_and_nothing_is_saved(client, world, n):
    client.force_login(world.alice)
    response = post(client, world, n)
    assert response.status_code == 200
    page = response.content.decode()
    assert f"一次最多录入 500 条意见（本次 {n} 条）" in page and "本次未保存任何意见" in page
    assert not Opinion.objects.exists()
