"""How tests/test_every_url.py fills in the inspection URLs: a round of the persona campaign
that drew both enrolled units (unit A and its sub-unit), made on first use."""

from campaign.services.inspections import inspection_round_draw


def round_of(world):
    existing = world.campaign.inspections.first()
    if existing:
        return existing
    return inspection_round_draw(
        campaign=world.campaign, name="第一轮随机调研", size=2, by=world.olivia
    )


EVERY_URL_OBJECTS = {
    "inspection_pk": lambda world: round_of(world).pk,
    "finding_pk": lambda world: round_of(world).findings.get(participation__unit=world.unit_a).pk,
}
OWNERS = {
    "dashboards:dashboard": "olivia",
    "dashboards:supervision_dashboard": "sam",
    "campaign:inspections": "olivia",
    "campaign:inspection": "olivia",
    "campaign:inspection_bulletin": "olivia",
    "campaign:inspection_finding": "sam",
}
