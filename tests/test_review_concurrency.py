"""Two supervisors decide on the same revision at the same moment: one decision is kept, the
other is refused with a clear message, whichever database the suite runs on."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from campaign import services as cs
from campaign.models import Material, Review, Revision
from tests.factories import UserFactory
from units.models import User

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_decisions_at_once_keep_exactly_one(campaign_world):
    w = campaign_world
    colleague = UserFactory(username="sam2", role=User.Role.SUPERVISOR, home_unit=w.city)
    w.group_a.members.add(colleague)
    start = threading.Barrier(2, timeout=30)
    outcomes: dict[str, object] = {}

    def decide(name, user, decision, comment):
        try:
            # Each thread loads its own objects over its own connection, as two requests would.
            revision = Revision.objects.get(pk=w.revision.pk)
            user = User.objects.get(pk=user.pk)
            start.wait()
            outcomes[name] = cs.review_decide(
                revision=revision, decision=decision, comment=comment, by=user
            )
        except Exception as e:  # the test inspects what each thread got
            outcomes[name] = e
        finally:
            connection.close()

    threads = [
        threading.Thread(target=decide, args=("sam", w.sam, "approve", "")),
        threading.Thread(target=decide, args=("sam2", colleague, "return", "请修改。")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads)

    won = [o for o in outcomes.values() if isinstance(o, Review)]
    refused = [o for o in outcomes.values() if isinstance(o, ValidationError)]
    assert len(won) == 1 and len(refused) == 1, outcomes
    assert "已经审核过了" in refused[0].messages[0]
    review = Review.objects.get(revision=w.revision)
    assert review.pk == won[0].pk
    material = Material.objects.get(pk=w.material.pk)
    expected = {"approve": Material.Status.APPROVED, "return": Material.Status.RETURNED}
    assert material.status == expected[review.decision]
