from celery import shared_task

from . import services


@shared_task(name="appraisals.seal_due_rounds")
def seal_due_rounds() -> int:
    """Rewrite in random order the ballots of rounds that ran out of time (services.round_seal),
    so the stored order of a finished round follows no arrival for long."""
    return services.rounds_seal_due()
