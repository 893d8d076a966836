from .ledger import ProgressReport, RectificationItem
from .problems import Problem, SpecialCampaign
from .public import PublicRating
from .rules import Regulation

__all__ = [
    "Problem",
    "ProgressReport",
    "PublicRating",
    "RectificationItem",
    "Regulation",
    "SpecialCampaign",
]
