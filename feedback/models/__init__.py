"""The feedback app's models: opinions (征求意见), their groups and vocabularies."""

from .groups import OpinionGroup, OpinionGroupMember
from .opinions import TEXT_IMMUTABLE, TEXT_MAX, Opinion, OpinionNote, OpinionQuerySet
from .vocabulary import FourWinds

__all__ = [
    "FourWinds",
    "TEXT_IMMUTABLE",
    "TEXT_MAX",
    "Opinion",
    "OpinionNote",
    "OpinionQuerySet",
    "OpinionGroup",
    "OpinionGroupMember",
]
