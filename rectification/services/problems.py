"""Recording the problems a unit admits (查摆问题)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.services import audit_log, diff

from ..models import Problem
from ._common import filled, printable

FIELDS = ("title", "description", "four_winds", "kind", "scope", "person", "campaign")


def _check_campaign(problem: Problem) -> None:
    campaign = problem.campaign
    if campaign is not None and not campaign.participations.filter(unit=problem.unit).exists():
        raise ValidationError({"campaign": _("本单位没有参加该活动。")})


@transaction.atomic
def problem_create(*, unit, by, opinions=(), **fields) -> Problem:
    """Record a problem, optionally turned from some of the unit's opinions (转为问题)."""
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise ValueError(f"problem_create cannot set {sorted(unknown)}")
    if any(o.unit_id != unit.pk for o in opinions):
        raise ValidationError(_("只能把本单位的意见转为问题。"))
    problem = Problem(unit=unit, found_by=by, **fields)
    problem.full_clean()
    _check_campaign(problem)
    problem.save()
    changes = filled(problem, FIELDS)
    if opinions:
        from feedback.services import opinions_turn_into_problem

        problem.opinions.set(opinions)
        ids = [o.pk for o in opinions]
        opinions_turn_into_problem(opinions=opinions, problem=problem, by=by)
        changes["opinions"] = ", ".join(f"#{pk}" for pk in ids)  # ids only: never the text
    audit_log(actor=by, action="problem.created", obj=problem, unit=unit, changes=changes)
    return problem


@transaction.atomic
def problem_update(*, problem: Problem, by, **fields) -> Problem:
    problem = (
        Problem.objects.select_for_update(of=("self",)).select_related("unit").get(pk=problem.pk)
    )
    before = printable(problem, FIELDS)
    for name, value in fields.items():
        if name not in FIELDS:
            raise ValueError(f"problem_update cannot set {name}")
        setattr(problem, name, value)
    problem.full_clean()
    _check_campaign(problem)
    changes = diff(before, printable(problem, FIELDS))
    if not changes:
        return problem
    problem.save(update_fields=list(fields))
    audit_log(actor=by, action="problem.updated", obj=problem, unit=problem.unit, changes=changes)
    return problem
