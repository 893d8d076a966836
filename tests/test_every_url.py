"""Walk every URL pattern of the project and check the scope promise on each.

When a later feature adds a URL with a new argument, register how to fill it in OBJECTS
(with an object that belongs to unit A, which the outsider charlie must not reach), and the
persona that owns it in OWNER if it is not alice. Public pages go in PUBLIC.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import SECRET_UNIT_NAME
from tests.test_rectification_support import EVERY_URL_OBJECTS as RECTIFICATION_OBJECTS

PUBLIC = {
    "login",
    "logout",
    "set_language",
    "campaign:calendar_feed",
    "rectification:public_commitments",
    "rectification:public_rate",
    "feedback:public_box",
    "feedback:public_thanks",
}
SKIPPED_NAMESPACES = {"admin"}  # the admin has its own test below

OBJECTS = {
    "unit_pk": lambda w: w.unit_a.pk,
    "group_pk": lambda w: w.group_a.pk,
    "person_pk": lambda w: w.chair.pk,
    "attachment_pk": lambda w: w.attachment.pk,
    "campaign_pk": lambda w: w.campaign.pk,
    "stage_pk": lambda w: w.stage1.pk,
    "definition_pk": lambda w: w.definition.pk,
    "participation_pk": lambda w: w.participation.pk,
    "activity_pk": lambda w: w.activity.pk,
    "task_pk": lambda w: w.task_plan.pk,
    "material_pk": lambda w: w.material.pk,
    "revision_pk": lambda w: w.revision.pk,
    # problem_pk, item_pk, regulation_pk: unit A's ledger, made on first use.
    **RECTIFICATION_OBJECTS,
    "opinion_pk": lambda w: (
        w.unit_a.opinions.get_or_create(
            text="甲单位的一条意见", defaults={"channel": "symposium", "received_on": "2026-01-15"}
        )[0].pk
    ),
}
# Pages only the campaign office may open; everything else is alice's (unit A's staff).
OWNER: dict[str, str] = {
    "campaign:create": "olivia",
    "campaign:enrol": "olivia",
    "campaign:tasks": "olivia",
    "campaign:definition_create": "olivia",
    "campaign:definition_edit": "olivia",
    "campaign:review_queue": "sam",
    "campaign:review": "sam",
    "campaign:talks": "sam",
    "campaign:stage_waive": "olivia",
}
# State changes answer POST only; the owner's GET may be 405 there.
POST_ONLY = {
    "campaign:activity_delete",
    "campaign:task_complete",
    "campaign:task_reopen",
    "campaign:material_start",
    "campaign:material_submit",
    "campaign:review",
    "campaign:stage_waive",
    "rectification:assign",
    "rectification:item_start",
    "rectification:item_complete",
    "rectification:item_verify",
    "rectification:item_return",
    "rectification:regulation_adopt",
    "feedback:opinion_annotate",
}


def _walk(patterns, namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            if p.namespace not in SKIPPED_NAMESPACES:
                yield from _walk(p.url_patterns, ns)
        elif isinstance(p, URLPattern):
            yield f"{namespace}{p.name}" if p.name else None, p


ALL = list(_walk(get_resolver().url_patterns))
PRIVATE = [(name, p) for name, p in ALL if name not in PUBLIC]
WITH_OBJECT = [(n, p) for n, p in PRIVATE if p.pattern.regex.groupindex]
WITHOUT_OBJECT = [(n, p) for n, p in PRIVATE if not p.pattern.regex.groupindex]


def url_for(name, pattern, world):
    kwargs = {}
    for arg in pattern.pattern.regex.groupindex:
        if arg not in OBJECTS:
            pytest.fail(f"URL {name} takes {arg!r}: register it in OBJECTS in {__file__}")
        kwargs[arg] = OBJECTS[arg](world)
    return reverse(name, kwargs=kwargs)


def ids(items):
    return [name for name, _p in items]


def test_every_url_has_a_name():
    assert all(name for name, _p in ALL), "every URL needs a name so this walk can test it"


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "pattern"), PRIVATE, ids=ids(PRIVATE))
def test_signed_out_visitor_is_sent_to_log_in(client, campaign_world, name, pattern):
    response = client.get(url_for(name, pattern, campaign_world))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "pattern"), PRIVATE, ids=ids(PRIVATE))
def test_owner_can_open_the_page(client, campaign_world, name, pattern):
    """Proves the objects the walk uses are real, so the 404s below mean something."""
    world = campaign_world
    client.force_login(getattr(world, OWNER.get(name, "alice")))
    expected = 405 if name in POST_ONLY else 200
    assert client.get(url_for(name, pattern, world)).status_code == expected


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "pattern"), WITH_OBJECT, ids=ids(WITH_OBJECT))
def test_outsider_gets_404_for_another_units_object(client, campaign_world, name, pattern):
    client.force_login(campaign_world.charlie)
    url = url_for(name, pattern, campaign_world)
    assert client.get(url).status_code in (403, 404)
    assert client.post(url).status_code in (403, 404, 405)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "pattern"), WITHOUT_OBJECT, ids=ids(WITHOUT_OBJECT))
def test_outsider_never_sees_another_units_data(client, campaign_world, name, pattern):
    client.force_login(campaign_world.charlie)
    response = client.get(url_for(name, pattern, campaign_world), {"q": "甲"})
    assert response.status_code in (200, 403)  # 403: a page for another role, e.g. new campaign
    assert SECRET_UNIT_NAME not in response.content.decode()


@pytest.mark.django_db
def test_admin_is_closed_to_everyone_but_admins(client, world):
    for persona in ("alice", "sam", "olivia", "leo"):
        client.force_login(getattr(world, persona))
        response = client.get(reverse("admin:units_unit_changelist"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
