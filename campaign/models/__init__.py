from .activity import Activity
from .campaign import (
    CalendarFeed,
    Campaign,
    EnrolmentBatch,
    MaterialRequirement,
    Participation,
    Stage,
    Task,
    TaskDefinition,
)
from .inspection import InspectionFinding, InspectionRound
from .kinds import ActivityKind, MaterialKind, QuotaHost, QuotaMeasure
from .material import PER_PERSON_KINDS, Material, Review, Revision, StageClosure, Talk
from .playbook import CampaignTemplate, MaterialTemplate, StageTemplate, TaskTemplate

__all__ = [
    "PER_PERSON_KINDS",
    "Material",
    "Review",
    "Revision",
    "StageClosure",
    "Talk",
    "Activity",
    "CalendarFeed",
    "ActivityKind",
    "Campaign",
    "CampaignTemplate",
    "EnrolmentBatch",
    "InspectionFinding",
    "InspectionRound",
    "MaterialKind",
    "MaterialRequirement",
    "MaterialTemplate",
    "Participation",
    "QuotaHost",
    "QuotaMeasure",
    "Stage",
    "StageTemplate",
    "Task",
    "TaskDefinition",
    "TaskTemplate",
]
