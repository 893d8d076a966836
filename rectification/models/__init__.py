from .ledger import ProgressReport, RectificationItem
from .problems import FourWinds, Problem, SpecialCampaign
from .public import PublicRating
from .rules import Regulation

__all__ = [
    "FourWinds",
    "Problem",
    "ProgressReport",
    "PublicRating",
    "RectificationItem",
    "Regulation",
    "SpecialCampaign",
]
