"""Walk every URL pattern of the project and check the scope promise on each.

When a later feature adds a URL with a new argument, register how to fill it in OBJECTS
(with an object that belongs to unit A, which the outsider charlie must not reach), and the
persona that owns it in OWNER if it is not alice. Public pages go in PUBLIC.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import SECRET_UNIT_NAME
from tests.helpers import appraisals
from tests.helpers.inspections import EVERY_URL_OBJECTS as INSPECTION_OBJECTS
from tests.helpers.inspections import OWNERS as INSPECTION_OWNERS
from tests.helpers.rectification import EVERY_URL_OBJECTS as RECTIFICATION_OBJECTS

PUBLIC = {
    "healthz",
    "login",
    "logout",
    "set_language",
    "campaign:calendar_feed",
    "rectification:public_commitments",
    "rectification:public_rate",
    "rectification:public_receipt",
    "feedback:public_box",
    "feedback:public_thanks",
    *appraisals.PUBLIC,
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
    **INSPECTION_OBJECTS,
    **appraisals.EVERY_URL_OBJECTS,
    "opinion_pk": lambda w: (
        w.unit_a.opinions.get_or_create(
            text="甲单位的一条意见", defaults={"channel": "symposium", "received_on": "2026-01-15"}
        )[0].pk
    ),
    "opinion_group_pk": lambda w: _opinion_group(w).pk,
    # Reports (helper E): a finished report of unit A by alice; the kind of report to start.
    "report_pk": lambda w: _report(w).pk,
    "kind": lambda w: "rectification.ledger",
    "fmt": lambda w: "xlsx",
}
# Pages only the campaign office may open; everything else is alice's (unit A's staff).
OWNER: dict[str, str] = {
    "campaign:create": "olivia",
    "campaign:enrol": "olivia",
    "campaign:tasks": "olivia",
    "campaign:definition_create": "olivia",
    "campaign:definition_edit": "olivia",
    "campaign:definition_batch": "olivia",
    "campaign:review_queue": "sam",
    "campaign:review": "sam",
    "campaign:talks": "sam",
    "campaign:stage_waive": "olivia",
    **INSPECTION_OWNERS,
    **appraisals.OWNERS,
}
# State changes answer POST only; the owner's GET may be 405 there.
POST_ONLY = {
    "report_start",
    "campaign:activity_delete",
    "campaign:task_complete",
    "campaign:task_reopen",
    "campaign:material_start",
    "campaign:material_submit",
    "campaign:review",
    "campaign:stage_waive",
    "campaign:definition_batch",
    "rectification:assign",
    "rectification:item_start",
    "rectification:item_complete",
    "rectification:item_verify",
    "rectification:item_return",
    "rectification:regulation_adopt",
    "feedback:opinion_annotate",
    "feedback:opinion_campaign",
    "feedback:opinion_reply",
    "feedback:opinion_bulk",
    "feedback:opinion_status",
    "feedback:groups_suggest",
    "feedback:group_confirm",
    "feedback:group_merge",
    "feedback:group_split",
    "feedback:group_dissolve",
    *appraisals.POST_ONLY,
}


def _report(w):
    from core.models import ReportFile
    from core.reports.services import report_render, report_request

    report = ReportFile.objects.filter(requested_by=w.alice).first()
    if report is None:
        report, _inline = report_request(
            kind="rectification.ledger", fmt="xlsx", params={"unit": w.unit_a.pk}, by=w.alice
        )
        report_render(report_file=report)
    return report


def _opinion_group(w):
    """A near-duplicate group of two of unit A's opinions (helper B)."""
    from feedback.models import OpinionGroup

    group = OpinionGroup.objects.filter(unit=w.unit_a).first()
    if group is None:
        rows = [
            w.unit_a.opinions.create(text=t, channel="symposium", received_on="2026-01-15")
            for t in ("会议太多", "会议太多了")
        ]
        group = OpinionGroup.objects.create(unit=w.unit_a, representative=rows[0])
        for row in rows:
            group.members.create(opinion=row)
    return group


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
    expected = 405 if name in POST_ONLY else appraisals.OWNER_STATUS.get(name, 200)
    assert client.get(url_for(name, pattern, world)).status_code == expected


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "pattern"), WITH_OBJECT, ids=ids(WITH_OBJECT))
def test_outsider_gets_404_for_another_units_object(client, campaign_world, name, pattern):
    """charlie cannot tell unit A's objects from ones that do not exist: 404, never 403."""
    client.force_login(campaign_world.charlie)
    url = url_for(name, pattern, campaign_world)
    assert client.get(url).status_code == 404
    response = client.post(url)
    if response.status_code == 405:  # a read-only page refuses POST to everyone, before any lookup
        assert "POST" not in response["Allow"]
    else:
        assert response.status_code == 404


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
