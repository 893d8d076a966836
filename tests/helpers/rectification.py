"""The rectification tests' dates, texts and builders. The ledger_world fixture
(tests/conftest.py) is the persona world on START with unit A's ledger made by open_item.
Report day is the 25th, so March's window opens on the 20th."""

import datetime
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from feedback.models import FourWinds
from rectification import services
from rectification.models import Problem, RectificationItem, Regulation

D = datetime.date
START = D(2026, 3, 10)
DEADLINE = D(2026, 6, 30)
PDF = b"%PDF-1.4\n%test\n"
INTERNAL_NOTE = "内部备注：此事涉及信访人王某某，不得公开"
COMMITMENT = "全年会议和文件简报数量比上年减少三分之一以上"


def pdf(name="佐证材料.pdf"):
    return SimpleUploadedFile(name, PDF, "application/pdf")


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


# tests/test_every_url.py walks every URL with the campaign world; these fill the rectification
# arguments with objects of unit A, made on first use.
def _objects(world) -> SimpleNamespace:
    if not hasattr(world, "_rectification"):
        item = open_item(world, deadline=timezone.localdate() + datetime.timedelta(days=60))
        regulation = services.regulation_create(
            unit=world.unit_a, by=world.alice, title="会议管理办法", action=Regulation.Action.AMEND
        )
        world._rectification = SimpleNamespace(problem=item.problem, item=item, rule=regulation)
    return world._rectification


EVERY_URL_OBJECTS = {
    "problem_pk": lambda world: _objects(world).problem.pk,
    "item_pk": lambda world: _objects(world).item.pk,
    "regulation_pk": lambda world: _objects(world).rule.pk,
}
