from celery import shared_task


@shared_task(name="campaign.refresh_progress")
def refresh_campaign_progress(campaign_id: int) -> int:
    """After the office edits a task's quota or deadline, recompute every unit's progress."""
    from .services import campaign_refresh

    return campaign_refresh(campaign_id)
