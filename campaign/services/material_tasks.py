"""Tasks that ask for a material follow it: 待审核, 已退回, done when approved or waived."""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import PER_PERSON_KINDS, Material, Participation, Stage, Task


def tasks_follow_material(material: Material) -> None:
    """Set the unit's tasks linked to the material's requirement from where it stands now."""
    requirement = material.requirement
    participation = material.participation
    tasks = Task.objects.filter(
        participation=participation, definition__material=requirement, completed_at__isnull=True
    )
    if requirement.kind in PER_PERSON_KINDS:
        state, done = _per_person_state(participation, requirement)
    else:
        state = {
            Material.Status.SUBMITTED: Task.Review.IN_REVIEW,
            Material.Status.RETURNED: Task.Review.RETURNED,
        }.get(material.status, Task.Review.NONE)
        done = material.status == Material.Status.APPROVED
    if done:
        changed = tasks.update(
            completed_at=timezone.now(), progress=1, review_state=Task.Review.NONE,
            completion_note=_("材料已通过督导组审核"),
        )  # fmt: skip
    else:
        changed = tasks.exclude(review_state=state).update(review_state=state)
    if changed:
        from .progress import participation_refresh

        participation_refresh(participation)


def _per_person_state(participation: Participation, requirement) -> tuple[str, bool]:
    """A personal material's task is done when every team member's copy is approved."""
    from .progress import team_of

    team = {m.id for m in team_of([participation.unit_id]).get(participation.unit_id, [])}
    statuses = dict(
        Material.objects.filter(participation=participation, requirement=requirement)
        .exclude(person__isnull=True)
        .values_list("person_id", "status")
    )
    if team and all(statuses.get(pid) == Material.Status.APPROVED for pid in team):
        return Task.Review.NONE, True
    values = set(statuses.values())
    if Material.Status.RETURNED in values:
        return Task.Review.RETURNED, False
    if Material.Status.SUBMITTED in values:
        return Task.Review.IN_REVIEW, False
    return Task.Review.NONE, False


def tasks_follow_waiver(participation: Participation, stage: Stage) -> int:
    """A waived stage (免于把关) completes the tasks that asked for its materials."""
    changed = Task.objects.filter(
        Q(participation=participation, definition__material__stage=stage),
        completed_at__isnull=True,
    ).update(
        completed_at=timezone.now(), progress=1, review_state=Task.Review.NONE,
        completion_note=_("环节已免于把关"),
    )  # fmt: skip
    return changed
