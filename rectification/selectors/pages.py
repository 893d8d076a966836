"""Problems, the rules inventory and the overview of the user's units."""

import datetime
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet

from core.models import Attachment, AuditLog
from core.services import attachments_for, history_for
from units.models import Unit
from units.scope import _root_paths

from ..models import Problem, RectificationItem, Regulation
from .items import HISTORY_LIMIT
from .ledger import OPEN, PAGE_SIZE, Status, ledger_items, ledger_summary


def problem_page(unit: Unit, *, kind: str = "", four_winds: str = "", page_number) -> Page:
    """One page of the unit's problems, newest first, each with its items counted."""
    rows = Problem.objects.filter(unit=unit)
    if kind:
        rows = rows.filter(kind=kind)
    if four_winds:
        rows = rows.filter(four_winds=four_winds)
    rows = rows.select_related("person", "campaign").order_by("-created_at", "-id")
    page = Paginator(rows, PAGE_SIZE).get_page(page_number)
    page.object_list = list(page.object_list)
    counts = {
        row["problem_id"]: row
        for row in RectificationItem.objects.filter(problem__in=page.object_list)
        .values("problem_id")
        .annotate(n=Count("id"), open=Count("id", filter=Q(status__in=OPEN)))
        .order_by()
    }
    for problem in page.object_list:
        row = counts.get(problem.pk, {})
        problem.item_count, problem.open_count = row.get("n", 0), row.get("open", 0)
    return page


def problem_items(problem: Problem) -> list[RectificationItem]:
    return list(problem.items.select_related("lead_leader").order_by("deadline", "id"))


def problem_history(problem: Problem) -> list[AuditLog]:
    return list(history_for(problem)[:HISTORY_LIMIT])


def regulation_rows(unit: Unit, *, action: str = "", status: str = "") -> QuerySet[Regulation]:
    rows = Regulation.objects.filter(unit=unit)
    if action:
        rows = rows.filter(action=action)
    if status:
        rows = rows.filter(status=status)
    return rows.annotate(item_count=Count("items")).order_by("action", "status", "-id")


@dataclass
class RegulationDetail:
    items: list[RectificationItem]
    documents: list[Attachment]
    history: list[AuditLog]


def regulation_detail(regulation: Regulation) -> RegulationDetail:
    return RegulationDetail(
        items=list(regulation.items.select_related("lead_leader").order_by("deadline", "id")),
        documents=list(attachments_for(regulation).order_by("uploaded_at", "id")),
        history=list(history_for(regulation)[:HISTORY_LIMIT]),
    )


@dataclass
class OverviewRow:
    unit: Unit
    total: int
    open: int
    overdue: int
    awaiting: int  # completed, waiting for the supervision group's 销号
    missing: int


def overview_rows(user, today: datetime.date) -> list[OverviewRow]:
    """The units at the top of the user's scope, each with its whole subtree's ledger counts."""
    paths = _root_paths(user)
    roots = Unit.objects.filter(depth=0) if paths is None else Unit.objects.filter(path__in=paths)
    roots = list(roots.order_by("path"))
    roots = [r for r in roots if not any(r.path.startswith(o.path) and r != o for o in roots)]
    rows = []
    for root in roots:
        summary = ledger_summary(ledger_items(root, subtree=True), today)
        rows.append(
            OverviewRow(
                unit=root,
                total=summary.total,
                open=summary.open,
                overdue=summary.overdue,
                awaiting=summary.by_status[Status.COMPLETED],
                missing=summary.missing,
            )
        )
    return rows
