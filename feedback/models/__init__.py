"""The feedback app's models: opinions (征求意见) and appraisals (民主评议、满意度测评)."""

from .appraisals import (
    MIN_SAMPLE,
    AppraisalRound,
    AppraisalTarget,
    Ballot,
    BallotAnswer,
    BallotCode,
    BallotRating,
    PaperTally,
    Rating,
    Scale,
)
from .groups import OpinionGroup, OpinionGroupMember
from .opinions import TEXT_IMMUTABLE, TEXT_MAX, Opinion, OpinionNote, OpinionQuerySet

__all__ = [
    "MIN_SAMPLE",
    "AppraisalRound",
    "AppraisalTarget",
    "Ballot",
    "BallotAnswer",
    "BallotCode",
    "BallotRating",
    "PaperTally",
    "Rating",
    "Scale",
    "TEXT_IMMUTABLE",
    "TEXT_MAX",
    "Opinion",
    "OpinionNote",
    "OpinionQuerySet",
    "OpinionGroup",
    "OpinionGroupMember",
]
