"""The reminder tests' world: campaign_world built on Friday 2026-01-16, everyone with an
e-mail address. Units A and A1 were enrolled on the 10th, so each has 制订学习计划 due on
the 15th; unit A's material was submitted on the 16th. Report day is the 25th, so January's
report window opens on the 20th. A day's digest depends only on the data and the day, so the
tests build digests for days around the 16th.
"""

import datetime

import pytest

from tests.test_rectification_support import at
from units.models import User

BUILT = datetime.date(2026, 1, 16)


@pytest.fixture
def frozen():
    with at(BUILT):
        yield


@pytest.fixture
def w(frozen, campaign_world):
    for user in User.objects.all():
        user.email = f"{user.username}@example.com"
        user.save(update_fields=["email"])
    return campaign_world
