"""The permissions audit: every URL for every role, and object checks on writes.

test_every_url.py proves the owner can open each page and the outsider cannot reach unit A's
objects. Here every persona opens every page: no role ever gets a server error, and the
writes that belong to one role are refused to the others.
"""

import pytest
from django.urls import reverse

from campaign.models import Review
from rectification.models import RectificationItem
from tests.helpers.rectification import EVERY_URL_OBJECTS as LEDGER
from tests.test_every_url import PRIVATE, ids, url_for

# alice (the owner) and charlie (the outsider) are walked in test_every_url.py.
PERSONAS = ("bob", "sam", "leo", "olivia")


def refused(persona: str) -> set[int]:
    """The outsider gets 404 (he must not learn the object exists); others may get 403."""
    return {404} if persona == "charlie" else {403, 404}


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "pattern"), PRIVATE, ids=ids(PRIVATE))
def test_every_role_gets_an_answer_never_an_error(client, campaign_world, name, pattern):
    url = url_for(name, pattern, campaign_world)
    for persona in PERSONAS:
        client.force_login(getattr(campaign_world, persona))
        response = client.get(url)
        assert response.status_code in (200, 302, 403, 404, 405), (persona, response.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["alice", "bob", "leo", "olivia", "charlie"])
def test_only_the_units_supervisor_can_approve(client, campaign_world, persona):
    client.force_login(getattr(campaign_world, persona))
    url = reverse("campaign:review", args=[campaign_world.revision.pk])
    response = client.post(url, {"decision": "approved", "comment": "同意"})
    assert response.status_code in refused(persona)
    assert not Review.objects.filter(revision=campaign_world.revision).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["sam", "leo", "charlie"])
def test_a_supervisor_or_leader_cannot_edit_a_units_ledger(client, campaign_world, persona):
    item = RectificationItem.objects.get(pk=LEDGER["item_pk"](campaign_world))
    client.force_login(getattr(campaign_world, persona))
    response = client.post(
        reverse("rectification:item_edit", args=[item.pk]),
        {"title": "被篡改的整改事项", "measures": "改", "deadline": "2027-01-01"},
    )
    assert response.status_code in refused(persona)
    item.refresh_from_db()
    assert item.title != "被篡改的整改事项"


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["leo", "alice", "bob", "charlie"])
def test_talk_records_are_for_the_supervision_group_only(client, campaign_world, persona):
    client.force_login(getattr(campaign_world, persona))
    url = reverse("campaign:talks", args=[campaign_world.participation.pk])
    assert client.get(url).status_code in refused(persona)


@pytest.mark.django_db
def test_the_supervisor_can_open_the_talk_records(client, campaign_world):
    client.force_login(campaign_world.sam)
    url = reverse("campaign:talks", args=[campaign_world.participation.pk])
    assert client.get(url).status_code == 200
