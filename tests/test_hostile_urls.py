"""Every URL, with hostile values in every path and query parameter: never a server error.

The walk comes from tests/test_every_url.py, so a page added there (as every new page must
be) is covered here from the day it is added. Each page is asked by the persona that owns it
(and public pages by a signed-out visitor) with one hostile value at a time in the path's
string arguments and in every query parameter a page of this project reads. On PostgreSQL
(CI's second pass) this also proves that no NUL byte reaches the database.
"""

import pytest
from django.test import Client
from django.urls import reverse

from tests.test_every_url import ALL, OBJECTS, OWNER, PUBLIC, SKIPPED_NAMESPACES

HOSTILE = [
    "\x00",
    "a\x00b",
    str(2**63),
    "-99999999999999999999",
    "-1",
    "²",
    "1e309",
    "9999-12-31",
    "0001-01-01",
    "x" * 10_000,
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "-id",
    "nonexistent_sort_key",
    "[]",
]
# Every query parameter a page of this project reads (grep request.GET / request.POST).
QUERY_KEYS = [
    "q", "page", "sort", "order", "status", "campaign", "stage", "unit", "kind", "month",
    "date", "day", "from", "to", "since", "until", "opinions", "ids", "format", "fmt", "subtree",
    "four_winds", "channel", "source_group", "question", "target", "person", "participation",
    "group", "year", "next", "back", "c", "code", "filter", "overdue", "due", "lead",
    "special_campaign", "responsible", "cursor", "after", "before", "per_page",
]  # fmt: skip
PATH_STRING_ARGS = {"unit_code", "token", "kind", "fmt"}
# /healthz/ answers 503 by design while a worker or service is down (no worker runs here).
DESIGNED_503 = {"healthz"}
NAMED = [(name, p) for name, p in ALL if name and name.split(":")[0] not in SKIPPED_NAMESPACES]


def _client(world, name) -> Client:
    client = Client(raise_request_exception=False)
    if name not in PUBLIC:
        user = getattr(world, OWNER.get(name, "alice"))
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _kwargs(name, pattern, world, hostile=None) -> dict:
    kwargs = {}
    for arg in pattern.pattern.regex.groupindex:
        if hostile is not None and arg in PATH_STRING_ARGS:
            kwargs[arg] = hostile
        elif arg == "unit_code":
            kwargs[arg] = world.unit_a.code
        elif arg == "token":
            kwargs[arg] = "no-such-token"
        else:
            kwargs[arg] = OBJECTS[arg](world)
    return kwargs


def _url(name, pattern, world, hostile=None) -> str:
    kwargs = _kwargs(name, pattern, world, hostile)
    if hostile is None:
        return reverse(name, kwargs=kwargs)
    # reverse() refuses values its converters would not match; build the path by hand.
    path = reverse(name, kwargs=_kwargs(name, pattern, world))
    for arg in PATH_STRING_ARGS & set(kwargs):
        path = path.replace(str(_kwargs(name, pattern, world)[arg]), _quote(hostile), 1)
    return path


def _server_error(name, response) -> bool:
    if name in DESIGNED_503 and response.status_code == 503:
        return False
    return response.status_code >= 500


def _quote(value: str) -> str:
    from urllib.parse import quote

    return quote(value, safe="")


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "pattern"), NAMED, ids=[n for n, _p in NAMED])
def test_hostile_parameters_never_give_a_server_error(campaign_world, name, pattern):
    world = campaign_world
    client = _client(world, name)
    url = _url(name, pattern, world)
    failures = []
    for value in HOSTILE:
        query = dict.fromkeys(QUERY_KEYS, value)
        for method in (client.get, client.post):
            response = method(url, query)
            if _server_error(name, response):
                failures.append(
                    f"{method.__name__.upper()} {url} {value[:20]!r}: {response.status_code}"
                )
        if PATH_STRING_ARGS & set(pattern.pattern.regex.groupindex):
            response = client.get(_url(name, pattern, world, hostile=value))
            if _server_error(name, response):
                failures.append(f"GET path {value[:20]!r}: {response.status_code}")
    assert not failures, "\n".join(failures)
