"""Factories and fixtures the rectification tests share. They live here, beside the tests,
because tests/conftest.py and tests/factories.py are shared by every feature.

`rw` is the persona world (tests/conftest.py) on 2026-03-10, with unit A's ledger: a team
problem and one item led by the chair (甲主席), due 2026-06-30, with a public commitment and an
internal note. Report day is the 25th, so March's window opens on the 20th.
"""

import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import factory
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from factory.django import DjangoModelFactory

from feedback.models import FourWinds
from rectification import services
from rectification.models import Problem, RectificationItem, Regulation
from tests.factories import PersonFactory, UnitFactory

TZ = ZoneInfo("Asia/Shanghai")
D = datetime.date
START = D(2026, 3, 10)
DEADLINE = D(2026, 6, 30)
PDF = b"%PDF-1.4\n%test\n"
INTERNAL_NOTE = "内部备注：此事涉及信访人王某某，不得公开"
COMMITMENT = "全年会议和文件简报数量比上年减少三分之一以上"


def pdf(name="佐证材料.pdf"):
    return SimpleUploadedFile(name, PDF, "application/pdf")


def at(day: datetime.date, hour: int = 9):
    """Freeze the clock on `day`, Beijing time."""
    moment = datetime.datetime.combine(day, datetime.time(hour), TZ)
    return time_machine.travel(moment, tick=False)


class ProblemFactory(DjangoModelFactory):
    class Meta:
        model = Problem

    unit = factory.SubFactory(UnitFactory)
    title = factory.Sequence(lambda n: f"问题{n}")
    four_winds = FourWinds.FORMALISM
    kind = Problem.Kind.WITH_EFFORT
    scope = Problem.Scope.TEAM


class ItemFactory(DjangoModelFactory):
    """A ledger row straight into the database (no audit); services are tested on their own."""

    class Meta:
        model = RectificationItem

    problem = factory.SubFactory(ProblemFactory)
    unit = factory.LazyAttribute(lambda o: o.problem.unit)
    title = factory.Sequence(lambda n: f"整改事项{n}")
    measures = "制定措施，按月推进"
    lead_leader = factory.SubFactory(PersonFactory, unit=factory.SelfAttribute("..unit"))
    responsible_office = "办公室"
    deadline = DEADLINE


def open_item(world, *, by=None, **overrides) -> RectificationItem:
    """A problem and an item of unit A, made through the services as a user would."""
    problem = services.problem_create(
        unit=world.unit_a,
        by=by or world.alice,
        title=overrides.pop("problem_title", "文山会海，会议多、文件多"),
        description="机关部门陪会多，以文件落实文件。",
        four_winds=FourWinds.FORMALISM,
        kind=Problem.Kind.WITH_EFFORT,
    )
    fields = {
        "title": "精简会议和文件简报",
        "measures": "严格控制会议数量，压缩文件简报",
        "lead_leader": world.chair,
        "responsible_office": "办公室",
        "deadline": DEADLINE,
        "public_commitment": COMMITMENT,
        "internal_note": INTERNAL_NOTE,
    }
    return services.item_create(problem=problem, by=by or world.alice, **(fields | overrides))


def set_status(item: RectificationItem, status: str) -> RectificationItem:
    """Put an item in a status directly, to test the moves out of it."""
    RectificationItem.objects.filter(pk=item.pk).update(
        status=status,
        completed_at=timezone.now() if status in RectificationItem.DONE else None,
    )
    item.refresh_from_db()
    return item


@pytest.fixture
def rw(world):
    with at(START):
        world.item = open_item(world)
        world.problem = world.item.problem
        world.deputy = PersonFactory(unit=world.unit_a, name="甲副主席", position="副主席")
        yield world


# test_every_url.py walks every URL with the campaign world; these fill the rectification
# arguments with objects of unit A, made on first use.
def _objects(w) -> SimpleNamespace:
    if not hasattr(w, "_rectification"):
        item = open_item(w, deadline=timezone.localdate() + datetime.timedelta(days=60))
        regulation = services.regulation_create(
            unit=w.unit_a, by=w.alice, title="会议管理办法", action=Regulation.Action.AMEND
        )
        w._rectification = SimpleNamespace(problem=item.problem, item=item, rule=regulation)
    return w._rectification


EVERY_URL_OBJECTS = {
    "problem_pk": lambda w: _objects(w).problem.pk,
    "item_pk": lambda w: _objects(w).item.pk,
    "regulation_pk": lambda w: _objects(w).rule.pk,
}
